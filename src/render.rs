//! Handlebars rendering with HTML escaping on by default.
//!
//! Built-in templates are embedded at build time (see `build.rs`). A theme
//! overrides one by shipping `<theme>/pqm/<name>.hbs` (child theme first),
//! WooCommerce-style; each template's first line carries a version so an
//! outdated override can be reported. A compiled registry is cached per
//! process and rebuilt only when the set of overrides or their mtimes change.
//!
//! User-facing text in templates goes through `{{t "English text" arg…}}`,
//! looked up in the `strings` map the plugin builds with WordPress's own
//! translation functions (`%s` / `%1$s` placeholders, like `sprintf`). The
//! map is lent to the helper for the render (`STRINGS`), not copied into
//! the template data: handlebars copies data for blocks and partials, and
//! ~150 strings per copy were a fifth of a list render's instructions.

use crate::error::{Error, Result};
use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Translations for the `t` helper, shared without copying.
pub type Strings = Arc<HashMap<String, String>>;

thread_local! {
    /// The translations of the render in progress on this thread.
    static STRINGS: RefCell<Option<Strings>> = const { RefCell::new(None) };
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Override {
    name: &'static str,
    path: PathBuf,
    modified: Option<SystemTime>,
}

struct Cached {
    overrides: Vec<Override>,
    registry: Handlebars<'static>,
}

static CACHE: Mutex<Option<Cached>> = Mutex::new(None);

/// A theme template that is older than the built-in one it replaces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutdatedOverride {
    pub name: String,
    pub path: String,
    pub theme_version: String,
    pub core_version: String,
}

fn find_overrides(dirs: &[String]) -> Vec<Override> {
    // Most themes have no `pqm/` folder: one stat per folder, not per template.
    let dirs: Vec<&String> = dirs.iter().filter(|d| !d.is_empty() && std::path::Path::new(d.as_str()).is_dir()).collect();
    if dirs.is_empty() {
        return Vec::new();
    }
    BUILT_IN
        .iter()
        .filter_map(|(name, _, _)| {
            dirs.iter().find_map(|d| {
                let path = PathBuf::from(d.as_str()).join(format!("{name}.hbs"));
                let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
                Some(Override { name, path, modified: meta.modified().ok() })
            })
        })
        .collect()
}

fn build_registry(overrides: &[Override]) -> Result<Handlebars<'static>> {
    let mut hb = Handlebars::new();
    hb.register_escape_fn(handlebars::html_escape);
    hb.set_prevent_indent(true);
    hb.register_helper("t", Box::new(translate));
    hb.register_helper("eq", Box::new(equals));
    for (name, _, source) in BUILT_IN {
        let theme = overrides.iter().find(|o| o.name == *name).and_then(|o| std::fs::read_to_string(&o.path).ok());
        match theme {
            // A broken theme override must not take the panel down: fall
            // back to the built-in template.
            Some(src) if hb.register_template_string(name, &src).is_ok() => {}
            _ => hb.register_template_string(name, source)?,
        }
    }
    Ok(hb)
}

/// Render template `name` with `data` (an object), translating `{{t}}`
/// with `strings`.
pub fn render(name: &str, data: Value, strings: &Strings, template_dirs: &[String]) -> Result<String> {
    let overrides = find_overrides(template_dirs);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if cache.as_ref().map(|c| &c.overrides) != Some(&overrides) {
        let registry = build_registry(&overrides)?;
        *cache = Some(Cached { overrides, registry });
    }
    let registry = &cache.as_ref().expect("set above").registry;
    if !registry.has_template(name) {
        return Err(Error::Template(format!("no template named {name}")));
    }
    STRINGS.with(|s| *s.borrow_mut() = Some(Arc::clone(strings)));
    // The data as the context itself (Registry::render would copy it whole).
    let html = registry.render_with_context(name, &Context::from(data));
    STRINGS.with(|s| s.borrow_mut().take());
    Ok(html?)
}

/// Theme overrides whose version header is older than the built-in's.
pub fn outdated_overrides(template_dirs: &[String]) -> Vec<OutdatedOverride> {
    find_overrides(template_dirs)
        .into_iter()
        .filter_map(|o| {
            let core = BUILT_IN.iter().find(|(n, _, _)| *n == o.name).map(|(_, v, _)| *v)?;
            let src = std::fs::read_to_string(&o.path).ok()?;
            let theme = header_version(o.name, &src).unwrap_or_else(|| "none".into());
            (version_tuple(&theme) < version_tuple(core)).then(|| OutdatedOverride {
                name: o.name.to_string(),
                path: o.path.display().to_string(),
                theme_version: theme,
                core_version: core.to_string(),
            })
        })
        .collect()
}

fn header_version(name: &str, src: &str) -> Option<String> {
    let prefix = format!("{{{{!-- pqm-template: {name} version ");
    src.lines().next()?.strip_prefix(&prefix)?.split_whitespace().next().map(str::to_string)
}

fn version_tuple(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// `sprintf`-style substitution of `%s` and `%1$s`…`%9$s`; `%%` is a percent.
pub fn format_string(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('%') => {
                chars.next();
                out.push('%');
            }
            Some('s') => {
                chars.next();
                out.push_str(args.get(next).map(String::as_str).unwrap_or(""));
                next += 1;
            }
            Some(d @ '1'..='9') => {
                let mut look = chars.clone();
                look.next();
                if look.next() == Some('$') && look.next() == Some('s') {
                    chars = look;
                    let i = d.to_digit(10).expect("digit") as usize - 1;
                    out.push_str(args.get(i).map(String::as_str).unwrap_or(""));
                } else {
                    out.push('%');
                }
            }
            _ => out.push('%'),
        }
    }
    out
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `{{t "Page %1$s of %2$s" page pages}}` → translated, substituted, escaped.
fn translate(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let msgid = h.param(0).and_then(|p| p.value().as_str()).unwrap_or_default();
    STRINGS.with(|s| {
        let strings = s.borrow();
        let translated = strings.as_ref().and_then(|m| m.get(msgid)).map(String::as_str).unwrap_or(msgid);
        write_translated(h, translated, out)
    })
}

fn write_translated(h: &Helper, translated: &str, out: &mut dyn Output) -> HelperResult {
    if h.params().len() == 1 && !translated.contains('%') {
        out.write(&handlebars::html_escape(translated))?;
        return Ok(());
    }
    let args: Vec<String> = h.params().iter().skip(1).map(|p| param_text(p.value())).collect();
    out.write(&handlebars::html_escape(&format_string(translated, &args)))?;
    Ok(())
}

/// `{{#if (eq a b)}}`.
fn equals(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let same = h.param(0).map(|p| p.value()) == h.param(1).map(|p| p.value());
    if same {
        out.write("true")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sprintf_placeholders() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(format_string("Page %1$s of %2$s", &a(&["2", "5"])), "Page 2 of 5");
        assert_eq!(format_string("%2$s / %1$s", &a(&["a", "b"])), "b / a");
        assert_eq!(format_string("%s new on %s", &a(&["2", "PQ-1"])), "2 new on PQ-1");
        assert_eq!(format_string("100%% sure, %d", &a(&[])), "100% sure, %d");
        assert_eq!(format_string("missing %s", &a(&[])), "missing ");
    }

    #[test]
    fn every_built_in_template_compiles_and_has_a_version() {
        build_registry(&[]).unwrap();
        for (name, version, src) in BUILT_IN {
            assert_eq!(header_version(name, src).as_deref(), Some(*version));
        }
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(version_tuple("1.2.0") < version_tuple("1.10.0"));
        assert!(version_tuple("none") < version_tuple("1.0.0"));
    }

    #[test]
    fn theme_override_wins_and_broken_override_falls_back() {
        let dir = std::env::temp_dir().join(format!("pqm-theme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dirs = vec![dir.display().to_string()];
        let data = json!({"login_url": "http://x/login", "site_name": "S"});
        let strings = Strings::default();
        std::fs::write(dir.join("logged-out.hbs"), "{{!-- pqm-template: logged-out version 0.9.0 --}}THEME {{site_name}}").unwrap();
        assert_eq!(render("logged-out", data.clone(), &strings, &dirs).unwrap(), "THEME S");
        let outdated = outdated_overrides(&dirs);
        assert_eq!(outdated.len(), 1);
        assert_eq!(outdated[0].theme_version, "0.9.0");
        // A syntax error in the theme file: the built-in template renders.
        std::fs::write(dir.join("logged-out.hbs"), "{{#if}} broken").unwrap();
        let html = render("logged-out", data, &strings, &dirs).unwrap();
        assert!(html.contains("pqm-login"), "{html}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

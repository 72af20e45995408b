//! Embeds the default handlebars templates (`templates/*.hbs`) into the
//! binary, so the extension needs no files at run time, and refuses to build
//! when a template lacks its version header
//! (`{{!-- pqm-template: <name> version <x.y.z> --}}`) — theme overrides are
//! compared against that version.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .expect("templates/ exists")
        .map(|e| e.expect("readable templates/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "hbs"))
        .collect();
    entries.sort();
    let mut out = String::from("/// (name, version, source) of every built-in template.\npub const BUILT_IN: &[(&str, &str, &str)] = &[\n");
    for path in &entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().unwrap().to_str().expect("ASCII template names").to_string();
        let source = fs::read_to_string(path).expect("UTF-8 template");
        let first = source.lines().next().unwrap_or_default();
        let prefix = format!("{{{{!-- pqm-template: {name} version ");
        let version = first
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("{}: first line must be `{prefix}<x.y.z> … --}}}}`", path.display()));
        out.push_str(&format!("    ({name:?}, {version:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("templates.rs");
    fs::write(dest, out).expect("write OUT_DIR/templates.rs");
}

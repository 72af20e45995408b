//! Every `{{t "…"}}` in the templates and every `ctx.t("…")` in the panel
//! code has a translatable entry in php/includes/class-pqm-strings.php —
//! otherwise a translator could never reach it.

use std::fs;
use std::path::Path;

fn quoted_after(src: &str, marker: &str) -> Vec<String> {
    src.match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &src[i + marker.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[test]
fn every_panel_string_is_translatable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let php = fs::read_to_string(root.join("php/includes/class-pqm-strings.php")).unwrap();
    let mut ids = Vec::new();
    for entry in fs::read_dir(root.join("templates")).unwrap() {
        let src = fs::read_to_string(entry.unwrap().path()).unwrap();
        ids.extend(quoted_after(&src, "{{t \""));
    }
    ids.extend(quoted_after(&fs::read_to_string(root.join("src/panel.rs")).unwrap(), "ctx.t(\""));
    ids.extend(quoted_after(&fs::read_to_string(root.join("src/panel.rs")).unwrap(), "(View::Open, \""));
    assert!(ids.len() > 20, "found the strings: {ids:?}");
    let missing: Vec<&String> = ids.iter().filter(|id| !php.contains(&format!("__( '{}', 'pqm-client-panel' )", id.replace('\'', "\\'")))).collect();
    assert!(missing.is_empty(), "add to PQM_Strings::all(): {missing:?}");
}

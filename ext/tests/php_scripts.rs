//! Each PHP-facing feature has a script in `tests/php/`, run with the built
//! extension (`php -n -d extension=…`), as ext-php-rs's own tests do. A
//! script passes when it exits 0 and its last line is `OK`; it gets a fresh
//! migrated database through `PQM_TEST_DB` (JSON for `PQM\configure()`).

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `PQM_EXT_PATH` (the installed extension, as scripts/test sets it), else
/// the cdylib of this profile, built once here if needed (cargo does not
/// build a cdylib for integration tests by itself).
fn extension() -> PathBuf {
    static SO: OnceLock<PathBuf> = OnceLock::new();
    SO.get_or_init(|| {
        if let Ok(p) = std::env::var("PQM_EXT_PATH") {
            return PathBuf::from(p);
        }
        // target/<profile>/deps/php_scripts-… → target/<profile>/
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap();
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        build.args(["build", "-p", "pqm-ext"]);
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        assert!(build.status().expect("run cargo").success(), "cargo build -p pqm-ext failed");
        profile_dir.join("libpqm_client_panel.so")
    })
    .clone()
}

fn run(script: &str) {
    let mut db = common::TestDb::new();
    common::seed(&mut db);
    let cfg = &db.cfg;
    let db_json = serde_json::json!({
        "host": cfg.host, "user": cfg.user, "password": cfg.password, "name": cfg.name, "prefix": cfg.prefix,
        "connect_timeout_ms": 2000,
    });
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/php").join(script);
    let out = Command::new("php")
        .arg("-n")
        .arg("-d")
        .arg(format!("extension={}", extension().display()))
        .arg(&path)
        .env("PQM_TEST_DB", db_json.to_string())
        .env("PQM_TEST_USERS", serde_json::json!({"alice": common::ALICE, "bob": common::BOB, "carol": common::CAROL, "dave": common::DAVE}).to_string())
        .output()
        .expect("php on PATH (php8.2-cli)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.trim_end().ends_with("OK"),
        "{script} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
}

#[test]
fn version_and_exception_hierarchy() {
    run("version_and_exceptions.php");
}

#[test]
fn panel_renders_through_the_gate() {
    run("panel_render.php");
}

#[test]
fn bad_input_is_a_typed_exception() {
    run("bad_input.php");
}

#[test]
fn database_outage_is_bounded_and_recovers() {
    run("database_outage.php");
}

#[test]
fn staff_actions_round_trip_php_arrays() {
    run("staff_actions.php");
}

#[test]
fn messages_through_the_php_api() {
    run("messages.php");
}

//! The PHP face of PQM Client Panel: a handful of coarse functions in the
//! `PQM` namespace (one call per screen or action) over the `pqm` core crate.
//! Nothing here decides anything; it converts arrays and maps errors.

#![cfg_attr(windows, feature(abi_vectorcall))]

mod convert;
mod errors;

use errors::PqmResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use pqm::panel::{self, PanelContext, PanelQuery};
use pqm::principal::Principal;
use pqm::{actions, config::DbConfig, worker};

/// The extension version; the plugin refuses to run against another one.
#[php_function]
#[php(name = "PQM\\version")]
pub fn version() -> &'static str {
    pqm::VERSION
}

/// Set the database for this worker (cheap when unchanged).
#[php_function]
#[php(name = "PQM\\configure")]
pub fn configure(db: &ZendHashTable) -> PqmResult<()> {
    Ok(worker::configure(DbConfig::from_json(convert::to_json_table(db))?)?)
}

/// Render the client panel → `['status' => int, 'html' => string, 'title' => string]`.
#[php_function]
#[php(name = "PQM\\render_panel")]
pub fn render_panel(principal: &ZendHashTable, query: &ZendHashTable, context: &ZendHashTable) -> PqmResult<Zval> {
    let principal = Principal::from_json(convert::to_json_table(principal))?;
    let query: PanelQuery = pqm::params::decode("panel query", convert::to_json_table(query))?;
    let context = PanelContext::from_json(convert::to_json_table(context))?;
    let response = panel::render_panel(&principal, &query, &context)?;
    convert::to_zval(&serde_json::to_value(response).expect("response serialises"))
}

/// The friendly "can't show your orders right now" view (no database needed).
#[php_function]
#[php(name = "PQM\\render_error")]
pub fn render_error(context: &ZendHashTable, kind: String) -> PqmResult<String> {
    let context = PanelContext::from_json(convert::to_json_table(context))?;
    Ok(panel::render_error(&context, &kind)?)
}

/// Apply pending migrations → list of `['version' => int, 'name' => string]`.
#[php_function]
#[php(name = "PQM\\migrate")]
pub fn migrate() -> PqmResult<Zval> {
    let applied = pqm::migrate()?;
    convert::to_zval(&serde_json::to_value(applied).expect("serialises"))
}

/// Highest applied migration; 0 before the first.
#[php_function]
#[php(name = "PQM\\schema_version")]
pub fn schema_version() -> PqmResult<i64> {
    Ok(i64::from(pqm::schema_version()?))
}

/// The migration the code expects (`schema_version()` below it means: migrate).
#[php_function]
#[php(name = "PQM\\latest_schema_version")]
pub fn latest_schema_version() -> i64 {
    i64::from(pqm::schema::latest_version())
}

/// Run a staff action by name (see docs/architecture.md) → array.
#[php_function]
#[php(name = "PQM\\action")]
pub fn action(name: String, principal: &ZendHashTable, params: &ZendHashTable) -> PqmResult<Zval> {
    let principal = Principal::from_json(convert::to_json_table(principal))?;
    let out = actions::dispatch(&name, &principal, convert::to_json_table(params))?;
    convert::to_zval(&out)
}

/// The database connection id this worker uses (tests and benchmarks prove
/// with it that one connection is reused across requests).
#[php_function]
#[php(name = "PQM\\connection_id")]
pub fn connection_id() -> PqmResult<i64> {
    Ok(worker::connection_id()? as i64)
}

/// Theme template overrides older than the built-in templates.
#[php_function]
#[php(name = "PQM\\outdated_templates")]
pub fn outdated_templates(template_dirs: Vec<String>) -> PqmResult<Zval> {
    convert::to_zval(&serde_json::to_value(pqm::render::outdated_overrides(&template_dirs)).expect("serialises"))
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    errors::register(module)
        .function(wrap_function!(version))
        .function(wrap_function!(configure))
        .function(wrap_function!(render_panel))
        .function(wrap_function!(render_error))
        .function(wrap_function!(migrate))
        .function(wrap_function!(schema_version))
        .function(wrap_function!(latest_schema_version))
        .function(wrap_function!(action))
        .function(wrap_function!(connection_id))
        .function(wrap_function!(outdated_templates))
}

//! PQM Client Panel core: who may see what (`access`), data access
//! (`store`, `staff`, `schema`) over a per-worker connection (`worker`), and
//! rendering (`panel`, `render`). Nothing here touches the Zend API, so plain
//! `cargo test` runs it; the PHP extension in `ext/` is a thin layer on top.

pub mod access;
pub mod actions;
pub mod approvals;
pub mod admin;
pub mod config;
pub mod demo;
pub mod error;
pub mod files;
pub mod files_panel;
pub mod format;
pub mod linkify;
pub mod messages;
pub mod panel;
pub mod params;
pub mod principal;
pub mod render;
pub mod schema;
pub mod signing;
pub mod staff;
pub mod notify;
pub mod store;
pub mod thread_view;
pub mod worker;

pub use error::{Error, Result};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Apply pending migrations with the configured connection.
pub fn migrate() -> Result<Vec<schema::Applied>> {
    worker::with_conn(worker::Mode::Write, async |conn, cfg| schema::migrate(conn, cfg).await)
}

/// Highest applied migration (0 = tables not created yet).
pub fn schema_version() -> Result<u32> {
    worker::with_conn(worker::Mode::Read, async |conn, cfg| schema::current_version(conn, cfg).await)
}

//! Versioned migrations of the `{prefix}pqm_*` tables. Applied in order by
//! `migrate()` (plugin activation, `wp pqm migrate`, or when the plugin sees
//! the schema behind the code), each recorded in `{prefix}pqm_migrations`.
//! Statements are idempotent (`IF NOT EXISTS`, `INSERT IGNORE`) so a
//! migration interrupted half-way can simply run again.

use crate::config::DbConfig;
use crate::error::{Error, Result};
use mysql_async::prelude::*;
use mysql_async::Conn;
use serde::Serialize;

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    /// `{p}` stands for the table-name prefix (`wp_pqm_`).
    pub statements: &'static [&'static str],
}

pub(crate) const TABLE_OPTIONS: &str = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "accounts, logins, statuses, orders, tasks, status history",
    statements: &[
        "CREATE TABLE IF NOT EXISTS {p}accounts (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            name VARCHAR(190) NOT NULL,
            kind ENUM('customer','consolidated') NOT NULL DEFAULT 'customer',
            parent_id BIGINT UNSIGNED NULL,
            portal_enabled TINYINT(1) NOT NULL DEFAULT 1,
            created_at DATETIME NOT NULL,
            KEY parent (parent_id),
            KEY name (name)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}account_users (
            account_id BIGINT UNSIGNED NOT NULL,
            user_id BIGINT UNSIGNED NOT NULL,
            portal_role ENUM('viewer','approver') NOT NULL DEFAULT 'viewer',
            enabled TINYINT(1) NOT NULL DEFAULT 1,
            created_at DATETIME NOT NULL,
            PRIMARY KEY (account_id, user_id),
            KEY user (user_id)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}statuses (
            status_key VARCHAR(40) NOT NULL PRIMARY KEY,
            internal_label VARCHAR(100) NOT NULL,
            customer_label VARCHAR(100) NOT NULL,
            customer_visible TINYINT(1) NOT NULL DEFAULT 1,
            is_closed TINYINT(1) NOT NULL DEFAULT 0,
            sort_order INT NOT NULL DEFAULT 0
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}orders (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            account_id BIGINT UNSIGNED NOT NULL,
            reference VARCHAR(64) NOT NULL,
            title VARCHAR(255) NOT NULL,
            status_key VARCHAR(40) NOT NULL,
            visible_status_key VARCHAR(40) NOT NULL,
            is_closed TINYINT(1) NOT NULL DEFAULT 0,
            promised_date DATE NULL,
            expected_date DATE NULL,
            completed_at DATETIME NULL,
            delivery_method ENUM('pickup','delivery') NULL,
            delivery_info VARCHAR(255) NOT NULL DEFAULT '',
            customer_note TEXT NOT NULL,
            internal_note TEXT NOT NULL,
            cost_cents BIGINT NULL,
            price_cents BIGINT NULL,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL,
            UNIQUE KEY reference (reference),
            KEY account_list (account_id, is_closed, created_at, id),
            KEY created (created_at, id)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}tasks (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            name VARCHAR(190) NOT NULL,
            department VARCHAR(100) NOT NULL DEFAULT '',
            assignee_user_id BIGINT UNSIGNED NULL,
            status ENUM('todo','doing','done') NOT NULL DEFAULT 'todo',
            is_milestone TINYINT(1) NOT NULL DEFAULT 0,
            milestone_label VARCHAR(190) NOT NULL DEFAULT '',
            internal_comment TEXT NULL,
            sort_order INT NOT NULL DEFAULT 0,
            done_at DATETIME NULL,
            KEY order_tasks (order_id, sort_order)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}status_history (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            status_key VARCHAR(40) NOT NULL,
            changed_at DATETIME NOT NULL,
            changed_by BIGINT UNSIGNED NOT NULL DEFAULT 0,
            KEY order_history (order_id, changed_at, id)
        ) {options}",
        // Default statuses: staff can relabel them or hide them from customers.
        "INSERT IGNORE INTO {p}statuses (status_key, internal_label, customer_label, customer_visible, is_closed, sort_order) VALUES
            ('received', 'Received', 'Received', 1, 0, 10),
            ('quoting', 'Quoting – cost check', 'Received', 0, 0, 20),
            ('prepress', 'Prepress', 'In production', 1, 0, 30),
            ('credit_hold', 'Credit hold', 'On hold', 0, 0, 35),
            ('on_press', 'On press', 'In production', 1, 0, 40),
            ('quality_check', 'Quality check', 'In production', 0, 0, 50),
            ('ready', 'Ready for pickup / dispatch', 'Ready', 1, 0, 60),
            ('shipped', 'Shipped', 'Shipped', 1, 0, 70),
            ('completed', 'Completed', 'Completed', 1, 1, 80),
            ('cancelled', 'Cancelled', 'Cancelled', 1, 1, 90)",
    ],
}, crate::messages::MIGRATION, Migration {
    // Issue #4 (version 2 is reserved for messages, 4 for the staff workspace).
    version: 3,
    name: "file types, files, versions, file settings, approvals, approval log",
    statements: &[
        "CREATE TABLE IF NOT EXISTS {p}file_types (
            slug VARCHAR(40) NOT NULL PRIMARY KEY,
            label VARCHAR(100) NOT NULL,
            customer_file TINYINT(1) NOT NULL DEFAULT 0,
            customer_upload TINYINT(1) NOT NULL DEFAULT 0,
            sort_order INT NOT NULL DEFAULT 0
        ) {options}",
        "INSERT IGNORE INTO {p}file_types (slug, label, customer_file, customer_upload, sort_order) VALUES
            ('proof', 'Proof', 1, 0, 10),
            ('final', 'Final deliverable', 1, 0, 20),
            ('invoice', 'Invoice copy', 1, 0, 30),
            ('customer', 'Customer file', 1, 1, 40),
            ('production', 'Production file', 0, 0, 50),
            ('scan', 'Internal scan', 0, 0, 60)",
        "CREATE TABLE IF NOT EXISTS {p}files (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            type_slug VARCHAR(40) NOT NULL,
            title VARCHAR(190) NOT NULL,
            visibility ENUM('customer','internal') NOT NULL DEFAULT 'customer',
            created_at DATETIME NOT NULL,
            KEY order_files (order_id, id)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}file_versions (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            file_id BIGINT UNSIGNED NOT NULL,
            version INT UNSIGNED NOT NULL,
            sha256 CHAR(64) NOT NULL,
            size BIGINT UNSIGNED NOT NULL,
            mime VARCHAR(100) NOT NULL,
            file_name VARCHAR(190) NOT NULL,
            shared TINYINT(1) NOT NULL DEFAULT 1,
            uploaded_by BIGINT UNSIGNED NOT NULL DEFAULT 0,
            uploaded_by_customer TINYINT(1) NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL,
            UNIQUE KEY file_version (file_id, version),
            KEY sha (sha256)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}file_settings (
            name VARCHAR(64) NOT NULL PRIMARY KEY,
            value VARCHAR(255) NOT NULL
        ) {options}",
        "INSERT IGNORE INTO {p}file_settings (name, value) VALUES
            ('max_upload_bytes', '20971520'),
            ('upload_kinds', 'pdf,png,jpeg,office')",
        "CREATE TABLE IF NOT EXISTS {p}approvals (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            file_version_id BIGINT UNSIGNED NULL,
            message TEXT NOT NULL,
            due_date DATE NULL,
            status ENUM('pending','approved','changes_requested') NOT NULL DEFAULT 'pending',
            requested_by BIGINT UNSIGNED NOT NULL DEFAULT 0,
            requested_at DATETIME NOT NULL,
            decided_by BIGINT UNSIGNED NULL,
            decided_at DATETIME NULL,
            comment TEXT NOT NULL,
            KEY order_status (order_id, status),
            KEY status_due (status, due_date)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}approval_log (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            order_ref VARCHAR(64) NOT NULL,
            seq INT UNSIGNED NOT NULL,
            approval_id BIGINT UNSIGNED NOT NULL,
            kind ENUM('request','decision') NOT NULL,
            actor_user_id BIGINT UNSIGNED NOT NULL,
            file_version_id BIGINT UNSIGNED NULL,
            file_sha256 VARCHAR(64) NOT NULL DEFAULT '',
            decision VARCHAR(20) NOT NULL DEFAULT '',
            comment TEXT NOT NULL,
            due_date DATE NULL,
            created_at DATETIME NOT NULL,
            prev_hash CHAR(64) NOT NULL,
            entry_hash CHAR(64) NOT NULL,
            UNIQUE KEY order_seq (order_id, seq),
            KEY approval (approval_id)
        ) {options}",
    ],
}, Migration {
    version: 4,
    name: "staff workspace: indexes for the wp-admin order list (search, filters, sorting at 1M orders)",
    statements: &[
        "CREATE INDEX IF NOT EXISTS status_list ON {p}orders (status_key, created_at, id)",
        "CREATE INDEX IF NOT EXISTS open_promised ON {p}orders (is_closed, promised_date)",
        "CREATE INDEX IF NOT EXISTS promised ON {p}orders (promised_date, id)",
        "CREATE FULLTEXT INDEX IF NOT EXISTS title_search ON {p}orders (title)",
        "CREATE INDEX IF NOT EXISTS department ON {p}tasks (department, order_id)",
        "CREATE INDEX IF NOT EXISTS status_orders ON {p}status_history (status_key, order_id)",
    ],
}];

/// Every table the plugin owns (uninstall drops exactly these).
pub const TABLES: &[&str] = &[
    "migrations", "accounts", "account_users", "statuses", "orders", "tasks", "status_history",
    // version 2: messages (src/messages.rs)
    "messages", "threads", "message_reads", "notifications", "user_prefs",
    // version 3: files and approvals (src/files.rs, src/approvals.rs)
    "file_types", "files", "file_versions", "file_settings", "approvals", "approval_log",
];

pub fn latest_version() -> u32 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Applied {
    pub version: u32,
    pub name: String,
}

fn expand(sql: &str, cfg: &DbConfig) -> String {
    sql.replace("{p}", &format!("{}pqm_", cfg.prefix)).replace("{options}", TABLE_OPTIONS)
}

async fn ensure_ledger(conn: &mut Conn, cfg: &DbConfig) -> Result<()> {
    conn.query_drop(expand(
        "CREATE TABLE IF NOT EXISTS {p}migrations (
            version INT UNSIGNED NOT NULL PRIMARY KEY,
            name VARCHAR(190) NOT NULL,
            applied_at DATETIME NOT NULL
        ) {options}",
        cfg,
    ))
    .await?;
    Ok(())
}

/// Highest applied version; 0 when the ledger does not exist yet.
pub async fn current_version(conn: &mut Conn, cfg: &DbConfig) -> Result<u32> {
    let exists: Option<u8> = conn
        .exec_first(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            (format!("{}pqm_migrations", cfg.prefix),),
        )
        .await?;
    if exists.is_none() {
        return Ok(0);
    }
    let v: Option<Option<u32>> = conn.query_first(format!("SELECT MAX(version) FROM {}", cfg.table("migrations"))).await?;
    Ok(v.flatten().unwrap_or(0))
}

/// Apply what is missing, under a named lock so two workers activating at
/// once do not race. Returns the migrations applied now.
pub async fn migrate(conn: &mut Conn, cfg: &DbConfig) -> Result<Vec<Applied>> {
    let lock = format!("{}pqm_migrate", cfg.prefix);
    let got: Option<Option<i64>> = conn.exec_first("SELECT GET_LOCK(?, 30)", (&lock,)).await?;
    if got.flatten() != Some(1) {
        return Err(Error::Database("another process is migrating the PQM tables; try again".into()));
    }
    let result = apply_missing(conn, cfg).await;
    conn.exec_drop("SELECT RELEASE_LOCK(?)", (&lock,)).await?;
    result
}

async fn apply_missing(conn: &mut Conn, cfg: &DbConfig) -> Result<Vec<Applied>> {
    ensure_ledger(conn, cfg).await?;
    // Every version not in the ledger (not just those above the highest):
    // versions are reserved per feature, so a database may have 1 and 4
    // before the branch with 2 lands.
    let done: Vec<u32> = conn.query(format!("SELECT version FROM {}", cfg.table("migrations"))).await?;
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        for stmt in m.statements {
            conn.query_drop(expand(stmt, cfg)).await?;
        }
        conn.exec_drop(
            format!("INSERT INTO {} (version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP())", cfg.table("migrations")),
            (m.version, m.name),
        )
        .await?;
        applied.push(Applied { version: m.version, name: m.name.to_string() });
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing() {
        let v: Vec<u32> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert!(v.windows(2).all(|w| w[0] < w[1]), "{v:?}");
        assert_eq!(latest_version(), *v.last().unwrap());
    }

    #[test]
    fn every_statement_is_rerunnable_and_uses_the_prefix() {
        for m in MIGRATIONS {
            for s in m.statements {
                assert!(s.contains("IF NOT EXISTS") || s.contains("INSERT IGNORE"), "not idempotent: {s}");
                assert!(s.contains("{p}"), "table without prefix: {s}");
            }
        }
    }

    #[test]
    fn every_created_table_is_listed_for_uninstall() {
        for m in MIGRATIONS {
            for s in m.statements.iter().filter(|s| s.starts_with("CREATE TABLE")) {
                let name = s.split("{p}").nth(1).unwrap().split_whitespace().next().unwrap();
                assert!(TABLES.contains(&name), "{name} missing from TABLES");
            }
        }
    }
}

//! A throw-away MariaDB database per test, migrated, dropped on drop.
//!
//! Connection: `PQM_TEST_MYSQL_URL` (e.g. `mysql://pqm_test:pqm_test@127.0.0.1:3306/`,
//! a user that may create and drop `pqm_test_%` databases), else root over
//! the default unix socket.
#![allow(dead_code)]

use mysql_async::prelude::*;
use mysql_async::{Conn, Opts, OptsBuilder};
use pqm::config::DbConfig;
use std::sync::atomic::{AtomicU32, Ordering};

static SEQ: AtomicU32 = AtomicU32::new(0);

pub struct TestDb {
    pub rt: tokio::runtime::Runtime,
    pub conn: Option<Conn>,
    pub cfg: DbConfig,
    admin: Opts,
}

fn server_opts() -> Opts {
    match std::env::var("PQM_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => Opts::from_url(&url).expect("PQM_TEST_MYSQL_URL is a mysql:// URL"),
        _ => OptsBuilder::default().user(Some("root")).socket(Some(pqm::config::DEFAULT_SOCKET)).into(),
    }
}

/// The same server as `DbConfig` (as the plugin would pass it).
fn config_for(admin: &Opts, name: &str) -> DbConfig {
    let host = match admin.socket() {
        Some(sock) => format!("localhost:{sock}"),
        None => format!("{}:{}", admin.ip_or_hostname(), admin.tcp_port()),
    };
    DbConfig::from_json(serde_json::json!({
        "host": host,
        "user": admin.user().unwrap_or("root"),
        "password": admin.pass().unwrap_or(""),
        "name": name,
        "prefix": "wp_",
        "connect_timeout_ms": 2000,
        "query_timeout_ms": 10000,
    }))
    .expect("valid test config")
}

impl TestDb {
    pub fn new() -> TestDb {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let admin = server_opts();
        let name = format!("pqm_test_{}_{}", std::process::id(), SEQ.fetch_add(1, Ordering::SeqCst));
        let cfg = config_for(&admin, &name);
        let conn = rt.block_on(async {
            let mut root = Conn::new(admin.clone()).await.expect("MariaDB reachable for tests (see tests/common/mod.rs)");
            root.query_drop(format!("DROP DATABASE IF EXISTS `{name}`")).await.unwrap();
            root.query_drop(format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4")).await.unwrap();
            root.disconnect().await.unwrap();
            let mut conn = Conn::new(cfg.opts().unwrap()).await.unwrap();
            pqm::schema::migrate(&mut conn, &cfg).await.unwrap();
            conn
        });
        TestDb { rt, conn: Some(conn), cfg, admin }
    }

    /// Run async code with this database's connection.
    pub fn run<T>(&mut self, f: impl AsyncFnOnce(&mut Conn, &DbConfig) -> T) -> T {
        let conn = self.conn.as_mut().unwrap();
        let cfg = &self.cfg;
        self.rt.block_on(f(conn, cfg))
    }

    /// Plain SQL for setting up odd states (`{p}` = table prefix).
    pub fn sql(&mut self, sql: &str) {
        let sql = sql.replace("{p}", "wp_pqm_");
        self.run(async |c, _| c.query_drop(sql).await.unwrap());
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.cfg.name.clone();
        let admin = self.admin.clone();
        let conn = self.conn.take();
        self.rt.block_on(async move {
            if let Some(c) = conn {
                let _ = c.disconnect().await;
            }
            if let Ok(mut root) = Conn::new(admin).await {
                let _ = root.query_drop(format!("DROP DATABASE IF EXISTS `{name}`")).await;
                let _ = root.disconnect().await;
            }
        });
    }
}

/// Demo users: login → WordPress user id used in the tests.
pub const ALICE: u64 = 101;
pub const AMY: u64 = 102;
pub const BOB: u64 = 103;
pub const CAROL: u64 = 104;
pub const DAVE: u64 = 105;

pub fn seed(db: &mut TestDb) -> pqm::demo::Seeded {
    let users = serde_json::json!({"users": {"alice": ALICE, "amy": AMY, "bob": BOB, "carol": CAROL, "dave": DAVE}});
    db.run(async |c, cfg| pqm::demo::seed(c, cfg, &pqm::principal::Principal::cli(), serde_json::from_value(users).unwrap()).await.unwrap())
}

pub fn customer(user_id: u64) -> pqm::principal::Principal {
    pqm::principal::Principal::new(user_id, &[pqm::principal::Cap::ViewPanel])
}

pub fn refs(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("PQ-{n}")).collect()
}

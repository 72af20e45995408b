//! The synchronous façade a PHP request needs over async mysql_async (in the
//! spirit of mini-redis' `blocking_client`).
//!
//! php-fpm forks its workers after MINIT, so nothing here is created at load
//! time: the first call in a process creates a current-thread tokio runtime
//! and a one-connection pool, remembered together with the PID. A forked
//! child that inherits state from its parent (pid differs) abandons it
//! without touching it and starts fresh.
//!
//! Connections return to the pool only while a `block_on` runs, so each call
//! takes the connection, runs, and drops it inside the same `block_on`.
//! Every call is bounded by the connect and query timeouts (PHP's
//! `max_execution_time` does not count time spent in here).

use crate::config::DbConfig;
use crate::error::{Error, Result};
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Reads may be retried once on a fresh connection after a connection
/// failure (a server restart leaves a dead pooled connection behind); writes
/// are never retried — instead an idle connection is pinged first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// After this long unused, a pooled connection is pinged before a write.
const IDLE_PING_AFTER: Duration = Duration::from_secs(20);

struct Worker {
    pid: u32,
    runtime: tokio::runtime::Runtime,
    config: Option<DbConfig>,
    pool: Option<mysql_async::Pool>,
    last_used: Option<Instant>,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);

fn with_worker<T>(f: impl FnOnce(&mut Worker) -> Result<T>) -> Result<T> {
    let mut guard = WORKER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    if guard.as_ref().is_some_and(|w| w.pid != pid) {
        // Inherited across fork: its runtime threads and sockets belong to
        // the parent. Leak it rather than run its destructors here.
        std::mem::forget(guard.take());
    }
    if guard.is_none() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the async runtime: {e}")))?;
        *guard = Some(Worker { pid, runtime, config: None, pool: None, last_used: None });
    }
    f(guard.as_mut().expect("just set"))
}

/// Set the database this worker talks to. Cheap when unchanged; a change
/// (another site in the same worker, new credentials) drops the old pool.
pub fn configure(config: DbConfig) -> Result<()> {
    with_worker(|w| {
        if w.config.as_ref() != Some(&config) {
            w.pool = None;
            w.config = Some(config);
        }
        Ok(())
    })
}

/// The configured settings (for table names), or a clear error.
pub fn config() -> Result<DbConfig> {
    with_worker(|w| w.config.clone().ok_or_else(|| Error::Config("PQM\\configure() was not called".into())))
}

/// Run `f` with this worker's connection, bounded by the timeouts.
pub fn with_conn<T>(mode: Mode, f: impl AsyncFn(&mut Conn, &DbConfig) -> Result<T>) -> Result<T> {
    with_worker(|w| {
        let config = w.config.clone().ok_or_else(|| Error::Config("PQM\\configure() was not called".into()))?;
        let attempts = if mode == Mode::Read { 2 } else { 1 };
        let mut last_err = None;
        for _ in 0..attempts {
            match w.attempt(mode, &config, &f) {
                Err(e) if e.is_connection_failure() => {
                    // Drop the pool: the next attempt (or request) reconnects.
                    w.pool = None;
                    last_err = Some(e);
                }
                other => return other,
            }
        }
        Err(last_err.expect("at least one attempt"))
    })
}

impl Worker {
    fn attempt<T>(&mut self, mode: Mode, config: &DbConfig, f: &impl AsyncFn(&mut Conn, &DbConfig) -> Result<T>) -> Result<T> {
        let fresh = self.pool.is_none();
        if fresh {
            let opts = config.opts()?;
            let _enter = self.runtime.enter();
            self.pool = Some(mysql_async::Pool::new(opts));
            self.last_used = None;
        }
        let pool = self.pool.clone().expect("set above");
        let idle = self.last_used.map_or(true, |t| t.elapsed() > IDLE_PING_AFTER);
        let (connect_timeout, query_timeout) = (config.connect_timeout(), config.query_timeout());
        let result = self.runtime.block_on(async {
            let mut conn = tokio::time::timeout(connect_timeout, pool.get_conn())
                .await
                .map_err(|_| connection_error("timed out connecting to the database"))??;
            if mode == Mode::Write && idle && !fresh {
                tokio::time::timeout(connect_timeout, conn.ping())
                    .await
                    .map_err(|_| connection_error("timed out pinging the database"))??;
            }
            let out = tokio::time::timeout(query_timeout, f(&mut conn, config))
                .await
                .map_err(|_| connection_error("query timed out"))?;
            drop(conn); // back to the pool while block_on still runs
            out
        });
        self.last_used = Some(Instant::now());
        result
    }
}

fn connection_error(msg: &str) -> Error {
    Error::Database(format!("{}{msg}", crate::error::CONNECTION_PREFIX))
}

/// `CONNECTION_ID()` of this worker's connection.
pub fn connection_id() -> Result<u64> {
    with_conn(Mode::Read, async |conn, _| {
        use mysql_async::prelude::*;
        let id: Option<u64> = conn.query_first("SELECT CONNECTION_ID()").await?;
        Ok(id.unwrap_or(0))
    })
}

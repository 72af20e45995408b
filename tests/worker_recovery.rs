//! The per-worker façade: one connection reused across calls, bounded
//! failures when the database is unreachable, recovery without a restart
//! when the connection is killed under it. One test function: the worker
//! state is process-wide.

mod common;

use common::*;
use pqm::panel::{render_panel, PanelContext, PanelQuery};
use pqm::{worker, Error};
use std::time::{Duration, Instant};

fn ctx() -> PanelContext {
    PanelContext::from_json(serde_json::json!({"base_url": "http://shop.test/panel/"})).unwrap()
}

fn list(user: u64) -> Result<pqm::panel::PanelResponse, Error> {
    render_panel(&customer(user), &PanelQuery::default(), &ctx())
}

#[test]
fn one_connection_timeouts_and_recovery() {
    let mut db = TestDb::new();
    seed(&mut db);
    worker::configure(db.cfg.clone()).unwrap();

    // One connection, reused by every call of this worker.
    let first = worker::connection_id().unwrap();
    for _ in 0..50 {
        assert_eq!(list(ALICE).unwrap().status, 200);
    }
    assert_eq!(worker::connection_id().unwrap(), first, "the pooled connection is reused");

    // The server kills our connection (restart, wait_timeout, failover):
    // the next read reconnects by itself and succeeds.
    db.run(async |c, _| {
        use mysql_async::prelude::*;
        c.query_drop(format!("KILL {first}")).await.unwrap();
    });
    let after = list(ALICE).unwrap();
    assert_eq!(after.status, 200);
    assert!(after.html.contains("PQ-1017"), "{}", after.html);
    assert_ne!(worker::connection_id().unwrap(), first, "a fresh connection replaced the killed one");

    // Nothing listens there: a Database error within the connect timeout,
    // never a hang.
    let mut dead = db.cfg.clone();
    dead.host = "127.0.0.1:9".into();
    dead.connect_timeout_ms = 1500;
    worker::configure(dead).unwrap();
    let started = Instant::now();
    let err = list(ALICE).unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(8), "bounded by the timeouts: {:?}", started.elapsed());

    // The database is back: the very next call works, no restart.
    worker::configure(db.cfg.clone()).unwrap();
    let back = list(BOB).unwrap();
    assert!(back.html.contains("PQ-1028") && !back.html.contains("PQ-1018"));
}

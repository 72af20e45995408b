//! Messages against a real database: the thread gate is the panel's scope,
//! internal notes never reach customer reads, retries are idempotent,
//! posts are rate limited and the inbox puts unanswered threads first.

mod common;

use common::*;
use pqm::messages::{self, CustomerPost, InboxQuery, StaffPost, ThreadQuery};
use pqm::principal::Principal;
use pqm::Error;

fn post(reference: &str, body: &str, token: &str) -> CustomerPost {
    CustomerPost {
        reference: reference.into(),
        body: body.into(),
        client_token: token.into(),
        author_name: "Alice".into(),
        rate_limit: Some(1000),
        staff: vec![],
    }
}

fn staff_post(reference: &str, body: &str, internal: bool) -> StaffPost {
    StaffPost {
        reference: reference.into(),
        body: body.into(),
        internal,
        client_token: String::new(),
        author_name: "Sam".into(),
        author_user_id: Some(900),
        staff: vec![],
    }
}

fn count(db: &mut TestDb) -> u64 {
    db.run(async |c, cfg| {
        use mysql_async::prelude::*;
        let n: Option<u64> = c.query_first(format!("SELECT COUNT(*) FROM {}", cfg.table("messages"))).await.unwrap();
        n.unwrap()
    })
}

fn order_id(db: &mut TestDb, reference: &str) -> u64 {
    let reference = reference.to_string();
    db.run(async |c, cfg| {
        use mysql_async::prelude::*;
        let id: Option<u64> = c.exec_first(format!("SELECT id FROM {} WHERE reference = ?", cfg.table("orders")), (reference,)).await.unwrap();
        id.unwrap()
    })
}

#[test]
fn foreign_or_missing_orders_are_not_found_and_store_nothing() {
    let mut db = TestDb::new();
    seed(&mut db);
    let before = count(&mut db);
    for reference in ["PQ-1019", "PQ-9999", "pq-1019 ", "", "1019"] {
        let r = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), post(reference, "hello", "")).await);
        assert!(matches!(r, Err(Error::NotFound)), "{reference:?}: {r:?}");
    }
    // Dave has no account; a staff login has no panel.
    let r = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(DAVE), post("PQ-1001", "hi", "")).await);
    assert!(matches!(r, Err(Error::NotFound)));
    let r = db.run(async |c, cfg| messages::post_customer(c, cfg, &Principal::cli(), post("PQ-1001", "hi", "")).await);
    assert!(matches!(r, Err(Error::NotFound)));
    assert_eq!(count(&mut db), before);
}

#[test]
fn internal_notes_never_reach_the_customer_thread() {
    let mut db = TestDb::new();
    seed(&mut db);
    db.run(async |c, cfg| {
        messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1005", "Question?", "t1")).await.unwrap();
        messages::post_staff(c, cfg, &Principal::cli(), staff_post("PQ-1005", "SECRET internal", true)).await.unwrap();
        messages::post_staff(c, cfg, &Principal::cli(), staff_post("PQ-1005", "Answer", false)).await.unwrap();
    });
    let oid = order_id(&mut db, "PQ-1005");
    let thread = db.run(async |c, cfg| messages::open_customer_thread(c, cfg, AMY, oid, true).await.unwrap());
    let bodies: Vec<&str> = thread.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Question?", "Answer"]);
    let staff = db.run(async |c, cfg| messages::staff_thread(c, cfg, &Principal::cli(), ThreadQuery { reference: "PQ-1005".into(), mark_seen: false }).await.unwrap());
    assert_eq!(staff.messages.len(), 3);
    assert!(staff.messages[1].internal);
    // Staff reads need the capability.
    let denied = db.run(async |c, cfg| messages::staff_thread(c, cfg, &customer(ALICE), ThreadQuery { reference: "PQ-1005".into(), mark_seen: false }).await);
    assert!(matches!(denied, Err(Error::AccessDenied(_))));
}

#[test]
fn same_client_token_creates_one_message() {
    let mut db = TestDb::new();
    seed(&mut db);
    let a = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1001", "once", "tok-1")).await.unwrap());
    let b = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1001", "once", "tok-1")).await.unwrap());
    assert_eq!((a.status, b.status), ("created", "duplicate"));
    assert_eq!(a.message_id, b.message_id);
    // Another user's identical token is theirs.
    let c2 = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(AMY), post("PQ-1001", "once", "tok-1")).await.unwrap());
    assert_eq!(c2.status, "created");
}

#[test]
fn limits_empty_too_long_and_rate() {
    let mut db = TestDb::new();
    seed(&mut db);
    let r = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1001", " \n ", "")).await.unwrap());
    assert_eq!((r.status, r.reason), ("rejected", Some(messages::Rejection::Empty)));
    let long = "x".repeat(5001);
    let r = db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1001", &long, "")).await.unwrap());
    assert_eq!((r.status, r.reason, r.chars), ("rejected", Some(messages::Rejection::TooLong), 5001));
    db.sql("UPDATE {p}messages SET created_at = created_at - INTERVAL 1 HOUR"); // the seed's messages are not "last minute"
    let before = count(&mut db);
    let mut statuses = Vec::new();
    for i in 0..4 {
        let mut p = post("PQ-1001", &format!("msg {i}"), &format!("rl{i}"));
        p.rate_limit = Some(3);
        statuses.push(db.run(async |c, cfg| messages::post_customer(c, cfg, &customer(ALICE), p).await.unwrap()).status);
    }
    assert_eq!(statuses, ["created", "created", "created", "rejected"]);
    assert_eq!(count(&mut db), before + 3);
}

#[test]
fn receipts_unread_counts_and_inbox_order() {
    let mut db = TestDb::new();
    seed(&mut db);
    db.run(async |c, cfg| {
        messages::post_customer(c, cfg, &customer(ALICE), post("PQ-1001", "first", "")).await.unwrap();
        messages::post_staff(c, cfg, &Principal::cli(), staff_post("PQ-1002", "news for you", false)).await.unwrap();
        messages::post_staff(c, cfg, &Principal::cli(), staff_post("PQ-1002", "more news", false)).await.unwrap();
    });
    // Unread notifications for Amy (same account) — and not for Bob.
    let scope = |db: &mut TestDb, user| {
        db.run(async |c, cfg| {
            let links = pqm::store::load_links(c, cfg, user).await.unwrap();
            pqm::access::panel_scope(&customer(user), &links).unwrap()
        })
    };
    let amy = scope(&mut db, AMY);
    let extras = db.run(async |c, cfg| messages::panel_extras(c, cfg, AMY, &amy).await.unwrap());
    assert_eq!(extras.unread.get("PQ-1002"), Some(&2));
    let bob = scope(&mut db, BOB);
    let extras = db.run(async |c, cfg| messages::panel_extras(c, cfg, BOB, &bob).await.unwrap());
    assert!(extras.unread.is_empty() && extras.notices.is_empty());
    // A staff preview of the order (record_read: false) reads nothing.
    let oid = order_id(&mut db, "PQ-1002");
    db.run(async |c, cfg| messages::open_customer_thread(c, cfg, AMY, oid, false).await.unwrap());
    let extras = db.run(async |c, cfg| messages::panel_extras(c, cfg, AMY, &amy).await.unwrap());
    assert_eq!(extras.unread.get("PQ-1002"), Some(&2), "a preview marked the thread read");
    assert!(!extras.notices.is_empty(), "a preview marked the notifications read");
    // Opening the order reads it.
    db.run(async |c, cfg| messages::open_customer_thread(c, cfg, AMY, oid, true).await.unwrap());
    let extras = db.run(async |c, cfg| messages::panel_extras(c, cfg, AMY, &amy).await.unwrap());
    assert!(extras.unread.get("PQ-1002").is_none());
    // Staff see the customer read it.
    let t = db.run(async |c, cfg| messages::staff_thread(c, cfg, &Principal::cli(), ThreadQuery { reference: "PQ-1002".into(), mark_seen: false }).await.unwrap());
    assert!(t.messages.iter().filter(|m| m.author_kind == "staff" && !m.internal).all(|m| m.seen_by_customer));
    assert!(t.messages.iter().filter(|m| m.author_kind == "customer").all(|m| !m.seen_by_customer));
    // Inbox: the unanswered PQ-1001 first, and unread until staff open it.
    let inbox = db.run(async |c, cfg| messages::inbox(c, cfg, &Principal::cli(), InboxQuery::default()).await.unwrap());
    let refs: Vec<&str> = inbox.rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(refs[0], "PQ-1001");
    assert!(inbox.rows[0].awaiting_reply && inbox.rows[0].unread);
    db.run(async |c, cfg| messages::staff_thread(c, cfg, &Principal::cli(), ThreadQuery { reference: "PQ-1001".into(), mark_seen: true }).await.unwrap());
    let unread = db.run(async |c, cfg| messages::inbox(c, cfg, &Principal::cli(), InboxQuery { unread: true, ..Default::default() }).await.unwrap());
    assert!(unread.rows.iter().all(|r| r.reference != "PQ-1001"));
    // Customer sees "seen by the shop" on their message now.
    let oid = order_id(&mut db, "PQ-1001");
    let t = db.run(async |c, cfg| messages::open_customer_thread(c, cfg, ALICE, oid, true).await.unwrap());
    assert!(t.staff_seen_id >= t.messages.last().unwrap().id);
    // Search finds message text.
    let found = db.run(async |c, cfg| messages::inbox(c, cfg, &Principal::cli(), InboxQuery { search: "news".into(), ..Default::default() }).await.unwrap());
    assert_eq!(found.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["PQ-1002"]);
}

#[test]
fn demo_threads_are_seeded_once() {
    let mut db = TestDb::new();
    let first = seed(&mut db);
    assert!(first.messages >= 8, "{first:?}");
    let again = seed(&mut db);
    assert_eq!(again.messages, 0);
}

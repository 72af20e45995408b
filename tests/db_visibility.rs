//! Against a real MariaDB: the access gate scopes every list and every
//! single-order lookup, for every kind of demo login.

mod common;

use common::*;
use pqm::access::{panel_scope, NoScope, Scope};
use pqm::store::{self, View};

fn scope_of(db: &mut TestDb, user: u64) -> Result<Scope, NoScope> {
    let links = db.run(async |c, cfg| store::load_links(c, cfg, user).await.unwrap());
    panel_scope(&customer(user), &links)
}

/// Every reference the scope's list shows, following the pages.
fn all_listed(db: &mut TestDb, scope: &Scope, view: View) -> Vec<String> {
    let mut out = Vec::new();
    for page in 0.. {
        let rows = db.run(async |c, cfg| store::list_orders(c, cfg, scope, view, 10, page * 10).await.unwrap());
        if rows.is_empty() {
            break;
        }
        assert!(rows.len() <= 10);
        out.extend(rows.into_iter().map(|o| o.reference));
    }
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn each_login_lists_exactly_its_own_orders() {
    let mut db = TestDb::new();
    let seeded = seed(&mut db);
    assert_eq!(seeded.orders_created, 45);
    for (user, expected) in [(ALICE, refs(1001..=1018)), (AMY, refs(1001..=1018)), (BOB, refs(1019..=1030)), (CAROL, refs(1031..=1045))] {
        let scope = scope_of(&mut db, user).unwrap();
        let listed = all_listed(&mut db, &scope, View::All);
        assert_eq!(sorted(listed.clone()), expected, "user {user}");
        let open = all_listed(&mut db, &scope, View::Open);
        let done = all_listed(&mut db, &scope, View::Completed);
        assert_eq!(open.len() + done.len(), expected.len());
        let counts = db.run(async |c, cfg| store::count_orders(c, cfg, &scope).await.unwrap());
        assert_eq!((counts.open as usize, counts.completed as usize), (open.len(), done.len()));
    }
}

#[test]
fn newest_first_across_pages() {
    let mut db = TestDb::new();
    seed(&mut db);
    let scope = scope_of(&mut db, ALICE).unwrap();
    let listed = all_listed(&mut db, &scope, View::All);
    let mut expected = refs(1001..=1018);
    expected.reverse();
    assert_eq!(listed, expected);
}

#[test]
fn foreign_and_missing_references_look_the_same() {
    let mut db = TestDb::new();
    seed(&mut db);
    let alice = scope_of(&mut db, ALICE).unwrap();
    for reference in ["PQ-1020", "PQ-1040", "PQ-9999", "", "' OR 1=1 --", "PQ-1020' OR '1'='1"] {
        let found = db.run(async |c, cfg| store::find_order(c, cfg, &alice, reference).await.unwrap());
        assert!(found.is_none(), "{reference} must be invisible to alice");
    }
    let own = db.run(async |c, cfg| store::find_order(c, cfg, &alice, "PQ-1005").await.unwrap()).expect("alice's own order");
    assert_eq!(own.summary.reference, "PQ-1005");
}

#[test]
fn consolidated_login_sees_every_child_account_and_can_narrow() {
    let mut db = TestDb::new();
    seed(&mut db);
    let carol = scope_of(&mut db, CAROL).unwrap();
    let names: Vec<&str> = carol.accounts().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Northwind East", "Northwind West"]);
    let east = carol.accounts()[0].id;
    let listed = all_listed(&mut db, &carol.narrow(east), View::All);
    assert_eq!(sorted(listed), refs(1031..=1038));
    // Acme's id is not carol's: narrowing to it shows nothing, like an id
    // that does not exist.
    let acme = scope_of(&mut db, ALICE).unwrap().account_ids()[0];
    assert!(all_listed(&mut db, &carol.narrow(acme), View::All).is_empty());
    assert!(all_listed(&mut db, &carol.narrow(999_999), View::All).is_empty());
}

#[test]
fn unlinked_disabled_and_portal_off_see_nothing() {
    let mut db = TestDb::new();
    seed(&mut db);
    assert_eq!(scope_of(&mut db, DAVE), Err(NoScope::NoLinks));
    db.sql("UPDATE {p}account_users SET enabled = 0 WHERE user_id = 103");
    assert_eq!(scope_of(&mut db, BOB), Err(NoScope::LinksDisabled));
    db.sql("UPDATE {p}accounts SET portal_enabled = 0 WHERE name = 'Acme Print Co'");
    assert_eq!(scope_of(&mut db, ALICE), Err(NoScope::PortalDisabled));
    // One Northwind child switched off: carol keeps the other.
    db.sql("UPDATE {p}accounts SET portal_enabled = 0 WHERE name = 'Northwind West'");
    let carol = scope_of(&mut db, CAROL).unwrap();
    assert_eq!(sorted(all_listed(&mut db, &carol, View::All)), refs(1031..=1038));
}

#[test]
fn customer_detail_never_carries_internal_data() {
    let mut db = TestDb::new();
    seed(&mut db);
    let alice = scope_of(&mut db, ALICE).unwrap();
    for n in 1001..=1018 {
        let r = format!("PQ-{n}");
        let d = db.run(async |c, cfg| store::find_order(c, cfg, &alice, &r).await.unwrap()).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        for forbidden in [pqm::demo::INTERNAL_MARKER, "Quoting", "Credit hold", "Quality check", "Prepress check", "Logistics", "cost", "margin"] {
            assert!(!json.contains(forbidden), "{r} leaks {forbidden:?}: {json}");
        }
    }
}

#[test]
fn the_list_query_uses_the_account_index() {
    let mut db = TestDb::new();
    seed(&mut db);
    let alice = scope_of(&mut db, ALICE).unwrap();
    let id = alice.account_ids()[0];
    let key: Option<String> = db.run(async |c, _| {
        use mysql_async::prelude::*;
        let row: mysql_async::Row = c
            .exec_first("EXPLAIN SELECT reference FROM wp_pqm_orders o WHERE o.account_id IN (?) AND o.is_closed = 0 ORDER BY o.created_at DESC, o.id DESC LIMIT 10", (id,))
            .await
            .unwrap()
            .unwrap();
        row.get::<Option<String>, _>("key").unwrap()
    });
    assert_eq!(key.as_deref(), Some("account_list"));
}

//! Staff operations against a real MariaDB: validation, status mapping,
//! history, access explanations, idempotent demo seed and migrations.

mod common;

use common::*;
use pqm::access::panel_scope;
use pqm::principal::{Cap, Principal};
use pqm::staff::{self, AccessCheck, AccountCreate, AddUser, OrderCreate, SetStatus};
use pqm::{store, Error};

fn invalid_message<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput(m)) => m,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn migrations_and_seed_are_idempotent() {
    let mut db = TestDb::new();
    let again = db.run(async |c, cfg| pqm::schema::migrate(c, cfg).await.unwrap());
    assert!(again.is_empty(), "second migrate applies nothing");
    assert_eq!(db.run(async |c, cfg| pqm::schema::current_version(c, cfg).await.unwrap()), pqm::schema::latest_version());
    let first = seed(&mut db);
    let second = seed(&mut db);
    assert_eq!((first.orders_created, second.orders_created, second.orders_existing), (45, 0, 45));
    let accounts = db.run(async |c, cfg| staff::account_list(c, cfg, &Principal::cli()).await.unwrap());
    assert_eq!(accounts.len(), 5);
}

#[test]
fn staff_capabilities_are_checked_in_rust() {
    let mut db = TestDb::new();
    let customer = customer(ALICE);
    let r = db.run(async |c, cfg| staff::account_list(c, cfg, &customer).await);
    assert!(matches!(r, Err(Error::AccessDenied(_))));
    let orders_only = Principal::new(7, &[Cap::ManageOrders]);
    let r = db.run(async |c, cfg| staff::account_create(c, cfg, &orders_only, AccountCreate { name: "X".into(), consolidated: false, parent: None }).await);
    assert!(matches!(r, Err(Error::AccessDenied(_))));
}

#[test]
fn account_and_order_validation_says_what_is_wrong() {
    let mut db = TestDb::new();
    let cli = Principal::cli();
    let group = db.run(async |c, cfg| staff::account_create(c, cfg, &cli, AccountCreate { name: "Group".into(), consolidated: true, parent: None }).await.unwrap());
    let shop = db.run(async |c, cfg| staff::account_create(c, cfg, &cli, AccountCreate { name: "Shop".into(), consolidated: false, parent: Some(group.id) }).await.unwrap());
    assert_eq!(shop.parent_id, Some(group.id));
    let m = invalid_message(db.run(async |c, cfg| staff::account_create(c, cfg, &cli, AccountCreate { name: "Bad".into(), consolidated: false, parent: Some(shop.id) }).await));
    assert!(m.contains("not a consolidated account"), "{m}");
    let m = invalid_message(db.run(async |c, cfg| staff::account_create(c, cfg, &cli, AccountCreate { name: "  ".into(), consolidated: false, parent: None }).await));
    assert!(m.contains("1 to 190"), "{m}");
    let m = invalid_message(db.run(async |c, cfg| staff::account_add_user(c, cfg, &cli, AddUser { account_id: shop.id, user_id: 5, role: Some("boss".into()) }).await));
    assert!(m.contains("viewer or approver"), "{m}");

    let order = |account_id, reference: Option<&str>, status: Option<&str>| OrderCreate {
        account_id,
        title: "Flyers".into(),
        reference: reference.map(str::to_string),
        status: status.map(str::to_string),
        ..Default::default()
    };
    let m = invalid_message(db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(group.id, None, None)).await));
    assert!(m.contains("consolidated"), "{m}");
    let m = invalid_message(db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(shop.id, None, Some("nope"))).await));
    assert!(m.contains("unknown status \"nope\"") && m.contains("received"), "{m}");
    let m = invalid_message(db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(shop.id, Some("PQ 1<script>"), None)).await));
    assert!(m.contains("may only use"), "{m}");
    let first = db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(shop.id, None, None)).await.unwrap());
    assert_eq!(first.reference, "PQ-1001");
    let second = db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(shop.id, None, None)).await.unwrap());
    assert_eq!(second.reference, "PQ-1002");
    let m = invalid_message(db.run(async |c, cfg| staff::order_create(c, cfg, &cli, order(shop.id, Some("PQ-1001"), None)).await));
    assert!(m.contains("already exists"), "{m}");
}

#[test]
fn hidden_statuses_keep_the_last_customer_label() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    let set = |s: &str| SetStatus { reference: "PQ-1001".into(), status: s.into() };
    db.run(async |c, cfg| staff::order_set_status(c, cfg, &cli, set("prepress")).await.unwrap());
    let row = db.run(async |c, cfg| staff::order_set_status(c, cfg, &cli, set("credit_hold")).await.unwrap());
    assert_eq!((row.status.as_str(), row.customer_status.as_str()), ("credit_hold", "In production"));

    let links = db.run(async |c, cfg| store::load_links(c, cfg, ALICE).await.unwrap());
    let alice = panel_scope(&customer(ALICE), &links).unwrap();
    let d = db.run(async |c, cfg| store::find_order(c, cfg, &alice, "PQ-1001").await.unwrap()).unwrap();
    assert_eq!(d.summary.status_label, "In production");
    let labels: Vec<&str> = d.history.iter().map(|h| h.status_label.as_str()).collect();
    assert_eq!(labels.last(), Some(&"In production"), "the hidden credit hold is not in the timeline: {labels:?}");
    assert!(!labels.contains(&"On hold"));

    let done = db.run(async |c, cfg| staff::order_set_status(c, cfg, &cli, set("completed")).await.unwrap());
    assert_eq!(done.customer_status, "Completed");
    let counts_before = db.run(async |c, cfg| store::count_orders(c, cfg, &alice).await.unwrap());
    db.run(async |c, cfg| staff::order_set_status(c, cfg, &cli, set("on_press")).await.unwrap());
    let counts_after = db.run(async |c, cfg| store::count_orders(c, cfg, &alice).await.unwrap());
    assert_eq!(counts_after.open, counts_before.open + 1, "reopening moves the order back to the open tab");
}

#[test]
fn access_check_explains_each_outcome() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    let check = |user_id: u64, caps: &[&str], reference: &str| AccessCheck { user_id, caps: caps.iter().map(|s| s.to_string()).collect(), reference: reference.into() };
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(ALICE, &["pqm_view_panel"], "PQ-1001")).await.unwrap());
    assert!(v.allowed && v.reason.contains("Acme Print Co") && v.reason.contains("approver"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(AMY, &["pqm_view_panel"], "PQ-1001")).await.unwrap());
    assert!(v.allowed && v.reason.contains("viewer"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(ALICE, &["pqm_view_panel"], "PQ-1020")).await.unwrap());
    assert!(!v.allowed && v.reason.contains("outside"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(ALICE, &["pqm_view_panel"], "PQ-7777")).await.unwrap());
    assert!(!v.allowed && v.reason.contains("no order"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(ALICE, &[], "PQ-1001")).await.unwrap());
    assert!(!v.allowed && v.reason.contains("pqm_view_panel"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(DAVE, &["pqm_view_panel"], "PQ-1001")).await.unwrap());
    assert!(!v.allowed && v.reason.contains("not linked"), "{v:?}");
    let v = db.run(async |c, cfg| staff::access_check(c, cfg, &cli, check(CAROL, &["pqm_view_panel"], "PQ-1044")).await.unwrap());
    assert!(v.allowed && v.reason.contains("Northwind West"), "{v:?}");
}

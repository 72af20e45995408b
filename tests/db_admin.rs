//! The staff workspace against a real MariaDB (src/admin.rs): the order list
//! (search, filters, sorting, pagination), the order screen, edits, bulk
//! status, accounts and logins, status visibility recomputation, demo reset —
//! and that a customer principal can do none of it.

mod common;

use common::*;
use pqm::access::panel_scope;
use pqm::actions::dispatch;
use pqm::admin::{self, OrderSearch};
use pqm::principal::{Cap, Principal};
use pqm::store::{self, View};
use pqm::Error;
use serde_json::{json, Value};

fn act(db: &mut TestDb, p: &Principal, name: &str, params: Value) -> Result<Value, Error> {
    // The same dispatcher PHP calls, but on the test's own connection.
    let _ = &db;
    let p = p.clone();
    let name = name.to_string();
    db.run(async move |c, cfg| {
        let v = match name.as_str() {
            "order.search" => serde_json::to_value(admin::order_search(c, cfg, &p, serde_json::from_value(params).map_err(|e| Error::invalid(e.to_string()))?).await?),
            "order.get" => serde_json::to_value(admin::order_get(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "order.update" => serde_json::to_value(admin::order_update(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "order.delete" => serde_json::to_value(admin::order_delete(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "order.bulk_status" => serde_json::to_value(admin::order_bulk_status(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "task.save" => serde_json::to_value(admin::task_save(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "account.get" => serde_json::to_value(admin::account_get(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "account.update" => serde_json::to_value(admin::account_update(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "account.delete" => serde_json::to_value(admin::account_delete(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "account.set_user" => serde_json::to_value(admin::account_set_user(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "account.remove_user" => serde_json::to_value(admin::account_remove_user(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "status.set" => serde_json::to_value(admin::status_set(c, cfg, &p, serde_json::from_value(params).unwrap()).await?),
            "demo.reset" => serde_json::to_value(admin::demo_reset(c, cfg, &p).await?),
            other => panic!("{other}"),
        };
        Ok(v.unwrap())
    })
}

fn search(db: &mut TestDb, params: Value) -> Value {
    act(db, &Principal::cli(), "order.search", params).unwrap()
}

fn refs_of(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
}

fn account_id(db: &mut TestDb, name: &str) -> u64 {
    let rows = db.run(async |c, cfg| pqm::staff::account_list(c, cfg, &Principal::cli()).await.unwrap());
    rows.into_iter().find(|a| a.name == name).unwrap().id
}

fn customer_sees(db: &mut TestDb, user: u64) -> Vec<String> {
    let links = db.run(async |c, cfg| store::load_links(c, cfg, user).await.unwrap());
    match panel_scope(&customer(user), &links) {
        Err(_) => vec![],
        Ok(scope) => {
            let mut v: Vec<String> = db.run(async |c, cfg| store::list_orders(c, cfg, &scope, View::All, 1000, 0).await.unwrap()).into_iter().map(|o| o.reference).collect();
            v.sort();
            v
        }
    }
}

#[test]
fn order_list_searches_filters_sorts_and_pages() {
    let mut db = TestDb::new();
    seed(&mut db);
    let all = search(&mut db, json!({"per_page": 100}));
    assert_eq!(all["total"], 45);
    assert_eq!(all["total_capped"], false);
    assert_eq!(refs_of(&all).first().map(String::as_str), Some("PQ-1045"), "newest first by default");

    let p2 = search(&mut db, json!({"per_page": "20", "page": "2"}));
    assert_eq!((p2["page"].as_u64(), p2["pages"].as_u64()), (Some(2), Some(3)));
    assert_eq!(refs_of(&p2)[0], "PQ-1025");
    let beyond = search(&mut db, json!({"per_page": 20, "page": 99}));
    assert_eq!(beyond["page"], 3, "a page past the end shows the last page");

    // Search: reference prefix, title words, account name.
    assert_eq!(refs_of(&search(&mut db, json!({"search": "PQ-1044"}))), vec!["PQ-1044"]);
    let posters = search(&mut db, json!({"search": "exhibition posters", "per_page": 100}));
    assert!(posters["total"].as_u64().unwrap() >= 3);
    assert!(posters["items"].as_array().unwrap().iter().all(|r| r["title"] == "A1 exhibition posters"));
    let brightside = search(&mut db, json!({"search": "brightside", "per_page": 100}));
    assert_eq!(refs_of(&brightside).len(), 12);
    assert_eq!(search(&mut db, json!({"search": "50%_\\"}))["total"], 0, "LIKE wildcards are literal");

    // Filters: status, account (a consolidated account means its children), overdue, date range, department.
    let on_press = search(&mut db, json!({"status": "on_press", "per_page": 100}));
    assert!(on_press["items"].as_array().unwrap().iter().all(|r| r["status"] == "on_press" && r["status_label"] == "On press"));
    let group = account_id(&mut db, "Northwind Group");
    let mut nw = refs_of(&search(&mut db, json!({"account_id": group, "per_page": 100})));
    nw.sort();
    assert_eq!(nw, refs(1031..=1045));
    let overdue = search(&mut db, json!({"overdue": true, "per_page": 100}));
    assert!(overdue["total"].as_u64().unwrap() > 0);
    assert!(overdue["items"].as_array().unwrap().iter().all(|r| r["overdue"] == true && r["closed"] == false));
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(5)).to_string();
    let recent = search(&mut db, json!({"from": from, "to": today.to_string(), "per_page": 100}));
    assert_eq!(refs_of(&recent), vec!["PQ-1045", "PQ-1044", "PQ-1043", "PQ-1042", "PQ-1041"]);
    assert_eq!(search(&mut db, json!({"department": "Logistics"}))["total"], 45);
    assert_eq!(search(&mut db, json!({"department": "Nobody"}))["total"], 0);
    let combined = search(&mut db, json!({"search": "acme", "status": "received", "per_page": 100}));
    assert!(combined["items"].as_array().unwrap().iter().all(|r| r["account"] == "Acme Print Co" && r["status"] == "received"));

    // Sorting.
    let by_ref = search(&mut db, json!({"orderby": "reference", "order": "asc", "per_page": 3}));
    assert_eq!(refs_of(&by_ref), vec!["PQ-1001", "PQ-1002", "PQ-1003"]);

    // Bad input says what is wrong.
    for (bad, says) in [
        (json!({"orderby": "cost_cents"}), "cannot sort"),
        (json!({"order": "sideways"}), "asc or desc"),
        (json!({"status": "nope"}), "unknown status"),
        (json!({"from": "31/12/2026"}), "YYYY-MM-DD"),
        (json!({"account_id": 999999}), "does not exist"),
        (json!({"search": "x".repeat(101)}), "100 characters"),
    ] {
        match act(&mut db, &Principal::cli(), "order.search", bad.clone()) {
            Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{bad}: {m}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn order_screen_edits_and_bulk_status() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    let full = act(&mut db, &cli, "order.get", json!({"reference": "PQ-1005"})).unwrap();
    assert_eq!(full["tasks"].as_array().unwrap().len(), 3);
    assert!(full["internal_note"].as_str().unwrap().contains("INTERNAL-ONLY"));
    assert!(!full["history"].as_array().unwrap().is_empty());

    let updated = act(
        &mut db,
        &cli,
        "order.update",
        json!({"reference": "PQ-1005", "title": "New title", "promised": "", "note": "Collect at the back door", "delivery_method": "pickup", "status": "ready"}),
    )
    .unwrap();
    assert_eq!((updated["title"].as_str(), updated["promised"].as_str()), (Some("New title"), None));
    assert_eq!((updated["status"].as_str(), updated["customer_status"].as_str()), (Some("ready"), Some("Ready")));
    assert!(matches!(act(&mut db, &cli, "order.update", json!({"reference": "PQ-1005", "delivery_method": "drone"})), Err(Error::InvalidInput(_))));
    assert!(matches!(act(&mut db, &cli, "order.update", json!({"reference": "PQ-9999", "title": "x"})), Err(Error::NotFound)));

    let task_id = full["tasks"][2]["id"].as_u64().unwrap();
    let t = act(&mut db, &cli, "task.save", json!({"id": task_id, "status": "done", "milestone": "1", "milestone_label": "Dispatched", "department": "Logistics"})).unwrap();
    assert_eq!((t["status"].as_str(), t["milestone"].as_bool()), (Some("done"), Some(true)));
    let links = db.run(async |c, cfg| store::load_links(c, cfg, ALICE).await.unwrap());
    let scope = panel_scope(&customer(ALICE), &links).unwrap();
    let d = db.run(async |c, cfg| store::find_order(c, cfg, &scope, "PQ-1005").await.unwrap()).unwrap();
    assert!(d.milestones.iter().any(|m| m.label == "Dispatched" && m.done_at.is_some()), "the new milestone reaches the customer");
    assert_eq!(d.summary.title, "New title");
    let new_task = act(&mut db, &cli, "task.save", json!({"reference": "PQ-1005", "name": "Laminate", "department": "Finishing", "assignee_user_id": 7})).unwrap();
    assert_eq!((new_task["sort_order"].as_i64(), new_task["assignee_user_id"].as_u64()), (Some(3), Some(7)));

    let bulk = act(&mut db, &cli, "order.bulk_status", json!({"references": ["PQ-1001", "PQ-1002", "PQ-9999"], "status": "shipped"})).unwrap();
    assert_eq!(bulk["changed"], json!(["PQ-1001", "PQ-1002"]));
    assert_eq!(bulk["missing"], json!(["PQ-9999"]));
    let shipped = search(&mut db, json!({"status": "shipped", "search": "PQ-100", "per_page": 100}));
    assert!(refs_of(&shipped).contains(&"PQ-1001".to_string()));

    let gone = act(&mut db, &cli, "order.delete", json!({"reference": "PQ-1002"})).unwrap();
    assert_eq!(gone["deleted"], "PQ-1002");
    assert!(!customer_sees(&mut db, ALICE).contains(&"PQ-1002".to_string()));
    assert!(matches!(act(&mut db, &cli, "order.get", json!({"reference": "PQ-1002"})), Err(Error::NotFound)));
}

#[test]
fn portal_access_can_be_switched_off_per_account_and_per_login() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    let acme = account_id(&mut db, "Acme Print Co");
    assert_eq!(customer_sees(&mut db, ALICE).len(), 18);

    act(&mut db, &cli, "account.update", json!({"id": acme, "portal_enabled": false})).unwrap();
    assert!(customer_sees(&mut db, ALICE).is_empty() && customer_sees(&mut db, AMY).is_empty());
    act(&mut db, &cli, "account.update", json!({"id": acme, "portal_enabled": "1"})).unwrap();
    assert_eq!(customer_sees(&mut db, AMY).len(), 18);

    act(&mut db, &cli, "account.set_user", json!({"account_id": acme, "user_id": AMY, "enabled": false})).unwrap();
    assert!(customer_sees(&mut db, AMY).is_empty());
    assert_eq!(customer_sees(&mut db, ALICE).len(), 18, "only that login lost access");
    let row = act(&mut db, &cli, "account.set_user", json!({"account_id": acme, "user_id": AMY, "enabled": true, "role": "approver"})).unwrap();
    assert_eq!((row["enabled"].as_bool(), row["role"].as_str()), (Some(true), Some("approver")));

    act(&mut db, &cli, "account.remove_user", json!({"account_id": acme, "user_id": AMY})).unwrap();
    assert!(customer_sees(&mut db, AMY).is_empty());
    assert!(matches!(act(&mut db, &cli, "account.remove_user", json!({"account_id": acme, "user_id": AMY})), Err(Error::InvalidInput(_))));

    let group = account_id(&mut db, "Northwind Group");
    let full = act(&mut db, &cli, "account.get", json!({"id": group})).unwrap();
    assert_eq!(full["children"].as_array().unwrap().len(), 2);
    assert_eq!(full["logins"][0]["user_id"], CAROL);

    // Renaming, re-parenting, deleting with guards.
    let east = account_id(&mut db, "Northwind East");
    act(&mut db, &cli, "account.update", json!({"id": east, "parent": ""})).unwrap();
    let carol: Vec<String> = customer_sees(&mut db, CAROL);
    assert_eq!(carol, refs(1039..=1045), "East left the group, so carol no longer sees it");
    assert!(matches!(act(&mut db, &cli, "account.update", json!({"id": east, "parent": acme})), Err(Error::InvalidInput(m)) if m.contains("not a consolidated")));
    assert!(matches!(act(&mut db, &cli, "account.delete", json!({"id": acme})), Err(Error::InvalidInput(m)) if m.contains("18 orders")));
    let empty = db.run(async |c, cfg| pqm::staff::account_create(c, cfg, &Principal::cli(), pqm::staff::AccountCreate { name: "Empty".into(), consolidated: false, parent: None }).await.unwrap());
    act(&mut db, &cli, "account.delete", json!({"id": empty.id})).unwrap();
    assert!(matches!(act(&mut db, &cli, "account.get", json!({"id": empty.id})), Err(Error::NotFound)));
}

#[test]
fn changing_a_status_visibility_recomputes_what_customers_see() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    // PQ-1004 went received → quoting → prepress → credit_hold... check via history of an order sitting in quality_check.
    let qc = search(&mut db, json!({"status": "quality_check", "per_page": 1}));
    let reference = refs_of(&qc)[0].clone();
    let before = act(&mut db, &cli, "order.get", json!({"reference": reference})).unwrap();
    assert_eq!(before["customer_status"], "In production", "hidden quality check shows the last visible label");

    let saved = act(&mut db, &cli, "status.set", json!({"key": "quality_check", "customer_visible": true, "customer_label": "Quality check"})).unwrap();
    assert!(saved["orders_recomputed"].as_u64().unwrap() > 0);
    let after = act(&mut db, &cli, "order.get", json!({"reference": reference})).unwrap();
    assert_eq!(after["customer_status"], "Quality check");

    // Hide "on_press": orders whose last visible status was on_press fall back to prepress.
    act(&mut db, &cli, "status.set", json!({"key": "quality_check", "customer_visible": "0"})).unwrap();
    act(&mut db, &cli, "status.set", json!({"key": "on_press", "customer_visible": "false"})).unwrap();
    let back = act(&mut db, &cli, "order.get", json!({"reference": reference})).unwrap();
    assert_eq!(back["customer_status"], "In production");
    let hist: Vec<&str> = back["history"].as_array().unwrap().iter().filter(|h| h["customer_visible"] == true).map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(hist.last(), Some(&"prepress"));

    // The customer's panel follows.
    let links = db.run(async |c, cfg| store::load_links(c, cfg, ALICE).await.unwrap());
    let scope = panel_scope(&customer(ALICE), &links).unwrap();
    let rows = db.run(async |c, cfg| store::list_orders(c, cfg, &scope, View::All, 100, 0).await.unwrap());
    assert!(rows.iter().all(|r| r.status_key != "on_press" && r.status_key != "quality_check"), "no order shows a hidden status");

    // New status; closing flag moves orders between open and completed.
    let created = act(&mut db, &cli, "status.set", json!({"key": "on_hold_customer", "internal_label": "Waiting for customer", "customer_label": "Waiting for you"})).unwrap();
    assert_eq!((created["created"].as_bool(), created["customer_visible"].as_bool()), (Some(true), Some(true)));
    for bad in [json!({"key": "Bad Key!", "internal_label": "x"}), json!({"key": "brand_new"}), json!({"key": "ready", "customer_label": ""})] {
        assert!(matches!(act(&mut db, &cli, "status.set", bad.clone()), Err(Error::InvalidInput(_))), "{bad}");
    }
}

#[test]
fn customers_and_partial_staff_can_do_none_of_it() {
    let mut db = TestDb::new();
    seed(&mut db);
    let acme = account_id(&mut db, "Acme Print Co");
    let alice = customer(ALICE);
    let orders_only = Principal::new(50, &[Cap::ManageOrders]);
    let denied = |r: Result<Value, Error>| matches!(r, Err(Error::AccessDenied(_)));
    for (p, name, params) in [
        (&alice, "order.search", json!({})),
        (&alice, "order.get", json!({"reference": "PQ-1001"})),
        (&alice, "order.update", json!({"reference": "PQ-1001", "title": "pwned"})),
        (&alice, "order.delete", json!({"reference": "PQ-1001"})),
        (&alice, "order.bulk_status", json!({"references": ["PQ-1001"], "status": "completed"})),
        (&alice, "task.save", json!({"reference": "PQ-1001", "name": "x"})),
        (&alice, "account.update", json!({"id": acme, "name": "pwned"})),
        (&orders_only, "account.update", json!({"id": acme, "portal_enabled": false})),
        (&orders_only, "account.set_user", json!({"account_id": acme, "user_id": AMY, "enabled": false})),
        (&orders_only, "status.set", json!({"key": "ready", "customer_visible": false})),
        (&orders_only, "demo.reset", json!({})),
    ] {
        assert!(denied(act(&mut db, p, name, params)), "{name} allowed for {p:?}");
    }
    let o = act(&mut db, &Principal::cli(), "order.get", json!({"reference": "PQ-1001"})).unwrap();
    assert_ne!(o["title"], "pwned");
    assert_eq!(customer_sees(&mut db, AMY).len(), 18, "nothing changed");
}

#[test]
fn demo_reset_removes_only_demo_data() {
    let mut db = TestDb::new();
    seed(&mut db);
    let cli = Principal::cli();
    let own = db.run(async |c, cfg| pqm::staff::account_create(c, cfg, &Principal::cli(), pqm::staff::AccountCreate { name: "Real Customer".into(), consolidated: false, parent: None }).await.unwrap());
    let r = act(&mut db, &cli, "demo.reset", json!({})).unwrap();
    assert_eq!((r["accounts_deleted"].as_u64(), r["orders_deleted"].as_u64()), (Some(5), Some(45)));
    let left = db.run(async |c, cfg| pqm::staff::account_list(c, cfg, &Principal::cli()).await.unwrap());
    assert_eq!(left.iter().map(|a| a.id).collect::<Vec<_>>(), vec![own.id]);
    // Nothing of the demo orders is left behind (messages, threads, tasks …).
    let leftovers: u64 = db.run(async |c, _| {
        use mysql_async::prelude::*;
        let mut n = 0;
        for t in ["tasks", "status_history", "messages", "threads", "message_reads", "notifications", "files", "approvals"] {
            let k: Option<u64> = c.query_first(format!("SELECT COUNT(*) FROM wp_pqm_{t}")).await.unwrap();
            n += k.unwrap_or(0);
        }
        n
    });
    assert_eq!(leftovers, 0);
    let again = seed(&mut db);
    assert_eq!(again.orders_created, 45);
    assert!(again.messages > 0, "the demo threads are seeded again");
}

#[test]
fn every_new_action_is_dispatchable() {
    // Unknown action names are rejected before any database work; the new
    // names are known to the dispatcher PHP calls.
    for name in ["order.search", "order.get", "order.update", "order.delete", "order.bulk_status", "task.save", "account.get", "account.links",
        "account.update", "account.delete", "account.remove_user", "account.set_user", "status.set", "demo.reset"] {
        assert!(pqm::actions::NAMES.contains(&name), "{name}");
    }
    assert!(matches!(dispatch("order.hack", &Principal::cli(), json!({})), Err(Error::InvalidInput(_))));
    let _ = OrderSearch::default();
}

/// The bounded newest-first scan (any row budget, including ones that cut it
/// short mid-page) returns exactly the ids, in order, of the plain full-text
/// union query (budget 0) — for common and rare title words, substrings that
/// are not word prefixes, stopwords, titles the scan cannot decide (accents,
/// apostrophes), reference prefixes and account names, with filters.
#[test]
fn bounded_search_scan_matches_the_full_text_query() {
    let mut db = TestDb::new();
    seed(&mut db);
    // Tricky titles on top of the seed, newest first so they lead the scan.
    let titles = [
        "Compost posters", "Exhibition_posters draft", "EXHIBITION POSTERS reprint", "postersign kit", "Café brochure", "O'Brien brochure",
        "brochure with the logo", "Roll-up banners", "Withdrawn posters", "brochures bundle", "Xbrochure",
    ];
    for (i, t) in titles.iter().enumerate() {
        db.sql(&format!(
            "INSERT INTO {{p}}orders (account_id, reference, title, status_key, visible_status_key, is_closed, promised_date, customer_note, internal_note, created_at, updated_at)
             SELECT account_id, 'PQ-9{i:03}', '{}', status_key, visible_status_key, is_closed, promised_date, '', '', NOW() + INTERVAL {i} MINUTE, NOW()
               FROM {{p}}orders ORDER BY id LIMIT 1",
            t.replace('\'', "''")
        ));
    }
    let run = |db: &mut TestDb, params: Value, budget: u64| -> Value {
        db.run(async move |c, cfg| {
            let q: OrderSearch = serde_json::from_value(params).unwrap();
            serde_json::to_value(admin::order_search_within(c, cfg, &Principal::cli(), q, admin::SearchBudget { scan_rows: budget, fulltext_postings: u64::MAX, fulltext_seconds: 600.0 }).await.unwrap()).unwrap()
        })
    };
    let ids = |v: &Value| -> Vec<u64> { v["items"].as_array().unwrap().iter().map(|r| r["id"].as_u64().unwrap()).collect() };
    let searches = [
        "posters", "exhibition posters", "post", "brochure", "brochures", "with", "the logo", "roll-up", "xbrochure", "acme", "brightside",
        "northwind", "PQ-9", "PQ-10", "café", "o'brien", "nothing-like-this", "ban",
    ];
    let filters = [json!({}), json!({"state": "open"}), json!({"status": "received"}), json!({"overdue": true}), json!({"department": "Logistics"})];
    for s in searches {
        for f in &filters {
            for (per_page, page) in [(5, 1), (5, 2), (3, 4), (100, 1)] {
                let mut params = f.clone();
                params["search"] = json!(s);
                params["per_page"] = json!(per_page);
                params["page"] = json!(page);
                let reference = run(&mut db, params.clone(), 0);
                for budget in [1, 4, 25, 1_000_000] {
                    let got = run(&mut db, params.clone(), budget);
                    assert_eq!(ids(&got), ids(&reference), "search {s:?} {f} page {page}/{per_page} budget {budget}");
                    if budget == 1_000_000 {
                        assert_eq!(got["total"], reference["total"], "search {s:?} {f} count");
                        assert_eq!(got["total_capped"], reference["total_capped"]);
                    } else if got["total_capped"] == false {
                        assert_eq!(got["total"], reference["total"], "search {s:?} {f} budget {budget}: an uncapped count is exact");
                    }
                }
            }
        }
    }
    // Every sortable column (the scan walks its index, or aborts for title).
    for orderby in ["reference", "promised", "status", "title"] {
        for order in ["asc", "desc"] {
            for (s, f) in [("posters", json!({})), ("brochure", json!({"status": "received"})), ("acme", json!({"state": "open"}))] {
                let mut params = f.clone();
                params["search"] = json!(s);
                params["orderby"] = json!(orderby);
                params["order"] = json!(order);
                params["per_page"] = json!(3);
                let reference = run(&mut db, params.clone(), 0);
                for budget in [2, 25, 1_000_000] {
                    let got = run(&mut db, params.clone(), budget);
                    assert_eq!(ids(&got), ids(&reference), "search {s:?} {f} by {orderby} {order} budget {budget}");
                }
            }
        }
    }
    // Sanity: the reference really finds the common words and skips non-prefixes.
    let posters = run(&mut db, json!({"search": "posters", "per_page": 100}), 0);
    assert!(ids(&posters).len() >= 8, "{posters}");
    let post = run(&mut db, json!({"search": "ster", "per_page": 100}), 1_000_000);
    assert_eq!(post["total"], 0, "a substring that starts no word does not match");
}

/// When every word of a search is in many titles and the bounded scan of the
/// newest orders did not fill the page, the list answers with what that scan
/// found and says so (`partial`) instead of running a full-text search that
/// would take seconds at 1M orders; `complete: true` searches every order.
/// A word that is rare among the newest titles still gets the exact answer.
#[test]
fn a_slow_search_answers_from_the_newest_orders_unless_asked_for_all() {
    let mut db = TestDb::new();
    seed(&mut db);
    // One old order with both words, then 3,000 newer ones with one or the other.
    db.sql(
        "INSERT INTO {p}orders (account_id, reference, title, status_key, visible_status_key, is_closed, promised_date, customer_note, internal_note, created_at, updated_at)
         SELECT account_id, 'PQ-8000', 'Zeppelin calendar poster', status_key, visible_status_key, is_closed, promised_date, '', '', NOW() - INTERVAL 1 YEAR, NOW()
           FROM {p}orders ORDER BY id LIMIT 1",
    );
    db.sql(
        "INSERT INTO {p}orders (account_id, reference, title, status_key, visible_status_key, is_closed, promised_date, customer_note, internal_note, created_at, updated_at)
         SELECT o.account_id, CONCAT('PQ-8', 10000 + s.seq), IF(s.seq % 2, 'Zeppelin calendar', 'Poster calendar'), o.status_key, o.visible_status_key,
                o.is_closed, o.promised_date, '', '', NOW() + INTERVAL s.seq MINUTE, NOW()
           FROM seq_1_to_3000 s JOIN (SELECT * FROM {p}orders ORDER BY id LIMIT 1) o",
    );
    // Fresh statistics, so the scan walks the created-date index (as it does
    // on a large table) rather than sorting a table thought to be tiny.
    db.sql("ANALYZE TABLE {p}orders");
    let budget = admin::SearchBudget { scan_rows: 50, fulltext_postings: 60, fulltext_seconds: 600.0 };
    let run = |db: &mut TestDb, params: Value| -> Value {
        db.run(async move |c, cfg| {
            let q: OrderSearch = serde_json::from_value(params).unwrap();
            serde_json::to_value(admin::order_search_within(c, cfg, &Principal::cli(), q, budget).await.unwrap()).unwrap()
        })
    };

    // "zeppelin" and "poster" are each in half of the newest titles (~1,500
    // orders estimated > 60), and the 50 newest rows hold no order with both.
    let fast = run(&mut db, json!({"search": "zeppelin poster"}));
    assert_eq!(fast["partial"], true, "{fast}");
    assert_eq!(refs_of(&fast), Vec::<String>::new());
    assert_eq!(fast["total"], 0);
    let all = run(&mut db, json!({"search": "zeppelin poster", "complete": true}));
    assert_eq!(all["partial"], false, "{all}");
    assert_eq!(refs_of(&all), vec!["PQ-8000"]);

    // The same words filling the page from the newest rows: exact, not partial.
    let page = run(&mut db, json!({"search": "zeppelin calendar", "per_page": 10}));
    assert_eq!((page["partial"].clone(), page["total_capped"].clone()), (json!(false), json!(true)), "{page}");
    assert_eq!(refs_of(&page).len(), 10);

    // A word in few titles is cheap to look up: the exact answer.
    db.sql("UPDATE {p}orders SET title = 'Zeppelin almanac' WHERE reference = 'PQ-8000'");
    let rare = run(&mut db, json!({"search": "almanac"}));
    assert_eq!((rare["partial"].clone(), refs_of(&rare)), (json!(false), vec!["PQ-8000".to_string()]), "{rare}");

    // The default budget answers this small table in full.
    let default = search(&mut db, json!({"search": "zeppelin almanac"}));
    assert_eq!((default["partial"].clone(), refs_of(&default)), (json!(false), vec!["PQ-8000".to_string()]), "{default}");
}

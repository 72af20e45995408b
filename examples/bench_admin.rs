//! Benchmark of the wp-admin order list at scale (scripts/bench-admin).
//!
//!   cargo run --release --example bench_admin -- [--orders N] [--runs R] [--keep]
//!
//! Creates the database `pqm_bench_admin` (root over the default socket, or
//! PQM_BENCH_MYSQL_URL-style settings via PQM_BENCH_DB_HOST/USER/PASSWORD),
//! applies the migrations, loads N orders (default 1,000,000) with one task
//! and one history row each using MariaDB's seq_1_to_N tables, then times
//! the action behind the list screen — `order.search` through
//! `pqm::actions::dispatch`, the exact call `PQM\action()` makes — for
//! several search + filter combinations. Prints p50/p95 per scenario.

use pqm::actions::dispatch;
use pqm::config::DbConfig;
use pqm::principal::Principal;
use pqm::worker;
use serde_json::{json, Value};
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn sql(statements: &[String]) {
    for s in statements {
        let started = Instant::now();
        let out = std::process::Command::new("mariadb").args(["-uroot", "pqm_bench_admin", "-e", s]).output().expect("mariadb client");
        assert!(out.status.success(), "{s}\n{}", String::from_utf8_lossy(&out.stderr));
        eprintln!("  {:>6.1}s  {}", started.elapsed().as_secs_f64(), s.lines().next().unwrap_or("").chars().take(90).collect::<String>());
    }
}

fn main() {
    let orders: u64 = arg("--orders").map(|v| v.parse().expect("--orders N")).unwrap_or(1_000_000);
    let runs: usize = arg("--runs").map(|v| v.parse().expect("--runs R")).unwrap_or(40);
    let keep = std::env::args().any(|a| a == "--keep");
    let accounts = 500u64;

    let cfg = DbConfig::from_json(json!({
        "host": std::env::var("PQM_BENCH_DB_HOST").unwrap_or_else(|_| "localhost".into()),
        "user": std::env::var("PQM_BENCH_DB_USER").unwrap_or_else(|_| "root".into()),
        "password": std::env::var("PQM_BENCH_DB_PASSWORD").unwrap_or_default(),
        "name": "pqm_bench_admin", "prefix": "wp_", "query_timeout_ms": 600000,
    }))
    .unwrap();

    let have: u64 = {
        let out = std::process::Command::new("mariadb")
            .args(["-uroot", "-N", "-e", "SELECT COUNT(*) FROM pqm_bench_admin.wp_pqm_orders"])
            .output()
            .expect("mariadb client");
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)
    };
    if !(keep && have == orders) {
        eprintln!("loading {orders} orders into pqm_bench_admin …");
        let out = std::process::Command::new("mariadb")
            .args(["-uroot", "-e", "DROP DATABASE IF EXISTS pqm_bench_admin; CREATE DATABASE pqm_bench_admin CHARACTER SET utf8mb4"])
            .output()
            .unwrap();
        assert!(out.status.success());
        worker::configure(cfg.clone()).unwrap();
        pqm::migrate().unwrap();
        let words = "'Acme','Brightside','Northwind','Globex','Initech','Umbrella','Stark','Wayne','Tyrell','Cyberdyne','Soylent','Hooli','Vandelay','Wonka','Oscorp','Pied Piper','Gringotts','Monsters','Duff','Krusty'";
        let titles = "'Business cards','Exhibition posters','Product brochure','Vinyl window lettering','Annual report translation','Packaging sleeves','Training video subtitles','Roll-up banners','Letterheads','Catalogue reprint','Safety manual localisation','Trade show flyers'";
        let seasons = "'spring','summer','autumn','winter','launch','reprint','urgent','sample'";
        let statuses = "'received','quoting','prepress','credit_hold','on_press','quality_check','ready','shipped','completed','cancelled'";
        sql(&[
            format!("INSERT INTO wp_pqm_accounts (name, kind, portal_enabled, created_at) SELECT CONCAT(ELT(1 + seq % 20, {words}), ' ', seq), 'customer', 1, NOW() FROM seq_1_to_{accounts}"),
            format!(
                "INSERT INTO wp_pqm_orders (account_id, reference, title, status_key, visible_status_key, is_closed, promised_date, expected_date,
                    delivery_info, customer_note, internal_note, created_at, updated_at)
                 SELECT 1 + seq % {accounts}, CONCAT('PQ-', 100000 + seq),
                        CONCAT(ELT(1 + seq % 12, {titles}), ' ', ELT(1 + (seq DIV 12) % 8, {seasons}), ' job ', CONV(100000 + (seq * 7919) % 50000, 10, 36)),
                        ELT(1 + seq % 10, {statuses}), ELT(1 + seq % 10, 'received','received','prepress','received','on_press','on_press','ready','shipped','completed','cancelled'),
                        seq % 10 >= 8, CURDATE() - INTERVAL (CAST(seq % 400 AS SIGNED) - 30) DAY, CURDATE() - INTERVAL (CAST(seq % 400 AS SIGNED) - 32) DAY,
                        '', '', 'internal', NOW() - INTERVAL ({orders} - seq) * 30 SECOND, NOW()
                   FROM seq_1_to_{orders}"
            ),
            format!("INSERT INTO wp_pqm_tasks (order_id, name, department, status, sort_order) SELECT seq, 'Step', ELT(1 + seq % 4, 'Prepress','Production','Finishing','Logistics'), 'todo', 0 FROM seq_1_to_{orders}"),
            format!("INSERT INTO wp_pqm_status_history (order_id, status_key, changed_at, changed_by) SELECT seq, ELT(1 + seq % 10, {statuses}), NOW(), 0 FROM seq_1_to_{orders}"),
            "ANALYZE TABLE wp_pqm_orders, wp_pqm_tasks, wp_pqm_accounts".to_string(),
        ]);
    }
    worker::configure(cfg).unwrap();
    let cli = Principal::cli();
    let scenarios: Vec<(&str, Value)> = vec![
        ("first page, no filter", json!({})),
        ("search a job word (~20 matches) + open only", json!({"search": "2m66", "state": "open"})),
        ("search common title words (1 in 12 orders) + status filter", json!({"search": "exhibition posters", "status": "received"})),
        ("search reference prefix + open only", json!({"search": "PQ-10123", "state": "open"})),
        ("search account name + overdue", json!({"search": "Globex 4", "overdue": true})),
        ("status + department filter", json!({"status": "prepress", "department": "Finishing"})),
        ("account filter, sort by promised", json!({"account_id": 17, "orderby": "promised", "order": "asc"})),
        ("search title + date range, page 3", json!({"search": "brochure", "from": "2026-01-01", "to": "2027-12-31", "page": 3})),
        ("search two common words no title has together", json!({"search": "exhibition brochure"})),
        ("search common title word + account filter", json!({"search": "posters", "account_id": 17})),
        ("\"Search all orders\": common words + status, complete", json!({"search": "exhibition posters", "status": "received", "complete": true})),
    ];
    // No database: a CPU-speed baseline to compare runs on a machine whose speed varies.
    let t = Instant::now();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for i in 0..50_000_000u64 {
        h = std::hint::black_box((h ^ i).wrapping_mul(0x0100_0000_01b3));
    }
    println!("CPU baseline (50M FNV steps, no database): {:.0} ms [{h:x}]\n", t.elapsed().as_secs_f64() * 1000.0);
    println!("| scenario | matches | p50 ms | p95 ms |\n|---|---|---|---|");
    for (name, params) in scenarios {
        let mut p = params.clone();
        p["per_page"] = json!(20);
        p["with_options"] = json!(true);
        let mut times = Vec::with_capacity(runs);
        let mut total = String::new();
        for i in 0..runs + 3 {
            let t = Instant::now();
            let out = dispatch("order.search", &cli, p.clone()).unwrap();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if i >= 3 {
                times.push(ms);
            }
            let mark = if out["partial"] == true { " (newest only)" } else if out["total_capped"] == true { "+" } else { "" };
            total = format!("{}{mark}", out["total"]);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let pct = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!("| {name} | {total} | {:.1} | {:.1} |", pct(0.5), pct(0.95));
    }
}

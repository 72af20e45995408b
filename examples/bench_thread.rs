//! CPU cost of rendering an order thread inside the extension, without the
//! database: 500 messages → thread view → the full order-detail template.
//! `cargo run --release --example bench_thread` (docs/benchmarks.md).
use chrono::NaiveDate;
use pqm::format::{BaseUrl, DateStyle};
use pqm::messages::{CustomerMessage, CustomerThread};
use pqm::thread_view::{thread_view, MessagesContext};
use serde_json::json;
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let t0 = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let messages = (0..n as u64)
        .map(|i| CustomerMessage {
            id: i + 1,
            from_staff: i % 2 == 1,
            author_user_id: if i % 2 == 1 { 900 } else { 101 },
            author_name: if i % 2 == 1 { "Sam".into() } else { "Alice".into() },
            body: format!("Thread message {i}: see https://example.com/proofs/{i}\nSecond line with <b>markup</b> & more."),
            created_at: t0 + chrono::Duration::minutes(i as i64),
        })
        .collect();
    let thread = CustomerThread { messages, staff_seen_id: n as u64 / 2, staff_seen_at: Some(t0), email_notifications: true };
    let mc = MessagesContext { post_url: "http://s/wp-admin/admin-post.php".into(), nonce: "n".into(), client_token: "t".into(), ..Default::default() };
    let base = BaseUrl::parse("http://s/client-panel/");
    let dates = DateStyle::default();
    let strings = pqm::render::Strings::default();
    let tr = |id: &str, args: &[String]| pqm::render::format_string(id, args);
    let mut samples = Vec::new();
    for i in 0..520 {
        let start = Instant::now();
        let data = json!({
            "reference": "PQ-1001", "title": "Flyers", "status_label": "Ready", "status_class": "ready", "created": "March 1, 2026",
            "back_url": "http://s/client-panel/", "history": [], "milestones": [], "site_name": "Shop", "page_title": "Order PQ-1001",
            "thread": thread_view(&thread, &mc, "Shop", 101, "PQ-1001", &base, &dates, &tr),
        });
        let html = pqm::render::render("order-detail", data, &strings, &[]).unwrap();
        let took = start.elapsed().as_secs_f64() * 1000.0;
        assert!(html.matches("class=\"pqm-message ").count() == n);
        if i >= 20 {
            samples.push(took);
        }
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    println!("render order detail with a {n}-message thread (no DB), n={}: p50 {:.3} ms  p99 {:.3} ms", samples.len(), p(0.5), p(0.99));
}

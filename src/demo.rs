//! Deterministic demo data (docs/demo-data.md). Safe to run twice: accounts
//! are matched by name, orders by reference, links are upserted.

use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::params::de_u64;
use crate::principal::{Cap, Principal};
use crate::staff::{self, AccountCreate, AddUser, OrderCreate};
use chrono::{Duration, NaiveDateTime, Utc};
use mysql_async::prelude::*;
use mysql_async::Conn;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Deserialize)]
pub struct Seed {
    /// Demo login → WordPress user id (the plugin creates the users).
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub users: HashMap<String, serde_json::Value>,
    /// File storage directory (PQM_FILES_DIR); without it no demo files are made.
    #[serde(default)]
    pub storage: Option<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct Seeded {
    pub accounts: usize,
    pub orders_created: usize,
    pub orders_existing: usize,
    pub links: usize,
    pub files: usize,
    pub approvals: usize,
    #[serde(default)]
    pub messages: usize,
}

/// Marker in every internal-only field; tests assert it never reaches a customer.
pub const INTERNAL_MARKER: &str = "INTERNAL-ONLY";

const ACCOUNTS: &[(&str, Option<&str>, bool)] = &[
    ("Acme Print Co", None, false),
    ("Brightside Translations", None, false),
    ("Northwind Group", None, true),
    ("Northwind East", Some("Northwind Group"), false),
    ("Northwind West", Some("Northwind Group"), false),
];

const LINKS: &[(&str, &str, &str)] = &[
    ("alice", "Acme Print Co", "approver"),
    ("amy", "Acme Print Co", "viewer"),
    ("bob", "Brightside Translations", "approver"),
    ("carol", "Northwind Group", "approver"),
];

/// Names of the demo accounts (`demo.reset` removes exactly these).
pub fn account_names() -> Vec<&'static str> {
    ACCOUNTS.iter().map(|a| a.0).collect()
}

/// (first reference number, count, account)
const ORDER_BLOCKS: &[(u32, u32, &str)] = &[
    (1001, 18, "Acme Print Co"),
    (1019, 12, "Brightside Translations"),
    (1031, 8, "Northwind East"),
    (1039, 7, "Northwind West"),
];

/// Every status, so every label and both tabs appear.
const STATUS_CYCLE: &[&str] = &["received", "quoting", "prepress", "credit_hold", "on_press", "quality_check", "ready", "shipped", "completed", "cancelled"];

/// The path an order takes to reach its status.
fn path_to(status: &str) -> Vec<&'static str> {
    const LINE: &[&str] = &["received", "quoting", "prepress", "on_press", "quality_check", "ready", "shipped", "completed"];
    match status {
        "cancelled" => vec!["received", "quoting", "cancelled"],
        "credit_hold" => vec!["received", "quoting", "credit_hold"],
        s => {
            let end = LINE.iter().position(|l| *l == s).unwrap_or(0);
            LINE[..=end].to_vec()
        }
    }
}

const TITLES: &[&str] = &[
    "Business cards, 500 × 2 designs",
    "A1 exhibition posters",
    "Product brochure, 24 pages",
    "Vinyl window lettering",
    "Annual report translation EN→DE",
    "Packaging sleeves, matte laminate",
    "Subtitles for training videos (FR)",
    "Roll-up banners × 3",
    "Letterheads and compliment slips",
    "Catalogue reprint, 2,000 copies",
    "Safety manual localisation (PL, CZ)",
    "Trade show flyers",
];

const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("Prepress check", "Prepress", "Proof approved"),
    ("Production run", "Production", "Produced"),
    ("Dispatch", "Logistics", ""),
];

fn user_id(seed: &Seed, login: &str) -> Result<Option<u64>> {
    #[derive(Deserialize)]
    struct Id(#[serde(deserialize_with = "de_u64")] u64);
    match seed.users.get(login) {
        None => Ok(None),
        Some(v) => serde_json::from_value::<Id>(v.clone())
            .map(|Id(id)| Some(id))
            .map_err(|e| Error::invalid(format!("demo seed: user {login}: {e}"))),
    }
}

pub async fn seed(conn: &mut Conn, cfg: &DbConfig, p: &Principal, seed: Seed) -> Result<Seeded> {
    p.require(Cap::ManageSettings)?;
    let mut out = Seeded::default();
    let names: Vec<&str> = ACCOUNTS.iter().map(|a| a.0).collect();
    let mut ids: HashMap<String, u64> = staff::account_ids_by_name(conn, cfg, &names).await?.into_iter().collect();
    for (name, parent, consolidated) in ACCOUNTS {
        if !ids.contains_key(*name) {
            let parent = parent.map(|p| ids[p]);
            let row = staff::account_create(conn, cfg, p, AccountCreate { name: name.to_string(), consolidated: *consolidated, parent }).await?;
            ids.insert(name.to_string(), row.id);
        }
        out.accounts += 1;
    }
    for (login, account, role) in LINKS {
        if let Some(uid) = user_id(&seed, login)? {
            staff::account_add_user(conn, cfg, p, AddUser { account_id: ids[*account], user_id: uid, role: Some(role.to_string()) }).await?;
            out.links += 1;
        }
    }
    let staff_user = user_id(&seed, "manager")?;
    let today = Utc::now().date_naive();
    let total: u32 = ORDER_BLOCKS.iter().map(|b| b.1).sum();
    let mut i: u32 = 0;
    for (first, count, account) in ORDER_BLOCKS {
        for n in 0..*count {
            let reference = format!("PQ-{}", first + n);
            let age_days = i64::from(total - i); // PQ-1045 is the newest
            let created = (today - Duration::days(age_days)).and_hms_opt(8, 30, 0).expect("valid time");
            let exists: Option<u64> = conn.exec_first(format!("SELECT id FROM {} WHERE reference = ?", cfg.table("orders")), (&reference,)).await?;
            if exists.is_some() {
                out.orders_existing += 1;
            } else {
                create_order(conn, cfg, p, i, &reference, ids[*account], created, staff_user).await?;
                out.orders_created += 1;
            }
            i += 1;
        }
    }
    if let Some(storage) = seed.storage.as_deref().filter(|s| !s.trim().is_empty()) {
        seed_files(conn, cfg, p, storage, &mut out).await?;
    }
    out.messages = seed_threads(conn, cfg, &seed, staff_user).await?;
    Ok(out)
}

/// Alice's order with a proof in two versions (approval pending on v2) and
/// an internal production file (docs/demo-data.md). Files are generated.
pub const DEMO_FILES_ORDER: &str = "PQ-1018";

async fn seed_files(conn: &mut Conn, cfg: &DbConfig, p: &Principal, storage: &str, out: &mut Seeded) -> Result<()> {
    let existing: Option<u64> = conn
        .exec_first(
            format!("SELECT COUNT(*) FROM {} f JOIN {} o ON o.id = f.order_id WHERE o.reference = ?", cfg.table("files"), cfg.table("orders")),
            (DEMO_FILES_ORDER,),
        )
        .await?;
    if existing.unwrap_or(0) > 0 {
        return Ok(());
    }
    let dir = std::path::PathBuf::from(storage);
    std::fs::create_dir_all(&dir).map_err(|e| Error::Config(format!("cannot create {storage}: {e}")))?;
    let add = async |conn: &mut Conn, name: &str, bytes: Vec<u8>, type_slug: &str, internal: bool| -> Result<crate::files::Added> {
        let src = dir.join(format!(".demo-{}-{name}", std::process::id()));
        std::fs::write(&src, bytes).map_err(|e| Error::Config(format!("cannot write {}: {e}", src.display())))?;
        let r = crate::files::add_file(
            conn,
            cfg,
            p,
            crate::files::AddFile {
                order: DEMO_FILES_ORDER.into(),
                path: src.display().to_string(),
                type_slug: type_slug.into(),
                name: Some(name.into()),
                internal,
                storage: storage.into(),
                ..Default::default()
            },
        )
        .await;
        let _ = std::fs::remove_file(&src);
        r
    };
    add(conn, "business-cards-proof.pdf", demo_pdf("Proof v1 - business cards, front and back"), "proof", false).await?;
    let v2 = add(conn, "business-cards-proof.pdf", demo_pdf("Proof v2 - business cards, corrected phone number"), "proof", false).await?;
    add(conn, "imposition-sheet.pdf", demo_pdf(&format!("{INTERNAL_MARKER} production imposition sheet, 24-up on SRA3")), "production", true).await?;
    out.files += 3;
    crate::approvals::request(
        conn,
        cfg,
        p,
        crate::approvals::RequestApproval {
            order: DEMO_FILES_ORDER.into(),
            file: Some(v2.file_id),
            message: Some("Please check the corrected phone number on the back.".into()),
            due: Some(Utc::now().date_naive() + Duration::days(3)),
        },
    )
    .await?;
    out.approvals += 1;
    Ok(())
}

/// A small valid one-page PDF showing `text` (generated, not stored in the repo).
pub fn demo_pdf(text: &str) -> Vec<u8> {
    let safe: String = text.chars().filter(|c| c.is_ascii() && !"()\\".contains(*c)).collect();
    let stream = format!("BT /F1 18 Tf 60 700 Td ({safe}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    pdf
}

/// Demo conversations (docs/demo-data.md): (order, author login or "" for
/// staff, internal, body). Seeded only on orders that have no messages yet.
const THREADS: &[(&str, &[(&str, bool, &str)])] = &[
    ("PQ-1001", &[
        ("alice", false, "Hi! Could you confirm the paper for the business cards? We'd like 350 g matte if possible."),
        ("", false, "Hello Alice, yes: 350 g matte it is. Your proof is ready to look at here: https://example.com/proofs/PQ-1001\nReply here if anything should change."),
        ("", true, "INTERNAL-ONLY: @manager matte 350 g is running low, reorder before Friday."),
        ("alice", false, "Looks great, thank you! Can we pick them up on Thursday morning?"),
    ]),
    ("PQ-1002", &[
        ("", false, "Good news: your posters are booked for Thursday. We'll tell you here as soon as they are ready."),
        ("amy", false, "Thanks! A colleague, Jordan, will collect them. Is that OK?"),
        ("", false, "Of course, Jordan just needs to mention the order reference PQ-1002 at the front desk."),
    ]),
    ("PQ-1019", &[
        ("bob", false, "Please use British English spelling throughout the annual report."),
        ("", true, "INTERNAL-ONLY: give this to the senior linguist, the client is picky about terminology."),
        ("", false, "Noted, Bob. Our translators will use British English spelling for the whole report."),
    ]),
    ("PQ-1031", &[
        ("carol", false, "Could the East office get its flyers delivered to the warehouse entrance on Dock Road instead?"),
    ]),
];

async fn seed_threads(conn: &mut Conn, cfg: &DbConfig, seed: &Seed, staff_user: Option<u64>) -> Result<usize> {
    let mut n = 0;
    for (reference, messages) in THREADS {
        if crate::messages::has_messages(conn, cfg, reference).await? {
            continue;
        }
        for (login, internal, body) in messages.iter() {
            let (author, staff, name) = if login.is_empty() {
                (staff_user.unwrap_or(0), true, "Sam Porter".to_string())
            } else {
                let mut name = login.to_string();
                name[..1].make_ascii_uppercase();
                (user_id(seed, login)?.unwrap_or(0), false, name)
            };
            if crate::messages::seed_message(conn, cfg, reference, author, staff, &name, *internal, body).await? {
                n += 1;
            }
        }
    }
    Ok(n)
}

#[allow(clippy::too_many_arguments)]
async fn create_order(conn: &mut Conn, cfg: &DbConfig, p: &Principal, i: u32, reference: &str, account_id: u64, created: NaiveDateTime, staff_user: Option<u64>) -> Result<()> {
    let idx = i as usize;
    let status = STATUS_CYCLE[idx % STATUS_CYCLE.len()];
    let path = path_to(status);
    let delivery = if i % 2 == 0 {
        ("pickup".to_string(), "Front desk, Mon–Fri 9:00–17:00".to_string())
    } else {
        ("delivery".to_string(), "Courier to your registered address".to_string())
    };
    let cost = 4_000 + i64::from(i) * 137;
    staff::order_create(
        conn,
        cfg,
        p,
        OrderCreate {
            account_id,
            title: TITLES[idx % TITLES.len()].to_string(),
            reference: Some(reference.to_string()),
            status: Some(path[0].to_string()),
            promised: Some((created + Duration::days(12)).date()),
            expected: Some((created + Duration::days(if i % 4 == 0 { 14 } else { 11 })).date()),
            note: (i % 3 == 0).then(|| "Please quote your order reference when you collect or call.\nThank you!".to_string()),
            internal_note: Some(format!("{INTERNAL_MARKER}: cost {:.2}, margin {}% — check supplier price", cost as f64 / 100.0, 18 + i % 9)),
            created_at: Some(created),
            delivery: Some(delivery),
            cost_cents: Some((cost, cost * 13 / 10)),
        },
    )
    .await?;
    for (step, key) in path.iter().enumerate().skip(1) {
        staff::set_status_at(conn, cfg, p, reference, key, created + Duration::hours(6 * step as i64)).await?;
    }
    let order_id: u64 = conn
        .exec_first(format!("SELECT id FROM {} WHERE reference = ?", cfg.table("orders")), (reference,))
        .await?
        .ok_or_else(|| Error::Database("demo order vanished".into()))?;
    let progressed = path.len();
    for (t, (name, department, milestone)) in DEPARTMENTS.iter().enumerate() {
        // Task t is done once the order got past the matching stage.
        let done = status != "cancelled" && status != "credit_hold" && progressed > 3 + t * 2;
        conn.exec_drop(
            format!(
                "INSERT INTO {} (order_id, name, department, assignee_user_id, status, is_milestone, milestone_label, internal_comment, sort_order, done_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                cfg.table("tasks")
            ),
            mysql_async::Params::Positional(vec![
                order_id.into(),
                (*name).into(),
                (*department).into(),
                staff_user.into(),
                (if done { "done" } else { "todo" }).into(),
                (!milestone.is_empty()).into(),
                (*milestone).into(),
                format!("{INTERNAL_MARKER}: {department} note for {reference}").into(),
                (t as i64).into(),
                done.then(|| created + Duration::hours(6 * (3 + t as i64 * 2))).into(),
            ]),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_path_ending_in_it() {
        for s in STATUS_CYCLE {
            let p = path_to(s);
            assert_eq!(p.first(), Some(&"received"));
            assert_eq!(p.last(), Some(s), "{s}");
        }
    }

    #[test]
    fn blocks_match_the_documented_references() {
        let mut next = 1001;
        for (first, count, _) in ORDER_BLOCKS {
            assert_eq!(*first, next);
            next += count;
        }
        assert_eq!(next - 1, 1045);
    }
}

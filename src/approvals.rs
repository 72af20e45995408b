//! Approvals: staff ask, an approver of the customer's account answers, and
//! every request and decision is appended to a tamper-evident log.
//!
//! The log is one hash chain per order (`{p}pqm_approval_log`, `seq` 1, 2, …):
//! `entry_hash = sha256(prev_hash || canonical(entry))`, `prev_hash` of the
//! first entry is 64 zeros, and `canonical` is the JSON of `Canonical`
//! (fixed field order: who, what, which file version and its hash, decision,
//! comment, time). Editing, deleting or reordering any entry — or changing an
//! approval's state without a matching entry — makes `verify` report the
//! first broken entry.

use crate::access::{self, Scope};
use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::files::{self, hex, now};
use crate::params::{de_opt_date, de_opt_u64};
use crate::principal::{Cap, Principal};
use crate::store::{self, take};
use chrono::{NaiveDate, NaiveDateTime};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, Transaction, TxOpts};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is hashed, in this field order. Changing it breaks every chain:
/// bump `v` and keep verifying old entries with the old shape.
#[derive(Serialize)]
struct Canonical<'a> {
    v: u32,
    order: &'a str,
    seq: u32,
    approval: u64,
    kind: &'a str,
    actor: u64,
    file_version: Option<u64>,
    file_sha256: &'a str,
    decision: &'a str,
    comment: &'a str,
    due: Option<String>,
    at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogEntry {
    pub id: u64,
    pub order_ref: String,
    pub seq: u32,
    pub approval_id: u64,
    pub kind: String,
    pub actor_user_id: u64,
    pub file_version_id: Option<u64>,
    pub file_sha256: String,
    pub decision: String,
    pub comment: String,
    pub due_date: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub entry_hash: String,
}

impl LogEntry {
    pub fn compute_hash(&self, prev_hash: &str) -> String {
        let c = Canonical {
            v: 1,
            order: &self.order_ref,
            seq: self.seq,
            approval: self.approval_id,
            kind: &self.kind,
            actor: self.actor_user_id,
            file_version: self.file_version_id,
            file_sha256: &self.file_sha256,
            decision: &self.decision,
            comment: &self.comment,
            due: self.due_date.map(|d| d.to_string()),
            at: self.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(serde_json::to_vec(&c).expect("canonical entry serialises"));
        hex(&h.finalize())
    }
}

const LOG_COLUMNS: &str = "id, order_ref, seq, approval_id, kind, actor_user_id, file_version_id, file_sha256, decision, comment, due_date, created_at, prev_hash, entry_hash";

fn log_from(r: &mut Row) -> LogEntry {
    LogEntry {
        id: take(r, 0),
        order_ref: take(r, 1),
        seq: take(r, 2),
        approval_id: take(r, 3),
        kind: take(r, 4),
        actor_user_id: take(r, 5),
        file_version_id: take(r, 6),
        file_sha256: take(r, 7),
        decision: take(r, 8),
        comment: take(r, 9),
        due_date: take(r, 10),
        created_at: take(r, 11),
        prev_hash: take(r, 12),
        entry_hash: take(r, 13),
    }
}

/// Append an entry to the order's chain. The caller holds the order row lock
/// (`SELECT … FOR UPDATE`) inside `tx`, so two appends never share a `seq`.
#[allow(clippy::too_many_arguments)]
async fn append(
    tx: &mut Transaction<'_>,
    cfg: &DbConfig,
    order_id: u64,
    order_ref: &str,
    approval_id: u64,
    kind: &str,
    actor: u64,
    file: Option<(u64, String)>,
    decision: &str,
    comment: &str,
    due: Option<NaiveDate>,
) -> Result<LogEntry> {
    let last: Option<(u32, String)> = tx
        .exec_first(format!("SELECT seq, entry_hash FROM {} WHERE order_id = ? ORDER BY seq DESC LIMIT 1", cfg.table("approval_log")), (order_id,))
        .await?;
    let (seq, prev) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
    let mut e = LogEntry {
        id: 0,
        order_ref: order_ref.to_string(),
        seq,
        approval_id,
        kind: kind.to_string(),
        actor_user_id: actor,
        file_version_id: file.as_ref().map(|f| f.0),
        file_sha256: file.map(|f| f.1).unwrap_or_default(),
        decision: decision.to_string(),
        comment: comment.to_string(),
        due_date: due,
        created_at: now(),
        prev_hash: prev.clone(),
        entry_hash: String::new(),
    };
    e.entry_hash = e.compute_hash(&prev);
    tx.exec_drop(
        format!(
            "INSERT INTO {} (order_id, order_ref, seq, approval_id, kind, actor_user_id, file_version_id, file_sha256, decision, comment, due_date, created_at, prev_hash, entry_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cfg.table("approval_log")
        ),
        mysql_async::Params::Positional(vec![
            order_id.into(),
            e.order_ref.clone().into(),
            e.seq.into(),
            e.approval_id.into(),
            e.kind.clone().into(),
            e.actor_user_id.into(),
            e.file_version_id.into(),
            e.file_sha256.clone().into(),
            e.decision.clone().into(),
            e.comment.clone().into(),
            e.due_date.into(),
            e.created_at.into(),
            e.prev_hash.clone().into(),
            e.entry_hash.clone().into(),
        ]),
    )
    .await?;
    e.id = tx.last_insert_id().unwrap_or(0);
    Ok(e)
}

// ---------------------------------------------------------------------------
// Request (staff)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RequestApproval {
    pub order: String,
    /// File id: the approval is on its newest version *shared with the customer*.
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub file: Option<u64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ApprovalRow {
    pub id: u64,
    pub order: String,
    pub account_id: u64,
    pub file_id: Option<u64>,
    pub file_title: Option<String>,
    pub file_version: Option<u32>,
    pub file_version_id: Option<u64>,
    pub file_sha256: Option<String>,
    pub message: String,
    pub due: Option<NaiveDate>,
    pub status: String,
    pub requested_by: u64,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<u64>,
    pub decided_at: Option<NaiveDateTime>,
    pub comment: String,
    pub request_receipt: String,
    pub decision_receipt: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct Requested {
    #[serde(flatten)]
    pub approval: ApprovalRow,
    /// Approvers of the order's account (the plugin e-mails them).
    pub notify_user_ids: Vec<u64>,
}

pub async fn request(conn: &mut Conn, cfg: &DbConfig, p: &Principal, r: RequestApproval) -> Result<Requested> {
    p.require(Cap::ManageOrders)?;
    let reference = r.order.trim().to_string();
    let message = r.message.as_deref().unwrap_or("").trim().to_string();
    if message.chars().count() > 5000 {
        return Err(Error::invalid("the message may be 5,000 characters at most"));
    }
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    let order: Option<(u64, u64)> =
        tx.exec_first(format!("SELECT id, account_id FROM {} WHERE reference = ? FOR UPDATE", cfg.table("orders")), (&reference,)).await?;
    let Some((order_id, account_id)) = order else {
        return Err(Error::invalid(format!("order {reference} does not exist")));
    };
    let file = match r.file {
        None => None,
        Some(fid) => {
            let row: Option<(u64, String, bool, bool)> = tx
                .exec_first(
                    format!(
                        "SELECT v.id, v.sha256, f.visibility = 'internal', COALESCE(t.customer_file, 0)
                           FROM {v} v JOIN {f} f ON f.id = v.file_id LEFT JOIN {t} t ON t.slug = f.type_slug
                          WHERE f.id = ? AND f.order_id = ? AND v.shared = 1 ORDER BY v.version DESC LIMIT 1",
                        v = cfg.table("file_versions"),
                        f = cfg.table("files"),
                        t = cfg.table("file_types"),
                    ),
                    (fid, order_id),
                )
                .await?;
            match row {
                None => return Err(Error::invalid(format!("file {fid} is not on order {reference} or has no version shared with the customer"))),
                Some((_, _, internal, customer_type)) if internal || !customer_type => {
                    return Err(Error::invalid(format!("file {fid} is internal: the customer cannot see it, so cannot approve it")))
                }
                Some((vid, sha, _, _)) => Some((vid, sha)),
            }
        }
    };
    let at = now();
    tx.exec_drop(
        format!(
            "INSERT INTO {} (order_id, file_version_id, message, due_date, status, requested_by, requested_at, comment) VALUES (?, ?, ?, ?, 'pending', ?, ?, '')",
            cfg.table("approvals")
        ),
        (order_id, file.as_ref().map(|f| f.0), &message, r.due, p.user_id, at),
    )
    .await?;
    let id = tx.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?;
    append(&mut tx, cfg, order_id, &reference, id, "request", p.user_id, file, "", &message, r.due).await?;
    tx.commit().await?;
    let approval = approval_by_id(conn, cfg, id).await?.ok_or(Error::NotFound)?;
    let notify_user_ids: Vec<u64> = conn
        .exec(
            format!("SELECT user_id FROM {} WHERE account_id = ? AND portal_role = 'approver' AND enabled = 1 ORDER BY user_id", cfg.table("account_users")),
            (account_id,),
        )
        .await?;
    // Logins linked through a consolidated parent approve too.
    let via_parent: Vec<u64> = conn
        .exec(
            format!(
                "SELECT l.user_id FROM {l} l JOIN {a} a ON a.parent_id = l.account_id
                  WHERE a.id = ? AND l.portal_role = 'approver' AND l.enabled = 1 ORDER BY l.user_id",
                l = cfg.table("account_users"),
                a = cfg.table("accounts")
            ),
            (account_id,),
        )
        .await?;
    let mut ids = notify_user_ids;
    ids.extend(via_parent);
    ids.sort();
    ids.dedup();
    Ok(Requested { approval, notify_user_ids: ids })
}

fn approval_sql(cfg: &DbConfig, filter: &str) -> String {
    format!(
        "SELECT a.id, o.reference, o.account_id, f.id, f.title, v.version, v.id, v.sha256, a.message, a.due_date, a.status,
                a.requested_by, a.requested_at, a.decided_by, a.decided_at, a.comment,
                (SELECT entry_hash FROM {log} l WHERE l.approval_id = a.id AND l.kind = 'request' ORDER BY l.seq LIMIT 1),
                (SELECT entry_hash FROM {log} l WHERE l.approval_id = a.id AND l.kind = 'decision' ORDER BY l.seq LIMIT 1),
                a.status = 'pending' AND a.due_date IS NOT NULL AND a.due_date < UTC_DATE()
           FROM {approvals} a
           JOIN {orders} o ON o.id = a.order_id
           LEFT JOIN {versions} v ON v.id = a.file_version_id
           LEFT JOIN {files} f ON f.id = v.file_id
          WHERE {filter}",
        log = cfg.table("approval_log"),
        approvals = cfg.table("approvals"),
        orders = cfg.table("orders"),
        versions = cfg.table("file_versions"),
        files = cfg.table("files"),
    )
}

fn approval_from(r: &mut Row) -> ApprovalRow {
    ApprovalRow {
        id: take(r, 0),
        order: take(r, 1),
        account_id: take(r, 2),
        file_id: take(r, 3),
        file_title: take(r, 4),
        file_version: take(r, 5),
        file_version_id: take(r, 6),
        file_sha256: take(r, 7),
        message: take(r, 8),
        due: take(r, 9),
        status: take(r, 10),
        requested_by: take(r, 11),
        requested_at: take(r, 12),
        decided_by: take(r, 13),
        decided_at: take(r, 14),
        comment: take(r, 15),
        request_receipt: take::<Option<String>>(r, 16).unwrap_or_default(),
        decision_receipt: take(r, 17),
        overdue: take::<Option<bool>>(r, 18).unwrap_or(false),
    }
}

pub async fn approval_by_id(conn: &mut Conn, cfg: &DbConfig, id: u64) -> Result<Option<ApprovalRow>> {
    let row: Option<Row> = conn.exec_first(approval_sql(cfg, "a.id = ?"), (id,)).await?;
    Ok(row.map(|mut r| approval_from(&mut r)))
}

/// Approvals of one order (no access check: callers scope first).
pub async fn for_order(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<Vec<ApprovalRow>> {
    let rows: Vec<Row> = conn.exec(format!("{} ORDER BY a.id DESC", approval_sql(cfg, "o.reference = ?")), (reference,)).await?;
    Ok(rows.into_iter().map(|mut r| approval_from(&mut r)).collect())
}

/// References (of `refs`) with a pending approval, for the list badges.
pub async fn pending_refs(conn: &mut Conn, cfg: &DbConfig, scope: &Scope, refs: &[String]) -> Result<Vec<String>> {
    if refs.is_empty() || scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut params: Vec<mysql_async::Value> = refs.iter().map(|r| r.as_str().into()).collect();
    params.extend(scope.account_ids().into_iter().map(mysql_async::Value::from));
    let sql = format!(
        "SELECT DISTINCT o.reference FROM {a} a JOIN {o} o ON o.id = a.order_id
          WHERE a.status = 'pending' AND o.reference IN ({r}) AND o.account_id IN ({s})",
        a = cfg.table("approvals"),
        o = cfg.table("orders"),
        r = store::placeholders(refs.len()),
        s = store::placeholders(scope.accounts().len()),
    );
    Ok(conn.exec(sql, params).await?)
}

// ---------------------------------------------------------------------------
// Decide (customer)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct Decide {
    pub order: String,
    #[serde(deserialize_with = "crate::params::de_u64")]
    pub approval: u64,
    pub decision: String,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Result of a decision attempt that the panel explains (`notice`).
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Decided {
    Decided { approval: ApprovalRow, receipt: String, requested_by: u64 },
    Refused { notice: &'static str },
}

pub async fn decide(conn: &mut Conn, cfg: &DbConfig, p: &Principal, d: Decide) -> Result<Decided> {
    let links = store::load_links(conn, cfg, p.user_id).await?;
    let scope = access::panel_scope(p, &links).map_err(|_| Error::NotFound)?;
    let Some((order_id, account_id)) = files::order_in_scope(conn, cfg, &scope, &d.order).await? else {
        return Err(Error::NotFound);
    };
    let decision = match d.decision.trim() {
        "approve" | "approved" => "approved",
        "changes" | "changes_requested" | "request_changes" => "changes_requested",
        _ => return Err(Error::invalid("decision must be approve or changes")),
    };
    let comment = d.comment.as_deref().unwrap_or("").trim().to_string();
    // The approval must be on *this* order (same loaded object).
    let exists: Option<u64> = conn.exec_first(format!("SELECT id FROM {} WHERE id = ? AND order_id = ?", cfg.table("approvals")), (d.approval, order_id)).await?;
    if exists.is_none() {
        return Err(Error::NotFound);
    }
    if !access::customer_may_decide(&scope, account_id) {
        return Ok(Decided::Refused { notice: "not_approver" });
    }
    if decision == "changes_requested" && comment.is_empty() {
        return Ok(Decided::Refused { notice: "comment_required" });
    }
    if comment.chars().count() > 5000 {
        return Ok(Decided::Refused { notice: "comment_too_long" });
    }
    let reference = d.order.trim().to_string();
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    let _: Option<u64> = tx.exec_first(format!("SELECT id FROM {} WHERE id = ? FOR UPDATE", cfg.table("orders")), (order_id,)).await?;
    let row: Option<(String, Option<u64>, Option<String>, u64)> = tx
        .exec_first(
            format!(
                "SELECT a.status, a.file_version_id, v.sha256, a.requested_by FROM {a} a LEFT JOIN {v} v ON v.id = a.file_version_id WHERE a.id = ? AND a.order_id = ? FOR UPDATE",
                a = cfg.table("approvals"),
                v = cfg.table("file_versions"),
            ),
            (d.approval, order_id),
        )
        .await?;
    let Some((status, version_id, sha, requested_by)) = row else {
        return Err(Error::NotFound);
    };
    if status != "pending" {
        return Ok(Decided::Refused { notice: "already_decided" });
    }
    let at = now();
    tx.exec_drop(
        format!("UPDATE {} SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ? AND status = 'pending'", cfg.table("approvals")),
        (decision, p.user_id, at, &comment, d.approval),
    )
    .await?;
    let file = version_id.zip(sha);
    let entry = append(&mut tx, cfg, order_id, &reference, d.approval, "decision", p.user_id, file, decision, &comment, None).await?;
    tx.commit().await?;
    let approval = approval_by_id(conn, cfg, d.approval).await?.ok_or(Error::NotFound)?;
    Ok(Decided::Decided { approval, receipt: entry.entry_hash, requested_by })
}

// ---------------------------------------------------------------------------
// Verify (staff, WP-CLI)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct VerifyReq {
    #[serde(default)]
    pub order: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Broken {
    pub order: String,
    pub seq: u32,
    pub entry_id: u64,
    pub reason: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Verified {
    pub ok: bool,
    pub orders: u64,
    pub entries: u64,
    pub first_broken: Option<Broken>,
}

/// Recompute every chain (or one order's) and check the approvals table
/// agrees with what the log says happened.
pub async fn verify(conn: &mut Conn, cfg: &DbConfig, p: &Principal, v: VerifyReq) -> Result<Verified> {
    p.require(Cap::ManageOrders)?;
    let order = v.order.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (filter, params): (&str, Vec<mysql_async::Value>) = match order {
        Some(r) => {
            let id = files::order_id(conn, cfg, r).await?.ok_or_else(|| Error::invalid(format!("order {r} does not exist")))?;
            ("WHERE order_id = ?", vec![id.into()])
        }
        None => ("", vec![]),
    };
    let rows: Vec<Row> = conn
        .exec(format!("SELECT {LOG_COLUMNS}, order_id FROM {} {filter} ORDER BY order_id, seq, id", cfg.table("approval_log")), params.clone())
        .await?;
    let mut out = Verified { ok: true, orders: 0, entries: 0, first_broken: None };
    let mut current: Option<u64> = None;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1u32;
    // approval id → (order, state per the log, decider, comment)
    let mut states: std::collections::BTreeMap<u64, (String, String, u64, String)> = Default::default();
    for mut row in rows {
        let e = log_from(&mut row);
        let oid: u64 = take(&mut row, 14);
        if current != Some(oid) {
            current = Some(oid);
            prev = GENESIS.to_string();
            expected_seq = 1;
            out.orders += 1;
        }
        out.entries += 1;
        let broken = |reason: String| Broken { order: e.order_ref.clone(), seq: e.seq, entry_id: e.id, reason };
        let problem = if e.seq != expected_seq {
            Some(format!("sequence number {} where {} was expected (an entry is missing or was reordered)", e.seq, expected_seq))
        } else if e.prev_hash != prev {
            Some("previous-entry hash does not match the entry before it".to_string())
        } else if e.compute_hash(&prev) != e.entry_hash {
            Some("entry hash does not match its content (the entry was changed)".to_string())
        } else {
            None
        };
        if let Some(reason) = problem {
            out.ok = false;
            out.first_broken = Some(broken(reason));
            return Ok(out);
        }
        match e.kind.as_str() {
            "request" => {
                states.insert(e.approval_id, (e.order_ref.clone(), "pending".into(), 0, String::new()));
            }
            _ => {
                states.insert(e.approval_id, (e.order_ref.clone(), e.decision.clone(), e.actor_user_id, e.comment.clone()));
            }
        }
        prev = e.entry_hash.clone();
        expected_seq += 1;
    }
    // The mutable approvals table must say what the chain says.
    let approvals: Vec<(u64, String, String, Option<u64>, String)> = conn
        .exec(
            format!(
                "SELECT a.id, o.reference, a.status, a.decided_by, a.comment FROM {a} a JOIN {o} o ON o.id = a.order_id {filter} ORDER BY a.id",
                a = cfg.table("approvals"),
                o = cfg.table("orders"),
                filter = filter.replace("order_id", "a.order_id"),
            ),
            params,
        )
        .await?;
    for (id, reference, status, decided_by, comment) in approvals {
        let reason = match states.get(&id) {
            None => Some(format!("approval {id} has no entry in the log")),
            Some((_, s, by, c)) if *s != status || (s != "pending" && (decided_by != Some(*by) || *c != comment)) => {
                Some(format!("approval {id} says {status} but the log says {s}{}", if s == &status { " with another decider or comment" } else { "" }))
            }
            _ => None,
        };
        if let Some(reason) = reason {
            out.ok = false;
            out.first_broken = Some(Broken { order: reference, seq: 0, entry_id: 0, reason });
            return Ok(out);
        }
    }
    Ok(out)
}

/// The whole log of one order (staff).
pub async fn log_for_order(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<Vec<LogEntry>> {
    let rows: Vec<Row> = conn.exec(format!("SELECT {LOG_COLUMNS} FROM {} WHERE order_ref = ? ORDER BY seq", cfg.table("approval_log")), (reference,)).await?;
    Ok(rows.into_iter().map(|mut r| log_from(&mut r)).collect())
}

// ---------------------------------------------------------------------------
// Queue (staff)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct QueueReq {
    #[serde(default)]
    pub order: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Queue {
    pub pending: Vec<ApprovalRow>,
    pub overdue: Vec<ApprovalRow>,
    pub recent: Vec<ApprovalRow>,
}

pub async fn queue(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: QueueReq) -> Result<Queue> {
    p.require(Cap::ManageOrders)?;
    let (extra, params): (&str, Vec<mysql_async::Value>) = match q.order.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => (" AND o.reference = ?", vec![r.into()]),
        None => ("", vec![]),
    };
    let pending_all: Vec<Row> = conn
        .exec(format!("{} ORDER BY a.due_date IS NULL, a.due_date, a.id", approval_sql(cfg, &format!("a.status = 'pending'{extra}"))), params.clone())
        .await?;
    let pending_all: Vec<ApprovalRow> = pending_all.into_iter().map(|mut r| approval_from(&mut r)).collect();
    let (overdue, pending): (Vec<_>, Vec<_>) = pending_all.into_iter().partition(|a| a.overdue);
    let recent: Vec<Row> = conn
        .exec(format!("{} ORDER BY a.decided_at DESC, a.id DESC LIMIT 50", approval_sql(cfg, &format!("a.status <> 'pending'{extra}"))), params)
        .await?;
    Ok(Queue { pending, overdue, recent: recent.into_iter().map(|mut r| approval_from(&mut r)).collect() })
}

#[derive(Deserialize)]
pub struct OrderReq {
    pub order: String,
}

/// Staff: every approval of one order.
pub async fn list(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: OrderReq) -> Result<Vec<ApprovalRow>> {
    p.require(Cap::ManageOrders)?;
    for_order(conn, cfg, q.order.trim()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogEntry {
        LogEntry {
            id: 1,
            order_ref: "PQ-1".into(),
            seq: 1,
            approval_id: 3,
            kind: "decision".into(),
            actor_user_id: 7,
            file_version_id: Some(9),
            file_sha256: "ab".repeat(32),
            decision: "approved".into(),
            comment: "ok".into(),
            due_date: None,
            created_at: NaiveDateTime::parse_from_str("2026-01-02 03:04:05", "%Y-%m-%d %H:%M:%S").unwrap(),
            prev_hash: GENESIS.into(),
            entry_hash: String::new(),
        }
    }

    #[test]
    fn hash_covers_every_field_and_the_previous_hash() {
        let base = entry().compute_hash(GENESIS);
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry().compute_hash(GENESIS), "deterministic");
        let variants: Vec<Box<dyn Fn(&mut LogEntry)>> = vec![
            Box::new(|e| e.order_ref = "PQ-2".into()),
            Box::new(|e| e.seq = 2),
            Box::new(|e| e.approval_id = 4),
            Box::new(|e| e.kind = "request".into()),
            Box::new(|e| e.actor_user_id = 8),
            Box::new(|e| e.file_version_id = None),
            Box::new(|e| e.file_sha256 = "cd".repeat(32)),
            Box::new(|e| e.decision = "changes_requested".into()),
            Box::new(|e| e.comment = "ok ".into()),
            Box::new(|e| e.due_date = NaiveDate::from_ymd_opt(2026, 1, 1)),
            Box::new(|e| e.created_at += chrono::Duration::seconds(1)),
        ];
        for change in variants {
            let mut e = entry();
            change(&mut e);
            assert_ne!(e.compute_hash(GENESIS), base);
        }
        assert_ne!(entry().compute_hash(&"1".repeat(64)), base);
    }
}

//! Customer-side reads. Every query that can return an order takes the
//! principal's `Scope` and filters by `account_id IN (scope)`: the list and
//! the detail view share the same gate. The structs here have no fields for
//! internal data (internal notes, costs, tasks, assignees), so such data
//! cannot reach a customer template by accident.

use crate::access::{AccountKind, AccountRef, Link, PortalRole, Scope};
use crate::config::DbConfig;
use crate::error::Result;
use chrono::{NaiveDate, NaiveDateTime};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, Value};
use serde::Serialize;

pub(crate) fn take<T: FromValue>(row: &mut Row, i: usize) -> T {
    row.take(i).expect("column selected by this module")
}

/// "?, ?, ?" for an IN list of `n` values (n ≥ 1).
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The user's account links, each with the customer accounts under it when
/// the linked account is consolidated — one query.
pub async fn load_links(conn: &mut Conn, cfg: &DbConfig, user_id: u64) -> Result<Vec<Link>> {
    let sql = format!(
        "SELECT l.account_id, l.enabled, l.portal_role, a.name, a.kind, a.portal_enabled,
                c.id, c.name, c.kind, c.portal_enabled
           FROM {links} l
           JOIN {accounts} a ON a.id = l.account_id
           LEFT JOIN {accounts} c ON a.kind = 'consolidated' AND c.parent_id = a.id
          WHERE l.user_id = ?
          ORDER BY l.account_id, c.id",
        links = cfg.table("account_users"),
        accounts = cfg.table("accounts"),
    );
    let rows: Vec<Row> = conn.exec(sql, (user_id,)).await?;
    let mut links: Vec<Link> = Vec::new();
    for mut r in rows {
        let account_id: u64 = take(&mut r, 0);
        if links.last().map(|l| l.account.id) != Some(account_id) {
            let role: String = take(&mut r, 2);
            let kind: String = take(&mut r, 4);
            links.push(Link {
                link_enabled: take::<bool>(&mut r, 1),
                role: PortalRole::parse(&role).unwrap_or(PortalRole::Viewer),
                account: AccountRef {
                    id: account_id,
                    name: take(&mut r, 3),
                    kind: AccountKind::parse(&kind).unwrap_or(AccountKind::Customer),
                    portal_enabled: take::<bool>(&mut r, 5),
                },
                children: Vec::new(),
            });
        }
        let child_id: Option<u64> = take(&mut r, 6);
        if let Some(id) = child_id {
            let kind: String = take(&mut r, 8);
            links.last_mut().expect("pushed above").children.push(AccountRef {
                id,
                name: take(&mut r, 7),
                kind: AccountKind::parse(&kind).unwrap_or(AccountKind::Customer),
                portal_enabled: take::<bool>(&mut r, 9),
            });
        }
    }
    Ok(links)
}

/// Which orders of the scope a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    Open,
    Completed,
    All,
}

impl View {
    pub fn parse(s: &str) -> View {
        match s {
            "completed" => View::Completed,
            "all" => View::All,
            _ => View::Open,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Open => "open",
            View::Completed => "completed",
            View::All => "all",
        }
    }

    fn closed(self) -> Option<bool> {
        match self {
            View::Open => Some(false),
            View::Completed => Some(true),
            View::All => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrderSummary {
    pub reference: String,
    pub title: String,
    pub account_id: u64,
    pub status_key: String,
    pub status_label: String,
    pub is_closed: bool,
    pub promised: Option<NaiveDate>,
    pub expected: Option<NaiveDate>,
    pub completed_at: Option<NaiveDateTime>,
    pub delivery_method: Option<String>,
    pub delivery_info: String,
    pub created_at: NaiveDateTime,
}

/// Columns of `OrderSummary`, in order, for `o` = orders and `s` = the
/// order's *customer-visible* status.
const SUMMARY_COLUMNS: &str = "o.reference, o.title, o.account_id, o.visible_status_key, s.customer_label, o.is_closed,
     o.promised_date, o.expected_date, o.completed_at, o.delivery_method, o.delivery_info, o.created_at";

fn summary_from(r: &mut Row) -> OrderSummary {
    OrderSummary {
        reference: take(r, 0),
        title: take(r, 1),
        account_id: take(r, 2),
        status_key: take(r, 3),
        status_label: take::<Option<String>>(r, 4).unwrap_or_else(|| "Received".into()),
        is_closed: take(r, 5),
        promised: take(r, 6),
        expected: take(r, 7),
        completed_at: take(r, 8),
        delivery_method: take(r, 9),
        delivery_info: take(r, 10),
        created_at: take(r, 11),
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub open: u64,
    pub completed: u64,
}

impl Counts {
    pub fn of(&self, view: View) -> u64 {
        match view {
            View::Open => self.open,
            View::Completed => self.completed,
            View::All => self.open + self.completed,
        }
    }
}

fn scope_params(scope: &Scope) -> Vec<Value> {
    scope.account_ids().into_iter().map(Value::from).collect()
}

/// Open and completed order counts of the scope (index-only).
pub async fn count_orders(conn: &mut Conn, cfg: &DbConfig, scope: &Scope) -> Result<Counts> {
    if scope.is_empty() {
        return Ok(Counts::default());
    }
    let sql = format!(
        "SELECT o.is_closed, COUNT(*) FROM {orders} o WHERE o.account_id IN ({ids}) GROUP BY o.is_closed",
        orders = cfg.table("orders"),
        ids = placeholders(scope.accounts().len()),
    );
    let rows: Vec<(bool, u64)> = conn.exec(sql, scope_params(scope)).await?;
    let mut c = Counts::default();
    for (closed, n) in rows {
        if closed {
            c.completed = n;
        } else {
            c.open = n;
        }
    }
    Ok(c)
}

/// One page of the scope's orders, newest first.
pub async fn list_orders(conn: &mut Conn, cfg: &DbConfig, scope: &Scope, view: View, limit: u64, offset: u64) -> Result<Vec<OrderSummary>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = scope_params(scope);
    let closed_clause = match view.closed() {
        Some(closed) => {
            params.push(Value::from(closed));
            "AND o.is_closed = ?"
        }
        None => "",
    };
    params.push(Value::from(limit));
    params.push(Value::from(offset));
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}
           FROM {orders} o
           LEFT JOIN {statuses} s ON s.status_key = o.visible_status_key
          WHERE o.account_id IN ({ids}) {closed_clause}
          ORDER BY o.created_at DESC, o.id DESC
          LIMIT ? OFFSET ?",
        orders = cfg.table("orders"),
        statuses = cfg.table("statuses"),
        ids = placeholders(scope.accounts().len()),
    );
    let rows: Vec<Row> = conn.exec(sql, params).await?;
    Ok(rows.into_iter().map(|mut r| summary_from(&mut r)).collect())
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryEntry {
    pub status_label: String,
    pub changed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Milestone {
    pub label: String,
    pub done_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub customer_note: String,
    pub history: Vec<HistoryEntry>,
    pub milestones: Vec<Milestone>,
    /// Internal id, for follow-up reads of this order (never rendered).
    #[serde(skip)]
    pub order_id: u64,
}

/// The order with this reference *if it is in the scope*; `None` for a
/// missing and a foreign reference alike.
pub async fn find_order(conn: &mut Conn, cfg: &DbConfig, scope: &Scope, reference: &str) -> Result<Option<OrderDetail>> {
    if scope.is_empty() {
        return Ok(None);
    }
    let mut params = vec![Value::from(reference)];
    params.extend(scope_params(scope));
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, o.customer_note, o.id
           FROM {orders} o
           LEFT JOIN {statuses} s ON s.status_key = o.visible_status_key
          WHERE o.reference = ? AND o.account_id IN ({ids})",
        orders = cfg.table("orders"),
        statuses = cfg.table("statuses"),
        ids = placeholders(scope.accounts().len()),
    );
    let Some(mut row): Option<Row> = conn.exec_first(sql, params).await? else {
        return Ok(None);
    };
    let summary = summary_from(&mut row);
    let customer_note: String = take(&mut row, 12);
    let order_id: u64 = take(&mut row, 13);

    let history: Vec<HistoryEntry> = conn
        .exec_map(
            format!(
                "SELECT s.customer_label, h.changed_at
                   FROM {history} h JOIN {statuses} s ON s.status_key = h.status_key
                  WHERE h.order_id = ? AND s.customer_visible = 1
                  ORDER BY h.changed_at, h.id",
                history = cfg.table("status_history"),
                statuses = cfg.table("statuses"),
            ),
            (order_id,),
            |(status_label, changed_at)| HistoryEntry { status_label, changed_at },
        )
        .await?;
    let milestones: Vec<Milestone> = conn
        .exec_map(
            format!(
                "SELECT IF(milestone_label = '', name, milestone_label), done_at
                   FROM {tasks} WHERE order_id = ? AND is_milestone = 1
                  ORDER BY sort_order, id",
                tasks = cfg.table("tasks"),
            ),
            (order_id,),
            |(label, done_at)| Milestone { label, done_at },
        )
        .await?;
    Ok(Some(OrderDetail { summary, customer_note, history: dedupe_consecutive(history), milestones, order_id }))
}

/// Several hidden statuses map to the same customer label ("In production"
/// three times in a row says nothing); keep the first of each run.
fn dedupe_consecutive(history: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let mut out: Vec<HistoryEntry> = Vec::with_capacity(history.len());
    for h in history {
        if out.last().map(|l| &l.status_label) != Some(&h.status_label) {
            out.push(h);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn repeated_labels_collapse_to_the_first() {
        let h = |l: &str, t: &str| HistoryEntry { status_label: l.into(), changed_at: at(t) };
        let out = dedupe_consecutive(vec![
            h("Received", "2026-01-01 09:00"),
            h("In production", "2026-01-02 09:00"),
            h("In production", "2026-01-03 09:00"),
            h("Ready", "2026-01-04 09:00"),
            h("In production", "2026-01-05 09:00"),
        ]);
        let labels: Vec<_> = out.iter().map(|h| h.status_label.as_str()).collect();
        assert_eq!(labels, ["Received", "In production", "Ready", "In production"]);
        assert_eq!(out[1].changed_at, at("2026-01-02 09:00"));
    }

    #[test]
    fn views_parse_leniently_to_open() {
        assert_eq!(View::parse("completed"), View::Completed);
        assert_eq!(View::parse("all"), View::All);
        assert_eq!(View::parse("bogus"), View::Open);
        assert_eq!(View::parse(""), View::Open);
        let c = Counts { open: 3, completed: 4 };
        assert_eq!((c.of(View::Open), c.of(View::Completed), c.of(View::All)), (3, 4, 7));
    }

    #[test]
    fn placeholders_match_count() {
        assert_eq!(placeholders(1), "?");
        assert_eq!(placeholders(3), "?, ?, ?");
    }
}

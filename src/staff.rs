//! Staff operations (wp-admin, WP-CLI). Each checks its capability here, in
//! Rust, whatever the caller checked before.

use crate::access::{self, AccountKind, PortalRole};
use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::params::{de_bool, de_opt_date, de_opt_u64, de_u64};
use crate::principal::{Cap, Principal};
use crate::store::{self, placeholders, take};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, TxOpts};
use serde::{Deserialize, Serialize};

pub(crate) fn now() -> NaiveDateTime {
    Utc::now().naive_utc().with_nanosecond_zero()
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}
impl NoNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).expect("0 ns is valid")
    }
}

#[derive(Debug, Serialize, PartialEq)]
pub struct AccountRow {
    pub id: u64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<u64>,
    pub portal_enabled: bool,
    pub logins: u64,
    pub orders: u64,
}

#[derive(Deserialize)]
pub struct AccountCreate {
    pub name: String,
    #[serde(default, deserialize_with = "de_bool")]
    pub consolidated: bool,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub parent: Option<u64>,
}

pub(crate) async fn account_by_id(conn: &mut Conn, cfg: &DbConfig, id: u64) -> Result<AccountRow> {
    let sql = format!(
        "SELECT a.id, a.name, a.kind, a.parent_id, a.portal_enabled,
                (SELECT COUNT(*) FROM {links} l WHERE l.account_id = a.id),
                (SELECT COUNT(*) FROM {orders} o WHERE o.account_id = a.id)
           FROM {accounts} a WHERE a.id = ?",
        links = cfg.table("account_users"),
        orders = cfg.table("orders"),
        accounts = cfg.table("accounts"),
    );
    let row: Option<Row> = conn.exec_first(sql, (id,)).await?;
    row.map(|mut r| account_row(&mut r)).ok_or(Error::NotFound)
}

fn account_row(r: &mut Row) -> AccountRow {
    AccountRow {
        id: take(r, 0),
        name: take(r, 1),
        kind: take(r, 2),
        parent_id: take(r, 3),
        portal_enabled: take(r, 4),
        logins: take(r, 5),
        orders: take(r, 6),
    }
}

pub async fn account_create(conn: &mut Conn, cfg: &DbConfig, p: &Principal, a: AccountCreate) -> Result<AccountRow> {
    p.require(Cap::ManageAccounts)?;
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 190 {
        return Err(Error::invalid("account name must be 1 to 190 characters"));
    }
    if a.consolidated && a.parent.is_some() {
        return Err(Error::invalid("a consolidated account cannot have a parent"));
    }
    if let Some(parent) = a.parent {
        let kind: Option<String> = conn.exec_first(format!("SELECT kind FROM {} WHERE id = ?", cfg.table("accounts")), (parent,)).await?;
        match kind.as_deref() {
            None => return Err(Error::invalid(format!("parent account {parent} does not exist"))),
            Some("consolidated") => {}
            Some(_) => return Err(Error::invalid(format!("parent account {parent} is not a consolidated account"))),
        }
    }
    let kind = if a.consolidated { AccountKind::Consolidated } else { AccountKind::Customer };
    conn.exec_drop(
        format!("INSERT INTO {} (name, kind, parent_id, portal_enabled, created_at) VALUES (?, ?, ?, 1, ?)", cfg.table("accounts")),
        (name, kind.as_str(), a.parent, now()),
    )
    .await?;
    let id = conn.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?;
    account_by_id(conn, cfg, id).await
}

pub async fn account_list(conn: &mut Conn, cfg: &DbConfig, p: &Principal) -> Result<Vec<AccountRow>> {
    p.require(Cap::ManageAccounts)?;
    let sql = format!(
        "SELECT a.id, a.name, a.kind, a.parent_id, a.portal_enabled,
                (SELECT COUNT(*) FROM {links} l WHERE l.account_id = a.id),
                (SELECT COUNT(*) FROM {orders} o WHERE o.account_id = a.id)
           FROM {accounts} a ORDER BY a.name, a.id",
        links = cfg.table("account_users"),
        orders = cfg.table("orders"),
        accounts = cfg.table("accounts"),
    );
    let rows: Vec<Row> = conn.query(sql).await?;
    Ok(rows.into_iter().map(|mut r| account_row(&mut r)).collect())
}

#[derive(Deserialize)]
pub struct AddUser {
    #[serde(deserialize_with = "de_u64")]
    pub account_id: u64,
    #[serde(deserialize_with = "de_u64")]
    pub user_id: u64,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct LinkRow {
    pub account_id: u64,
    pub user_id: u64,
    pub role: String,
    pub enabled: bool,
}

pub async fn account_add_user(conn: &mut Conn, cfg: &DbConfig, p: &Principal, a: AddUser) -> Result<LinkRow> {
    p.require(Cap::ManageAccounts)?;
    let role_text = a.role.as_deref().map(str::trim).filter(|r| !r.is_empty()).unwrap_or("viewer");
    let role = PortalRole::parse(role_text).ok_or_else(|| Error::invalid(format!("portal role must be viewer or approver, not \"{role_text}\"")))?;
    if a.user_id == 0 {
        return Err(Error::invalid("user id must be a WordPress user"));
    }
    account_by_id(conn, cfg, a.account_id).await.map_err(|_| Error::invalid(format!("account {} does not exist", a.account_id)))?;
    conn.exec_drop(
        format!(
            "INSERT INTO {} (account_id, user_id, portal_role, enabled, created_at) VALUES (?, ?, ?, 1, ?)
             ON DUPLICATE KEY UPDATE portal_role = VALUES(portal_role), enabled = 1",
            cfg.table("account_users")
        ),
        (a.account_id, a.user_id, role.as_str(), now()),
    )
    .await?;
    Ok(LinkRow { account_id: a.account_id, user_id: a.user_id, role: role.as_str().into(), enabled: true })
}

#[derive(Debug, Serialize, PartialEq)]
pub struct StatusRow {
    pub key: String,
    pub internal_label: String,
    pub customer_label: String,
    pub customer_visible: bool,
    pub closed: bool,
    pub sort_order: i64,
}

pub async fn status_list(conn: &mut Conn, cfg: &DbConfig, p: &Principal) -> Result<Vec<StatusRow>> {
    p.require(Cap::ManageOrders)?;
    statuses(conn, cfg).await
}

pub(crate) async fn statuses(conn: &mut Conn, cfg: &DbConfig) -> Result<Vec<StatusRow>> {
    let rows: Vec<Row> = conn
        .query(format!(
            "SELECT status_key, internal_label, customer_label, customer_visible, is_closed, sort_order FROM {} ORDER BY sort_order, status_key",
            cfg.table("statuses")
        ))
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| StatusRow {
            key: take(&mut r, 0),
            internal_label: take(&mut r, 1),
            customer_label: take(&mut r, 2),
            customer_visible: take(&mut r, 3),
            closed: take(&mut r, 4),
            sort_order: take(&mut r, 5),
        })
        .collect())
}

pub(crate) async fn status(conn: &mut Conn, cfg: &DbConfig, key: &str) -> Result<StatusRow> {
    let all = statuses(conn, cfg).await?;
    let known: Vec<&str> = all.iter().map(|s| s.key.as_str()).collect();
    let msg = format!("unknown status \"{key}\"; known: {}", known.join(", "));
    all.into_iter().find(|s| s.key == key).ok_or(Error::InvalidInput(msg))
}

/// The staff view of an order (includes internal fields).
#[derive(Debug, Serialize, PartialEq)]
pub struct OrderRow {
    pub id: u64,
    pub reference: String,
    pub account_id: u64,
    pub account: String,
    pub title: String,
    pub status: String,
    pub customer_status: String,
    pub promised: Option<NaiveDate>,
    pub expected: Option<NaiveDate>,
    pub note: String,
    pub internal_note: String,
    pub created_at: NaiveDateTime,
}

const ORDER_ROW_SQL: &str = "SELECT o.id, o.reference, o.account_id, a.name, o.title, o.status_key, COALESCE(s.customer_label, ''),
        o.promised_date, o.expected_date, o.customer_note, o.internal_note, o.created_at
   FROM {orders} o JOIN {accounts} a ON a.id = o.account_id
   LEFT JOIN {statuses} s ON s.status_key = o.visible_status_key";

fn order_sql(cfg: &DbConfig, tail: &str) -> String {
    format!("{} {tail}", ORDER_ROW_SQL)
        .replace("{orders}", &cfg.table("orders"))
        .replace("{accounts}", &cfg.table("accounts"))
        .replace("{statuses}", &cfg.table("statuses"))
}

fn order_row(r: &mut Row) -> OrderRow {
    OrderRow {
        id: take(r, 0),
        reference: take(r, 1),
        account_id: take(r, 2),
        account: take(r, 3),
        title: take(r, 4),
        status: take(r, 5),
        customer_status: take(r, 6),
        promised: take(r, 7),
        expected: take(r, 8),
        note: take(r, 9),
        internal_note: take(r, 10),
        created_at: take(r, 11),
    }
}

pub(crate) async fn order_by_reference(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<OrderRow> {
    let row: Option<Row> = conn.exec_first(order_sql(cfg, "WHERE o.reference = ?"), (reference,)).await?;
    row.map(|mut r| order_row(&mut r)).ok_or(Error::NotFound)
}

#[derive(Deserialize, Default)]
pub struct OrderCreate {
    #[serde(deserialize_with = "de_u64")]
    pub account_id: u64,
    pub title: String,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub promised: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub expected: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
    /// Demo data and imports: when the order was placed (default now).
    #[serde(skip)]
    pub created_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub delivery: Option<(String, String)>,
    #[serde(skip)]
    pub cost_cents: Option<(i64, i64)>,
}

fn valid_reference(r: &str) -> bool {
    !r.is_empty() && r.len() <= 64 && r.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

pub async fn order_create(conn: &mut Conn, cfg: &DbConfig, p: &Principal, o: OrderCreate) -> Result<OrderRow> {
    p.require(Cap::ManageOrders)?;
    let title = o.title.trim();
    if title.is_empty() || title.chars().count() > 255 {
        return Err(Error::invalid("title must be 1 to 255 characters"));
    }
    let account = account_by_id(conn, cfg, o.account_id).await.map_err(|_| Error::invalid(format!("account {} does not exist", o.account_id)))?;
    if account.kind != AccountKind::Customer.as_str() {
        return Err(Error::invalid(format!("orders belong to customer accounts; account {} is consolidated", account.id)));
    }
    let status = status(conn, cfg, o.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("received")).await?;
    let created = o.created_at.unwrap_or_else(now);
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    let reference = match o.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if !valid_reference(r) => return Err(Error::invalid(format!("reference \"{r}\" may only use letters, digits and - _ . / (64 at most)"))),
        Some(r) => r.to_string(),
        None => next_reference(&mut tx, cfg).await?,
    };
    let visible = if status.customer_visible { status.key.clone() } else { "received".to_string() };
    let (delivery_method, delivery_info) = o.delivery.clone().map_or((None, String::new()), |(m, i)| (Some(m), i));
    let (cost, price) = o.cost_cents.map_or((None, None), |(c, p)| (Some(c), Some(p)));
    let insert = tx
        .exec_drop(
            format!(
                "INSERT INTO {} (account_id, reference, title, status_key, visible_status_key, is_closed, promised_date, expected_date,
                    completed_at, delivery_method, delivery_info, customer_note, internal_note, cost_cents, price_cents, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                cfg.table("orders")
            ),
            mysql_async::Params::Positional(vec![
                o.account_id.into(),
                reference.as_str().into(),
                title.into(),
                status.key.as_str().into(),
                visible.as_str().into(),
                status.closed.into(),
                o.promised.into(),
                o.expected.into(),
                status.closed.then_some(created).into(),
                delivery_method.into(),
                delivery_info.into(),
                o.note.clone().unwrap_or_default().into(),
                o.internal_note.clone().unwrap_or_default().into(),
                cost.into(),
                price.into(),
                created.into(),
                created.into(),
            ]),
        )
        .await;
    if let Err(mysql_async::Error::Server(ref e)) = insert {
        if e.code == 1062 {
            return Err(Error::invalid(format!("an order with reference \"{reference}\" already exists")));
        }
    }
    insert?;
    let order_id = tx.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?;
    tx.exec_drop(
        format!("INSERT INTO {} (order_id, status_key, changed_at, changed_by) VALUES (?, ?, ?, ?)", cfg.table("status_history")),
        (order_id, status.key.as_str(), created, p.user_id),
    )
    .await?;
    tx.commit().await?;
    order_by_reference(conn, cfg, &reference).await
}

/// `PQ-<n>` one above the highest numeric PQ reference (run inside the
/// creating transaction; the unique key catches a race).
async fn next_reference(tx: &mut mysql_async::Transaction<'_>, cfg: &DbConfig) -> Result<String> {
    let max: Option<Option<u64>> = tx
        .query_first(format!(
            "SELECT MAX(CAST(SUBSTRING(reference, 4) AS UNSIGNED)) FROM {} WHERE reference REGEXP '^PQ-[0-9]+$'",
            cfg.table("orders")
        ))
        .await?;
    Ok(format!("PQ-{}", max.flatten().unwrap_or(1000) + 1))
}

#[derive(Deserialize)]
pub struct OrderList {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub account_id: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub limit: Option<u64>,
}

pub async fn order_list(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: OrderList) -> Result<Vec<OrderRow>> {
    p.require(Cap::ManageOrders)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 100_000);
    let rows: Vec<Row> = match q.account_id {
        Some(id) => conn.exec(order_sql(cfg, "WHERE o.account_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?"), (id, limit)).await?,
        None => conn.exec(order_sql(cfg, "ORDER BY o.created_at DESC, o.id DESC LIMIT ?"), (limit,)).await?,
    };
    Ok(rows.into_iter().map(|mut r| order_row(&mut r)).collect())
}

#[derive(Deserialize)]
pub struct SetStatus {
    pub reference: String,
    pub status: String,
}

/// Change the internal status; the customer-facing status follows only when
/// the new status is one customers see.
pub async fn order_set_status(conn: &mut Conn, cfg: &DbConfig, p: &Principal, s: SetStatus) -> Result<OrderRow> {
    p.require(Cap::ManageOrders)?;
    let before = order_by_reference(conn, cfg, s.reference.trim()).await.ok().map(|o| o.status);
    let row = set_status_at(conn, cfg, p, &s.reference, &s.status, now()).await?;
    // Best effort: the status change is saved whatever happens to the notice.
    let _ = crate::notify::status_changed(conn, cfg, before.as_deref(), &row).await;
    Ok(row)
}

pub(crate) async fn set_status_at(conn: &mut Conn, cfg: &DbConfig, p: &Principal, reference: &str, key: &str, at: NaiveDateTime) -> Result<OrderRow> {
    let status = status(conn, cfg, key.trim()).await?;
    let order = order_by_reference(conn, cfg, reference.trim()).await?;
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    tx.exec_drop(
        format!(
            "UPDATE {} SET status_key = ?, is_closed = ?, updated_at = ?,
                 visible_status_key = IF(?, ?, visible_status_key),
                 completed_at = IF(?, COALESCE(completed_at, ?), NULL)
             WHERE id = ?",
            cfg.table("orders")
        ),
        mysql_async::Params::Positional(vec![
            status.key.as_str().into(),
            status.closed.into(),
            at.into(),
            status.customer_visible.into(),
            status.key.as_str().into(),
            status.closed.into(),
            at.into(),
            order.id.into(),
        ]),
    )
    .await?;
    tx.exec_drop(
        format!("INSERT INTO {} (order_id, status_key, changed_at, changed_by) VALUES (?, ?, ?, ?)", cfg.table("status_history")),
        (order.id, status.key.as_str(), at, p.user_id),
    )
    .await?;
    tx.commit().await?;
    order_by_reference(conn, cfg, &order.reference).await
}

#[derive(Deserialize)]
pub struct AccessCheck {
    #[serde(deserialize_with = "de_u64")]
    pub user_id: u64,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub caps: Vec<String>,
    pub reference: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct AccessVerdict {
    pub allowed: bool,
    pub reason: String,
}

/// Would this user see this order in the panel, and why (not)? Uses the very
/// same gate as the panel.
pub async fn access_check(conn: &mut Conn, cfg: &DbConfig, p: &Principal, a: AccessCheck) -> Result<AccessVerdict> {
    p.require(Cap::ManageAccounts)?;
    let subject = Principal::from_json(serde_json::json!({"user_id": a.user_id, "caps": a.caps}))?;
    let links = store::load_links(conn, cfg, a.user_id).await?;
    let denied = |reason: String| Ok(AccessVerdict { allowed: false, reason });
    let scope = match access::panel_scope(&subject, &links) {
        Ok(s) => s,
        Err(why) => return denied(why.reason().to_string()),
    };
    let reference = a.reference.trim();
    if let Some(order) = store::find_order(conn, cfg, &scope, reference).await? {
        let account = scope.get(order.summary.account_id).expect("find_order only returns orders in scope");
        return Ok(AccessVerdict {
            allowed: true,
            reason: format!("order of {}, which the user can see as {}", account.name, account.role.as_str()),
        });
    }
    let exists: Option<u64> = conn.exec_first(format!("SELECT account_id FROM {} WHERE reference = ?", cfg.table("orders")), (reference,)).await?;
    match exists {
        None => denied(format!("there is no order {reference}")),
        Some(_) => denied(format!(
            "order {reference} belongs to an account outside the user's scope ({})",
            scope.accounts().iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

pub(crate) async fn account_ids_by_name(conn: &mut Conn, cfg: &DbConfig, names: &[&str]) -> Result<Vec<(String, u64)>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT name, id FROM {} WHERE name IN ({})", cfg.table("accounts"), placeholders(names.len()));
    Ok(conn.exec(sql, names.to_vec()).await?)
}

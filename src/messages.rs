//! The conversation on an order: customer-safe messages, internal notes,
//! read receipts, unread counts and the customer's notification area.
//!
//! **Internal notes cannot reach a customer by construction**: every
//! customer-side read in this module goes through `CUSTOMER_THREAD_SQL` /
//! `CustomerMessage`, whose query hard-codes `m.internal = 0` and whose struct
//! has no flag or field for internal data (a unit test checks every
//! customer-side statement carries the filter). Staff reads use
//! `StaffMessage`, which only staff actions (capability `pqm_manage_orders`)
//! can produce.
//!
//! Who may read/post on an order's thread is the panel's own gate: the order
//! must be in `access::panel_scope` of the principal (`store::find_order`),
//! so a foreign order answers exactly like a missing one.

use crate::access;
use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::linkify;
use crate::notify::{self, CustomerMail, MailJob, StaffMail};
use crate::params::{de_bool, de_opt_u64};
use crate::principal::{Cap, Principal};
use crate::schema::Migration;
use crate::store::{self, placeholders, take};
use chrono::{NaiveDateTime, Utc};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, TxOpts, Value as SqlValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Longest message body, in characters (said in the form).
pub const MAX_BODY_CHARS: usize = 5000;
/// Customer posts per user per minute unless the site configures another limit.
pub const DEFAULT_RATE_LIMIT: u64 = 10;
const RATE_WINDOW_SECONDS: i64 = 60;
/// A thread page in wp-admin never returns more than this many threads.
pub const MAX_PER_PAGE: u64 = 100;

pub const MIGRATION: Migration = Migration {
    version: 2,
    name: "messages, threads, read receipts, notifications, notification preferences",
    statements: &[
        "CREATE TABLE IF NOT EXISTS {p}messages (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            order_id BIGINT UNSIGNED NOT NULL,
            account_id BIGINT UNSIGNED NOT NULL,
            author_user_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            author_kind ENUM('customer','staff') NOT NULL,
            author_name VARCHAR(190) NOT NULL DEFAULT '',
            internal TINYINT(1) NOT NULL DEFAULT 0,
            body TEXT NOT NULL,
            client_token VARCHAR(64) NULL,
            created_at DATETIME NOT NULL,
            UNIQUE KEY client_token (author_user_id, client_token),
            KEY thread (order_id, internal, id),
            KEY author_recent (author_user_id, created_at),
            FULLTEXT KEY body_search (body)
        ) {options}",
        // One row per order with messages: the staff inbox reads only this.
        "CREATE TABLE IF NOT EXISTS {p}threads (
            order_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
            account_id BIGINT UNSIGNED NOT NULL,
            message_count INT UNSIGNED NOT NULL DEFAULT 0,
            last_message_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            last_message_at DATETIME NOT NULL,
            last_customer_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            last_reply_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            awaiting_reply TINYINT(1) NOT NULL DEFAULT 0,
            staff_seen_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            staff_seen_at DATETIME NULL,
            KEY inbox (awaiting_reply, last_message_id),
            KEY account_inbox (account_id, awaiting_reply, last_message_id)
        ) {options}",
        // Customer logins' read position per order (the staff side's "seen by customer").
        "CREATE TABLE IF NOT EXISTS {p}message_reads (
            order_id BIGINT UNSIGNED NOT NULL,
            user_id BIGINT UNSIGNED NOT NULL,
            last_read_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
            read_at DATETIME NOT NULL,
            PRIMARY KEY (order_id, user_id),
            KEY user (user_id)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}notifications (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            user_id BIGINT UNSIGNED NOT NULL,
            order_id BIGINT UNSIGNED NOT NULL,
            kind ENUM('message','status','file') NOT NULL,
            detail VARCHAR(190) NOT NULL DEFAULT '',
            created_at DATETIME NOT NULL,
            read_at DATETIME NULL,
            KEY user_unread (user_id, read_at, order_id),
            KEY order_kind (order_id, kind)
        ) {options}",
        "CREATE TABLE IF NOT EXISTS {p}user_prefs (
            user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
            email_notifications TINYINT(1) NOT NULL DEFAULT 1,
            updated_at DATETIME NOT NULL
        ) {options}",
    ],
};

pub(crate) fn now() -> NaiveDateTime {
    use chrono::Timelike;
    Utc::now().naive_utc().with_nanosecond(0).expect("0 ns")
}

// ---------------------------------------------------------------------------
// Customer side
// ---------------------------------------------------------------------------

/// A message as a customer may see it. There is deliberately no `internal`
/// field: the only query that builds it cannot select internal notes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CustomerMessage {
    pub id: u64,
    pub from_staff: bool,
    pub author_user_id: u64,
    pub author_name: String,
    pub body: String,
    pub created_at: NaiveDateTime,
}

/// Every statement that feeds a customer carries `m.internal = 0`.
const CUSTOMER_THREAD_SQL: &str = "SELECT m.id, m.author_kind = 'staff', m.author_user_id, m.author_name, m.body, m.created_at
       FROM {messages} m WHERE m.order_id = ? AND m.internal = 0 ORDER BY m.id";

fn sql(cfg: &DbConfig, s: &str) -> String {
    s.replace("{messages}", &cfg.table("messages"))
        .replace("{threads}", &cfg.table("threads"))
        .replace("{reads}", &cfg.table("message_reads"))
        .replace("{notifications}", &cfg.table("notifications"))
        .replace("{orders}", &cfg.table("orders"))
        .replace("{accounts}", &cfg.table("accounts"))
        .replace("{prefs}", &cfg.table("user_prefs"))
        .replace("{tasks}", &cfg.table("tasks"))
        .replace("{statuses}", &cfg.table("statuses"))
}

/// The thread of an order the caller already found *in the customer's scope*.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CustomerThread {
    pub messages: Vec<CustomerMessage>,
    /// Highest message id the shop has seen, and when.
    pub staff_seen_id: u64,
    pub staff_seen_at: Option<NaiveDateTime>,
    pub email_notifications: bool,
}

/// Load the customer thread and, when `record_read` (not in a staff
/// preview), mark it and the order's notifications read for `user_id`.
/// Idempotent, so a retried read is harmless.
pub async fn open_customer_thread(conn: &mut Conn, cfg: &DbConfig, user_id: u64, order_id: u64, record_read: bool) -> Result<CustomerThread> {
    let messages: Vec<CustomerMessage> = conn
        .exec_map(sql(cfg, CUSTOMER_THREAD_SQL), (order_id,), |(id, from_staff, author_user_id, author_name, body, created_at)| CustomerMessage {
            id,
            from_staff,
            author_user_id,
            author_name,
            body,
            created_at,
        })
        .await?;
    // One round trip for the read state; writes only when something changed.
    let state: Option<Row> = conn
        .exec_first(
            sql(
                cfg,
                "SELECT (SELECT staff_seen_id FROM {threads} WHERE order_id = ?),
                        (SELECT staff_seen_at FROM {threads} WHERE order_id = ?),
                        (SELECT last_read_id FROM {reads} WHERE order_id = ? AND user_id = ?),
                        EXISTS(SELECT 1 FROM {notifications} WHERE user_id = ? AND read_at IS NULL AND order_id = ?),
                        (SELECT email_notifications FROM {prefs} WHERE user_id = ?)",
            ),
            (order_id, order_id, order_id, user_id, user_id, order_id, user_id),
        )
        .await?;
    let mut state = state.ok_or_else(|| Error::Database("no row".into()))?;
    let staff_seen_id: u64 = take::<Option<u64>>(&mut state, 0).unwrap_or(0);
    let staff_seen_at: Option<NaiveDateTime> = take(&mut state, 1);
    let last_read: u64 = take::<Option<u64>>(&mut state, 2).unwrap_or(0);
    let unread_notices: bool = take(&mut state, 3);
    let email_notifications = take::<Option<bool>>(&mut state, 4).unwrap_or(true);
    if let Some(last) = messages.last().filter(|m| record_read && m.id > last_read) {
        conn.exec_drop(
            sql(
                cfg,
                "INSERT INTO {reads} (order_id, user_id, last_read_id, read_at) VALUES (?, ?, ?, ?)
                 ON DUPLICATE KEY UPDATE read_at = IF(VALUES(last_read_id) > last_read_id, VALUES(read_at), read_at),
                                         last_read_id = GREATEST(last_read_id, VALUES(last_read_id))",
            ),
            (order_id, user_id, last.id, now()),
        )
        .await?;
    }
    if record_read && unread_notices {
        conn.exec_drop(
            sql(cfg, "UPDATE {notifications} SET read_at = ? WHERE user_id = ? AND order_id = ? AND read_at IS NULL"),
            (now(), user_id, order_id),
        )
        .await?;
    }
    Ok(CustomerThread { messages, staff_seen_id, staff_seen_at, email_notifications })
}

/// One line of the customer's notification area.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notice {
    pub reference: String,
    pub kind: String,
    pub count: u64,
    /// Customer label of the new status, or the file name.
    pub detail: String,
    pub latest: NaiveDateTime,
}

/// What the order list needs beyond the orders: unread message counts per
/// reference and the unread notifications, both within `scope` only.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PanelExtras {
    pub unread: HashMap<String, u64>,
    pub notices: Vec<Notice>,
    pub email_notifications: bool,
}

pub async fn panel_extras(conn: &mut Conn, cfg: &DbConfig, user_id: u64, scope: &access::Scope) -> Result<PanelExtras> {
    let mut extras = PanelExtras { email_notifications: email_enabled(conn, cfg, user_id).await?, ..Default::default() };
    if scope.is_empty() {
        return Ok(extras);
    }
    let mut params: Vec<SqlValue> = vec![user_id.into()];
    params.extend(scope.account_ids().into_iter().map(SqlValue::from));
    let rows: Vec<Row> = conn
        .exec(
            sql(
                cfg,
                &format!(
                    "SELECT o.reference, n.kind, COUNT(*), MAX(n.detail), MAX(n.created_at), MAX(n.id) AS latest_id
                       FROM {{notifications}} n JOIN {{orders}} o ON o.id = n.order_id
                      WHERE n.user_id = ? AND n.read_at IS NULL AND o.account_id IN ({})
                      GROUP BY o.reference, n.kind
                      ORDER BY latest_id DESC LIMIT 50",
                    placeholders(scope.accounts().len())
                ),
            ),
            params,
        )
        .await?;
    for mut r in rows {
        let n = Notice { reference: take(&mut r, 0), kind: take(&mut r, 1), count: take(&mut r, 2), detail: take(&mut r, 3), latest: take(&mut r, 4) };
        if n.kind == "message" {
            extras.unread.insert(n.reference.clone(), n.count);
        }
        extras.notices.push(n);
    }
    Ok(extras)
}

async fn email_enabled(conn: &mut Conn, cfg: &DbConfig, user_id: u64) -> Result<bool> {
    let v: Option<bool> = conn.exec_first(sql(cfg, "SELECT email_notifications FROM {prefs} WHERE user_id = ?"), (user_id,)).await?;
    Ok(v.unwrap_or(true))
}

// ---------------------------------------------------------------------------
// Posting
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct CustomerPost {
    pub reference: String,
    pub body: String,
    #[serde(default)]
    pub client_token: String,
    #[serde(default)]
    pub author_name: String,
    /// Posts per minute for this user; 0 = the default.
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub rate_limit: Option<u64>,
    /// Staff users (id, login, name) who may be notified; from WordPress.
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub staff: Vec<StaffUser>,
}

#[derive(Deserialize, Clone, Debug, Default)]
pub struct StaffUser {
    #[serde(deserialize_with = "crate::params::de_u64")]
    pub id: u64,
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
pub struct StaffPost {
    pub reference: String,
    pub body: String,
    #[serde(default, deserialize_with = "de_bool")]
    pub internal: bool,
    #[serde(default)]
    pub client_token: String,
    #[serde(default)]
    pub author_name: String,
    /// Who posts; WP-CLI `--as=<user>` (the principal of WP-CLI is user 0).
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub author_user_id: Option<u64>,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub staff: Vec<StaffUser>,
}

/// Why a post was refused (shown to the customer by the plugin, translated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    Empty,
    TooLong,
    RateLimited,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PostOutcome {
    /// `created`, `duplicate` (same client token: the earlier message) or `rejected`.
    pub status: &'static str,
    pub reason: Option<Rejection>,
    pub message_id: Option<u64>,
    pub chars: usize,
    pub max_chars: usize,
    /// User ids e-mailed about this post (queued for `mail.pending`).
    pub notified: Vec<u64>,
}

impl PostOutcome {
    fn rejected(reason: Rejection, chars: usize) -> PostOutcome {
        PostOutcome { status: "rejected", reason: Some(reason), message_id: None, chars, max_chars: MAX_BODY_CHARS, notified: vec![] }
    }
}

/// Normalise line endings; refuse empty and over-long bodies.
pub fn clean_body(body: &str) -> std::result::Result<String, (Rejection, usize)> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "");
    let body = body.trim_end().trim_start_matches(['\n', ' ']).to_string();
    let chars = body.chars().count();
    if body.trim().is_empty() {
        Err((Rejection::Empty, 0))
    } else if chars > MAX_BODY_CHARS {
        Err((Rejection::TooLong, chars))
    } else {
        Ok(body)
    }
}

fn clean_token(t: &str) -> Result<Option<String>> {
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() > 64 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::invalid("client_token: up to 64 letters, digits, - and _"));
    }
    Ok(Some(t.to_string()))
}

fn short_name(n: &str) -> String {
    n.trim().chars().take(190).collect()
}

struct NewMessage<'a> {
    order_id: u64,
    account_id: u64,
    author_user_id: u64,
    staff: bool,
    author_name: String,
    internal: bool,
    body: &'a str,
    token: Option<String>,
    rate_limit: u64,
}

enum Inserted {
    Created(u64, NaiveDateTime),
    Duplicate(u64),
    RateLimited,
}

/// Insert one message atomically: the order row is locked for the
/// transaction, so posts to one thread are serialised (ids = thread order),
/// the client token is checked under the lock (a retried post returns the
/// first message) and the thread summary moves with the message. Deadlocks
/// are retried; nothing is ever half-written.
async fn insert_message(conn: &mut Conn, cfg: &DbConfig, m: &NewMessage<'_>) -> Result<Inserted> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_insert(conn, cfg, m).await {
            Err(Error::Database(e)) if attempt < 4 && (e.contains("1213") || e.contains("1205")) => continue,
            Err(Error::Database(e)) if e.contains("server 1062") => {
                // A concurrent retry with the same token won the race.
                if let Some(token) = &m.token {
                    if let Some(id) = existing_token(conn, cfg, m.author_user_id, token).await? {
                        return Ok(Inserted::Duplicate(id));
                    }
                }
                return Err(Error::Database(e));
            }
            other => return other,
        }
    }
}

async fn existing_token(conn: &mut Conn, cfg: &DbConfig, author: u64, token: &str) -> Result<Option<u64>> {
    Ok(conn.exec_first(sql(cfg, "SELECT id FROM {messages} WHERE author_user_id = ? AND client_token = ?"), (author, token)).await?)
}

async fn try_insert(conn: &mut Conn, cfg: &DbConfig, m: &NewMessage<'_>) -> Result<Inserted> {
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    match insert_in(&mut tx, cfg, m).await {
        Ok(Inserted::Created(id, at)) => {
            tx.commit().await?;
            Ok(Inserted::Created(id, at))
        }
        other => {
            // Roll back now, explicitly: a transaction merely dropped keeps
            // its locks (the order row) until the pooled connection is reused.
            let _ = tx.rollback().await;
            other
        }
    }
}

async fn insert_in(tx: &mut mysql_async::Transaction<'_>, cfg: &DbConfig, m: &NewMessage<'_>) -> Result<Inserted> {
    let locked: Option<u64> = tx.exec_first(sql(cfg, "SELECT id FROM {orders} WHERE id = ? FOR UPDATE"), (m.order_id,)).await?;
    if locked.is_none() {
        return Err(Error::NotFound);
    }
    if let Some(token) = &m.token {
        let dup: Option<u64> =
            tx.exec_first(sql(cfg, "SELECT id FROM {messages} WHERE author_user_id = ? AND client_token = ? FOR UPDATE"), (m.author_user_id, token)).await?;
        if let Some(id) = dup {
            return Ok(Inserted::Duplicate(id));
        }
    }
    let at = now();
    if m.rate_limit > 0 {
        let recent: Option<u64> = tx
            .exec_first(
                sql(cfg, "SELECT COUNT(*) FROM {messages} WHERE author_user_id = ? AND created_at > ?"),
                (m.author_user_id, at - chrono::Duration::seconds(RATE_WINDOW_SECONDS)),
            )
            .await?;
        if recent.unwrap_or(0) >= m.rate_limit {
            return Ok(Inserted::RateLimited);
        }
    }
    tx.exec_drop(
        sql(
            cfg,
            "INSERT INTO {messages} (order_id, account_id, author_user_id, author_kind, author_name, internal, body, client_token, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
        SqlValue::from_params(vec![
            m.order_id.into(),
            m.account_id.into(),
            m.author_user_id.into(),
            (if m.staff { "staff" } else { "customer" }).into(),
            m.author_name.as_str().into(),
            m.internal.into(),
            m.body.into(),
            m.token.clone().into(),
            at.into(),
        ]),
    )
    .await?;
    let id = tx.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?;
    let (is_customer, is_reply) = (!m.staff, m.staff && !m.internal);
    tx.exec_drop(
        sql(
            cfg,
            "INSERT INTO {threads} (order_id, account_id, message_count, last_message_id, last_message_at, last_customer_id, last_reply_id, awaiting_reply)
             VALUES (?, ?, 1, ?, ?, ?, ?, ?)
             ON DUPLICATE KEY UPDATE
                message_count = message_count + 1,
                last_message_id = VALUES(last_message_id),
                last_message_at = VALUES(last_message_at),
                last_customer_id = IF(?, VALUES(last_message_id), last_customer_id),
                last_reply_id = IF(?, VALUES(last_message_id), last_reply_id),
                awaiting_reply = last_customer_id > last_reply_id",
        ),
        SqlValue::from_params(vec![
            m.order_id.into(),
            m.account_id.into(),
            id.into(),
            at.into(),
            (if is_customer { id } else { 0 }).into(),
            (if is_reply { id } else { 0 }).into(),
            is_customer.into(),
            is_customer.into(),
            is_reply.into(),
        ]),
    )
    .await?;
    if m.staff {
        // Staff wrote in the thread: they have seen everything up to here.
        tx.exec_drop(sql(cfg, "UPDATE {threads} SET staff_seen_id = ?, staff_seen_at = ? WHERE order_id = ?"), (id, at, m.order_id)).await?;
    }
    Ok(Inserted::Created(id, at))
}

/// Trait-free helper: positional params from values.
trait FromParams {
    fn from_params(v: Vec<SqlValue>) -> mysql_async::Params;
}
impl FromParams for SqlValue {
    fn from_params(v: Vec<SqlValue>) -> mysql_async::Params {
        mysql_async::Params::Positional(v)
    }
}

/// A customer posts on an order of their scope.
pub async fn post_customer(conn: &mut Conn, cfg: &DbConfig, p: &Principal, post: CustomerPost) -> Result<PostOutcome> {
    let links = store::load_links(conn, cfg, p.user_id).await?;
    let scope = access::panel_scope(p, &links).map_err(|_| Error::NotFound)?;
    let reference = post.reference.trim();
    if reference.is_empty() || reference.len() > 64 {
        return Err(Error::NotFound);
    }
    let order = store::find_order(conn, cfg, &scope, reference).await?.ok_or(Error::NotFound)?;
    let body = match clean_body(&post.body) {
        Ok(b) => b,
        Err((why, chars)) => return Ok(PostOutcome::rejected(why, chars)),
    };
    let token = clean_token(&post.client_token)?;
    let m = NewMessage {
        order_id: order.order_id,
        account_id: order.summary.account_id,
        author_user_id: p.user_id,
        staff: false,
        author_name: short_name(&post.author_name),
        internal: false,
        body: &body,
        token,
        rate_limit: post.rate_limit.filter(|&n| n > 0).unwrap_or(DEFAULT_RATE_LIMIT),
    };
    let chars = body.chars().count();
    match insert_message(conn, cfg, &m).await? {
        Inserted::RateLimited => Ok(PostOutcome::rejected(Rejection::RateLimited, chars)),
        Inserted::Duplicate(id) => Ok(PostOutcome { status: "duplicate", reason: None, message_id: Some(id), chars, max_chars: MAX_BODY_CHARS, notified: vec![] }),
        Inserted::Created(id, at) => {
            let recipients = notify::staff_recipients_for_order(conn, cfg, order.order_id, &post.staff, p.user_id).await?;
            for &user_id in &recipients {
                notify::queue(MailJob::ToStaff(StaffMail {
                    user_id,
                    reference: order.summary.reference.clone(),
                    title: order.summary.title.clone(),
                    author: m.author_name.clone(),
                    body: body.clone(),
                    internal: false,
                    mention: false,
                    at,
                }));
            }
            Ok(PostOutcome { status: "created", reason: None, message_id: Some(id), chars, max_chars: MAX_BODY_CHARS, notified: recipients })
        }
    }
}

/// Staff reply (customer-visible) or internal note.
pub async fn post_staff(conn: &mut Conn, cfg: &DbConfig, p: &Principal, post: StaffPost) -> Result<PostOutcome> {
    p.require(Cap::ManageOrders)?;
    let order = staff_order(conn, cfg, post.reference.trim()).await?;
    let body = match clean_body(&post.body) {
        Ok(b) => b,
        Err((Rejection::Empty, _)) => return Err(Error::invalid("the message is empty")),
        Err((_, chars)) => return Err(Error::invalid(format!("the message has {chars} characters; at most {MAX_BODY_CHARS} are allowed"))),
    };
    let author = post.author_user_id.unwrap_or(p.user_id);
    let m = NewMessage {
        order_id: order.id,
        account_id: order.account_id,
        author_user_id: author,
        staff: true,
        author_name: short_name(&post.author_name),
        internal: post.internal,
        body: &body,
        token: clean_token(&post.client_token)?,
        rate_limit: 0,
    };
    let chars = body.chars().count();
    let (id, at) = match insert_message(conn, cfg, &m).await? {
        Inserted::Created(id, at) => (id, at),
        Inserted::Duplicate(id) => return Ok(PostOutcome { status: "duplicate", reason: None, message_id: Some(id), chars, max_chars: MAX_BODY_CHARS, notified: vec![] }),
        Inserted::RateLimited => unreachable!("staff posts are not rate limited"),
    };
    let mut notified = Vec::new();
    if post.internal {
        // Internal notes: only the @mentioned staff, never a customer.
        let mentioned = notify::mentioned(&body, &post.staff, author);
        for user_id in notify::without_opted_out(conn, cfg, mentioned).await? {
            notify::queue(MailJob::ToStaff(StaffMail {
                user_id,
                reference: order.reference.clone(),
                title: order.title.clone(),
                author: m.author_name.clone(),
                body: body.clone(),
                internal: true,
                mention: true,
                at,
            }));
            notified.push(user_id);
        }
    } else {
        let customers = notify::customer_users_of(conn, cfg, order.account_id).await?;
        notify::add_notifications(conn, cfg, &customers, order.id, "message", "").await?;
        for user_id in notify::without_opted_out(conn, cfg, customers).await? {
            notify::queue(MailJob::ToCustomer(CustomerMail::message(user_id, &order.reference, &order.title, &m.author_name, &body, at)));
            notified.push(user_id);
        }
    }
    Ok(PostOutcome { status: "created", reason: None, message_id: Some(id), chars, max_chars: MAX_BODY_CHARS, notified })
}

/// Demo data: one message as it would have been posted (no notifications).
/// Returns false when the order does not exist.
pub(crate) async fn seed_message(conn: &mut Conn, cfg: &DbConfig, reference: &str, author_user_id: u64, staff: bool, author_name: &str, internal: bool, body: &str) -> Result<bool> {
    let order = match staff_order(conn, cfg, reference).await {
        Ok(o) => o,
        Err(Error::NotFound) => return Ok(false),
        Err(e) => return Err(e),
    };
    let m = NewMessage {
        order_id: order.id,
        account_id: order.account_id,
        author_user_id,
        staff,
        author_name: author_name.to_string(),
        internal: internal && staff,
        body,
        token: None,
        rate_limit: 0,
    };
    insert_message(conn, cfg, &m).await?;
    Ok(true)
}

pub(crate) async fn has_messages(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<bool> {
    let n: Option<u64> = conn
        .exec_first(sql(cfg, "SELECT COUNT(*) FROM {messages} m JOIN {orders} o ON o.id = m.order_id WHERE o.reference = ?"), (reference,))
        .await?;
    Ok(n.unwrap_or(0) > 0)
}

// ---------------------------------------------------------------------------
// Staff side
// ---------------------------------------------------------------------------

pub(crate) struct StaffOrder {
    pub id: u64,
    pub account_id: u64,
    pub account: String,
    pub reference: String,
    pub title: String,
    pub status_label: String,
}

pub(crate) async fn staff_order(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<StaffOrder> {
    let row: Option<Row> = conn
        .exec_first(
            sql(
                cfg,
                "SELECT o.id, o.account_id, a.name, o.reference, o.title, COALESCE(s.internal_label, o.status_key)
                   FROM {orders} o JOIN {accounts} a ON a.id = o.account_id
                   LEFT JOIN {statuses} s ON s.status_key = o.status_key
                  WHERE o.reference = ?",
            ),
            (reference,),
        )
        .await?;
    let mut r = row.ok_or(Error::NotFound)?;
    Ok(StaffOrder {
        id: take(&mut r, 0),
        account_id: take(&mut r, 1),
        account: take(&mut r, 2),
        reference: take(&mut r, 3),
        title: take(&mut r, 4),
        status_label: take(&mut r, 5),
    })
}

/// A message as staff see it (internal notes included, marked).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StaffMessage {
    pub id: u64,
    pub author_kind: String,
    pub author_user_id: u64,
    pub author_name: String,
    pub internal: bool,
    pub body: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    /// Customer-visible staff message a customer login has read (and when, latest read).
    pub seen_by_customer: bool,
    pub seen_at: Option<NaiveDateTime>,
}

#[derive(Deserialize)]
pub struct ThreadQuery {
    pub reference: String,
    /// Opening the thread in wp-admin marks it seen by the shop.
    #[serde(default, deserialize_with = "de_bool")]
    pub mark_seen: bool,
}

#[derive(Debug, Serialize)]
pub struct StaffThread {
    pub reference: String,
    pub title: String,
    pub account_id: u64,
    pub account: String,
    pub status: String,
    pub messages: Vec<StaffMessage>,
}

pub async fn staff_thread(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: ThreadQuery) -> Result<StaffThread> {
    p.require(Cap::ManageOrders)?;
    let order = staff_order(conn, cfg, q.reference.trim()).await?;
    let read: Option<(Option<u64>, Option<NaiveDateTime>)> =
        conn.exec_first(sql(cfg, "SELECT MAX(last_read_id), MAX(read_at) FROM {reads} WHERE order_id = ?"), (order.id,)).await?;
    let (read_id, read_at) = read.map(|(a, b)| (a.unwrap_or(0), b)).unwrap_or((0, None));
    let rows: Vec<Row> = conn
        .exec(
            sql(cfg, "SELECT id, author_kind, author_user_id, author_name, internal, body, created_at FROM {messages} WHERE order_id = ? ORDER BY id"),
            (order.id,),
        )
        .await?;
    let messages: Vec<StaffMessage> = rows
        .into_iter()
        .map(|mut r| {
            let id: u64 = take(&mut r, 0);
            let author_kind: String = take(&mut r, 1);
            let internal: bool = take(&mut r, 4);
            let body: String = take(&mut r, 5);
            let seen = author_kind == "staff" && !internal && id <= read_id;
            StaffMessage {
                id,
                author_user_id: take(&mut r, 2),
                author_name: take(&mut r, 3),
                internal,
                body_html: linkify::to_html(&body),
                body,
                created_at: take(&mut r, 6),
                seen_by_customer: seen,
                seen_at: if seen { read_at } else { None },
                author_kind,
            }
        })
        .collect();
    if q.mark_seen {
        if let Some(last) = messages.last() {
            conn.exec_drop(
                sql(cfg, "UPDATE {threads} SET staff_seen_id = ?, staff_seen_at = ? WHERE order_id = ? AND staff_seen_id < ?"),
                (last.id, now(), order.id, last.id),
            )
            .await?;
        }
    }
    Ok(StaffThread { reference: order.reference, title: order.title, account_id: order.account_id, account: order.account, status: order.status_label, messages })
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub account_id: Option<u64>,
    #[serde(default, deserialize_with = "de_bool")]
    pub unread: bool,
    #[serde(default)]
    pub search: String,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub page: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct InboxRow {
    pub reference: String,
    pub title: String,
    pub account_id: u64,
    pub account: String,
    pub message_count: u64,
    pub last_message_at: NaiveDateTime,
    /// The last customer message has no customer-visible reply after it.
    pub awaiting_reply: bool,
    /// Customer messages the shop has not opened yet.
    pub unread: bool,
    pub last_author_kind: String,
    pub last_internal: bool,
    pub snippet: String,
}

#[derive(Debug, Serialize)]
pub struct Inbox {
    pub rows: Vec<InboxRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub per_page: u64,
}

/// Every thread, unanswered customer messages first, newest activity next.
/// Reads the one-row-per-order `threads` table through its `inbox` index,
/// so a page costs the same at 1M messages as at 100.
pub async fn inbox(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: InboxQuery) -> Result<Inbox> {
    p.require(Cap::ManageOrders)?;
    let per_page = q.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let mut filters = Vec::new();
    let mut params: Vec<SqlValue> = Vec::new();
    if let Some(a) = q.account_id {
        filters.push("t.account_id = ?".to_string());
        params.push(a.into());
    }
    if q.unread {
        filters.push("t.last_customer_id > t.staff_seen_id".to_string());
    }
    let search = q.search.trim();
    if !search.is_empty() {
        let like = format!("%{}%", search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let words: Vec<String> = search
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(|w| format!("+{w}*"))
            .collect();
        let mut any = vec!["o.reference LIKE ?".to_string(), "o.title LIKE ?".to_string()];
        params.push(like.clone().into());
        params.push(like.into());
        if !words.is_empty() {
            any.push(sql(cfg, "t.order_id IN (SELECT m.order_id FROM {messages} m WHERE MATCH(m.body) AGAINST (? IN BOOLEAN MODE))"));
            params.push(words.join(" ").into());
        }
        filters.push(format!("({})", any.join(" OR ")));
    }
    let where_sql = if filters.is_empty() { String::new() } else { format!("WHERE {}", filters.join(" AND ")) };
    // Orders are joined only to search their reference/title; otherwise the
    // page is picked from `threads` alone, walking the `inbox` index, and only
    // those rows are joined (a derived table with LIMIT is never merged).
    let join_orders = if search.is_empty() { String::new() } else { sql(cfg, "JOIN {orders} o ON o.id = t.order_id") };
    let threads = cfg.table("threads");
    let total: u64 = conn.exec_first(format!("SELECT COUNT(*) FROM {threads} t {join_orders} {where_sql}"), params.clone()).await?.unwrap_or(0);
    let pages = total.div_ceil(per_page).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    params.push(per_page.into());
    params.push(((page - 1) * per_page).into());
    let rows: Vec<Row> = conn
        .exec(
            sql(
                cfg,
                &format!(
                    "SELECT o.reference, o.title, p.account_id, a.name, p.message_count, p.last_message_at, p.awaiting_reply,
                            p.unread, lm.author_kind, lm.internal, LEFT(lm.body, 160)
                       FROM (SELECT t.order_id, t.account_id, t.message_count, t.last_message_id, t.last_message_at, t.awaiting_reply,
                                    t.last_customer_id > t.staff_seen_id AS unread
                               FROM {{threads}} t {join_orders} {where_sql}
                              ORDER BY t.awaiting_reply DESC, t.last_message_id DESC
                              LIMIT ? OFFSET ?) p
                       JOIN {{orders}} o ON o.id = p.order_id
                       JOIN {{accounts}} a ON a.id = p.account_id
                       JOIN {{messages}} lm ON lm.id = p.last_message_id
                      ORDER BY p.awaiting_reply DESC, p.last_message_id DESC"
                ),
            ),
            params,
        )
        .await?;
    let rows = rows
        .into_iter()
        .map(|mut r| InboxRow {
            reference: take(&mut r, 0),
            title: take(&mut r, 1),
            account_id: take(&mut r, 2),
            account: take(&mut r, 3),
            message_count: take(&mut r, 4),
            last_message_at: take(&mut r, 5),
            awaiting_reply: take(&mut r, 6),
            unread: take(&mut r, 7),
            last_author_kind: take(&mut r, 8),
            last_internal: take(&mut r, 9),
            snippet: take(&mut r, 10),
        })
        .collect();
    Ok(Inbox { rows, total, page, pages, per_page })
}

// ---------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct PrefsSet {
    #[serde(deserialize_with = "de_bool")]
    pub email_notifications: bool,
}

/// A logged-in user turns their notification e-mails on or off.
pub async fn prefs_set(conn: &mut Conn, cfg: &DbConfig, p: &Principal, s: PrefsSet) -> Result<Value> {
    if !p.is_logged_in() {
        return Err(Error::AccessDenied("log in first".into()));
    }
    conn.exec_drop(
        sql(
            cfg,
            "INSERT INTO {prefs} (user_id, email_notifications, updated_at) VALUES (?, ?, ?)
             ON DUPLICATE KEY UPDATE email_notifications = VALUES(email_notifications), updated_at = VALUES(updated_at)",
        ),
        (p.user_id, s.email_notifications, now()),
    )
    .await?;
    Ok(json!({ "user_id": p.user_id, "email_notifications": s.email_notifications }))
}

pub async fn prefs_get(conn: &mut Conn, cfg: &DbConfig, p: &Principal) -> Result<Value> {
    Ok(json!({ "user_id": p.user_id, "email_notifications": email_enabled(conn, cfg, p.user_id).await? }))
}

// ---------------------------------------------------------------------------
// Dispatch (called from actions.rs)
// ---------------------------------------------------------------------------

pub const NAMES: &[&str] = &["message.post", "message.staff_post", "message.thread", "message.list", "message.inbox", "prefs.get", "prefs.set"];

pub fn mode(name: &str) -> crate::worker::Mode {
    match name {
        "message.list" | "message.inbox" | "prefs.get" => crate::worker::Mode::Read,
        _ => crate::worker::Mode::Write,
    }
}

fn to_json<T: Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Template(format!("serialise result: {e}")))
}

pub async fn dispatch(name: &str, conn: &mut Conn, cfg: &DbConfig, p: &Principal, params: Value) -> Result<Value> {
    use crate::params::decode;
    match name {
        "message.post" => to_json(post_customer(conn, cfg, p, decode(name, params)?).await?),
        "message.staff_post" => to_json(post_staff(conn, cfg, p, decode(name, params)?).await?),
        "message.thread" => to_json(staff_thread(conn, cfg, p, decode(name, params)?).await?),
        "message.list" => {
            let q: ThreadQuery = decode(name, params)?;
            to_json(staff_thread(conn, cfg, p, ThreadQuery { mark_seen: false, ..q }).await?)
        }
        "message.inbox" => to_json(inbox(conn, cfg, p, decode(name, params)?).await?),
        "prefs.get" => prefs_get(conn, cfg, p).await,
        "prefs.set" => prefs_set(conn, cfg, p, decode(name, params)?).await,
        _ => Err(Error::invalid(format!("unknown action \"{name}\""))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_statements_cannot_select_internal_notes() {
        for s in [CUSTOMER_THREAD_SQL] {
            assert!(s.contains("m.internal = 0"), "{s}");
        }
    }

    #[test]
    fn bodies_are_cleaned_and_bounded() {
        assert_eq!(clean_body("  \r\n hi\r\nthere \n\n").unwrap(), "hi\nthere");
        assert_eq!(clean_body(" \n\t ").unwrap_err().0, Rejection::Empty);
        assert!(clean_body(&"é".repeat(MAX_BODY_CHARS)).is_ok());
        assert_eq!(clean_body(&"é".repeat(MAX_BODY_CHARS + 1)).unwrap_err(), (Rejection::TooLong, MAX_BODY_CHARS + 1));
    }

    #[test]
    fn tokens_are_bounded() {
        assert_eq!(clean_token(" ab-12_C ").unwrap().as_deref(), Some("ab-12_C"));
        assert_eq!(clean_token("").unwrap(), None);
        assert!(clean_token("x y").is_err());
        assert!(clean_token(&"a".repeat(65)).is_err());
    }
}

//! The staff workspace (wp-admin screens and the full `wp pqm` command set):
//! the order list with search/filters/sorting at 1M orders, the order screen,
//! order/task edits, account and login management, status settings (with
//! the customer-visible status of every affected order recomputed) and the
//! demo reset. Every operation checks its capability here, in Rust.

use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::params::{de_bool, de_lenient, de_opt_date, de_opt_u64, de_u64};
use crate::principal::{Cap, Principal};
use crate::staff::{self, now, AccountRow, OrderRow, StatusRow};
use crate::store::{placeholders, take};
use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row, TxOpts, Value};
use serde::{Deserialize, Serialize};

/// Above this many matches the list says "more than 2,000" instead of
/// counting on: an exact COUNT(*) over 1M rows costs ~100 ms, and a filter
/// that needs a semi-join per row (department) costs ~25 µs per match.
/// 2,000 matches are 100 pages of 20 — past that, staff narrow the search.
/// A search answered by the bounded scan (`SearchBudget`) that ran out of rows
/// reports "more than <matches found so far>" instead.
pub const COUNT_CAP: u64 = 2_000;
pub const MAX_PER_PAGE: u64 = 1_000;
const MAX_SEARCH_LEN: usize = 100;

// ------------------------------------------------------------------ orders

#[derive(Deserialize, Default, Debug)]
pub struct OrderSearch {
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub account_id: Option<u64>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub to: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_bool")]
    pub overdue: bool,
    /// `open`, `closed` or empty (all).
    #[serde(default)]
    pub state: Option<String>,
    /// The site's "today" (for overdue); default: today in UTC.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub today: Option<NaiveDate>,
    #[serde(default)]
    pub orderby: Option<String>,
    #[serde(default)]
    pub order: Option<String>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub page: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub per_page: Option<u64>,
    /// Also return the dropdown choices of the list screen.
    #[serde(default, deserialize_with = "de_bool")]
    pub with_options: bool,
    /// Search every order however long it takes, instead of answering from
    /// the newest ones when the full-text search would be slow.
    #[serde(default, deserialize_with = "de_bool")]
    pub complete: bool,
}

/// What the screens' dropdowns offer (statuses, accounts, departments), so a
/// screen needs one bridge call, not one per dropdown.
#[derive(Debug, Serialize)]
pub struct ScreenOptions {
    pub statuses: Vec<StatusRow>,
    pub accounts: Vec<AccountChoice>,
    pub departments: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AccountChoice {
    pub id: u64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<u64>,
}

pub async fn screen_options(conn: &mut Conn, cfg: &DbConfig) -> Result<ScreenOptions> {
    let statuses = staff::statuses(conn, cfg).await?;
    let rows: Vec<Row> = conn.query(format!("SELECT id, name, kind, parent_id FROM {} ORDER BY name, id", cfg.table("accounts"))).await?;
    let accounts = rows
        .into_iter()
        .map(|mut r| AccountChoice { id: take(&mut r, 0), name: take(&mut r, 1), kind: take(&mut r, 2), parent_id: take(&mut r, 3) })
        .collect();
    let departments: Vec<String> =
        conn.query(format!("SELECT DISTINCT department FROM {} WHERE department <> '' ORDER BY department LIMIT 200", cfg.table("tasks"))).await?;
    Ok(ScreenOptions { statuses, accounts, departments })
}

/// One row of the staff order list.
#[derive(Debug, Serialize, PartialEq)]
pub struct OrderListRow {
    pub id: u64,
    pub reference: String,
    pub title: String,
    pub account_id: u64,
    pub account: String,
    pub status: String,
    pub status_label: String,
    pub customer_status: String,
    pub customer_sees_status: bool,
    pub closed: bool,
    pub promised: Option<NaiveDate>,
    pub expected: Option<NaiveDate>,
    pub completed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct OrderPage {
    pub items: Vec<OrderListRow>,
    /// Matches, counted up to `COUNT_CAP`.
    pub total: u64,
    /// True when there are more than `total` matches.
    pub total_capped: bool,
    /// True when only the newest orders were searched, to keep the list
    /// fast (`SearchBudget`); `complete: true` searches them all.
    pub partial: bool,
    pub page: u64,
    pub per_page: u64,
    pub pages: u64,
    pub orderby: String,
    pub order: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<ScreenOptions>,
}

/// Sortable columns → index-backed ORDER BY.
fn order_by(orderby: &str, desc: bool) -> Option<String> {
    let d = if desc { "DESC" } else { "ASC" };
    Some(match orderby {
        "created" | "" => format!("o.created_at {d}, o.id {d}"),
        "reference" => format!("o.reference {d}"),
        "promised" => format!("o.promised_date {d}, o.id {d}"),
        "status" => format!("o.status_key {d}, o.created_at {d}, o.id {d}"),
        "title" => format!("o.title {d}, o.id {d}"),
        _ => return None,
    })
}

/// The indexes that can deliver `order_by`'s order (some after an equality
/// filter: status, account and state), as a hint for the bounded scan: below
/// ~1M orders the optimizer prefers reading the whole table and sorting it
/// for `LIMIT 2001`, which the scan's row budget then aborts.
fn sort_indexes(orderby: &str) -> Option<&'static str> {
    match orderby {
        "created" | "" => Some("created, status_list, account_list"),
        "reference" => Some("reference"),
        "promised" => Some("promised, open_promised"),
        "status" => Some("status_list"),
        _ => None,
    }
}

/// `LIKE` pattern text with `%`, `_` and `\` taken literally.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Boolean-mode full-text query: every word (3+ letters) must appear, as a
/// prefix. `None` when no usable word remains.
fn fulltext_query(s: &str) -> Option<String> {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("+{w}*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// How much work one list search may do before it answers with what it has
/// (`OrderPage::partial`) instead of the full answer; `complete` searches
/// ignore `fulltext_postings` and `fulltext_seconds`.
#[derive(Clone, Copy, Debug)]
pub struct SearchBudget {
    /// Rows the bounded newest-first `LIKE` scan may examine before a search
    /// falls back to the full-text index (~3.5 µs per row at 1M orders).
    pub scan_rows: u64,
    /// Skip the full-text fallback when its rarest word is estimated to be
    /// in more titles than this: InnoDB reads that word's whole match list
    /// (~15 µs per matching order here, 1.2 s for a word in 1 of 12 titles
    /// at 1M orders), and then the scan's matches are the answer.
    pub fulltext_postings: u64,
    /// Server-side limit (`max_statement_time`) on the full-text fallback,
    /// for when the estimate is wrong; InnoDB notices it ~0.2 s late.
    pub fulltext_seconds: f64,
}

impl SearchBudget {
    pub const DEFAULT: SearchBudget = SearchBudget { scan_rows: 3_000, fulltext_postings: 3_000, fulltext_seconds: 0.3 };
}

/// Newest titles sampled to estimate how many orders a word is in.
const SAMPLE_TITLES: u64 = 500;

/// InnoDB's default full-text stopwords (INNODB_FT_DEFAULT_STOPWORD): never
/// indexed, so a title token that is one never matches.
const FT_STOPWORDS: &[&str] = &[
    "a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how", "i", "in", "is", "it", "la", "of", "on",
    "or", "that", "the", "this", "to", "was", "what", "when", "where", "who", "will", "with", "und", "www",
];

/// The words of `fulltext_query` in lower case, when the bounded scan can
/// decide a title match exactly like InnoDB's boolean-mode `+word*` (plain
/// ASCII words that are no stopwords); `None` otherwise.
fn scan_words(term: &str) -> Option<Vec<String>> {
    let words: Vec<String> =
        term.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(|w| w.to_ascii_lowercase()).collect();
    let plain = words.iter().all(|w| w.len() <= 84 && w.bytes().all(|b| b.is_ascii_alphanumeric()) && !FT_STOPWORDS.contains(&w.as_str()));
    plain.then_some(words)
}

/// Whether `title` matches every `+word*` of the full-text query, decided
/// the way InnoDB tokenizes (words of letters, digits and `_`; tokens of 3–84
/// characters that are no stopwords; case-insensitive). `None` when the
/// title holds anything outside ASCII or an apostrophe (collation folding and
/// the tokenizer's apostrophe rule are left to the full-text index).
fn title_matches(title: &str, words: &[String]) -> Option<bool> {
    if !title.is_ascii() || title.contains('\'') {
        return None;
    }
    let lower = title.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| (3..=84).contains(&t.len()) && !FT_STOPWORDS.contains(t))
        .collect();
    Some(words.iter().all(|w| tokens.iter().any(|t| t.starts_with(w.as_str()))))
}

pub async fn order_search(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: OrderSearch) -> Result<OrderPage> {
    order_search_within(conn, cfg, p, q, SearchBudget::DEFAULT).await
}

/// Estimated number of orders the rarest word of the search is in (as a word
/// prefix): its share of the newest `SAMPLE_TITLES` titles times the id span
/// of the table. ~1 ms at 1M orders.
async fn rarest_word_orders(conn: &mut Conn, cfg: &DbConfig, term: &str) -> Result<u64> {
    let orders = cfg.table("orders");
    let words: Vec<String> = term.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase).collect();
    // One round trip: the newest titles, each with the table's id span.
    let rows: Vec<(String, u64)> = conn
        .query(format!("SELECT title, (SELECT MAX(id) - MIN(id) + 1 FROM {orders}) FROM {orders} ORDER BY id DESC LIMIT {SAMPLE_TITLES}"))
        .await?;
    let (Some(&(_, span)), false) = (rows.first(), words.is_empty()) else { return Ok(0) };
    let mut hits = vec![0u64; words.len()];
    for (title, _) in &rows {
        // Word tokens the way the full-text parser splits titles.
        let lower = title.to_lowercase();
        let tokens = lower.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        for (w, n) in words.iter().zip(hits.iter_mut()) {
            *n += u64::from(tokens.clone().any(|t| t.starts_with(w.as_str())));
        }
    }
    let rarest = hits.into_iter().min().unwrap_or(0);
    Ok(rarest * span / rows.len() as u64)
}

/// InnoDB stopped the statement at `max_statement_time` (1969; 188 when the
/// full-text engine noticed the kill itself).
fn statement_timed_out(e: &mysql_async::Error) -> bool {
    matches!(e, mysql_async::Error::Server(s) if s.code == 1969 || s.code == 188)
}

/// `order_search` with an explicit work budget; the tests use small budgets
/// and `scan_rows: 0` (full-text only) to compare both strategies.
pub async fn order_search_within(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: OrderSearch, budget: SearchBudget) -> Result<OrderPage> {
    p.require(Cap::ManageOrders)?;
    let orders = cfg.table("orders");
    let accounts = cfg.table("accounts");
    let per_page = q.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let orderby = q.orderby.as_deref().map(str::trim).unwrap_or("").to_string();
    let desc = match q.order.as_deref().map(str::trim).unwrap_or("") {
        "" => orderby.is_empty() || orderby == "created",
        "desc" | "DESC" => true,
        "asc" | "ASC" => false,
        other => return Err(Error::invalid(format!("order must be asc or desc, not \"{other}\""))),
    };
    let sort = order_by(&orderby, desc).ok_or_else(|| {
        Error::invalid(format!("cannot sort by \"{orderby}\"; sortable: created, reference, promised, status, title"))
    })?;

    let mut joins = String::new();
    let mut join_params: Vec<Value> = Vec::new();
    let mut wheres: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();

    if let Some(key) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        staff::status(conn, cfg, key).await?;
        wheres.push("o.status_key = ?".into());
        params.push(key.into());
    }
    match q.state.as_deref().map(str::trim).unwrap_or("") {
        "" | "all" => {}
        "open" => wheres.push("o.is_closed = 0".into()),
        "closed" => wheres.push("o.is_closed = 1".into()),
        other => return Err(Error::invalid(format!("state must be open, closed or all, not \"{other}\""))),
    }
    if let Some(account_id) = q.account_id {
        // A consolidated account filters to the customer accounts under it.
        let ids: Vec<u64> = conn.exec(format!("SELECT id FROM {accounts} WHERE id = ? OR parent_id = ?"), (account_id, account_id)).await?;
        if ids.is_empty() {
            return Err(Error::invalid(format!("account {account_id} does not exist")));
        }
        wheres.push(format!("o.account_id IN ({})", placeholders(ids.len())));
        params.extend(ids.into_iter().map(Value::from));
    }
    if let Some(dept) = q.department.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // A correlated EXISTS probe of (department, order_id) per order, so
        // the list's ORDER BY index drives (statements run with
        // exists_to_in=off; as a semi-join it read all 250,000 tasks).
        wheres.push(format!("EXISTS (SELECT 1 FROM {} t WHERE t.department = ? AND t.order_id = o.id)", cfg.table("tasks")));
        params.push(dept.into());
    }
    if let Some(from) = q.from {
        wheres.push("o.created_at >= ?".into());
        params.push(from.and_hms_opt(0, 0, 0).expect("midnight").into());
    }
    if let Some(to) = q.to {
        wheres.push("o.created_at < ?".into());
        params.push((to + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight").into());
    }
    let today = q.today.unwrap_or_else(|| Utc::now().date_naive());
    if q.overdue {
        wheres.push("o.is_closed = 0 AND o.promised_date < ?".into());
        params.push(today.into());
    }
    // The bounded scan's answer when it is the whole answer (`scanned`), or
    // only the newest part of it (`scan_so_far`: it ran out of rows first).
    let mut scanned: Option<(Vec<u64>, bool)> = None;
    let mut scan_so_far: Option<Vec<u64>> = None;
    let mut costly_fulltext = false;
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(term) = search {
        if term.chars().count() > MAX_SEARCH_LEN {
            return Err(Error::invalid(format!("search text may be {MAX_SEARCH_LEN} characters at most")));
        }
        // Reference prefix (unique index) ∪ title words (full-text index) ∪
        // accounts whose name contains the text (small table), as one
        // derived table of order ids joined on the primary key.
        let mut parts = vec![format!("SELECT id FROM {orders} WHERE reference LIKE ?")];
        join_params.push(format!("{}%", like_escape(term)).into());
        let fulltext = fulltext_query(term);
        if let Some(ft) = &fulltext {
            parts.push(format!("SELECT id FROM {orders} WHERE MATCH(title) AGAINST (? IN BOOLEAN MODE)"));
            join_params.push(ft.as_str().into());
        }
        let account_ids: Vec<u64> =
            conn.exec(format!("SELECT id FROM {accounts} WHERE name LIKE ? LIMIT 200"), (format!("%{}%", like_escape(term)),)).await?;
        if !account_ids.is_empty() {
            parts.push(format!("SELECT id FROM {orders} WHERE account_id IN ({})", placeholders(account_ids.len())));
            join_params.extend(account_ids.into_iter().map(Value::from));
        }
        // Bounded scan first: walk the list in its sort order (an index
        // range; a plan that needs a filesort aborts instead) testing the
        // same conditions with LIKE, at most `scan_rows` rows. Title-only
        // candidates are confirmed in Rust with the full-text tokenizer's
        // rules. Falls back to the full-text union below when the budget
        // runs out before the page is filled, or when a word or title is
        // one the tokenizer rules here cannot decide.
        let words = match &fulltext {
            Some(_) => scan_words(term),
            None => Some(Vec::new()),
        };
        let scan_rows = budget.scan_rows;
        if let (Some(words), true) = (words, scan_rows > 0) {
            let mut sure = vec!["o.reference LIKE ?".to_string()];
            let mut sure_params: Vec<Value> = vec![join_params[0].clone()];
            let acct_at = if fulltext.is_some() { 2 } else { 1 };
            if join_params.len() > acct_at {
                sure.push(format!("o.account_id IN ({})", placeholders(join_params.len() - acct_at)));
                sure_params.extend(join_params[acct_at..].iter().cloned());
            }
            let sure_sql = sure.join(" OR ");
            let mut cond = vec![sure_sql.clone()];
            let mut cond_params = sure_params.clone();
            if !words.is_empty() {
                cond.push(format!("({})", words.iter().map(|_| "o.title LIKE ?").collect::<Vec<_>>().join(" AND ")));
                cond_params.extend(words.iter().map(|w| Value::from(format!("%{w}%"))));
            }
            let mut w = wheres.clone();
            w.push(format!("({})", cond.join(" OR ")));
            let need = (q.page.unwrap_or(1).max(1) * per_page).max(COUNT_CAP + 1);
            let sql = format!(
                "SET STATEMENT optimizer_switch='exists_to_in=off' FOR
                 SELECT o.id, o.title, ({sure_sql}) FROM {orders} o {hint} WHERE {} ORDER BY {sort} LIMIT {need} ROWS EXAMINED {scan_rows}",
                w.join(" AND "),
                hint = sort_indexes(&orderby).map(|i| format!("FORCE INDEX FOR ORDER BY ({i})")).unwrap_or_default(),
            );
            let all: Vec<Value> = sure_params.into_iter().chain(params.iter().cloned()).chain(cond_params).collect();
            match conn.exec::<(u64, String, bool), _, _>(sql, all).await {
                Ok(rows) => {
                    let cut = conn.get_warnings() > 0 || rows.len() as u64 >= need;
                    let mut ids = Vec::with_capacity(rows.len());
                    let mut undecided = false;
                    for (id, title, sure) in rows {
                        match if sure { Some(true) } else { title_matches(&title, &words) } {
                            Some(true) => ids.push(id),
                            Some(false) => {}
                            None => undecided = true,
                        }
                    }
                    let page_filled = ids.len() as u64 >= q.page.unwrap_or(1).max(1) * per_page;
                    if !undecided && (!cut || page_filled) {
                        scanned = Some((ids, cut));
                    } else if !undecided {
                        scan_so_far = Some(ids);
                    }
                }
                // "Sort aborted: LIMIT ROWS EXAMINED" (no index-ordered plan)
                Err(mysql_async::Error::Server(e)) if e.code == 1028 || e.code == 1931 => {}
                Err(e) => return Err(e.into()),
            }
        }
        // The scan could not answer; a full-text search whose every word is
        // in many titles is slow however few orders match them all.
        costly_fulltext = scanned.is_none()
            && !q.complete
            && scan_so_far.is_some()
            && fulltext.is_some()
            && rarest_word_orders(conn, cfg, term).await? > budget.fulltext_postings;
        joins = format!("JOIN ({}) m ON m.id = o.id", parts.join(" UNION "));
    }
    let where_sql = if wheres.is_empty() { String::new() } else { format!("WHERE {}", wheres.join(" AND ")) };

    // The matching ids in list order (at most COUNT_CAP + 1), whether they are
    // all of them, or only those among the newest orders (`partial`).
    let (found, cut, partial) = if let Some((found, cut)) = scanned {
        (found, cut, false)
    } else if costly_fulltext {
        (scan_so_far.take().unwrap_or_default(), false, true)
    } else {
        // One statement for the count and the page: its derived table is
        // the full-text search, the expensive part. The sort is on the
        // orders table alone, so it can follow the list's index.
        let limit = if search.is_some() && !q.complete {
            format!("SET STATEMENT optimizer_switch='exists_to_in=off', max_statement_time={} FOR", budget.fulltext_seconds)
        } else {
            "SET STATEMENT optimizer_switch='exists_to_in=off' FOR".to_string()
        };
        let sql = format!("{limit} SELECT o.id FROM {orders} o {joins} {where_sql} ORDER BY {sort} LIMIT {}", COUNT_CAP + 1);
        let all: Vec<Value> = join_params.iter().cloned().chain(params.iter().cloned()).collect();
        match conn.exec::<u64, _, _>(sql, all).await {
            Ok(ids) => {
                let cut = ids.len() as u64 > COUNT_CAP;
                (ids, cut, false)
            }
            Err(e) if statement_timed_out(&e) => (scan_so_far.take().unwrap_or_default(), false, true),
            Err(e) => return Err(e.into()),
        }
    };
    // Cut short: "more than <found so far>"; complete: the exact count.
    let total_capped = cut || found.len() as u64 > COUNT_CAP;
    let total = (found.len() as u64).min(COUNT_CAP);
    let pages = total.div_ceil(per_page).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let ids: Vec<u64> = found.into_iter().take(total as usize).skip(((page - 1) * per_page) as usize).take(per_page as usize).collect();
    let mut rows: Vec<Row> = if ids.is_empty() {
        Vec::new()
    } else {
        conn.exec(
            format!(
                "SELECT o.id, o.reference, o.title, o.account_id, a.name, o.status_key, COALESCE(s.internal_label, o.status_key),
                        COALESCE(vs.customer_label, 'Received'), COALESCE(s.customer_visible, 0), o.is_closed,
                        o.promised_date, o.expected_date, o.completed_at, o.created_at
                   FROM {orders} o
                   JOIN {accounts} a ON a.id = o.account_id
                   LEFT JOIN {statuses} s ON s.status_key = o.status_key
                   LEFT JOIN {statuses} vs ON vs.status_key = o.visible_status_key
                  WHERE o.id IN ({})",
                placeholders(ids.len()),
                statuses = cfg.table("statuses"),
            ),
            ids.iter().map(|&i| Value::from(i)).collect::<Vec<_>>(),
        )
        .await?
    };
    rows.sort_by_key(|r| ids.iter().position(|&i| Some(i) == r.get::<u64, _>(0)).unwrap_or(usize::MAX));
    let items = rows
        .into_iter()
        .map(|mut r| {
            let closed: bool = take(&mut r, 9);
            let promised: Option<NaiveDate> = take(&mut r, 10);
            OrderListRow {
                id: take(&mut r, 0),
                reference: take(&mut r, 1),
                title: take(&mut r, 2),
                account_id: take(&mut r, 3),
                account: take(&mut r, 4),
                status: take(&mut r, 5),
                status_label: take(&mut r, 6),
                customer_status: take(&mut r, 7),
                customer_sees_status: take(&mut r, 8),
                closed,
                promised,
                expected: take(&mut r, 11),
                completed_at: take(&mut r, 12),
                created_at: take(&mut r, 13),
                overdue: !closed && promised.is_some_and(|d| d < today),
            }
        })
        .collect();
    Ok(OrderPage {
        items,
        total,
        total_capped,
        page,
        per_page,
        pages,
        partial,
        orderby: if orderby.is_empty() { "created".into() } else { orderby },
        order: if desc { "desc".into() } else { "asc".into() },
        options: if q.with_options { Some(screen_options(conn, cfg).await?) } else { None },
    })
}

#[derive(Deserialize)]
pub struct ByReference {
    pub reference: String,
    #[serde(default, deserialize_with = "de_bool")]
    pub with_options: bool,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct TaskRow {
    pub id: u64,
    pub order_id: u64,
    pub name: String,
    pub department: String,
    pub assignee_user_id: Option<u64>,
    pub status: String,
    pub milestone: bool,
    pub milestone_label: String,
    pub internal_comment: String,
    pub sort_order: i64,
    pub done_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct HistoryRow {
    pub status: String,
    pub status_label: String,
    pub customer_label: String,
    pub customer_visible: bool,
    pub changed_at: NaiveDateTime,
    pub changed_by: u64,
}

/// Everything the order screen shows (staff view, internal fields included).
#[derive(Debug, Serialize)]
pub struct OrderFull {
    #[serde(flatten)]
    pub order: OrderRow,
    pub status_label: String,
    pub customer_sees_status: bool,
    pub closed: bool,
    pub completed_at: Option<NaiveDateTime>,
    pub delivery_method: Option<String>,
    pub delivery_info: String,
    pub updated_at: NaiveDateTime,
    pub tasks: Vec<TaskRow>,
    pub history: Vec<HistoryRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<ScreenOptions>,
}

async fn order_full(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<OrderFull> {
    let order = staff::order_by_reference(conn, cfg, reference.trim()).await?;
    let extra: Row = conn
        .exec_first(
            format!(
                "SELECT COALESCE(s.internal_label, o.status_key), COALESCE(s.customer_visible, 0), o.is_closed, o.completed_at,
                        o.delivery_method, o.delivery_info, o.updated_at
                   FROM {} o LEFT JOIN {} s ON s.status_key = o.status_key WHERE o.id = ?",
                cfg.table("orders"),
                cfg.table("statuses")
            ),
            (order.id,),
        )
        .await?
        .ok_or(Error::NotFound)?;
    let mut r = extra;
    let tasks = tasks_of(conn, cfg, order.id).await?;
    let history: Vec<Row> = conn
        .exec(
            format!(
                "SELECT h.status_key, COALESCE(s.internal_label, h.status_key), COALESCE(s.customer_label, ''), COALESCE(s.customer_visible, 0),
                        h.changed_at, h.changed_by
                   FROM {} h LEFT JOIN {} s ON s.status_key = h.status_key WHERE h.order_id = ? ORDER BY h.changed_at, h.id",
                cfg.table("status_history"),
                cfg.table("statuses")
            ),
            (order.id,),
        )
        .await?;
    Ok(OrderFull {
        status_label: take(&mut r, 0),
        customer_sees_status: take(&mut r, 1),
        closed: take(&mut r, 2),
        completed_at: take(&mut r, 3),
        delivery_method: take(&mut r, 4),
        delivery_info: take(&mut r, 5),
        updated_at: take(&mut r, 6),
        tasks,
        history: history
            .into_iter()
            .map(|mut h| HistoryRow {
                status: take(&mut h, 0),
                status_label: take(&mut h, 1),
                customer_label: take(&mut h, 2),
                customer_visible: take(&mut h, 3),
                changed_at: take(&mut h, 4),
                changed_by: take(&mut h, 5),
            })
            .collect(),
        order,
        options: None,
    })
}

const TASK_COLUMNS: &str =
    "id, order_id, name, department, assignee_user_id, status, is_milestone, milestone_label, COALESCE(internal_comment, ''), sort_order, done_at";

fn task_row(r: &mut Row) -> TaskRow {
    TaskRow {
        id: take(r, 0),
        order_id: take(r, 1),
        name: take(r, 2),
        department: take(r, 3),
        assignee_user_id: take(r, 4),
        status: take(r, 5),
        milestone: take(r, 6),
        milestone_label: take(r, 7),
        internal_comment: take(r, 8),
        sort_order: take(r, 9),
        done_at: take(r, 10),
    }
}

async fn tasks_of(conn: &mut Conn, cfg: &DbConfig, order_id: u64) -> Result<Vec<TaskRow>> {
    let rows: Vec<Row> =
        conn.exec(format!("SELECT {TASK_COLUMNS} FROM {} WHERE order_id = ? ORDER BY sort_order, id", cfg.table("tasks")), (order_id,)).await?;
    Ok(rows.into_iter().map(|mut r| task_row(&mut r)).collect())
}

pub async fn order_get(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: ByReference) -> Result<OrderFull> {
    p.require(Cap::ManageOrders)?;
    let mut full = order_full(conn, cfg, &q.reference).await?;
    if q.with_options {
        full.options = Some(screen_options(conn, cfg).await?);
    }
    Ok(full)
}

/// Fields of `order.update`; an absent field is left alone, an empty string
/// clears a date or text.
#[derive(Deserialize, Default)]
pub struct OrderUpdate {
    pub reference: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub promised: Option<String>,
    #[serde(default)]
    pub expected: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
    #[serde(default)]
    pub delivery_method: Option<String>,
    #[serde(default)]
    pub delivery_info: Option<String>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub account_id: Option<u64>,
    #[serde(default)]
    pub status: Option<String>,
}

fn parse_date(field: &str, s: &str) -> Result<Option<NaiveDate>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| Error::invalid(format!("{field}: expected a date as YYYY-MM-DD, got \"{s}\"")))
}

pub async fn order_update(conn: &mut Conn, cfg: &DbConfig, p: &Principal, u: OrderUpdate) -> Result<OrderFull> {
    p.require(Cap::ManageOrders)?;
    let order = staff::order_by_reference(conn, cfg, u.reference.trim()).await?;
    let mut sets: Vec<&str> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(title) = &u.title {
        let t = title.trim();
        if t.is_empty() || t.chars().count() > 255 {
            return Err(Error::invalid("title must be 1 to 255 characters"));
        }
        sets.push("title = ?");
        params.push(t.into());
    }
    if let Some(d) = &u.promised {
        sets.push("promised_date = ?");
        params.push(parse_date("promised", d)?.into());
    }
    if let Some(d) = &u.expected {
        sets.push("expected_date = ?");
        params.push(parse_date("expected", d)?.into());
    }
    if let Some(n) = &u.note {
        sets.push("customer_note = ?");
        params.push(n.as_str().into());
    }
    if let Some(n) = &u.internal_note {
        sets.push("internal_note = ?");
        params.push(n.as_str().into());
    }
    if let Some(m) = &u.delivery_method {
        let m = m.trim();
        let v: Option<&str> = match m {
            "" => None,
            "pickup" | "delivery" => Some(m),
            other => return Err(Error::invalid(format!("delivery method must be pickup, delivery or empty, not \"{other}\""))),
        };
        sets.push("delivery_method = ?");
        params.push(v.into());
    }
    if let Some(i) = &u.delivery_info {
        if i.chars().count() > 255 {
            return Err(Error::invalid("delivery info may be 255 characters at most"));
        }
        sets.push("delivery_info = ?");
        params.push(i.trim().into());
    }
    if let Some(account_id) = u.account_id {
        let account = staff::account_by_id(conn, cfg, account_id).await.map_err(|_| Error::invalid(format!("account {account_id} does not exist")))?;
        if account.kind != "customer" {
            return Err(Error::invalid(format!("orders belong to customer accounts; account {account_id} is consolidated")));
        }
        sets.push("account_id = ?");
        params.push(account_id.into());
    }
    if !sets.is_empty() {
        sets.push("updated_at = ?");
        params.push(now().into());
        params.push(order.id.into());
        conn.exec_drop(format!("UPDATE {} SET {} WHERE id = ?", cfg.table("orders"), sets.join(", ")), params).await?;
    }
    if let Some(s) = u.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if s != order.status {
            staff::set_status_at(conn, cfg, p, &order.reference, s, now()).await?;
        }
    }
    order_full(conn, cfg, &order.reference).await
}

#[derive(Debug, Serialize)]
pub struct Deleted {
    pub deleted: String,
}

pub async fn order_delete(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: ByReference) -> Result<Deleted> {
    p.require(Cap::ManageOrders)?;
    let order = staff::order_by_reference(conn, cfg, q.reference.trim()).await?;
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    delete_orders_where(&mut tx, cfg, "o.id = ?", vec![order.id.into()]).await?;
    tx.commit().await?;
    Ok(Deleted { deleted: order.reference })
}

/// Tables whose rows belong to one order (`order_id`): deleted with it.
const ORDER_CHILD_TABLES: &[&str] =
    &["tasks", "status_history", "messages", "threads", "message_reads", "notifications", "approvals", "approval_log", "files"];

/// Delete the orders matching `where_sql` (alias `o`) with everything that
/// hangs off them; returns how many orders. Stored blobs stay: they are
/// content-addressed and may back versions of other orders.
async fn delete_orders_where(tx: &mut mysql_async::Transaction<'_>, cfg: &DbConfig, where_sql: &str, params: Vec<Value>) -> Result<u64> {
    let orders = cfg.table("orders");
    tx.exec_drop(
        format!(
            "DELETE v FROM {} v JOIN {} f ON f.id = v.file_id JOIN {orders} o ON o.id = f.order_id WHERE {where_sql}",
            cfg.table("file_versions"),
            cfg.table("files")
        ),
        params.clone(),
    )
    .await?;
    for table in ORDER_CHILD_TABLES {
        tx.exec_drop(format!("DELETE c FROM {} c JOIN {orders} o ON o.id = c.order_id WHERE {where_sql}", cfg.table(table)), params.clone()).await?;
    }
    tx.exec_drop(format!("DELETE o FROM {orders} o WHERE {where_sql}"), params).await?;
    Ok(tx.affected_rows())
}

#[derive(Deserialize)]
pub struct BulkStatus {
    #[serde(default, deserialize_with = "de_lenient")]
    pub references: Vec<String>,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct BulkResult {
    pub changed: Vec<String>,
    pub missing: Vec<String>,
}

pub async fn order_bulk_status(conn: &mut Conn, cfg: &DbConfig, p: &Principal, b: BulkStatus) -> Result<BulkResult> {
    p.require(Cap::ManageOrders)?;
    if b.references.is_empty() {
        return Err(Error::invalid("select at least one order"));
    }
    if b.references.len() > 1000 {
        return Err(Error::invalid("at most 1000 orders at once"));
    }
    staff::status(conn, cfg, b.status.trim()).await?;
    let mut out = BulkResult { changed: Vec::new(), missing: Vec::new() };
    let at = now();
    for r in &b.references {
        match staff::set_status_at(conn, cfg, p, r, b.status.trim(), at).await {
            Ok(row) => out.changed.push(row.reference),
            Err(Error::NotFound) => out.missing.push(r.trim().to_string()),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------- tasks

#[derive(Deserialize)]
pub struct TaskSave {
    /// Existing task id (update) or absent (create on `reference`).
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub id: Option<u64>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    /// User id; empty string or 0 = unassigned.
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub assignee_user_id: Option<u64>,
    #[serde(default, deserialize_with = "de_bool")]
    pub clear_assignee: bool,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub milestone: Option<serde_json::Value>,
    #[serde(default)]
    pub milestone_label: Option<String>,
    #[serde(default)]
    pub internal_comment: Option<String>,
}

fn task_status(s: &str) -> Result<&str> {
    match s.trim() {
        v @ ("todo" | "doing" | "done") => Ok(v),
        other => Err(Error::invalid(format!("task status must be todo, doing or done, not \"{other}\""))),
    }
}

fn opt_bool(v: &Option<serde_json::Value>) -> Result<Option<bool>> {
    match v {
        None => Ok(None),
        Some(v) => {
            #[derive(Deserialize)]
            struct B(#[serde(deserialize_with = "de_bool")] bool);
            serde_json::from_value::<B>(v.clone()).map(|B(b)| Some(b)).map_err(|e| Error::invalid(format!("milestone: {e}")))
        }
    }
}

pub async fn task_save(conn: &mut Conn, cfg: &DbConfig, p: &Principal, t: TaskSave) -> Result<TaskRow> {
    p.require(Cap::ManageOrders)?;
    let tasks = cfg.table("tasks");
    let milestone = opt_bool(&t.milestone)?;
    let name = t.name.as_deref().map(str::trim);
    if let Some(n) = name {
        if n.is_empty() || n.chars().count() > 190 {
            return Err(Error::invalid("task name must be 1 to 190 characters"));
        }
    }
    let status = t.status.as_deref().map(task_status).transpose()?;
    let assignee = if t.clear_assignee { Some(None) } else { t.assignee_user_id.map(|id| (id > 0).then_some(id)) };
    let id = match t.id {
        Some(id) => {
            let exists: Option<u64> = conn.exec_first(format!("SELECT id FROM {tasks} WHERE id = ?"), (id,)).await?;
            exists.ok_or(Error::NotFound)?;
            id
        }
        None => {
            let reference = t.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| Error::invalid("give the order reference of the new task"))?;
            let order = staff::order_by_reference(conn, cfg, reference).await?;
            let n = name.ok_or_else(|| Error::invalid("task name must be 1 to 190 characters"))?;
            let next: Option<Option<i64>> = conn.exec_first(format!("SELECT MAX(sort_order) FROM {tasks} WHERE order_id = ?"), (order.id,)).await?;
            conn.exec_drop(
                format!("INSERT INTO {tasks} (order_id, name, department, status, is_milestone, milestone_label, sort_order) VALUES (?, ?, '', 'todo', 0, '', ?)"),
                (order.id, n, next.flatten().map_or(0, |m| m + 1)),
            )
            .await?;
            conn.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?
        }
    };
    let mut sets: Vec<&str> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(n) = name {
        sets.push("name = ?");
        params.push(n.into());
    }
    if let Some(d) = &t.department {
        sets.push("department = ?");
        params.push(d.trim().into());
    }
    if let Some(a) = assignee {
        sets.push("assignee_user_id = ?");
        params.push(a.into());
    }
    if let Some(s) = status {
        sets.push("status = ?, done_at = IF(? = 'done', COALESCE(done_at, ?), NULL)");
        params.extend([s.into(), s.into(), now().into()]);
    }
    if let Some(m) = milestone {
        sets.push("is_milestone = ?");
        params.push(m.into());
    }
    if let Some(l) = &t.milestone_label {
        sets.push("milestone_label = ?");
        params.push(l.trim().into());
    }
    if let Some(c) = &t.internal_comment {
        sets.push("internal_comment = ?");
        params.push(c.as_str().into());
    }
    if !sets.is_empty() {
        params.push(id.into());
        conn.exec_drop(format!("UPDATE {tasks} SET {} WHERE id = ?", sets.join(", ")), params).await?;
    }
    let mut row: Row = conn.exec_first(format!("SELECT {TASK_COLUMNS} FROM {tasks} WHERE id = ?"), (id,)).await?.ok_or(Error::NotFound)?;
    Ok(task_row(&mut row))
}

// ---------------------------------------------------------------- accounts

#[derive(Deserialize)]
pub struct ById {
    #[serde(deserialize_with = "de_u64")]
    pub id: u64,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct LoginRow {
    pub account_id: u64,
    pub account: String,
    pub account_kind: String,
    pub account_portal_enabled: bool,
    pub user_id: u64,
    pub role: String,
    pub enabled: bool,
}

#[derive(Debug, Serialize)]
pub struct AccountFull {
    #[serde(flatten)]
    pub account: AccountRow,
    pub parent: Option<String>,
    pub children: Vec<AccountRow>,
    pub logins: Vec<LoginRow>,
}

async fn links_where(conn: &mut Conn, cfg: &DbConfig, clause: &str, params: Vec<Value>) -> Result<Vec<LoginRow>> {
    let rows: Vec<Row> = conn
        .exec(
            format!(
                "SELECT l.account_id, a.name, a.kind, a.portal_enabled, l.user_id, l.portal_role, l.enabled
                   FROM {} l JOIN {} a ON a.id = l.account_id {clause} ORDER BY a.name, a.id, l.user_id",
                cfg.table("account_users"),
                cfg.table("accounts")
            ),
            params,
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| LoginRow {
            account_id: take(&mut r, 0),
            account: take(&mut r, 1),
            account_kind: take(&mut r, 2),
            account_portal_enabled: take(&mut r, 3),
            user_id: take(&mut r, 4),
            role: take(&mut r, 5),
            enabled: take(&mut r, 6),
        })
        .collect())
}

pub async fn account_get(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: ById) -> Result<AccountFull> {
    p.require(Cap::ManageAccounts)?;
    let account = staff::account_by_id(conn, cfg, q.id).await?;
    let parent = match account.parent_id {
        Some(pid) => staff::account_by_id(conn, cfg, pid).await.ok().map(|a| a.name),
        None => None,
    };
    let child_ids: Vec<u64> = conn.exec(format!("SELECT id FROM {} WHERE parent_id = ? ORDER BY name, id", cfg.table("accounts")), (q.id,)).await?;
    let mut children = Vec::new();
    for id in child_ids {
        children.push(staff::account_by_id(conn, cfg, id).await?);
    }
    let logins = links_where(conn, cfg, "WHERE l.account_id = ?", vec![q.id.into()]).await?;
    Ok(AccountFull { account, parent, children, logins })
}

#[derive(Deserialize, Default)]
pub struct LinkQuery {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub user_id: Option<u64>,
}

/// Every login link (or one user's), for the accounts screen and the preview picker.
pub async fn account_links(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: LinkQuery) -> Result<Vec<LoginRow>> {
    p.require(Cap::ManageAccounts)?;
    match q.user_id {
        Some(uid) => links_where(conn, cfg, "WHERE l.user_id = ?", vec![uid.into()]).await,
        None => links_where(conn, cfg, "", vec![]).await,
    }
}

#[derive(Deserialize)]
pub struct AccountUpdate {
    #[serde(deserialize_with = "de_u64")]
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    /// Id of a consolidated account; empty string or 0 = no parent.
    #[serde(default)]
    pub parent: Option<serde_json::Value>,
    #[serde(default)]
    pub portal_enabled: Option<serde_json::Value>,
}

pub async fn account_update(conn: &mut Conn, cfg: &DbConfig, p: &Principal, u: AccountUpdate) -> Result<AccountRow> {
    p.require(Cap::ManageAccounts)?;
    let account = staff::account_by_id(conn, cfg, u.id).await?;
    let accounts = cfg.table("accounts");
    let mut sets: Vec<&str> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(name) = &u.name {
        let n = name.trim();
        if n.is_empty() || n.chars().count() > 190 {
            return Err(Error::invalid("account name must be 1 to 190 characters"));
        }
        sets.push("name = ?");
        params.push(n.into());
    }
    if let Some(v) = &u.parent {
        #[derive(Deserialize)]
        struct P(#[serde(deserialize_with = "de_opt_u64")] Option<u64>);
        let P(parent) = serde_json::from_value(v.clone()).map_err(|e| Error::invalid(format!("parent: {e}")))?;
        let parent = parent.filter(|&id| id > 0);
        if let Some(pid) = parent {
            if account.kind == "consolidated" {
                return Err(Error::invalid("a consolidated account cannot have a parent"));
            }
            let kind: Option<String> = conn.exec_first(format!("SELECT kind FROM {accounts} WHERE id = ?"), (pid,)).await?;
            match kind.as_deref() {
                None => return Err(Error::invalid(format!("parent account {pid} does not exist"))),
                Some("consolidated") => {}
                Some(_) => return Err(Error::invalid(format!("parent account {pid} is not a consolidated account"))),
            }
        }
        sets.push("parent_id = ?");
        params.push(parent.into());
    }
    if let Some(v) = &u.portal_enabled {
        sets.push("portal_enabled = ?");
        params.push(opt_bool(&Some(v.clone())).map_err(|_| Error::invalid("portal_enabled must be true or false"))?.unwrap_or(false).into());
    }
    if !sets.is_empty() {
        params.push(u.id.into());
        conn.exec_drop(format!("UPDATE {accounts} SET {} WHERE id = ?", sets.join(", ")), params).await?;
    }
    staff::account_by_id(conn, cfg, u.id).await
}

pub async fn account_delete(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: ById) -> Result<AccountRow> {
    p.require(Cap::ManageAccounts)?;
    let account = staff::account_by_id(conn, cfg, q.id).await?;
    if account.orders > 0 {
        return Err(Error::invalid(format!(
            "account {} still has {} orders; delete them or move them to another account first",
            account.id, account.orders
        )));
    }
    let children: Option<u64> = conn.exec_first(format!("SELECT COUNT(*) FROM {} WHERE parent_id = ?", cfg.table("accounts")), (q.id,)).await?;
    if children.unwrap_or(0) > 0 {
        return Err(Error::invalid(format!("account {} still groups other accounts; give them another parent first", account.id)));
    }
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    tx.exec_drop(format!("DELETE FROM {} WHERE account_id = ?", cfg.table("account_users")), (q.id,)).await?;
    tx.exec_drop(format!("DELETE FROM {} WHERE id = ?", cfg.table("accounts")), (q.id,)).await?;
    tx.commit().await?;
    Ok(account)
}

#[derive(Deserialize)]
pub struct LinkChange {
    #[serde(deserialize_with = "de_u64")]
    pub account_id: u64,
    #[serde(deserialize_with = "de_u64")]
    pub user_id: u64,
    #[serde(default)]
    pub enabled: Option<serde_json::Value>,
    #[serde(default)]
    pub role: Option<String>,
}

pub async fn account_remove_user(conn: &mut Conn, cfg: &DbConfig, p: &Principal, l: LinkChange) -> Result<LoginRow> {
    p.require(Cap::ManageAccounts)?;
    let found = links_where(conn, cfg, "WHERE l.account_id = ? AND l.user_id = ?", vec![l.account_id.into(), l.user_id.into()]).await?;
    let link = found.into_iter().next().ok_or_else(|| Error::invalid(format!("user {} is not linked to account {}", l.user_id, l.account_id)))?;
    conn.exec_drop(format!("DELETE FROM {} WHERE account_id = ? AND user_id = ?", cfg.table("account_users")), (l.account_id, l.user_id)).await?;
    Ok(link)
}

/// Enable/disable one login's access to one account, or change its role.
pub async fn account_set_user(conn: &mut Conn, cfg: &DbConfig, p: &Principal, l: LinkChange) -> Result<LoginRow> {
    p.require(Cap::ManageAccounts)?;
    let exists = links_where(conn, cfg, "WHERE l.account_id = ? AND l.user_id = ?", vec![l.account_id.into(), l.user_id.into()]).await?;
    if exists.is_empty() {
        return Err(Error::invalid(format!("user {} is not linked to account {}", l.user_id, l.account_id)));
    }
    if let Some(v) = &l.enabled {
        let on = opt_bool(&Some(v.clone())).map_err(|_| Error::invalid("enabled must be true or false"))?.unwrap_or(false);
        conn.exec_drop(format!("UPDATE {} SET enabled = ? WHERE account_id = ? AND user_id = ?", cfg.table("account_users")), (on, l.account_id, l.user_id)).await?;
    }
    if let Some(role) = l.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        let r = crate::access::PortalRole::parse(role).ok_or_else(|| Error::invalid(format!("portal role must be viewer or approver, not \"{role}\"")))?;
        conn.exec_drop(format!("UPDATE {} SET portal_role = ? WHERE account_id = ? AND user_id = ?", cfg.table("account_users")), (r.as_str(), l.account_id, l.user_id)).await?;
    }
    let found = links_where(conn, cfg, "WHERE l.account_id = ? AND l.user_id = ?", vec![l.account_id.into(), l.user_id.into()]).await?;
    found.into_iter().next().ok_or(Error::NotFound)
}

// ---------------------------------------------------------------- statuses

#[derive(Deserialize)]
pub struct StatusSet {
    pub key: String,
    #[serde(default)]
    pub internal_label: Option<String>,
    #[serde(default)]
    pub customer_label: Option<String>,
    #[serde(default)]
    pub customer_visible: Option<serde_json::Value>,
    #[serde(default)]
    pub closed: Option<serde_json::Value>,
    #[serde(default)]
    pub sort_order: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct StatusSaved {
    #[serde(flatten)]
    pub status: StatusRow,
    pub created: bool,
    /// Orders whose customer-visible status was recomputed.
    pub orders_recomputed: u64,
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 40 && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn label(field: &str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 100 {
        return Err(Error::invalid(format!("{field} must be 1 to 100 characters")));
    }
    Ok(v.to_string())
}

pub async fn status_set(conn: &mut Conn, cfg: &DbConfig, p: &Principal, s: StatusSet) -> Result<StatusSaved> {
    p.require(Cap::ManageSettings)?;
    let key = s.key.trim();
    if !valid_key(key) {
        return Err(Error::invalid(format!("status key \"{key}\" may only use a-z, 0-9 and _ (40 at most)")));
    }
    let table = cfg.table("statuses");
    let existing = staff::statuses(conn, cfg).await?.into_iter().find(|x| x.key == key);
    let visible = opt_bool(&s.customer_visible).map_err(|_| Error::invalid("customer_visible must be true or false"))?;
    let closed = opt_bool(&s.closed).map_err(|_| Error::invalid("closed must be true or false"))?;
    let sort: Option<i64> = match &s.sort_order {
        None => None,
        Some(serde_json::Value::Number(n)) => Some(n.as_i64().ok_or_else(|| Error::invalid("sort order must be a whole number"))?),
        Some(serde_json::Value::String(t)) if t.trim().is_empty() => None,
        Some(serde_json::Value::String(t)) => Some(t.trim().parse().map_err(|_| Error::invalid(format!("sort order must be a whole number, not \"{t}\"")))?),
        Some(other) => return Err(Error::invalid(format!("sort order must be a whole number, not {other}"))),
    };
    let internal = s.internal_label.as_deref().map(|v| label("internal label", v)).transpose()?;
    let customer = s.customer_label.as_deref().map(|v| label("customer label", v)).transpose()?;
    let created = existing.is_none();
    let visibility_changed = match &existing {
        None => false, // no order can have a status that did not exist
        Some(e) => visible.is_some_and(|v| v != e.customer_visible),
    };
    match existing {
        None => {
            let internal = internal.ok_or_else(|| Error::invalid(format!("new status \"{key}\" needs an internal label")))?;
            let customer = customer.unwrap_or_else(|| internal.clone());
            let sort = match sort {
                Some(v) => v,
                None => conn.query_first::<Option<i64>, _>(format!("SELECT MAX(sort_order) FROM {table}")).await?.flatten().unwrap_or(0) + 10,
            };
            conn.exec_drop(
                format!("INSERT INTO {table} (status_key, internal_label, customer_label, customer_visible, is_closed, sort_order) VALUES (?, ?, ?, ?, ?, ?)"),
                (key, internal, customer, visible.unwrap_or(true), closed.unwrap_or(false), sort),
            )
            .await?;
        }
        Some(_) => {
            let mut sets: Vec<&str> = Vec::new();
            let mut params: Vec<Value> = Vec::new();
            if let Some(v) = internal {
                sets.push("internal_label = ?");
                params.push(v.into());
            }
            if let Some(v) = customer {
                sets.push("customer_label = ?");
                params.push(v.into());
            }
            if let Some(v) = visible {
                sets.push("customer_visible = ?");
                params.push(v.into());
            }
            if let Some(v) = closed {
                sets.push("is_closed = ?");
                params.push(v.into());
            }
            if let Some(v) = sort {
                sets.push("sort_order = ?");
                params.push(v.into());
            }
            if !sets.is_empty() {
                params.push(key.into());
                conn.exec_drop(format!("UPDATE {table} SET {} WHERE status_key = ?", sets.join(", ")), params).await?;
            }
            if closed.is_some() {
                // Orders currently in this status move between open and completed.
                conn.exec_drop(
                    format!(
                        "UPDATE {} o JOIN {table} s ON s.status_key = o.status_key SET o.is_closed = s.is_closed WHERE o.status_key = ?",
                        cfg.table("orders")
                    ),
                    (key,),
                )
                .await?;
            }
        }
    }
    let orders_recomputed = if visibility_changed { recompute_visible_status(conn, cfg, key).await? } else { 0 };
    let status = staff::status(conn, cfg, key).await?;
    Ok(StatusSaved { status, created, orders_recomputed })
}

/// Every order that ever had status `key`: its customer-visible status is
/// the last customer-visible entry of its history, or `received`.
pub async fn recompute_visible_status(conn: &mut Conn, cfg: &DbConfig, key: &str) -> Result<u64> {
    let (orders, history, statuses) = (cfg.table("orders"), cfg.table("status_history"), cfg.table("statuses"));
    conn.exec_drop(
        format!(
            "UPDATE {orders} o
                JOIN (SELECT DISTINCT order_id FROM {history} WHERE status_key = ?) touched ON touched.order_id = o.id
                SET o.visible_status_key = COALESCE(
                    (SELECT h.status_key FROM {history} h JOIN {statuses} s ON s.status_key = h.status_key AND s.customer_visible = 1
                      WHERE h.order_id = o.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1),
                    'received')"
        ),
        (key,),
    )
    .await?;
    Ok(conn.affected_rows())
}

// -------------------------------------------------------------------- demo

#[derive(Debug, Serialize, Default)]
pub struct DemoReset {
    pub accounts_deleted: u64,
    pub orders_deleted: u64,
}

/// Remove the demo accounts (by name, docs/demo-data.md), their orders,
/// tasks, history and login links; the plugin then seeds again.
pub async fn demo_reset(conn: &mut Conn, cfg: &DbConfig, p: &Principal) -> Result<DemoReset> {
    p.require(Cap::ManageSettings)?;
    let names = crate::demo::account_names();
    let ids: Vec<u64> = staff::account_ids_by_name(conn, cfg, &names).await?.into_iter().map(|(_, id)| id).collect();
    if ids.is_empty() {
        return Ok(DemoReset::default());
    }
    let ph = placeholders(ids.len());
    let idv: Vec<Value> = ids.iter().map(|&i| i.into()).collect();
    let mut tx = conn.start_transaction(TxOpts::default()).await?;
    let orders_deleted = delete_orders_where(&mut tx, cfg, &format!("o.account_id IN ({ph})"), idv.clone()).await?;
    tx.exec_drop(format!("DELETE FROM {} WHERE account_id IN ({ph})", cfg.table("account_users")), idv.clone()).await?;
    tx.exec_drop(format!("DELETE FROM {} WHERE id IN ({ph})", cfg.table("accounts")), idv).await?;
    let accounts_deleted = tx.affected_rows();
    tx.commit().await?;
    Ok(DemoReset { accounts_deleted, orders_deleted })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_text_is_literal() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn fulltext_needs_real_words() {
        assert_eq!(fulltext_query("A1 exhibition posters"), Some("+exhibition* +posters*".into()));
        assert_eq!(fulltext_query("PQ-1"), None);
        assert_eq!(fulltext_query("+-*()~\"<>"), None, "operators are never passed through");
    }

    #[test]
    fn only_known_columns_sort() {
        assert!(order_by("created", true).unwrap().starts_with("o.created_at DESC"));
        assert!(order_by("reference; DROP TABLE x", false).is_none());
    }
}

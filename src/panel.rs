//! The client panel: one call per page view. Decides which state the
//! principal is in (logged out, no access, list, detail, not found), loads
//! what that state needs through the access gate, and renders it.

use crate::access::{self, Scope};
use crate::error::Result;
use crate::format::{BaseUrl, DateStyle, LocaleWords};
use crate::{messages, thread_view};
use crate::principal::Principal;
use crate::render;
use crate::store::{self, Counts, OrderDetail, OrderSummary, View};
use crate::worker::{self, Mode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const PER_PAGE: u64 = 10;
/// Longer "references" cannot exist; answered as not found without a query.
const MAX_REFERENCE_LEN: usize = 64;

/// The panel's browser parameters, as the plugin read them from `$_GET`.
#[derive(Debug, Default, Deserialize)]
pub struct PanelQuery {
    #[serde(default, deserialize_with = "lenient_string")]
    pub order: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub view: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub account: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub page: String,
    /// Outcome code of an upload or approval decision (`files_panel::NOTICES`).
    #[serde(default, deserialize_with = "lenient_string")]
    pub notice: String,
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

fn de_strings<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<render::Strings, D::Error> {
    crate::params::de_lenient::<D, HashMap<String, String>>(d).map(std::sync::Arc::new)
}

/// What the plugin knows about the page and the site.
#[derive(Debug, Deserialize)]
pub struct PanelContext {
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub login_url: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub site_name: String,
    #[serde(default = "default_date_format")]
    pub date_format: String,
    #[serde(default = "default_time_format")]
    pub time_format: String,
    #[serde(default)]
    pub utc_offset: i64,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub template_dirs: Vec<String>,
    #[serde(default, deserialize_with = "de_strings")]
    pub strings: render::Strings,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub locale_words: Option<LocaleWords>,
    /// Files and approvals (issue #4): admin-post URL and nonce.
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub files: Option<crate::files_panel::FilesContext>,
    /// Messages: form nonce, client token, a failed post's draft (issue #3).
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub messages: Option<crate::thread_view::MessagesContext>,
    /// A staff preview (wp-admin "Preview as customer"): exactly the panel
    /// the login sees, but nothing is recorded for that login (read receipts,
    /// notifications stay unread).
    #[serde(default, deserialize_with = "crate::params::de_bool")]
    pub read_only: bool,
}

fn default_date_format() -> String {
    "F j, Y".into()
}
fn default_time_format() -> String {
    "g:i a".into()
}

impl PanelContext {
    pub fn from_json(v: Value) -> Result<Self> {
        crate::params::decode("panel context", v)
    }

    fn dates(&self) -> DateStyle {
        DateStyle {
            date_format: self.date_format.clone(),
            time_format: self.time_format.clone(),
            utc_offset_seconds: self.utc_offset,
            words: self.locale_words.clone().unwrap_or_default(),
        }
    }

    fn t(&self, msgid: &str, args: &[String]) -> String {
        render::format_string(self.strings.get(msgid).map(String::as_str).unwrap_or(msgid), args)
    }

    fn render(&self, template: &str, data: Value) -> Result<String> {
        render::render(template, data, &self.strings, &self.template_dirs)
    }
}

#[derive(Debug, Serialize)]
pub struct PanelResponse {
    pub status: u16,
    pub html: String,
    pub title: String,
}

/// The list state carried through links so "back" returns to the same page.
#[derive(Debug, Clone, PartialEq)]
struct ListState {
    view: View,
    account: Option<u64>,
    page: u64,
}

impl ListState {
    fn parse(q: &PanelQuery) -> ListState {
        let digits = |s: &str| s.trim().parse::<u64>().ok();
        ListState {
            view: View::parse(q.view.trim()),
            account: digits(&q.account).filter(|&id| id > 0),
            page: digits(&q.page).filter(|&p| p > 0).unwrap_or(1),
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("pqm_view", if self.view == View::Open { String::new() } else { self.view.as_str().to_string() }),
            ("pqm_account", self.account.map(|a| a.to_string()).unwrap_or_default()),
            ("pqm_page", if self.page > 1 { self.page.to_string() } else { String::new() }),
        ]
    }
}

enum Loaded {
    NoAccess,
    NotFound,
    Detail { scope: Scope, order: OrderDetail, files: Value, thread: messages::CustomerThread },
    List { scope: Scope, counts: Counts, orders: Vec<OrderSummary>, state: ListState, awaiting: Vec<String>, extras: messages::PanelExtras },
}

/// Render the panel for `principal`.
pub fn render_panel(principal: &Principal, query: &PanelQuery, ctx: &PanelContext) -> Result<PanelResponse> {
    if !principal.is_logged_in() {
        return page(ctx, 200, "logged-out", ctx.t("Your orders", &[]), json!({ "login_url": ctx.login_url }));
    }
    let dates = ctx.dates();
    let loaded = load(principal, query, ctx, &dates)?;
    let base = BaseUrl::parse(&ctx.base_url);
    match loaded {
        Loaded::NoAccess => page(ctx, 200, "no-access", ctx.t("Your orders", &[]), json!({ "contact": ctx.contact })),
        Loaded::NotFound => not_found(ctx, &base),
        Loaded::Detail { scope, order, files, thread } => {
            let state = ListState::parse(query);
            let back_url = base.with(&state.params());
            let title = ctx.t("Order %s", &[order.summary.reference.clone()]);
            let mut data = detail_view(&order, &scope, &dates, back_url);
            data["files_section"] = files;
            let mc = ctx.messages.clone().unwrap_or_default();
            let tr = |id: &str, args: &[String]| ctx.t(id, args);
            data["thread"] = thread_view::thread_view(&thread, &mc, &ctx.site_name, principal.user_id, &order.summary.reference, &base, &dates, &tr);
            page(ctx, 200, "order-detail", title, data)
        }
        Loaded::List { scope, counts, orders, state, awaiting, extras } => {
            let mut data = list_view(ctx, &scope, counts, &orders, &state, &dates, &base);
            if let Some(rows) = data["orders"].as_array_mut() {
                for row in rows {
                    let reference = row["reference"].as_str().unwrap_or_default().to_string();
                    row["awaiting_approval"] = json!(awaiting.iter().any(|a| *a == reference));
                    row["unread"] = json!(extras.unread.get(&reference).copied().unwrap_or(0));
                }
            }
            data["notifications"] = thread_view::notices_view(&extras, &base, &ctx.messages.clone().unwrap_or_default());
            page(ctx, 200, "order-list", ctx.t("Your orders", &[]), data)
        }
    }
}

/// The friendly failure view; needs no database.
pub fn render_error(ctx: &PanelContext, kind: &str) -> Result<String> {
    let _ = kind; // one kind today: 'unavailable'
    // A message that could not be sent stays on screen (issue #3).
    let draft = ctx.messages.as_ref().filter(|m| !m.draft_body.is_empty()).map(|m| json!({"body": m.draft_body, "error": m.draft_error}));
    Ok(page(ctx, 200, "error", ctx.t("Your orders", &[]), json!({ "draft": draft }))?.html)
}

fn not_found(ctx: &PanelContext, base: &BaseUrl) -> Result<PanelResponse> {
    page(ctx, 404, "not-found", ctx.t("Order not found", &[]), json!({ "list_url": base.with(&[]) }))
}

fn page(ctx: &PanelContext, status: u16, template: &str, title: String, mut data: Value) -> Result<PanelResponse> {
    if let Value::Object(m) = &mut data {
        m.insert("site_name".into(), json!(ctx.site_name));
        m.insert("page_title".into(), json!(title));
    }
    Ok(PanelResponse { status, html: ctx.render(template, data)?, title })
}

fn plausible_reference(r: &str) -> bool {
    !r.is_empty() && r.len() <= MAX_REFERENCE_LEN && !r.chars().any(char::is_control)
}

fn load(principal: &Principal, query: &PanelQuery, ctx: &PanelContext, dates: &DateStyle) -> Result<Loaded> {
    let files_ctx = ctx.files.clone().unwrap_or_default();
    let reference = query.order.trim().to_string();
    let state = ListState::parse(query);
    let user_id = principal.user_id;
    worker::with_conn(Mode::Read, async |conn, cfg| {
        let links = store::load_links(conn, cfg, user_id).await?;
        let scope = match access::panel_scope(principal, &links) {
            Ok(s) => s,
            Err(_) => return Ok(Loaded::NoAccess),
        };
        if !query.order.is_empty() {
            if !plausible_reference(&reference) {
                return Ok(Loaded::NotFound);
            }
            return Ok(match store::find_order(conn, cfg, &scope, &reference).await? {
                Some(order) => {
                    let files = crate::files_panel::detail_section(conn, cfg, &scope, &order.summary.reference, order.summary.account_id, &files_ctx, dates, &query.notice).await?;
                    let thread = messages::open_customer_thread(conn, cfg, user_id, order.order_id, !ctx.read_only).await?;
                    Loaded::Detail { scope, order, files: files.data, thread }
                }
                None => Loaded::NotFound,
            });
        }
        let shown = match state.account {
            Some(id) => scope.narrow(id),
            None => scope.clone(),
        };
        let counts = store::count_orders(conn, cfg, &shown).await?;
        let pages = counts.of(state.view).div_ceil(PER_PAGE).max(1);
        let state = ListState { page: state.page.min(pages), ..state.clone() };
        let orders = store::list_orders(conn, cfg, &shown, state.view, PER_PAGE, (state.page - 1) * PER_PAGE).await?;
        let refs: Vec<String> = orders.iter().map(|o| o.reference.clone()).collect();
        let awaiting = crate::approvals::pending_refs(conn, cfg, &shown, &refs).await?;
        let extras = messages::panel_extras(conn, cfg, user_id, &scope).await?;
        Ok(Loaded::List { scope, counts, orders, state, awaiting, extras })
    })
}

/// CSS modifier from the customer label ("In production" → `in-production`),
/// so no internal status key reaches the page.
fn slug(label: &str) -> String {
    let mut s = String::new();
    for c in label.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

fn summary_view(o: &OrderSummary, scope: &Scope, dates: &DateStyle) -> Value {
    json!({
        "reference": o.reference,
        "title": o.title,
        "status_label": o.status_label,
        "status_class": slug(&o.status_label),
        "is_closed": o.is_closed,
        "account_name": if scope.is_multi() { scope.get(o.account_id).map(|a| a.name.clone()) } else { None },
        "promised": o.promised.map(|d| dates.date(d)),
        "promised_iso": o.promised.map(|d| d.to_string()),
        "expected": o.expected.map(|d| dates.date(d)),
        "expected_iso": o.expected.map(|d| d.to_string()),
        // When the order was closed, labelled with its (customer) status:
        // "Completed: …" or "Cancelled: …", never "Completed" for a cancellation.
        "closed_on": if o.is_closed { o.completed_at.map(|t| dates.local_date(t)) } else { None },
        "delivery_method": o.delivery_method,
        "is_pickup": o.delivery_method.as_deref() == Some("pickup"),
        "is_delivery": o.delivery_method.as_deref() == Some("delivery"),
        "delivery_info": if o.delivery_info.is_empty() { None } else { Some(&o.delivery_info) },
        "created": dates.local_date(o.created_at),
    })
}

fn list_view(ctx: &PanelContext, scope: &Scope, counts: Counts, orders: &[OrderSummary], state: &ListState, dates: &DateStyle, base: &BaseUrl) -> Value {
    let with_state = |s: &ListState, extra: Option<(&'static str, String)>| {
        let mut p = s.params();
        p.extend(extra);
        base.with(&p)
    };
    let rows: Vec<Value> = orders
        .iter()
        .map(|o| {
            let mut v = summary_view(o, scope, dates);
            v["url"] = json!(with_state(state, Some(("pqm_order", o.reference.clone()))));
            v
        })
        .collect();
    let views: Vec<Value> = [(View::Open, "Open"), (View::Completed, "Completed"), (View::All, "All")]
        .into_iter()
        .map(|(view, label)| {
            json!({
                "key": view.as_str(),
                "label": ctx.t(label, &[]),
                "count": counts.of(view),
                "current": view == state.view,
                "url": with_state(&ListState { view, page: 1, ..state.clone() }, None),
            })
        })
        .collect();
    let total = counts.of(state.view);
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page_url = |p: u64| with_state(&ListState { page: p, ..state.clone() }, None);
    json!({
        "orders": rows,
        "views": views,
        "view": state.view.as_str(),
        "multi_account": scope.is_multi(),
        "accounts": scope.accounts().iter().map(|a| json!({
            "id": a.id, "name": a.name, "selected": state.account == Some(a.id),
        })).collect::<Vec<_>>(),
        "filter": {
            "action": base.path,
            "hidden": base.params.iter().map(|(k, v)| json!({"name": k, "value": v}))
                .chain((state.view != View::Open).then(|| json!({"name": "pqm_view", "value": state.view.as_str()})))
                .collect::<Vec<_>>(),
            "all_url": with_state(&ListState { account: None, page: 1, ..state.clone() }, None),
            "active": state.account.is_some(),
        },
        "pagination": {
            "show": pages > 1,
            "page": state.page,
            "pages": pages,
            "prev_url": (state.page > 1).then(|| page_url(state.page - 1)),
            "next_url": (state.page < pages).then(|| page_url(state.page + 1)),
        },
        "total": total,
    })
}

fn detail_view(o: &OrderDetail, scope: &Scope, dates: &DateStyle, back_url: String) -> Value {
    let mut v = summary_view(&o.summary, scope, dates);
    v["customer_note"] = json!(if o.customer_note.trim().is_empty() { None } else { Some(&o.customer_note) });
    v["history"] = o
        .history
        .iter()
        .map(|h| json!({ "label": h.status_label, "at": dates.datetime(h.changed_at), "iso": format!("{}Z", h.changed_at.format("%Y-%m-%dT%H:%M:%S")) }))
        .collect();
    v["milestones"] = o
        .milestones
        .iter()
        .map(|m| json!({ "label": m.label, "done": m.done_at.is_some(), "at": m.done_at.map(|t| dates.local_date(t)) }))
        .collect();
    v["back_url"] = json!(back_url);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_state_from_odd_input() {
        let q = |view: &str, account: &str, page: &str| PanelQuery { view: view.into(), account: account.into(), page: page.into(), ..Default::default() };
        assert_eq!(ListState::parse(&q("completed", "12", "3")), ListState { view: View::Completed, account: Some(12), page: 3 });
        assert_eq!(ListState::parse(&q("bogus", "abc", "-5")), ListState { view: View::Open, account: None, page: 1 });
        assert_eq!(ListState::parse(&q("", "0", "0")), ListState { view: View::Open, account: None, page: 1 });
        assert_eq!(ListState::parse(&q("all", " 7 ", "99999999999999999999999")).page, 1);
    }

    #[test]
    fn default_state_adds_no_params() {
        let s = ListState { view: View::Open, account: None, page: 1 };
        assert!(s.params().iter().all(|(_, v)| v.is_empty()));
    }

    #[test]
    fn status_slugs_are_labels_not_keys() {
        assert_eq!(slug("In production"), "in-production");
        assert_eq!(slug("  Ready!  "), "ready");
        assert_eq!(slug("Prêt à livrer"), "prêt-à-livrer");
    }

    #[test]
    fn references_are_bounded() {
        assert!(plausible_reference("PQ-1001"));
        assert!(!plausible_reference(""));
        assert!(!plausible_reference(&"x".repeat(65)));
        assert!(!plausible_reference("PQ\0-1"));
    }

    fn ctx() -> PanelContext {
        PanelContext::from_json(json!({"base_url": "http://s/panel/", "login_url": "http://s/wp-login.php?redirect_to=x", "site_name": "Shop"})).unwrap()
    }

    #[test]
    fn logged_out_needs_no_database_and_links_to_login() {
        let r = render_panel(&Principal::logged_out(), &PanelQuery::default(), &ctx()).unwrap();
        assert_eq!(r.status, 200);
        assert!(r.html.contains("pqm-login-link"), "{}", r.html);
        assert!(r.html.contains(&handlebars::html_escape("http://s/wp-login.php?redirect_to=x")), "{}", r.html);
    }

    #[test]
    fn error_view_is_friendly_and_translatable() {
        let mut c = ctx();
        let html = render_error(&c, "unavailable").unwrap();
        assert!(html.contains("pqm-error"));
        let msg = "Your orders can't be shown right now. Please try again in a few minutes.";
        assert!(html.contains(&handlebars::html_escape(msg)), "{html}");
        std::sync::Arc::make_mut(&mut c.strings).insert(msg.into(), "Bestellungen gerade nicht verfügbar.".into());
        assert!(render_error(&c, "unavailable").unwrap().contains("Bestellungen gerade nicht verfügbar."));
    }
}

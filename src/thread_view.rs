//! Template data for the customer's thread, message form and notification
//! area (templates `message-thread.hbs`, `notifications.hbs`). Message
//! bodies reach the templates only as `body_html` from `linkify::to_html`
//! (escaped text + safe links); everything else is escaped by handlebars.

use crate::format::{php_date, BaseUrl, DateStyle};
use crate::linkify;
use crate::messages::{CustomerThread, PanelExtras, MAX_BODY_CHARS};
use chrono::{Duration, NaiveDateTime, Utc};
use handlebars::html_escape;
use serde::Deserialize;
use serde_json::{json, Value};

/// What the plugin adds to the panel context for messages
/// (`$context['messages']`, see docs/messages.md).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MessagesContext {
    /// `admin_url('admin-post.php')`.
    #[serde(default)]
    pub post_url: String,
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub prefs_nonce: String,
    /// Fresh per render; the same token again after a failed post.
    #[serde(default)]
    pub client_token: String,
    /// Text and error of a post that failed (kept so nothing typed is lost).
    #[serde(default)]
    pub draft_body: String,
    #[serde(default)]
    pub draft_error: String,
    /// `team` (default) or `name`.
    #[serde(default)]
    pub staff_display: String,
    #[serde(default)]
    pub team_label: String,
}

impl MessagesContext {
    pub fn team(&self, site_name: &str) -> String {
        if self.team_label.trim().is_empty() {
            site_name.to_string()
        } else {
            self.team_label.clone()
        }
    }
}

fn iso(t: NaiveDateTime) -> String {
    format!("{}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// "14:02" today (site time), else date and time.
fn when(dates: &DateStyle, utc: NaiveDateTime) -> String {
    let off = Duration::seconds(dates.utc_offset_seconds);
    let local = utc + off;
    if local.date() == (Utc::now().naive_utc() + off).date() {
        php_date(&dates.time_format, local, &dates.words)
    } else {
        dates.datetime(utc)
    }
}

/// Translator handed in by the panel (`PanelContext::t`).
pub type Translate<'a> = &'a dyn Fn(&str, &[String]) -> String;

/// The `<li>` of every message, built directly: a 500-message thread renders
/// in well under a millisecond this way (handlebars needs several), see
/// docs/benchmarks.md. Every value is escaped; the body is `linkify::to_html`.
pub fn items_html(t: &CustomerThread, mc: &MessagesContext, team: &str, user_id: u64, dates: &DateStyle, tr: Translate) -> String {
    let mut out = String::with_capacity(t.messages.len() * 400);
    for m in &t.messages {
        let author = if m.from_staff {
            if mc.staff_display == "name" && !m.author_name.trim().is_empty() { m.author_name.as_str() } else { team }
        } else {
            m.author_name.as_str()
        };
        let mine = !m.from_staff && m.author_user_id == user_id;
        out.push_str("<li class=\"pqm-message ");
        out.push_str(if m.from_staff { "pqm-message--staff" } else { "pqm-message--customer" });
        if mine {
            out.push_str(" pqm-message--mine");
        }
        out.push_str(&format!("\" id=\"pqm-message-{id}\" data-id=\"{id}\">\n      <div class=\"pqm-message__meta\"><span class=\"pqm-message__author\">", id = m.id));
        out.push_str(&html_escape(author));
        out.push_str("</span> <time class=\"pqm-when\" datetime=\"");
        out.push_str(&iso(m.created_at));
        out.push_str("\">");
        out.push_str(&html_escape(&dates.datetime(m.created_at)));
        out.push_str("</time></div>\n      <div class=\"pqm-message__body\">");
        out.push_str(&linkify::to_html(&m.body));
        out.push_str("</div>\n");
        if !m.from_staff && m.id <= t.staff_seen_id {
            let at = t.staff_seen_at.map(|at| when(dates, at)).unwrap_or_default();
            out.push_str("      <div class=\"pqm-receipt\">");
            out.push_str(&html_escape(&tr("Seen by %1$s · %2$s", &[team.to_string(), at])));
            out.push_str("</div>\n");
        }
        out.push_str("    </li>\n");
    }
    out
}

pub fn thread_view(t: &CustomerThread, mc: &MessagesContext, site_name: &str, user_id: u64, reference: &str, base: &BaseUrl, dates: &DateStyle, tr: Translate) -> Value {
    let team = mc.team(site_name);
    json!({
        "count": t.messages.len(),
        "items_html": items_html(t, mc, &team, user_id, dates, tr),
        "team": team,
        "form": {
            "post_url": mc.post_url,
            "nonce": mc.nonce,
            "client_token": mc.client_token,
            "reference": reference,
            "return_url": base.with(&[]),
            "body": mc.draft_body,
            "error": if mc.draft_error.is_empty() { None } else { Some(&mc.draft_error) },
            "max": MAX_BODY_CHARS,
            "max_text": "5,000",
        },
        "prefs": prefs_view(mc, t.email_notifications, base, Some(reference)),
    })
}

fn prefs_view(mc: &MessagesContext, on: bool, base: &BaseUrl, reference: Option<&str>) -> Value {
    json!({
        "post_url": mc.post_url,
        "nonce": mc.prefs_nonce,
        "email_on": on,
        "return_url": base.with(&[("pqm_order", reference.unwrap_or_default().to_string())]),
    })
}

pub fn notices_view(extras: &PanelExtras, base: &BaseUrl, mc: &MessagesContext) -> Value {
    let notices: Vec<Value> = extras
        .notices
        .iter()
        .map(|n| {
            json!({
                "reference": n.reference,
                "url": base.with(&[("pqm_order", n.reference.clone())]) + if n.kind == "message" { "#pqm-messages" } else { "" },
                "is_message": n.kind == "message",
                "is_status": n.kind == "status",
                "is_file": n.kind == "file",
                "one": n.count == 1,
                "count": n.count,
                "detail": n.detail,
            })
        })
        .collect();
    json!({
        "show": true,
        "count": notices.len(),
        "notices": notices,
        "prefs": prefs_view(mc, extras.email_notifications, base, None),
    })
}

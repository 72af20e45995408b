//! Template data for the customer's thread, message form and notification
//! area (templates `message-thread.hbs`, `notifications.hbs`). Message
//! bodies reach the templates only as `body_html` from `linkify::to_html`
//! (escaped text + safe links); everything else is escaped by handlebars.

use crate::format::{php_date, BaseUrl, DateStyle};
use crate::linkify;
use crate::messages::{CustomerThread, PanelExtras, MAX_BODY_CHARS};
use chrono::{Duration, NaiveDateTime, Utc};
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

pub fn thread_view(t: &CustomerThread, mc: &MessagesContext, site_name: &str, user_id: u64, reference: &str, base: &BaseUrl, dates: &DateStyle) -> Value {
    let team = mc.team(site_name);
    let messages: Vec<Value> = t
        .messages
        .iter()
        .map(|m| {
            let author = if m.from_staff {
                if mc.staff_display == "name" && !m.author_name.trim().is_empty() { m.author_name.clone() } else { team.clone() }
            } else {
                m.author_name.clone()
            };
            let seen = (!m.from_staff && m.id <= t.staff_seen_id).then(|| t.staff_seen_at.map(|at| when(dates, at)).unwrap_or_default());
            json!({
                "id": m.id,
                "anchor": format!("pqm-message-{}", m.id),
                "mine": !m.from_staff && m.author_user_id == user_id,
                "from_staff": m.from_staff,
                "author": author,
                "at": dates.datetime(m.created_at),
                "iso": iso(m.created_at),
                "body_html": linkify::to_html(&m.body),
                "seen": seen.is_some(),
                "seen_at": seen,
            })
        })
        .collect();
    json!({
        "messages": messages,
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

//! Who is told about what, and the e-mails that say it.
//!
//! Rust decides the recipients (customer logins of the order's account, the
//! assigned or @mentioned staff) and writes the in-panel notifications in
//! the request that caused them. E-mails are *queued in this process* and
//! handed to PHP by `mail.pending` (no database needed), which the plugin
//! calls on `shutdown`, after the response is sent, and delivers with
//! `wp_mail()` — so SMTP plugins work and a mail failure never breaks or
//! slows down the request that saved the message.
//!
//! A mail to a customer is a `CustomerMail`, built only from a
//! customer-visible message or a customer-visible status: there is no way to
//! put an internal note into one.

use crate::access;
use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::format::{BaseUrl, DateStyle, LocaleWords};
use crate::messages::{now, StaffUser};
use crate::principal::{Cap, Principal};
use crate::render::{format_string, BUILT_IN};
use crate::store::{self, placeholders};
use chrono::NaiveDateTime;
use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use mysql_async::prelude::*;
use mysql_async::{Conn, Value as SqlValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq)]
pub enum CustomerKind {
    Message { author: String, body: String },
    Status { label: String },
}

/// To a customer login: only customer-safe content by construction.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerMail {
    pub user_id: u64,
    pub reference: String,
    pub title: String,
    pub kind: CustomerKind,
    pub at: NaiveDateTime,
}

impl CustomerMail {
    pub fn message(user_id: u64, reference: &str, title: &str, author: &str, body: &str, at: NaiveDateTime) -> Self {
        CustomerMail {
            user_id,
            reference: reference.into(),
            title: title.into(),
            kind: CustomerKind::Message { author: author.into(), body: body.into() },
            at,
        }
    }
}

/// To a staff user: a customer wrote, or they were @mentioned in a note.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffMail {
    pub user_id: u64,
    pub reference: String,
    pub title: String,
    pub author: String,
    pub body: String,
    pub internal: bool,
    pub mention: bool,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MailJob {
    ToCustomer(CustomerMail),
    ToStaff(StaffMail),
}

static PENDING: Mutex<Vec<(u32, MailJob)>> = Mutex::new(Vec::new());

pub fn queue(job: MailJob) {
    PENDING.lock().unwrap_or_else(|p| p.into_inner()).push((std::process::id(), job));
}

/// Mails queued in this process (the plugin's cheap check before rendering).
pub fn pending_count() -> usize {
    let pid = std::process::id();
    PENDING.lock().unwrap_or_else(|p| p.into_inner()).iter().filter(|(p, _)| *p == pid).count()
}

/// Take this process's queued mails (a forked child never sends its parent's).
pub fn take() -> Vec<MailJob> {
    let pid = std::process::id();
    let mut q = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    std::mem::take(&mut *q).into_iter().filter(|(p, _)| *p == pid).map(|(_, j)| j).collect()
}

/// Customer logins that would see an order of `account_id` in their panel
/// (the panel's own rule, `access::panel_scope`, decides; the plugin still
/// drops any login that lacks `pqm_view_panel` before sending).
pub async fn customer_users_of(conn: &mut Conn, cfg: &DbConfig, account_id: u64) -> Result<Vec<u64>> {
    let candidates: Vec<u64> = conn
        .exec(
            format!(
                "SELECT DISTINCT l.user_id FROM {links} l
                  WHERE l.enabled = 1 AND (l.account_id = ? OR l.account_id = (SELECT parent_id FROM {accounts} WHERE id = ?))
                  ORDER BY l.user_id",
                links = cfg.table("account_users"),
                accounts = cfg.table("accounts"),
            ),
            (account_id, account_id),
        )
        .await?;
    let mut out = Vec::new();
    for user_id in candidates {
        let links = store::load_links(conn, cfg, user_id).await?;
        if access::panel_scope(&Principal::new(user_id, &[Cap::ViewPanel]), &links).is_ok_and(|s| s.contains(account_id)) {
            out.push(user_id);
        }
    }
    Ok(out)
}

/// Staff to tell when a customer writes: the order's task assignees who are
/// staff, else every staff user the plugin listed; never the author.
pub async fn staff_recipients_for_order(conn: &mut Conn, cfg: &DbConfig, order_id: u64, staff: &[StaffUser], author: u64) -> Result<Vec<u64>> {
    let assignees: Vec<u64> = conn
        .exec(
            format!("SELECT DISTINCT assignee_user_id FROM {} WHERE order_id = ? AND assignee_user_id IS NOT NULL", cfg.table("tasks")),
            (order_id,),
        )
        .await?;
    let staff_ids: BTreeSet<u64> = staff.iter().map(|s| s.id).filter(|&id| id != 0).collect();
    let assigned: Vec<u64> = assignees.into_iter().filter(|id| staff_ids.contains(id)).collect();
    let chosen: Vec<u64> = if assigned.is_empty() { staff_ids.into_iter().collect() } else { assigned };
    without_opted_out(conn, cfg, chosen.into_iter().filter(|&id| id != author).collect()).await
}

/// Staff users named as `@login` in `body` (case-insensitive), not the author.
pub fn mentioned(body: &str, staff: &[StaffUser], author: u64) -> Vec<u64> {
    let mut out = BTreeSet::new();
    for (i, _) in body.match_indices('@') {
        if body[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
            continue; // an e-mail address, not a mention
        }
        let word: String = body[i + 1..].chars().take_while(|c| c.is_alphanumeric() || "._-".contains(*c)).collect();
        let word = word.trim_end_matches(['.', '-', '_']);
        if let Some(s) = staff.iter().find(|s| !s.login.is_empty() && s.login.eq_ignore_ascii_case(word)) {
            if s.id != author {
                out.insert(s.id);
            }
        }
    }
    out.into_iter().collect()
}

pub async fn without_opted_out(conn: &mut Conn, cfg: &DbConfig, users: Vec<u64>) -> Result<Vec<u64>> {
    if users.is_empty() {
        return Ok(users);
    }
    let off: Vec<u64> = conn
        .exec(
            format!("SELECT user_id FROM {} WHERE email_notifications = 0 AND user_id IN ({})", cfg.table("user_prefs"), placeholders(users.len())),
            users.iter().map(|&u| SqlValue::from(u)).collect::<Vec<_>>(),
        )
        .await?;
    Ok(users.into_iter().filter(|u| !off.contains(u)).collect())
}

/// In-panel notifications (shown whatever the e-mail preference).
pub async fn add_notifications(conn: &mut Conn, cfg: &DbConfig, users: &[u64], order_id: u64, kind: &str, detail: &str) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    let at = now();
    let rows = users.iter().map(|&u| (u, order_id, kind, detail, at));
    conn.exec_batch(
        format!("INSERT INTO {} (user_id, order_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)", cfg.table("notifications")),
        rows,
    )
    .await?;
    Ok(())
}

/// After `order.set_status`: when the order moved to a status customers
/// see, tell the customer logins (notification + e-mail).
pub async fn status_changed(conn: &mut Conn, cfg: &DbConfig, before_status: Option<&str>, after: &crate::staff::OrderRow) -> Result<Vec<u64>> {
    if before_status == Some(after.status.as_str()) {
        return Ok(vec![]);
    }
    let visible: Option<bool> =
        conn.exec_first(format!("SELECT customer_visible FROM {} WHERE status_key = ?", cfg.table("statuses")), (&after.status,)).await?;
    if visible != Some(true) {
        return Ok(vec![]); // a hidden status is never named to a customer
    }
    let label = after.customer_status.clone();
    let users = customer_users_of(conn, cfg, after.account_id).await?;
    add_notifications(conn, cfg, &users, after.id, "status", &label).await?;
    let at = now();
    let mailed = without_opted_out(conn, cfg, users).await?;
    for &user_id in &mailed {
        queue(MailJob::ToCustomer(CustomerMail {
            user_id,
            reference: after.reference.clone(),
            title: after.title.clone(),
            kind: CustomerKind::Status { label: label.clone() },
            at,
        }));
    }
    Ok(mailed)
}

/// A shared file appears on an order (for the files feature): notification only.
pub async fn file_shared(conn: &mut Conn, cfg: &DbConfig, order_id: u64, account_id: u64, file_name: &str) -> Result<()> {
    let users = customer_users_of(conn, cfg, account_id).await?;
    let name: String = file_name.chars().take(190).collect();
    add_notifications(conn, cfg, &users, order_id, "file", &name).await
}

// ---------------------------------------------------------------------------
// Rendering the queued mails (plain text; no HTML escaping needed or wanted)
// ---------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct MailContext {
    #[serde(default)]
    pub site_name: String,
    /// Permalink of the client panel page.
    #[serde(default)]
    pub panel_url: String,
    /// `admin_url('admin.php?page=pqm-messages')`.
    #[serde(default)]
    pub admin_url: String,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default)]
    pub time_format: Option<String>,
    #[serde(default)]
    pub utc_offset: i64,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub strings: HashMap<String, String>,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub template_dirs: Vec<String>,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    pub locale_words: Option<LocaleWords>,
    /// `team` (default): customers see `team_label` as the author of staff messages; `name`: the staff member's name.
    #[serde(default)]
    pub staff_display: String,
    #[serde(default)]
    pub team_label: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct RenderedMail {
    pub user_id: u64,
    pub to_staff: bool,
    pub reference: String,
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
    pub link: String,
}

pub const MAIL_TEMPLATES: [&str; 2] = ["mail-subject", "mail-body"];

fn text_translate(h: &Helper, _: &Handlebars, ctx: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let msgid = h.param(0).and_then(|p| p.value().as_str()).unwrap_or_default();
    let translated = ctx.data().get("_strings").and_then(|s| s.get(msgid)).and_then(Value::as_str).unwrap_or(msgid);
    let args: Vec<String> = h
        .params()
        .iter()
        .skip(1)
        .map(|p| match p.value() {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            v => v.to_string(),
        })
        .collect();
    out.write(&format_string(translated, &args))?;
    Ok(())
}

fn mail_registry(dirs: &[String]) -> Result<Handlebars<'static>> {
    let mut hb = Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("t", Box::new(text_translate));
    for name in MAIL_TEMPLATES {
        let built_in = BUILT_IN.iter().find(|(n, _, _)| *n == name).map(|(_, _, s)| *s).ok_or_else(|| Error::Template(format!("{name} missing")))?;
        let theme = dirs.iter().filter(|d| !d.is_empty()).find_map(|d| std::fs::read_to_string(std::path::Path::new(d).join(format!("{name}.hbs"))).ok());
        match theme {
            Some(src) if hb.register_template_string(name, &src).is_ok() => {}
            _ => hb.register_template_string(name, built_in)?,
        }
    }
    Ok(hb)
}

/// Render the mails queued by this request; empties the queue.
pub fn render_pending(ctx: &MailContext) -> Result<Vec<RenderedMail>> {
    let jobs = take();
    if jobs.is_empty() {
        return Ok(vec![]);
    }
    render_jobs(ctx, &jobs)
}

pub fn render_jobs(ctx: &MailContext, jobs: &[MailJob]) -> Result<Vec<RenderedMail>> {
    let hb = mail_registry(&ctx.template_dirs)?;
    let dates = DateStyle {
        date_format: ctx.date_format.clone().unwrap_or_else(|| "F j, Y".into()),
        time_format: ctx.time_format.clone().unwrap_or_else(|| "g:i a".into()),
        utc_offset_seconds: ctx.utc_offset,
        words: ctx.locale_words.clone().unwrap_or_default(),
    };
    let team = if ctx.team_label.trim().is_empty() { ctx.site_name.clone() } else { ctx.team_label.clone() };
    let mut out = Vec::new();
    for job in jobs {
        let (user_id, to_staff, reference, kind, data) = match job {
            MailJob::ToCustomer(m) => {
                let link = BaseUrl::parse(&ctx.panel_url).with(&[("pqm_order", m.reference.clone())]) + "#pqm-messages";
                let (kind, extra) = match &m.kind {
                    CustomerKind::Message { author, body } => {
                        let shown = if ctx.staff_display == "name" && !author.trim().is_empty() { author.clone() } else { team.clone() };
                        ("message", json!({"is_message": true, "author": shown, "body": body}))
                    }
                    CustomerKind::Status { label } => ("status", json!({"is_status": true, "status": label})),
                };
                let mut d = json!({"to_customer": true, "reference": m.reference, "title": m.title, "link": link, "at": dates.datetime(m.at)});
                merge(&mut d, extra);
                (m.user_id, false, m.reference.clone(), kind, d)
            }
            MailJob::ToStaff(m) => {
                let link = BaseUrl::parse(&ctx.admin_url).with(&[("order", m.reference.clone())]);
                let kind = if m.mention { "mention" } else { "customer_message" };
                let d = json!({
                    "to_staff": true, "is_mention": m.mention, "is_customer_message": !m.mention, "internal": m.internal,
                    "reference": m.reference, "title": m.title, "author": m.author, "body": m.body, "link": link, "at": dates.datetime(m.at),
                });
                (m.user_id, true, m.reference.clone(), kind, d)
            }
        };
        let mut data = data;
        merge(&mut data, json!({"site_name": ctx.site_name, "_strings": ctx.strings}));
        let subject = hb.render("mail-subject", &data)?.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
        let body = hb.render("mail-body", &data)?.trim().to_string() + "\n";
        out.push(RenderedMail { user_id, to_staff, reference, kind, subject, body, link: data["link"].as_str().unwrap_or_default().to_string() });
    }
    Ok(out)
}

fn merge(a: &mut Value, b: Value) {
    if let (Value::Object(a), Value::Object(b)) = (a, b) {
        a.extend(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> Vec<StaffUser> {
        vec![StaffUser { id: 7, login: "manager".into(), name: "M".into() }, StaffUser { id: 8, login: "jo.ann".into(), name: "J".into() }]
    }

    #[test]
    fn mentions_match_staff_logins_only() {
        assert_eq!(mentioned("@manager please check, cc @Jo.Ann.", &staff(), 1), vec![7, 8]);
        assert_eq!(mentioned("mail me at bob@manager.test", &staff(), 1), Vec::<u64>::new());
        assert_eq!(mentioned("@manager", &staff(), 7), Vec::<u64>::new(), "not the author");
        assert_eq!(mentioned("@nobody @", &staff(), 1), Vec::<u64>::new());
    }

    #[test]
    fn a_theme_overrides_the_mail_templates() {
        let dir = std::env::temp_dir().join(format!("pqm-mail-theme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("mail-subject.hbs"), "{{!-- pqm-template: mail-subject version 1.0.0 --}}Custom {{reference}}").unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(14, 2, 0).unwrap();
        let ctx = MailContext { template_dirs: vec![dir.display().to_string()], ..Default::default() };
        let out = render_jobs(&ctx, &[MailJob::ToCustomer(CustomerMail::message(5, "PQ-7", "T", "", "b", at))]).unwrap();
        assert_eq!(out[0].subject, "Custom PQ-7");
        assert!(out[0].body.contains("PQ-7"), "built-in body still used: {}", out[0].body);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mails_are_plain_text_with_a_link_and_no_escaping() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(14, 2, 0).unwrap();
        let ctx = MailContext { site_name: "Shop".into(), panel_url: "http://s/client-panel/".into(), admin_url: "http://s/wp-admin/admin.php?page=pqm-messages".into(), ..Default::default() };
        let jobs = vec![
            MailJob::ToCustomer(CustomerMail::message(5, "PQ-1", "Flyers", "Manager", "<b>Proof</b> & more", at)),
            MailJob::ToStaff(StaffMail { user_id: 7, reference: "PQ-1".into(), title: "Flyers".into(), author: "Alice".into(), body: "Hi".into(), internal: false, mention: false, at }),
        ];
        let out = render_jobs(&ctx, &jobs).unwrap();
        assert!(out[0].body.contains("<b>Proof</b> & more"), "{}", out[0].body);
        assert!(out[0].body.contains("http://s/client-panel/?pqm_order=PQ-1#pqm-messages"), "{}", out[0].body);
        assert!(!out[0].body.contains("Manager"), "team label by default: {}", out[0].body);
        assert!(out[0].subject.contains("PQ-1"), "{}", out[0].subject);
        assert!(out[1].body.contains("http://s/wp-admin/admin.php?page=pqm-messages&order=PQ-1"), "{}", out[1].body);
        assert!(out[1].to_staff && !out[0].to_staff);
    }
}

//! The files and approvals part of the client panel's order detail (and the
//! "Waiting for your approval" badges of the list). Everything shown goes
//! through `access` via `files::visible_versions` and the principal's scope.

use crate::access::{self, Scope};
use crate::approvals::{self, ApprovalRow};
use crate::config::DbConfig;
use crate::error::Result;
use crate::files::{self, human_size, Kind, VersionRow, Viewer};
use crate::format::{BaseUrl, DateStyle};
use mysql_async::Conn;
use serde::Deserialize;
use serde_json::{json, Value};

/// What the plugin adds to the panel context for files (`files` key).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FilesContext {
    /// `admin-post.php` of the site: downloads, uploads and decisions go there.
    #[serde(default)]
    pub action_url: String,
    /// WordPress nonce for uploads and decisions (action `pqm_files`).
    #[serde(default)]
    pub nonce: String,
    /// A decision that could not be saved, shown again in its form (the
    /// plugin keeps it in a short-lived per-user transient, `pqm_draft`).
    #[serde(default)]
    pub draft: Option<DecisionDraft>,
}

/// The typed comment of a decision that failed (shown again, never stored).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DecisionDraft {
    #[serde(default)]
    pub approval: u64,
    /// `approve` or `changes`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
}

/// Notices the panel shows after an upload or decision (from `pqm_notice`).
pub const NOTICES: &[&str] = &[
    "uploaded",
    "too_large",
    "bad_type",
    "empty",
    "no_file",
    "upload_failed",
    "approved",
    "changes_requested",
    "comment_required",
    "comment_too_long",
    "already_decided",
    "not_approver",
    "failed",
    "unavailable",
];

pub struct Section {
    pub data: Value,
}

fn download_url(base: &BaseUrl, reference: &str, v: &VersionRow, inline: bool) -> String {
    let mut p = vec![
        ("action", "pqm_download".to_string()),
        ("order", reference.to_string()),
        ("file", v.file_id.to_string()),
        ("version", v.version.to_string()),
    ];
    if inline {
        p.push(("inline", "1".into()));
    }
    base.with(&p)
}

fn approval_view(a: &ApprovalRow, dates: &DateStyle, can_decide: bool, draft: Option<&DecisionDraft>) -> Value {
    let draft = draft.filter(|d| d.approval == a.id && a.status == "pending");
    let draft_for = |decision: &str| draft.filter(|d| d.decision == decision).map(|d| d.comment.clone()).unwrap_or_default();
    json!({
        "draft_approve": draft_for("approve"),
        "draft_changes": draft_for("changes"),
        "id": a.id,
        "pending": a.status == "pending",
        "approved": a.status == "approved",
        "changes_requested": a.status == "changes_requested",
        "message": if a.message.is_empty() { None } else { Some(&a.message) },
        "due": a.due.map(|d| dates.date(d)),
        "due_iso": a.due.map(|d| d.to_string()),
        "overdue": a.overdue,
        "file_title": a.file_title,
        "file_version": a.file_version,
        "file_sha256": a.file_sha256,
        "requested_at": dates.datetime(a.requested_at),
        "decided_at": a.decided_at.map(|t| dates.datetime(t)),
        "comment": if a.comment.is_empty() { None } else { Some(&a.comment) },
        "request_receipt": a.request_receipt,
        "decision_receipt": a.decision_receipt,
        "can_decide": can_decide && a.status == "pending",
    })
}

/// Files, approvals, the upload form and the notice for one order in scope.
#[allow(clippy::too_many_arguments)]
pub async fn detail_section(
    conn: &mut Conn,
    cfg: &DbConfig,
    scope: &Scope,
    reference: &str,
    account_id: u64,
    ctx: &FilesContext,
    dates: &DateStyle,
    notice: &str,
) -> Result<Section> {
    let base = BaseUrl::parse(&ctx.action_url);
    let versions = files::visible_versions(conn, cfg, &Viewer::Customer(scope), reference).await?;
    let mut list: Vec<Value> = Vec::new();
    let mut i = 0;
    while i < versions.len() {
        let file_id = versions[i].file_id;
        let group: Vec<&VersionRow> = versions[i..].iter().take_while(|v| v.file_id == file_id).collect();
        i += group.len();
        let latest = group[0];
        let kind = Kind::from_mime(&latest.mime);
        let older: Vec<Value> = group[1..]
            .iter()
            .map(|v| {
                json!({
                    "version": v.version, "date": dates.datetime(v.created_at), "size": human_size(v.size),
                    "sha256": v.sha256, "file_name": files::safe_name(&v.file_name, Kind::from_mime(&v.mime)),
                    "download_url": download_url(&base, reference, v, false),
                })
            })
            .collect();
        list.push(json!({
            "id": latest.file_id,
            "title": latest.title,
            "type_label": latest.type_label,
            "file_name": files::safe_name(&latest.file_name, kind),
            "size": human_size(latest.size),
            "size_bytes": latest.size,
            "date": dates.datetime(latest.created_at),
            "version": latest.version,
            "sha256": latest.sha256,
            "by_customer": latest.by_customer,
            "download_url": download_url(&base, reference, latest, false),
            "open_url": if kind.inline_ok() { Some(download_url(&base, reference, latest, true)) } else { None },
            "is_image": kind.is_image(),
            "is_pdf": kind == Kind::Pdf,
            "older": older,
        }));
    }
    let can_decide = access::customer_may_decide(scope, account_id);
    let approvals: Vec<Value> = approvals::for_order(conn, cfg, reference).await?.iter().map(|a| approval_view(a, dates, can_decide, ctx.draft.as_ref())).collect();
    let awaiting = approvals.iter().any(|a| a["pending"] == json!(true));
    let settings = files::settings(conn, cfg).await?;
    let kinds: Vec<&str> = settings
        .upload_kinds
        .iter()
        .map(|k| match k.as_str() {
            "pdf" => "PDF",
            "png" => "PNG",
            "jpeg" => "JPEG",
            "office" => "Word/Excel/PowerPoint (.docx, .xlsx, .pptx)",
            other => other,
        })
        .collect();
    let notice = NOTICES.iter().find(|n| **n == notice.trim()).copied();
    Ok(Section {
        data: json!({
            "files": list,
            "approvals": approvals,
            "awaiting_approval": awaiting,
            "can_decide": can_decide,
            "upload": {
                "enabled": access::customer_may_upload(scope, account_id) && !ctx.action_url.is_empty(),
                "action_url": base.path,
                "nonce": ctx.nonce,
                "order": reference,
                "max": human_size(settings.max_upload_bytes),
                "kinds": kinds.join(", "),
                "accept": settings.upload_kinds.iter().map(|k| match k.as_str() {
                    "pdf" => ".pdf,application/pdf", "png" => ".png,image/png", "jpeg" => ".jpg,.jpeg,image/jpeg",
                    _ => ".docx,.xlsx,.pptx",
                }).collect::<Vec<_>>().join(","),
            },
            "notice": notice,
            "notice_limit": human_size(settings.max_upload_bytes),
        }),
    })
}

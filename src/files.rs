//! Files on orders: types, versions, content-addressed storage, uploads
//! checked by content, and the one authorisation a download goes through.
//!
//! * Storage: `<dir>/<sha256[0..2]>/<sha256>` (no extension, so nothing in
//!   it can ever be executed by a web server). A write streams the source
//!   into a temp file in `<dir>` while hashing it, then renames it into
//!   place: a reader never sees a half-stored blob, and the same content is
//!   stored once.
//! * Visibility: `access::customer_may_see_file` decides; the queries here
//!   only load candidates of one order.
//! * Authorise and act on the same object: `authorize_download` loads one
//!   version row *joined with its file and order*, checks that row, and
//!   returns the blob path derived from that row's hash — the caller never
//!   builds a path from request input.

use crate::access::{self, FileFacts, Scope};
use crate::config::DbConfig;
use crate::error::{Error, Result};
use crate::params::{de_bool, de_opt_u64};
use crate::principal::{Cap, Principal};
use crate::signing;
use crate::store::{self, take};
use chrono::{NaiveDateTime, Utc};
use mysql_async::prelude::*;
use mysql_async::{Conn, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub fn now() -> NaiveDateTime {
    use chrono::Timelike;
    Utc::now().naive_utc().with_nanosecond(0).expect("0 ns")
}

// ---------------------------------------------------------------------------
// Content sniffing
// ---------------------------------------------------------------------------

/// What a file is, judged by its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
    /// Anything else (staff files only: never accepted from customers).
    Other,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Kind::Other => "application/octet-stream",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Other => "bin",
        }
    }

    /// The setting name of an accepted customer upload kind.
    pub fn setting(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Docx | Kind::Xlsx | Kind::Pptx => "office",
            Kind::Other => "other",
        }
    }

    pub fn from_mime(m: &str) -> Kind {
        [Kind::Pdf, Kind::Png, Kind::Jpeg, Kind::Docx, Kind::Xlsx, Kind::Pptx].into_iter().find(|k| k.mime() == m).unwrap_or(Kind::Other)
    }

    /// May the browser show it inline (images, PDF)? Everything else is an
    /// attachment.
    pub fn inline_ok(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Png | Kind::Jpeg)
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Png | Kind::Jpeg)
    }
}

pub const UPLOAD_KINDS: &[&str] = &["pdf", "png", "jpeg", "office"];

/// Judge `head` (the first bytes of a file, up to 64 KiB) by its content.
pub fn sniff(head: &[u8]) -> Kind {
    if head.starts_with(b"%PDF-") {
        Kind::Pdf
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if head.starts_with(b"\xFF\xD8\xFF") {
        Kind::Jpeg
    } else if head.starts_with(b"PK\x03\x04") && contains(head, b"[Content_Types].xml") {
        if contains(head, b"word/") {
            Kind::Docx
        } else if contains(head, b"xl/") {
            Kind::Xlsx
        } else if contains(head, b"ppt/") {
            Kind::Pptx
        } else {
            Kind::Other
        }
    } else {
        Kind::Other
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A file name safe for `Content-Disposition` and for display: no path, no
/// control characters, no quotes, bounded, and ending in the extension of
/// what the content really is (`invoice.php` holding a PDF becomes
/// `invoice.php.pdf`).
pub fn safe_name(raw: &str, kind: Kind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "\"<>:|?*;%".contains(c) { '_' } else { c })
        .collect();
    s = s.trim().trim_start_matches('.').trim().to_string();
    if s.is_empty() {
        s = "file".into();
    }
    let ext = kind.extension();
    let has_ext = s.rsplit_once('.').is_some_and(|(_, e)| {
        let e = e.to_ascii_lowercase();
        e == ext || (kind == Kind::Jpeg && e == "jpeg") || (kind == Kind::Other && !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()) && !is_script_ext(&e))
    });
    // At most 120 characters (by char, never splitting one), keeping the extension.
    let (stem, kept_ext) = match s.rsplit_once('.') {
        Some((stem, e)) if has_ext => (stem.to_string(), e.to_string()),
        _ => (s.clone(), ext.to_string()),
    };
    let max = 120 - kept_ext.chars().count() - 1;
    let stem: String = if stem.chars().count() > max { stem.chars().take(max).collect() } else { stem };
    let stem = if stem.is_empty() { "file".to_string() } else { stem };
    format!("{stem}.{kept_ext}")
}

fn is_script_ext(e: &str) -> bool {
    matches!(e, "php" | "phtml" | "php3" | "php4" | "php5" | "phar" | "html" | "htm" | "svg" | "js" | "xhtml" | "shtml" | "cgi" | "pl" | "py" | "sh" | "exe")
}

// ---------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------

/// `<sha[0..2]>/<sha>` — the only shape of a stored path.
pub fn relative_path(sha: &str) -> Result<String> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return Err(Error::Config(format!("not a sha256: {sha:?}")));
    }
    Ok(format!("{}/{}", &sha[..2], sha))
}

pub fn blob_path(storage: &Path, sha: &str) -> Result<PathBuf> {
    Ok(storage.join(relative_path(sha)?))
}

fn storage_dir(dir: &str) -> Result<PathBuf> {
    let d = dir.trim();
    if d.is_empty() || !d.starts_with('/') {
        return Err(Error::Config("the file storage directory (PQM_FILES_DIR) must be an absolute path".into()));
    }
    let p = PathBuf::from(d);
    fs::create_dir_all(&p).map_err(|e| Error::Config(format!("cannot create the file storage directory {d}: {e}")))?;
    Ok(p)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    pub kind: Kind,
    /// False when the same content was already stored.
    pub new_blob: bool,
}

/// Why a store was refused (shown to the person uploading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    TooLarge { limit: u64 },
    Empty,
    Type { kind: Kind },
}

struct TempFile(Option<PathBuf>);
impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

/// Stream `src` into storage, at most `max_bytes`, accepting only kinds for
/// which `accept` is true. On refusal or error nothing is left behind.
pub fn store_file(storage: &Path, src: &Path, max_bytes: u64, accept: impl Fn(Kind) -> bool) -> Result<std::result::Result<Stored, Refused>> {
    let mut input = File::open(src).map_err(|e| Error::invalid(format!("cannot read {}: {e}", src.display())))?;
    if input.metadata().map(|m| !m.is_file()).unwrap_or(true) {
        return Err(Error::invalid(format!("{} is not a regular file", src.display())));
    }
    let tmp_path = storage.join(format!(".tmp-{}-{}", std::process::id(), unique()));
    let mut tmp = TempFile(Some(tmp_path.clone()));
    let mut out = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp_path)
        .map_err(|e| Error::Config(format!("cannot write to the file storage {}: {e}", storage.display())))?;
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut buf = vec![0u8; 256 * 1024];
    let mut size: u64 = 0;
    loop {
        let n = input.read(&mut buf).map_err(|e| Error::invalid(format!("reading the upload failed: {e}")))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > max_bytes {
            return Ok(Err(Refused::TooLarge { limit: max_bytes }));
        }
        if head.len() < 64 * 1024 {
            let take = (64 * 1024 - head.len()).min(n);
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::Config(format!("writing to the file storage failed: {e}")))?;
    }
    if size == 0 {
        return Ok(Err(Refused::Empty));
    }
    let kind = sniff(&head);
    if !accept(kind) {
        return Ok(Err(Refused::Type { kind }));
    }
    out.sync_all().map_err(|e| Error::Config(format!("sync failed: {e}")))?;
    drop(out);
    let sha = hex(&hasher.finalize());
    let dest = blob_path(storage, &sha)?;
    if dest.is_file() {
        return Ok(Ok(Stored { sha256: sha, size, kind, new_blob: false }));
    }
    fs::create_dir_all(dest.parent().expect("has a parent")).map_err(|e| Error::Config(format!("cannot create {}: {e}", dest.display())))?;
    fs::rename(&tmp_path, &dest).map_err(|e| Error::Config(format!("cannot move the upload into storage: {e}")))?;
    tmp.0 = None;
    Ok(Ok(Stored { sha256: sha, size, kind, new_blob: true }))
}

/// Store bytes (demo data, tests) through the same path as an upload.
pub fn store_bytes(storage: &Path, bytes: &[u8]) -> Result<Stored> {
    let src = storage.join(format!(".src-{}-{}", std::process::id(), unique()));
    fs::write(&src, bytes).map_err(|e| Error::Config(format!("cannot write {}: {e}", src.display())))?;
    let _cleanup = TempFile(Some(src.clone()));
    match store_file(storage, &src, u64::MAX, |_| true)? {
        Ok(s) => Ok(s),
        Err(r) => Err(Error::invalid(format!("refused: {r:?}"))),
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{t:x}-{}", N.fetch_add(1, Ordering::Relaxed))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------
// Settings and types
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Settings {
    pub max_upload_bytes: u64,
    pub upload_kinds: Vec<String>,
}

pub async fn settings(conn: &mut Conn, cfg: &DbConfig) -> Result<Settings> {
    let rows: Vec<(String, String)> = conn.query(format!("SELECT name, value FROM {}", cfg.table("file_settings"))).await?;
    let mut s = Settings { max_upload_bytes: 20 * 1024 * 1024, upload_kinds: UPLOAD_KINDS.iter().map(|s| s.to_string()).collect() };
    for (k, v) in rows {
        match k.as_str() {
            "max_upload_bytes" => s.max_upload_bytes = v.trim().parse().unwrap_or(s.max_upload_bytes),
            "upload_kinds" => s.upload_kinds = v.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
            _ => {}
        }
    }
    Ok(s)
}

#[derive(Deserialize)]
pub struct SettingsUpdate {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub max_upload_bytes: Option<u64>,
    #[serde(default)]
    pub upload_kinds: Option<String>,
}

pub async fn settings_update(conn: &mut Conn, cfg: &DbConfig, p: &Principal, u: SettingsUpdate) -> Result<Settings> {
    p.require(Cap::ManageSettings)?;
    let sql = format!("INSERT INTO {} (name, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)", cfg.table("file_settings"));
    if let Some(max) = u.max_upload_bytes {
        if max == 0 {
            return Err(Error::invalid("the upload limit must be at least 1 byte"));
        }
        conn.exec_drop(&sql, ("max_upload_bytes", max.to_string())).await?;
    }
    if let Some(kinds) = u.upload_kinds {
        let list: Vec<String> = kinds.split(',').map(|k| k.trim().to_ascii_lowercase()).filter(|k| !k.is_empty()).collect();
        if let Some(bad) = list.iter().find(|k| !UPLOAD_KINDS.contains(&k.as_str())) {
            return Err(Error::invalid(format!("unknown upload kind \"{bad}\"; known: {}", UPLOAD_KINDS.join(", "))));
        }
        conn.exec_drop(&sql, ("upload_kinds", list.join(","))).await?;
    }
    settings(conn, cfg).await
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileType {
    pub slug: String,
    pub label: String,
    pub customer_file: bool,
    pub customer_upload: bool,
}

pub async fn file_types(conn: &mut Conn, cfg: &DbConfig) -> Result<Vec<FileType>> {
    let rows: Vec<Row> = conn
        .query(format!("SELECT slug, label, customer_file, customer_upload FROM {} ORDER BY sort_order, slug", cfg.table("file_types")))
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| FileType { slug: take(&mut r, 0), label: take(&mut r, 1), customer_file: take(&mut r, 2), customer_upload: take(&mut r, 3) })
        .collect())
}

pub async fn type_list(conn: &mut Conn, cfg: &DbConfig, p: &Principal) -> Result<Vec<FileType>> {
    p.require(Cap::ManageOrders)?;
    file_types(conn, cfg).await
}

// ---------------------------------------------------------------------------
// Loading versions
// ---------------------------------------------------------------------------

/// One version with everything the access rule needs, loaded in one query.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionRow {
    pub order_id: u64,
    pub order_ref: String,
    pub account_id: u64,
    pub file_id: u64,
    pub title: String,
    pub type_slug: String,
    pub type_label: String,
    pub internal: bool,
    pub customer_type: bool,
    pub version_id: u64,
    pub version: u32,
    pub sha256: String,
    pub size: u64,
    pub mime: String,
    pub file_name: String,
    pub shared: bool,
    pub by_customer: bool,
    pub created_at: NaiveDateTime,
}

impl VersionRow {
    pub fn facts(&self) -> FileFacts {
        FileFacts { account_id: self.account_id, internal: self.internal, customer_type: self.customer_type, shared: self.shared }
    }
}

const VERSION_COLUMNS: &str = "o.id, o.reference, o.account_id, f.id, f.title, f.type_slug, COALESCE(t.label, f.type_slug), f.visibility = 'internal',
     COALESCE(t.customer_file, 0), v.id, v.version, v.sha256, v.size, v.mime, v.file_name, v.shared, v.uploaded_by_customer, v.created_at";

fn version_from(r: &mut Row) -> VersionRow {
    VersionRow {
        order_id: take(r, 0),
        order_ref: take(r, 1),
        account_id: take(r, 2),
        file_id: take(r, 3),
        title: take(r, 4),
        type_slug: take(r, 5),
        type_label: take(r, 6),
        internal: take(r, 7),
        customer_type: take(r, 8),
        version_id: take(r, 9),
        version: take(r, 10),
        sha256: take(r, 11),
        size: take(r, 12),
        mime: take(r, 13),
        file_name: take(r, 14),
        shared: take(r, 15),
        by_customer: take(r, 16),
        created_at: take(r, 17),
    }
}

fn version_sql(cfg: &DbConfig, selector: &str) -> String {
    format!(
        "SELECT {VERSION_COLUMNS}
           FROM {versions} v
           JOIN {files} f ON f.id = v.file_id
           JOIN {orders} o ON o.id = f.order_id
           LEFT JOIN {types} t ON t.slug = f.type_slug
          WHERE o.reference = ? AND {selector}
          ORDER BY f.id, v.version DESC",
        versions = cfg.table("file_versions"),
        files = cfg.table("files"),
        orders = cfg.table("orders"),
        types = cfg.table("file_types"),
    )
}

/// Every version of every file of the order `reference` (no access check).
pub async fn order_versions(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<Vec<VersionRow>> {
    let rows: Vec<Row> = conn.exec(version_sql(cfg, "1 = 1"), (reference,)).await?;
    Ok(rows.into_iter().map(|mut r| version_from(&mut r)).collect())
}

/// Who is looking: a customer (through their scope) or staff.
pub enum Viewer<'a> {
    Customer(&'a Scope),
    Staff,
}

impl Viewer<'_> {
    fn may_see(&self, v: &VersionRow) -> bool {
        match self {
            Viewer::Staff => true,
            Viewer::Customer(scope) => access::customer_may_see_file(scope, &v.facts()),
        }
    }
}

/// The versions of an order this viewer may see, newest version first per file.
pub async fn visible_versions(conn: &mut Conn, cfg: &DbConfig, viewer: &Viewer<'_>, reference: &str) -> Result<Vec<VersionRow>> {
    Ok(order_versions(conn, cfg, reference).await?.into_iter().filter(|v| viewer.may_see(v)).collect())
}

// ---------------------------------------------------------------------------
// Download authorisation
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct DownloadRequest {
    /// Order reference: a file is only ever named *on its order*.
    #[serde(default)]
    pub order: String,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub file: Option<u64>,
    /// Version number of `file` (default: the newest this viewer may see).
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub version: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub version_id: Option<u64>,
    #[serde(default)]
    pub sha256: Option<String>,
    /// Signed link token (see `signing`); then `secret` must be the site secret.
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub secret: String,
    /// Storage directory (PQM_FILES_DIR) the blob lives in.
    #[serde(default)]
    pub storage: String,
    #[serde(default, deserialize_with = "de_bool")]
    pub inline: bool,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Authorized {
    /// Absolute path of the blob of exactly the authorised version.
    pub path: String,
    /// `<sha[0..2]>/<sha>` (for X-Accel-Redirect).
    pub relative: String,
    pub file_name: String,
    pub mime: String,
    pub size: u64,
    pub sha256: String,
    pub disposition: &'static str,
    pub file_id: u64,
    pub version: u32,
    pub version_id: u64,
}

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Decide whether `p` may download the version the request names, and if so
/// return the blob of *that* version. Any failure is `NotFound`.
pub async fn authorize_download(conn: &mut Conn, cfg: &DbConfig, p: &Principal, req: DownloadRequest) -> Result<Authorized> {
    let reference = req.order.trim();
    if reference.is_empty() || reference.len() > 64 || reference.chars().any(char::is_control) || !p.is_logged_in() && !p.cli {
        return Err(Error::NotFound);
    }
    let scope;
    let viewer = if p.can(Cap::ManageOrders) {
        Viewer::Staff
    } else {
        let links = store::load_links(conn, cfg, p.user_id).await?;
        scope = access::panel_scope(p, &links).map_err(|_| Error::NotFound)?;
        Viewer::Customer(&scope)
    };
    // Exactly one way of naming the version.
    let (selector, arg): (&str, mysql_async::Value) = if let Some(token) = req.token.as_deref().filter(|t| !t.is_empty()) {
        let link = signing::verify_download_on(&req.secret, token, reference, Utc::now().timestamp()).ok_or(Error::NotFound)?;
        if link.user_id != p.user_id {
            return Err(Error::NotFound);
        }
        ("v.id = ?", link.version_id.into())
    } else if let Some(id) = req.version_id {
        ("v.id = ?", id.into())
    } else if let Some(sha) = req.sha256.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if !is_sha(sha) {
            return Err(Error::NotFound);
        }
        ("v.sha256 = ?", sha.to_ascii_lowercase().into())
    } else if let Some(id) = req.file {
        ("f.id = ?", id.into())
    } else {
        return Err(Error::NotFound);
    };
    let rows: Vec<Row> = conn.exec(version_sql(cfg, selector), vec![mysql_async::Value::from(reference), arg]).await?;
    let chosen = rows
        .into_iter()
        .map(|mut r| version_from(&mut r))
        .filter(|v| viewer.may_see(v))
        // A request that also names the file or version number must match
        // the loaded row in every part.
        .filter(|v| req.file.is_none_or(|f| f == v.file_id))
        .find(|v| req.version.is_none_or(|n| n == u64::from(v.version)))
        .ok_or(Error::NotFound)?;
    let storage = PathBuf::from(req.storage.trim());
    if !storage.is_absolute() {
        return Err(Error::Config("the file storage directory (PQM_FILES_DIR) must be an absolute path".into()));
    }
    let kind = Kind::from_mime(&chosen.mime);
    let path = blob_path(&storage, &chosen.sha256)?;
    Ok(Authorized {
        path: path.display().to_string(),
        relative: relative_path(&chosen.sha256)?,
        file_name: safe_name(&chosen.file_name, kind),
        mime: kind.mime().to_string(),
        size: chosen.size,
        sha256: chosen.sha256,
        disposition: if req.inline && kind.inline_ok() { "inline" } else { "attachment" },
        file_id: chosen.file_id,
        version: chosen.version,
        version_id: chosen.version_id,
    })
}

// ---------------------------------------------------------------------------
// Adding files
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct AddFile {
    pub order: String,
    /// Server-side path of the content: a PHP upload temp file or, for
    /// WP-CLI, a path on the server.
    pub path: String,
    #[serde(default, rename = "type")]
    pub type_slug: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The name the uploader gave the file (default: the path's name).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de_bool")]
    pub internal: bool,
    /// Keep this version from the customer (staff can share it later).
    #[serde(default, deserialize_with = "de_bool")]
    pub unshared: bool,
    /// Add a version to this file instead of matching by type and title.
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub file: Option<u64>,
    pub storage: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Added {
    pub file_id: u64,
    pub version_id: u64,
    pub version: u32,
    pub order: String,
    pub title: String,
    #[serde(rename = "type")]
    pub type_slug: String,
    pub internal: bool,
    pub shared: bool,
    pub sha256: String,
    pub size: u64,
    pub mime: String,
    pub file_name: String,
    pub new_blob: bool,
}

/// Outcome of a customer upload: stored, or refused with a reason the panel explains.
#[derive(Debug, Serialize, PartialEq)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum UploadOutcome {
    Stored { file: Added },
    Refused { notice: &'static str, limit: u64 },
}

fn refused_notice(r: &Refused) -> (&'static str, u64) {
    match r {
        Refused::TooLarge { limit } => ("too_large", *limit),
        Refused::Empty => ("empty", 0),
        Refused::Type { .. } => ("bad_type", 0),
    }
}

/// Staff (wp-admin, WP-CLI): add a file or a new version of one.
pub async fn add_file(conn: &mut Conn, cfg: &DbConfig, p: &Principal, a: AddFile) -> Result<Added> {
    p.require(Cap::ManageOrders)?;
    let types = file_types(conn, cfg).await?;
    let Some(ftype) = types.iter().find(|t| t.slug == a.type_slug.trim()) else {
        let known: Vec<&str> = types.iter().map(|t| t.slug.as_str()).collect();
        return Err(Error::invalid(format!("unknown file type \"{}\"; known: {}", a.type_slug.trim(), known.join(", "))));
    };
    let order_id = order_id(conn, cfg, &a.order).await?.ok_or_else(|| Error::invalid(format!("order {} does not exist", a.order.trim())))?;
    let storage = storage_dir(&a.storage)?;
    let stored = match store_file(&storage, Path::new(&a.path), u64::MAX, |_| true)? {
        Ok(s) => s,
        Err(Refused::Empty) => return Err(Error::invalid("the file is empty")),
        Err(r) => return Err(Error::invalid(format!("refused: {r:?}"))),
    };
    let internal = a.internal || !ftype.customer_file;
    insert_version(conn, cfg, p.user_id, false, order_id, &a, ftype, internal, &stored).await
}

/// Customer upload from the panel: the order must be in the principal's
/// scope, the type must take customer uploads, and size/kind must pass the
/// admin's settings. Refusals are an outcome, not an error.
pub async fn customer_upload(conn: &mut Conn, cfg: &DbConfig, p: &Principal, a: AddFile) -> Result<UploadOutcome> {
    let links = store::load_links(conn, cfg, p.user_id).await?;
    let scope = access::panel_scope(p, &links).map_err(|_| Error::NotFound)?;
    let Some((order_id, account_id)) = order_in_scope(conn, cfg, &scope, &a.order).await? else {
        return Err(Error::NotFound);
    };
    if !access::customer_may_upload(&scope, account_id) {
        return Err(Error::NotFound);
    }
    let types = file_types(conn, cfg).await?;
    let wanted = if a.type_slug.trim().is_empty() { None } else { Some(a.type_slug.trim()) };
    let Some(ftype) = types.iter().find(|t| t.customer_upload && wanted.is_none_or(|w| w == t.slug)) else {
        return Err(Error::invalid("this file type does not take uploads from customers"));
    };
    let settings = settings(conn, cfg).await?;
    let storage = storage_dir(&a.storage)?;
    let kinds = settings.upload_kinds.clone();
    let stored = match store_file(&storage, Path::new(&a.path), settings.max_upload_bytes, |k| kinds.iter().any(|s| s == k.setting()))? {
        Ok(s) => s,
        Err(r) => {
            let (notice, limit) = refused_notice(&r);
            return Ok(UploadOutcome::Refused { notice, limit });
        }
    };
    // A customer never adds to a staff file: each upload is its own file.
    let a = AddFile { file: None, unshared: false, internal: false, ..a };
    let added = insert_version(conn, cfg, p.user_id, true, order_id, &a, ftype, false, &stored).await?;
    Ok(UploadOutcome::Stored { file: added })
}

pub async fn order_id(conn: &mut Conn, cfg: &DbConfig, reference: &str) -> Result<Option<u64>> {
    Ok(conn.exec_first(format!("SELECT id FROM {} WHERE reference = ?", cfg.table("orders")), (reference.trim(),)).await?)
}

/// (order id, account id) of `reference` if it is in the scope.
pub async fn order_in_scope(conn: &mut Conn, cfg: &DbConfig, scope: &Scope, reference: &str) -> Result<Option<(u64, u64)>> {
    let reference = reference.trim();
    if scope.is_empty() || reference.is_empty() || reference.len() > 64 {
        return Ok(None);
    }
    let mut params: Vec<mysql_async::Value> = vec![reference.into()];
    params.extend(scope.account_ids().into_iter().map(mysql_async::Value::from));
    let sql = format!(
        "SELECT id, account_id FROM {} WHERE reference = ? AND account_id IN ({})",
        cfg.table("orders"),
        store::placeholders(scope.accounts().len())
    );
    Ok(conn.exec_first(sql, params).await?)
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(conn: &mut Conn, cfg: &DbConfig, user_id: u64, by_customer: bool, order_id: u64, a: &AddFile, ftype: &FileType, internal: bool, stored: &Stored) -> Result<Added> {
    let raw_name = a.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| Path::new(&a.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let file_name = safe_name(&raw_name, stored.kind);
    let title = a
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().filter(|c| !c.is_control()).take(190).collect::<String>())
        .unwrap_or_else(|| if by_customer { file_name.clone() } else { ftype.label.clone() });
    let mut tx = conn.start_transaction(mysql_async::TxOpts::default()).await?;
    // Lock the order row: concurrent uploads get distinct version numbers.
    let _: Option<u64> = tx.exec_first(format!("SELECT id FROM {} WHERE id = ? FOR UPDATE", cfg.table("orders")), (order_id,)).await?;
    let existing: Option<(u64, bool)> = match a.file {
        Some(fid) => {
            let row: Option<(u64, String)> =
                tx.exec_first(format!("SELECT id, visibility FROM {} WHERE id = ? AND order_id = ?", cfg.table("files")), (fid, order_id)).await?;
            Some(row.map(|(id, vis)| (id, vis == "internal")).ok_or_else(|| Error::invalid(format!("file {fid} is not on this order")))?)
        }
        None if by_customer => None,
        None => {
            let row: Option<(u64, String)> = tx
                .exec_first(
                    format!("SELECT id, visibility FROM {} WHERE order_id = ? AND type_slug = ? AND title = ? ORDER BY id LIMIT 1", cfg.table("files")),
                    (order_id, &ftype.slug, &title),
                )
                .await?;
            row.map(|(id, vis)| (id, vis == "internal"))
        }
    };
    let now = now();
    let (file_id, internal) = match existing {
        Some(e) => e,
        None => {
            tx.exec_drop(
                format!("INSERT INTO {} (order_id, type_slug, title, visibility, created_at) VALUES (?, ?, ?, ?, ?)", cfg.table("files")),
                (order_id, &ftype.slug, &title, if internal { "internal" } else { "customer" }, now),
            )
            .await?;
            (tx.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?, internal)
        }
    };
    let next: Option<u32> = tx.exec_first(format!("SELECT COALESCE(MAX(version), 0) + 1 FROM {} WHERE file_id = ?", cfg.table("file_versions")), (file_id,)).await?;
    let version = next.unwrap_or(1);
    let shared = !a.unshared;
    tx.exec_drop(
        format!(
            "INSERT INTO {} (file_id, version, sha256, size, mime, file_name, shared, uploaded_by, uploaded_by_customer, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cfg.table("file_versions")
        ),
        mysql_async::Params::Positional(vec![
            file_id.into(),
            version.into(),
            stored.sha256.clone().into(),
            stored.size.into(),
            stored.kind.mime().into(),
            file_name.clone().into(),
            shared.into(),
            user_id.into(),
            by_customer.into(),
            now.into(),
        ]),
    )
    .await?;
    let version_id = tx.last_insert_id().ok_or_else(|| Error::Database("no insert id".into()))?;
    let title: String = tx.exec_first(format!("SELECT title FROM {} WHERE id = ?", cfg.table("files")), (file_id,)).await?.unwrap_or(title);
    tx.commit().await?;
    Ok(Added {
        file_id,
        version_id,
        version,
        order: a.order.trim().to_string(),
        title,
        type_slug: ftype.slug.clone(),
        internal,
        shared,
        sha256: stored.sha256.clone(),
        size: stored.size,
        mime: stored.kind.mime().into(),
        file_name,
        new_blob: stored.new_blob,
    })
}

#[derive(Deserialize)]
pub struct FileListReq {
    pub order: String,
}

/// Staff: every version of every file of an order.
pub async fn file_list(conn: &mut Conn, cfg: &DbConfig, p: &Principal, q: FileListReq) -> Result<Vec<VersionRow>> {
    p.require(Cap::ManageOrders)?;
    if order_id(conn, cfg, &q.order).await?.is_none() {
        return Err(Error::invalid(format!("order {} does not exist", q.order.trim())));
    }
    order_versions(conn, cfg, &q.order).await
}

#[derive(Deserialize)]
pub struct ShareReq {
    #[serde(deserialize_with = "crate::params::de_u64")]
    pub version_id: u64,
    #[serde(default = "yes", deserialize_with = "de_bool")]
    pub shared: bool,
}
fn yes() -> bool {
    true
}

/// Staff: share a version with the customer, or take it back.
pub async fn share(conn: &mut Conn, cfg: &DbConfig, p: &Principal, s: ShareReq) -> Result<serde_json::Value> {
    p.require(Cap::ManageOrders)?;
    let r = conn.exec_iter(format!("UPDATE {} SET shared = ? WHERE id = ?", cfg.table("file_versions")), (s.shared, s.version_id)).await?;
    let found = r.affected_rows() > 0;
    drop(r);
    let exists: Option<u64> = conn.exec_first(format!("SELECT id FROM {} WHERE id = ?", cfg.table("file_versions")), (s.version_id,)).await?;
    if !found && exists.is_none() {
        return Err(Error::invalid(format!("file version {} does not exist", s.version_id)));
    }
    Ok(serde_json::json!({"version_id": s.version_id, "shared": s.shared}))
}

#[derive(Deserialize)]
pub struct LinkReq {
    pub order: String,
    #[serde(deserialize_with = "crate::params::de_u64")]
    pub version_id: u64,
    #[serde(deserialize_with = "crate::params::de_u64")]
    pub user_id: u64,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub ttl: Option<u64>,
    pub secret: String,
}

/// Staff (e-mails): a signed, expiring download token for one recipient.
pub async fn signed_link(_conn: &mut Conn, _cfg: &DbConfig, p: &Principal, l: LinkReq) -> Result<serde_json::Value> {
    p.require(Cap::ManageOrders)?;
    let ttl = l.ttl.unwrap_or(7 * 24 * 3600).clamp(60, 30 * 24 * 3600);
    let expires = Utc::now().timestamp() + ttl as i64;
    let token = signing::sign_download(&l.secret, &signing::DownloadLink { version_id: l.version_id, user_id: l.user_id, order: l.order.trim().to_string(), expires })?;
    Ok(serde_json::json!({"token": token, "expires": expires}))
}

/// Human size: "812 B", "1.4 KB", "2.0 MB".
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{v:.1} {}", UNITS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Kind::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Kind::Png);
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0JFIF"), Kind::Jpeg);
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Kind::Docx);
        assert_eq!(sniff(b"PK\x03\x04....just a zip"), Kind::Other);
        assert_eq!(sniff(b"<?php system($_GET['c']);"), Kind::Other);
        assert_eq!(sniff(b"<svg onload=alert(1)>"), Kind::Other);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd", Kind::Pdf), "passwd.pdf");
        assert_eq!(safe_name("C:\\x\\proof.PDF", Kind::Pdf), "proof.PDF");
        assert_eq!(safe_name("shell.php", Kind::Pdf), "shell.php.pdf");
        assert_eq!(safe_name("shell.php", Kind::Other), "shell.php.bin");
        assert_eq!(safe_name("a\0b\r\n\"c\".png", Kind::Png), "ab_c_.png");
        assert_eq!(safe_name("...", Kind::Jpeg), "file.jpg");
        assert_eq!(safe_name("photo.jpeg", Kind::Jpeg), "photo.jpeg");
        assert_eq!(safe_name("Übersicht – Entwurf ✓.pdf", Kind::Pdf), "Übersicht – Entwurf ✓.pdf");
        let long = safe_name(&"é".repeat(500), Kind::Pdf);
        assert!(long.chars().count() <= 120 && long.ends_with(".pdf"), "{long}");
        let long = safe_name(&format!("{}.pdf", "x".repeat(400)), Kind::Pdf);
        assert!(long.chars().count() == 120 && long.ends_with(".pdf"), "{long}");
    }

    #[test]
    fn relative_paths_only_from_hashes() {
        let sha = "ab".repeat(32);
        assert_eq!(relative_path(&sha).unwrap(), format!("ab/{sha}"));
        assert!(relative_path("../../etc/passwd").is_err());
        assert!(relative_path(&"AB".repeat(32)).is_err());
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pqm-files-{name}-{}-{}", std::process::id(), unique()));
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                for f in fs::read_dir(e.path()).unwrap() {
                    out.push(f.unwrap().path().display().to_string());
                }
            } else {
                out.push(e.path().display().to_string());
            }
        }
        out
    }

    #[test]
    fn store_is_content_addressed_and_deduplicated() {
        let d = tmpdir("store");
        let a = store_bytes(&d, b"%PDF-1.4 hello").unwrap();
        let b = store_bytes(&d, b"%PDF-1.4 hello").unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert!(a.new_blob && !b.new_blob);
        assert_eq!(a.kind, Kind::Pdf);
        let p = blob_path(&d, &a.sha256).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"%PDF-1.4 hello");
        assert_eq!(entries(&d), vec![p.display().to_string()], "one blob, no temp files");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn refused_uploads_leave_nothing_behind() {
        let d = tmpdir("refuse");
        let src = tmpdir("src").join("big.pdf");
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(300_000, b'x');
        fs::write(&src, &big).unwrap();
        assert_eq!(store_file(&d, &src, 100_000, |_| true).unwrap(), Err(Refused::TooLarge { limit: 100_000 }));
        fs::write(&src, b"<?php echo 1;").unwrap();
        assert!(matches!(store_file(&d, &src, 100_000, |k| k == Kind::Pdf).unwrap(), Err(Refused::Type { kind: Kind::Other })));
        fs::write(&src, b"").unwrap();
        assert_eq!(store_file(&d, &src, 100_000, |_| true).unwrap(), Err(Refused::Empty));
        assert!(entries(&d).is_empty(), "{:?}", entries(&d));
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(1434), "1.4 KB");
        assert_eq!(human_size(2 * 1024 * 1024), "2.0 MB");
    }
}

//! Staff actions by name: the one entry point behind `PQM\action()`, so the
//! PHP glue (wp-admin, WP-CLI) stays a thin call per screen or command.

use crate::error::{Error, Result};
use crate::params::decode;
use crate::principal::Principal;
use crate::worker::{self, Mode};
use crate::{admin, approvals, demo, files, staff};

/// Read-only actions besides `*.list` (retried once after a dropped connection).
const READS: &[&str] = &[
    "access.check",
    "file.types",
    "file.settings",
    "file.download",
    "file.signed_link",
    "approval.queue",
    "approval.verify",
    "order.search",
    "order.get",
    "account.get",
    "account.links",
];
use serde::Serialize;
use serde_json::Value;

fn to_json<T: Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Template(format!("serialise result: {e}")))
}

pub const NAMES: &[&str] = &[
    "account.create",
    "account.list",
    "account.add_user",
    "order.create",
    "order.list",
    "order.set_status",
    "status.list",
    "access.check",
    "demo.seed",
    // Files and approvals (issue #4): src/files.rs, src/approvals.rs.
    "file.types",
    "file.settings",
    "file.settings_update",
    "file.add",
    "file.list",
    "file.share",
    "file.signed_link",
    "file.download",
    "file.customer_upload",
    "approval.request",
    "approval.decide",
    "approval.list",
    "approval.queue",
    "approval.verify",
    // Staff workspace (src/admin.rs).
    "order.search",
    "order.get",
    "order.update",
    "order.delete",
    "order.bulk_status",
    "task.save",
    "account.get",
    "account.links",
    "account.update",
    "account.delete",
    "account.remove_user",
    "account.set_user",
    "status.set",
    "demo.reset",
];

pub fn dispatch(name: &str, principal: &Principal, params: Value) -> Result<Value> {
    if name == "mail.count" {
        return Ok(serde_json::json!(crate::notify::pending_count()));
    }
    if name == "mail.pending" {
        // Needs no database: renders the mails this request queued.
        let ctx: crate::notify::MailContext = decode(name, params)?;
        return to_json(crate::notify::render_pending(&ctx)?);
    }
    if crate::messages::NAMES.contains(&name) {
        return worker::with_conn(crate::messages::mode(name), async |conn, cfg| crate::messages::dispatch(name, conn, cfg, principal, params.clone()).await);
    }
    if !NAMES.contains(&name) {
        return Err(Error::invalid(format!("unknown action \"{name}\"; known: {}, {}", NAMES.join(", "), crate::messages::NAMES.join(", "))));
    }
    let mode = if name.ends_with(".list") || READS.contains(&name) { Mode::Read } else { Mode::Write };
    worker::with_conn(mode, async |conn, cfg| {
        let p = principal;
        let params = params.clone();
        match name {
            "account.create" => to_json(staff::account_create(conn, cfg, p, decode(name, params)?).await?),
            "account.list" => to_json(staff::account_list(conn, cfg, p).await?),
            "account.add_user" => to_json(staff::account_add_user(conn, cfg, p, decode(name, params)?).await?),
            "order.create" => to_json(staff::order_create(conn, cfg, p, decode(name, params)?).await?),
            "order.list" => to_json(staff::order_list(conn, cfg, p, decode(name, params)?).await?),
            "order.set_status" => to_json(staff::order_set_status(conn, cfg, p, decode(name, params)?).await?),
            "status.list" => to_json(staff::status_list(conn, cfg, p).await?),
            "access.check" => to_json(staff::access_check(conn, cfg, p, decode(name, params)?).await?),
            "demo.seed" => to_json(demo::seed(conn, cfg, p, decode(name, params)?).await?),
            "file.types" => to_json(files::type_list(conn, cfg, p).await?),
            "file.settings" => {
                // Read by staff uploading files (orders) and by the limits screen (settings).
                use crate::principal::Cap;
                if !p.can(Cap::ManageOrders) {
                    p.require(Cap::ManageSettings)?;
                }
                to_json(files::settings(conn, cfg).await?)
            }
            "file.settings_update" => to_json(files::settings_update(conn, cfg, p, decode(name, params)?).await?),
            "file.add" => to_json(files::add_file(conn, cfg, p, decode(name, params)?).await?),
            "file.list" => to_json(files::file_list(conn, cfg, p, decode(name, params)?).await?),
            "file.share" => to_json(files::share(conn, cfg, p, decode(name, params)?).await?),
            "file.signed_link" => to_json(files::signed_link(conn, cfg, p, decode(name, params)?).await?),
            "file.download" => to_json(files::authorize_download(conn, cfg, p, decode(name, params).map_err(|_| Error::NotFound)?).await?),
            "file.customer_upload" => to_json(files::customer_upload(conn, cfg, p, decode(name, params)?).await?),
            "approval.request" => to_json(approvals::request(conn, cfg, p, decode(name, params)?).await?),
            "approval.decide" => to_json(approvals::decide(conn, cfg, p, decode(name, params).map_err(|_| Error::NotFound)?).await?),
            "approval.list" => to_json(approvals::list(conn, cfg, p, decode(name, params)?).await?),
            "approval.queue" => to_json(approvals::queue(conn, cfg, p, decode(name, params)?).await?),
            "approval.verify" => to_json(approvals::verify(conn, cfg, p, decode(name, params)?).await?),
            "order.search" => to_json(admin::order_search(conn, cfg, p, decode(name, params)?).await?),
            "order.get" => to_json(admin::order_get(conn, cfg, p, decode(name, params)?).await?),
            "order.update" => to_json(admin::order_update(conn, cfg, p, decode(name, params)?).await?),
            "order.delete" => to_json(admin::order_delete(conn, cfg, p, decode(name, params)?).await?),
            "order.bulk_status" => to_json(admin::order_bulk_status(conn, cfg, p, decode(name, params)?).await?),
            "task.save" => to_json(admin::task_save(conn, cfg, p, decode(name, params)?).await?),
            "account.get" => to_json(admin::account_get(conn, cfg, p, decode(name, params)?).await?),
            "account.links" => to_json(admin::account_links(conn, cfg, p, decode(name, params)?).await?),
            "account.update" => to_json(admin::account_update(conn, cfg, p, decode(name, params)?).await?),
            "account.delete" => to_json(admin::account_delete(conn, cfg, p, decode(name, params)?).await?),
            "account.remove_user" => to_json(admin::account_remove_user(conn, cfg, p, decode(name, params)?).await?),
            "account.set_user" => to_json(admin::account_set_user(conn, cfg, p, decode(name, params)?).await?),
            "status.set" => to_json(admin::status_set(conn, cfg, p, decode(name, params)?).await?),
            "demo.reset" => to_json(admin::demo_reset(conn, cfg, p).await?),
            _ => unreachable!("checked against NAMES"),
        }
    })
}

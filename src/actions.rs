//! Staff actions by name: the one entry point behind `PQM\action()`, so the
//! PHP glue (wp-admin, WP-CLI) stays a thin call per screen or command.

use crate::error::{Error, Result};
use crate::params::decode;
use crate::principal::Principal;
use crate::worker::{self, Mode};
use crate::{demo, staff};
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
    let mode = if name.ends_with(".list") || name == "access.check" { Mode::Read } else { Mode::Write };
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
            _ => unreachable!("checked against NAMES"),
        }
    })
}

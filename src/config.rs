//! Database settings as WordPress knows them (`DB_HOST`, `DB_USER`, …,
//! `$wpdb->prefix`), turned into mysql_async options.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::time::Duration;

pub const DEFAULT_SOCKET: &str = "/run/mysqld/mysqld.sock";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DbConfig {
    pub host: String,
    pub user: String,
    #[serde(default)]
    pub password: String,
    pub name: String,
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// `mysqli.default_socket`; used when `host` names no socket.
    #[serde(default)]
    pub socket: String,
    #[serde(default = "default_connect_ms", deserialize_with = "crate::params::de_u64")]
    pub connect_timeout_ms: u64,
    #[serde(default = "default_query_ms", deserialize_with = "crate::params::de_u64")]
    pub query_timeout_ms: u64,
}

fn default_prefix() -> String {
    "wp_".into()
}
fn default_connect_ms() -> u64 {
    3_000
}
fn default_query_ms() -> u64 {
    10_000
}

/// Where to connect, parsed the way mysqli reads `DB_HOST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Tcp { host: String, port: u16 },
    Socket(String),
}

impl DbConfig {
    pub fn from_json(v: serde_json::Value) -> Result<Self> {
        let c: DbConfig = serde_json::from_value(v).map_err(|e| Error::Config(format!("database settings: {e}")))?;
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<()> {
        if self.prefix.is_empty() || !self.prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Error::Config(format!("table prefix {:?} may only contain letters, digits and _", self.prefix)));
        }
        if self.name.is_empty() {
            return Err(Error::Config("DB_NAME is empty".into()));
        }
        self.endpoint().map(|_| ())
    }

    /// `localhost` (any port) → unix socket, like mysqli; `host:port`;
    /// `host:/path/to.sock`; `[::1]:3306`; bare `/path/to.sock`.
    pub fn endpoint(&self) -> Result<Endpoint> {
        let h = self.host.trim();
        let default_socket = || if self.socket.is_empty() { DEFAULT_SOCKET.to_string() } else { self.socket.clone() };
        if h.starts_with('/') {
            return Ok(Endpoint::Socket(h.to_string()));
        }
        let (host, rest) = if let Some(v6) = h.strip_prefix('[') {
            let (addr, tail) = v6.split_once(']').ok_or_else(|| Error::Config(format!("DB_HOST {h:?}: missing ]")))?;
            (addr.to_string(), tail.strip_prefix(':').map(str::to_string))
        } else {
            match h.split_once(':') {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (h.to_string(), None),
            }
        };
        let host = if host.is_empty() { "localhost".to_string() } else { host };
        match rest {
            Some(r) if r.starts_with('/') => Ok(Endpoint::Socket(r)),
            _ if host == "localhost" => Ok(Endpoint::Socket(default_socket())),
            Some(port) => {
                let port = port.parse().map_err(|_| Error::Config(format!("DB_HOST {h:?}: bad port {port:?}")))?;
                Ok(Endpoint::Tcp { host, port })
            }
            None => Ok(Endpoint::Tcp { host, port: 3306 }),
        }
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.max(1))
    }

    pub fn query_timeout(&self) -> Duration {
        Duration::from_millis(self.query_timeout_ms.max(1))
    }

    /// The full name of one of our tables. The prefix is validated above;
    /// table names are the only part of SQL that is not a bound parameter.
    pub fn table(&self, name: &str) -> String {
        format!("`{}pqm_{}`", self.prefix, name)
    }

    pub fn opts(&self) -> Result<mysql_async::Opts> {
        use mysql_async::{OptsBuilder, PoolConstraints, PoolOpts};
        // One connection per PHP worker, kept for the worker's life: PHP
        // handles one request at a time, so a second one would only idle.
        let pool = PoolOpts::default()
            .with_constraints(PoolConstraints::new(1, 1).expect("1 <= 1"))
            .with_reset_connection(false);
        let b = OptsBuilder::default()
            .user(Some(self.user.clone()))
            .pass(Some(self.password.clone()))
            .db_name(Some(self.name.clone()))
            .prefer_socket(false)
            .stmt_cache_size(64)
            .pool_opts(pool);
        let b = match self.endpoint()? {
            Endpoint::Socket(path) => b.socket(Some(path)),
            Endpoint::Tcp { host, port } => b.ip_or_hostname(host).tcp_port(port),
        };
        Ok(b.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg(host: &str) -> DbConfig {
        DbConfig::from_json(json!({"host": host, "user": "u", "name": "wp", "socket": "/tmp/my.sock"})).unwrap()
    }

    #[test]
    fn db_host_forms_like_mysqli() {
        assert_eq!(cfg("localhost").endpoint().unwrap(), Endpoint::Socket("/tmp/my.sock".into()));
        assert_eq!(cfg("localhost:3307").endpoint().unwrap(), Endpoint::Socket("/tmp/my.sock".into()));
        assert_eq!(cfg("localhost:/run/x.sock").endpoint().unwrap(), Endpoint::Socket("/run/x.sock".into()));
        assert_eq!(cfg("127.0.0.1").endpoint().unwrap(), Endpoint::Tcp { host: "127.0.0.1".into(), port: 3306 });
        assert_eq!(cfg("db.internal:3307").endpoint().unwrap(), Endpoint::Tcp { host: "db.internal".into(), port: 3307 });
        assert_eq!(cfg("[::1]:3308").endpoint().unwrap(), Endpoint::Tcp { host: "::1".into(), port: 3308 });
        assert_eq!(cfg("/var/run/mysqld.sock").endpoint().unwrap(), Endpoint::Socket("/var/run/mysqld.sock".into()));
    }

    #[test]
    fn default_socket_when_php_knows_none() {
        let c = DbConfig::from_json(json!({"host": "localhost", "user": "u", "name": "wp"})).unwrap();
        assert_eq!(c.endpoint().unwrap(), Endpoint::Socket(DEFAULT_SOCKET.into()));
        assert_eq!(c.prefix, "wp_");
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for v in [
            json!({"host": "h:port", "user": "u", "name": "wp"}),
            json!({"host": "h", "user": "u", "name": "wp", "prefix": "wp_; DROP TABLE x"}),
            json!({"host": "h", "user": "u", "name": ""}),
            json!({"host": "h"}),
        ] {
            assert!(matches!(DbConfig::from_json(v.clone()), Err(Error::Config(_))), "{v}");
        }
    }

    #[test]
    fn table_names_carry_the_wordpress_prefix() {
        let c = DbConfig::from_json(json!({"host": "h", "user": "u", "name": "wp", "prefix": "shop2_"})).unwrap();
        assert_eq!(c.table("orders"), "`shop2_pqm_orders`");
    }
}

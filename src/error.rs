//! The one error type of the core. The extension maps each variant to a
//! namespaced PHP exception (`PQM\NotFoundException`, …); see `ext/src/lib.rs`.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Missing *or not visible to this principal*: callers must never be able
    /// to tell the two apart.
    #[error("not found")]
    NotFound,
    /// Bad input; the message is written for the person who sent it.
    #[error("{0}")]
    InvalidInput(String),
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// The database failed or timed out. The message is for the admin's log,
    /// never for a customer.
    #[error("database error: {0}")]
    Database(String),
    #[error("configuration error: {0}")]
    Config(String),
    #[error("template error: {0}")]
    Template(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }

    /// True when the connection itself is suspect (I/O, closed, timed out),
    /// so the worker should drop its pool and reconnect on the next call.
    pub fn is_connection_failure(&self) -> bool {
        matches!(self, Error::Database(m) if m.starts_with(CONNECTION_PREFIX))
    }
}

pub(crate) const CONNECTION_PREFIX: &str = "connection: ";

impl From<mysql_async::Error> for Error {
    fn from(e: mysql_async::Error) -> Self {
        match e {
            mysql_async::Error::Server(s) => Error::Database(format!("server {}: {}", s.code, s.message)),
            mysql_async::Error::Url(u) => Error::Config(u.to_string()),
            other => Error::Database(format!("{CONNECTION_PREFIX}{other}")),
        }
    }
}

impl From<handlebars::RenderError> for Error {
    fn from(e: handlebars::RenderError) -> Self {
        Error::Template(e.to_string())
    }
}

impl From<handlebars::TemplateError> for Error {
    fn from(e: handlebars::TemplateError) -> Self {
        Error::Template(e.to_string())
    }
}

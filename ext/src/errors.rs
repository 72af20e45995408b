//! One error type, one mapping: each `pqm::Error` variant becomes a PHP
//! exception in the `PQM\` hierarchy, all extending `PQM\Exception`.

use ext_php_rs::builders::ModuleBuilder;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::ce;

#[php_class]
#[php(name = "PQM\\Exception")]
#[php(extends(ce = ce::exception, stub = "\\Exception"))]
#[derive(Default)]
pub struct PqmException;

#[php_class]
#[php(name = "PQM\\NotFoundException")]
#[php(extends(PqmException))]
#[derive(Default)]
pub struct NotFoundException;

#[php_class]
#[php(name = "PQM\\InvalidInputException")]
#[php(extends(PqmException))]
#[derive(Default)]
pub struct InvalidInputException;

#[php_class]
#[php(name = "PQM\\AccessDeniedException")]
#[php(extends(PqmException))]
#[derive(Default)]
pub struct AccessDeniedException;

#[php_class]
#[php(name = "PQM\\DatabaseException")]
#[php(extends(PqmException))]
#[derive(Default)]
pub struct DatabaseException;

#[php_class]
#[php(name = "PQM\\ConfigException")]
#[php(extends(PqmException))]
#[derive(Default)]
pub struct ConfigException;

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<PqmException>()
        .class::<NotFoundException>()
        .class::<InvalidInputException>()
        .class::<AccessDeniedException>()
        .class::<DatabaseException>()
        .class::<ConfigException>()
}

/// `pqm::Error` with the `From<…> for PhpException` mapping (orphan rules
/// need a local type).
pub struct PqmError(pub pqm::Error);

impl From<pqm::Error> for PqmError {
    fn from(e: pqm::Error) -> Self {
        PqmError(e)
    }
}

pub type PqmResult<T> = Result<T, PqmError>;

impl From<PqmError> for PhpException {
    fn from(PqmError(e): PqmError) -> Self {
        use pqm::Error::*;
        let message = e.to_string();
        match e {
            NotFound => PhpException::from_class::<NotFoundException>(message),
            InvalidInput(_) => PhpException::from_class::<InvalidInputException>(message),
            AccessDenied(_) => PhpException::from_class::<AccessDeniedException>(message),
            Database(_) => PhpException::from_class::<DatabaseException>(message),
            Config(_) | Template(_) => PhpException::from_class::<ConfigException>(message),
        }
    }
}

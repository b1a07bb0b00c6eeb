//! The one error type of the core. Callers (the HTTP server, embedders) map
//! its variants to their own world once; nothing in here knows about HTTP.

use sea_orm::DbErr;

/// Everything a core operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The addressed image, tag or history does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request collides with existing data (a tag name already taken).
    #[error("{0}")]
    Conflict(String),
    /// The input breaks a rule of the contract (bad DIUN body, empty tag name, ...).
    #[error("{0}")]
    Invalid(String),
    /// The database failed; the message is for logs, not for end users.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// Result of every core operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

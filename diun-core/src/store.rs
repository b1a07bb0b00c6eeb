//! The connection to the database and everything about opening it: URL
//! handling, SQLite pragmas, pool sizing and the migrations at start.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;

use crate::writer::{IngestQueue, Writes};
use crate::{Result, migration::Migrator};

/// Connections kept for a file or server database.
const POOL_SIZE: u32 = 8;
/// How long SQLite waits for a lock before failing with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for a pooled connection, and so how soon an unreachable
/// database fails the start.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A migrated database and the services that work on it.
///
/// Cheap to share behind an `Arc`; every method takes `&self`. Must be
/// created inside a tokio runtime (it starts the ingest writer task).
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// The write gate every write passes (see [`crate::writer`]).
    pub(crate) writes: Arc<Writes>,
    /// The group-commit writer of [`Store::ingest`].
    pub(crate) ingest_queue: IngestQueue,
}

impl Store {
    /// Opens the database named by `url` and runs the migrations.
    ///
    /// Accepts `sqlite://path?mode=rwc` (the file is created if missing),
    /// `sqlite::memory:` and `postgres://...`. SQLite files get WAL,
    /// `synchronous=NORMAL`, foreign keys and a busy timeout; an in-memory
    /// database is one connection that is never recycled (each connection
    /// would otherwise see its own empty database).
    pub async fn connect(url: &str) -> Result<Self> {
        let mut options = ConnectOptions::new(url);
        options
            .sqlx_logging(false)
            .max_connections(POOL_SIZE)
            .acquire_timeout(ACQUIRE_TIMEOUT);
        if url.starts_with("sqlite:") {
            if url.contains(":memory:") || url.contains("mode=memory") {
                options
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None::<Duration>)
                    .max_lifetime(None::<Duration>);
            }
            options.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(BUSY_TIMEOUT)
                    .foreign_keys(true)
            });
        }
        let db = Database::connect(options).await?;
        Migrator::up(&db, None).await?;
        let writes = Arc::new(Writes::default());
        Ok(Self {
            ingest_queue: IngestQueue::start(db.clone(), writes.clone()),
            db,
            writes,
        })
    }

    /// Builds the URL of a SQLite file that is created when missing, the
    /// way the server turns `DB_PATH` into a connection.
    pub fn sqlite_url(path: &str) -> String {
        format!("sqlite://{path}?mode=rwc")
    }

    /// The underlying SeaORM connection, for embedders that need raw access
    /// (reports, maintenance). The services never need it.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Which database engine this store talks to.
    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// A number that changes after every committed write (ingest,
    /// acknowledgement, tag change) made through this store. Equal
    /// revisions mean `list_updates` would return the same data, so callers
    /// can cache its rendering (the server's ETag).
    pub fn revision(&self) -> u64 {
        self.writes.revision()
    }

    /// Checks that the database answers a trivial query (for health checks).
    pub async fn ping(&self) -> Result<()> {
        Ok(self.db.ping().await?)
    }

    /// Closes every pooled connection (at shutdown).
    pub async fn close(self) -> Result<()> {
        Ok(self.db.close().await?)
    }
}

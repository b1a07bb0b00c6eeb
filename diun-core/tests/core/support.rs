//! Test databases for every backend the core supports: a fresh SQLite file,
//! in-memory SQLite, and a fresh database on the PostgreSQL server that
//! `scripts/with-postgres.sh` starts (its admin URL in
//! `DIUN_TEST_POSTGRES_URL`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use diun_core::Store;
use sea_orm::{ConnectionTrait, Database};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A unique name for this process and call.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A store plus whatever must live as long as it (the SQLite file).
pub struct TestDb {
    pub store: Store,
    file: Option<PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// A path for a new SQLite file in the temp dir (not created).
pub fn temp_db_path() -> PathBuf {
    std::env::temp_dir().join(format!("{}.db", unique("diun_core_test")))
}

impl TestDb {
    /// The SQLite file behind this store, if it has one.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.file.as_deref()
    }

    /// A migrated store on a new SQLite file.
    pub async fn sqlite_file() -> Self {
        let file = temp_db_path();
        let store = Store::connect(&Store::sqlite_url(file.to_str().unwrap()))
            .await
            .expect("open sqlite file");
        Self {
            store,
            file: Some(file),
        }
    }

    /// A migrated in-memory store.
    pub async fn sqlite_memory() -> Self {
        let store = Store::connect("sqlite::memory:")
            .await
            .expect("open memory db");
        Self { store, file: None }
    }

    /// A migrated store on a new database of the test PostgreSQL server, or
    /// `None` (loudly) when there is none; under `CI=true` that is a failure.
    pub async fn postgres() -> Option<Self> {
        let admin_url = postgres_admin_url()?;
        let name = unique("diun_test");
        let admin = Database::connect(admin_url.as_str())
            .await
            .expect("connect admin");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
        let store = Store::connect(&url).await.expect("open postgres db");
        Some(Self { store, file: None })
    }
}

/// The admin URL of the test PostgreSQL server, if one runs.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("DIUN_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "CI=true but DIUN_TEST_POSTGRES_URL is unset: run the tests through scripts/with-postgres.sh"
            )
        }
        _ => {
            eprintln!(
                "WARNING: PostgreSQL test NOT RUN (DIUN_TEST_POSTGRES_URL unset; use scripts/with-postgres.sh)"
            );
            None
        }
    }
}

/// Runs each named `async fn(&Store)` against a SQLite file, in-memory
/// SQLite and PostgreSQL, as three tests named `<backend>::<name>`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite_file {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let db = $crate::support::TestDb::sqlite_file().await;
                super::$name(&db.store).await;
            })*
        }
        mod sqlite_memory {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let db = $crate::support::TestDb::sqlite_memory().await;
                super::$name(&db.store).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(db) = $crate::support::TestDb::postgres().await {
                    super::$name(&db.store).await;
                }
            })*
        }
    };
}

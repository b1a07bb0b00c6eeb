//! Opening a SQLite file applies the pragmas the contract relies on.

use sea_orm::{ConnectionTrait, Statement};

use crate::support::TestDb;

async fn pragma(db: &TestDb, name: &str) -> String {
    let row = db
        .store
        .connection()
        .query_one_raw(Statement::from_string(
            db.store.backend(),
            format!("PRAGMA {name}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        .unwrap()
}

#[tokio::test]
async fn sqlite_file_uses_wal_normal_sync_foreign_keys_and_a_busy_timeout() {
    let db = TestDb::sqlite_file().await;
    assert_eq!(pragma(&db, "journal_mode").await, "wal");
    assert_eq!(pragma(&db, "synchronous").await, "1", "NORMAL");
    assert_eq!(pragma(&db, "foreign_keys").await, "1");
    assert_eq!(pragma(&db, "busy_timeout").await, "10000");
}

#[tokio::test]
async fn sqlite_file_is_created_when_missing() {
    let db = TestDb::sqlite_file().await;
    let file = db.path().unwrap();
    assert!(file.exists(), "{}", file.display());
}

//! A `diun.db` written by the Go original is adopted in place: rows, tags
//! and assignments survive, including a very old file that lacks
//! `acknowledged_at` and `acknowledged_at` in SQLite's `datetime('now')` form.

use diun_core::{HistoryQuery, Store};
use sea_orm::{ConnectionTrait, Database};

use crate::support::temp_db_path;

/// The Go original's schema (contract §7), with or without `acknowledged_at`.
fn go_schema(with_ack: bool) -> String {
    let ack = if with_ack {
        ",\n acknowledged_at TEXT"
    } else {
        ""
    };
    format!(
        "CREATE TABLE updates (
            image TEXT PRIMARY KEY,
            diun_version TEXT NOT NULL DEFAULT '', hostname TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '', provider TEXT NOT NULL DEFAULT '',
            hub_link TEXT NOT NULL DEFAULT '', mime_type TEXT NOT NULL DEFAULT '',
            digest TEXT NOT NULL DEFAULT '', created TEXT NOT NULL DEFAULT '',
            platform TEXT NOT NULL DEFAULT '', ctn_name TEXT NOT NULL DEFAULT '',
            ctn_id TEXT NOT NULL DEFAULT '', ctn_state TEXT NOT NULL DEFAULT '',
            ctn_status TEXT NOT NULL DEFAULT '', received_at TEXT NOT NULL{ack});
         CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
         CREATE TABLE tag_assignments (image TEXT PRIMARY KEY,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE);
         INSERT INTO updates (image, diun_version, hostname, status, provider, hub_link,
            mime_type, digest, created, platform, ctn_name, ctn_id, ctn_state, ctn_status,
            received_at)
         VALUES ('docker.io/library/redis:7', '4.24.0', 'nas', 'update', 'docker', '',
            'application/vnd.oci.image.index.v1+json', 'sha256:aa', '2024-05-01T10:00:00Z',
            'linux/amd64', 'redis-1', 'abc', 'running', 'Up 2 hours', '2024-05-02T08:00:00Z'),
            ('ghcr.io/org/app:2', '4.24.0', 'nas', 'new', 'file', '', '', 'sha256:bb', '',
            'linux/arm64', '', '', '', '', '2024-05-03T09:30:00Z');
         INSERT INTO tags (name) VALUES ('production'), ('media');
         INSERT INTO tag_assignments (image, tag_id) VALUES ('docker.io/library/redis:7', 2),
            ('not-yet-seen:1', 1);"
    )
}

/// Writes a Go-era file with raw SQL and returns its path.
async fn go_era_db(with_ack: bool) -> String {
    let path = temp_db_path().to_str().unwrap().to_owned();
    let db = Database::connect(Store::sqlite_url(&path)).await.unwrap();
    db.execute_unprepared(&go_schema(with_ack)).await.unwrap();
    if with_ack {
        db.execute_unprepared(
            "UPDATE updates SET acknowledged_at = '2024-05-02 09:15:00'
             WHERE image = 'docker.io/library/redis:7'",
        )
        .await
        .unwrap();
    }
    db.close().await.unwrap();
    path
}

async fn assert_adopted(path: &str, with_ack: bool) {
    let store = Store::connect(&Store::sqlite_url(path)).await.unwrap();
    let updates = store.list_updates().await.unwrap();
    assert_eq!(updates.len(), 2);
    let app = &updates[1];
    assert_eq!(app.event.image, "ghcr.io/org/app:2");
    assert_eq!(app.event.created, None, "the original's '' reads as null");
    assert!(app.event.metadata.is_empty());
    assert!(app.tag.is_none());
    let redis = &updates[0];
    assert_eq!(redis.event.hostname, "nas");
    assert_eq!(redis.event.created.as_deref(), Some("2024-05-01T10:00:00Z"));
    assert_eq!(redis.received_at, "2024-05-02T08:00:00Z");
    assert_eq!(redis.event.metadata["ctn_names"], "redis-1");
    assert_eq!(redis.event.metadata["ctn_status"], "Up 2 hours");
    assert_eq!(redis.tag.as_ref().unwrap().name, "media");
    if with_ack {
        assert_eq!(
            redis.acknowledged_at.as_deref(),
            Some("2024-05-02T09:15:00Z")
        );
    } else {
        assert!(!redis.acknowledged());
    }
    let tags: Vec<String> = store
        .list_tags()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(tags, ["media", "production"]);

    // The new tables work on the adopted file, and old rows have an empty history.
    assert!(
        store
            .history("ghcr.io/org/app:2", HistoryQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    store.acknowledge("ghcr.io/org/app:2").await.unwrap();
    let production = store.list_tags().await.unwrap()[1].clone();
    store.delete_tag(production.id).await.unwrap();
    store.close().await.unwrap();

    // Opening it again (migrations run again) changes nothing.
    let store = Store::connect(&Store::sqlite_url(path)).await.unwrap();
    assert!(store.list_updates().await.unwrap()[1].acknowledged());
    assert_eq!(store.list_tags().await.unwrap().len(), 1);
}

#[tokio::test]
async fn go_era_database_is_adopted_in_place() {
    let path = go_era_db(true).await;
    assert_adopted(&path, true).await;
}

#[tokio::test]
async fn very_old_database_without_acknowledged_at_is_adopted() {
    let path = go_era_db(false).await;
    assert_adopted(&path, false).await;
}

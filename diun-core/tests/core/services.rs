//! Every service rule of the contract, on every backend.

use diun_core::{DiunEvent, Error, HistoryQuery, Store, migration::Migrator};
use futures::future::join_all;
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::MigratorTrait;

use crate::fixtures::fixture;

/// A minimal event for `image` with a distinguishing digest.
fn event(image: &str, digest: &str) -> DiunEvent {
    DiunEvent {
        image: image.into(),
        digest: digest.into(),
        status: "update".into(),
        provider: "docker".into(),
        ..Default::default()
    }
}

async fn ingest_then_list_returns_every_field(store: &Store) {
    for name in [
        "docker-update",
        "dockerfile-new-missing-optional",
        "kubernetes-new",
        "legacy-v2-architecture-os",
        "swarm-update-tag-and-digest",
        "test-notif",
    ] {
        store.ingest(fixture(name)).await.unwrap();
    }
    let updates = store.list_updates().await.unwrap();
    assert_eq!(updates.len(), 6);
    for update in &updates {
        let name = match update.event.image.as_str() {
            "docker.io/library/postgres:16-alpine" => "docker-update",
            "quay.io/example-org/static-tool:0.4.0" => "dockerfile-new-missing-optional",
            "docker.io/library/nginx:1.27-alpine" => "kubernetes-new",
            "docker.io/library/traefik:1.7" => "legacy-v2-architecture-os",
            "docker.io/diun/testnotif:latest" => "test-notif",
            _ => "swarm-update-tag-and-digest",
        };
        assert_eq!(update.event, fixture(name), "{name} read back");
        assert!(!update.acknowledged());
        assert!(update.tag.is_none());
        assert!(update.received_at.ends_with('Z') && update.received_at.contains('T'));
    }
}

async fn ingest_replaces_the_row_and_clears_the_acknowledgement(store: &Store) {
    store.ingest(event("app:1", "sha256:a")).await.unwrap();
    store.acknowledge("app:1").await.unwrap();
    assert!(store.list_updates().await.unwrap()[0].acknowledged());

    let mut second = event("app:1", "sha256:b");
    second.hostname = "host-b".into();
    store.ingest(second.clone()).await.unwrap();
    let updates = store.list_updates().await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].event, second);
    assert!(!updates[0].acknowledged());
}

async fn ingest_keeps_whole_metadata_and_fills_the_original_ctn_columns(store: &Store) {
    let e = fixture("docker-update");
    store.ingest(e.clone()).await.unwrap();
    assert_eq!(
        store.list_updates().await.unwrap()[0].event.metadata,
        e.metadata
    );
    let row = store
        .connection()
        .query_one_raw(Statement::from_string(
            store.backend(),
            "SELECT ctn_name, ctn_id, ctn_state, ctn_status FROM updates",
        ))
        .await
        .unwrap()
        .unwrap();
    let col = |c: &str| row.try_get::<String>("", c).unwrap();
    assert_eq!(col("ctn_name"), "app-db-1");
    assert_eq!(col("ctn_id"), e.metadata["ctn_id"]);
    assert_eq!(col("ctn_state"), "running");
    assert_eq!(col("ctn_status"), "Up 13 days (healthy)");
}

async fn acknowledge_sets_acknowledged_at(store: &Store) {
    store
        .ingest(event("ghcr.io/o/app:1@sha256:ff", "d"))
        .await
        .unwrap();
    store
        .acknowledge("ghcr.io/o/app:1@sha256:ff")
        .await
        .unwrap();
    let update = &store.list_updates().await.unwrap()[0];
    assert!(update.acknowledged_at.as_deref().unwrap().ends_with('Z'));
}

async fn acknowledge_unknown_image_is_not_found(store: &Store) {
    store.ingest(event("app:1", "d")).await.unwrap();
    assert!(matches!(
        store.acknowledge("app:2").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        store.acknowledge("").await,
        Err(Error::Invalid(_))
    ));
    assert!(!store.list_updates().await.unwrap()[0].acknowledged());
}

async fn history_is_newest_first_with_limit_and_cursor(store: &Store) {
    for i in 0..5 {
        store
            .ingest(event("app:1", &format!("sha256:{i}")))
            .await
            .unwrap();
    }
    store.ingest(event("other:1", "x")).await.unwrap();
    let all = store
        .history("app:1", HistoryQuery::default())
        .await
        .unwrap();
    let digests: Vec<&str> = all.iter().map(|r| r.event.digest.as_str()).collect();
    assert_eq!(
        digests,
        ["sha256:4", "sha256:3", "sha256:2", "sha256:1", "sha256:0"]
    );

    let page1 = store
        .history(
            "app:1",
            HistoryQuery {
                limit: 2,
                before: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page1.len(), 2);
    let page2 = store
        .history(
            "app:1",
            HistoryQuery {
                limit: 2,
                before: Some(page1[1].id),
            },
        )
        .await
        .unwrap();
    assert_eq!(page2[0].event.digest, "sha256:2");
    assert_eq!(page2[1].event.digest, "sha256:1");
    let last = store
        .history(
            "app:1",
            HistoryQuery {
                limit: 500,
                before: Some(all[4].id),
            },
        )
        .await
        .unwrap();
    assert!(last.is_empty());
}

async fn history_of_an_unknown_image_is_not_found(store: &Store) {
    let err = store.history("nope:1", HistoryQuery::default()).await;
    assert!(matches!(err, Err(Error::NotFound(_))));
}

async fn history_limit_outside_1_to_500_is_invalid(store: &Store) {
    store.ingest(event("app:1", "d")).await.unwrap();
    for limit in [0, 501] {
        let err = store
            .history(
                "app:1",
                HistoryQuery {
                    limit,
                    before: None,
                },
            )
            .await;
        assert!(matches!(err, Err(Error::Invalid(_))), "limit {limit}");
    }
}

async fn tags_are_listed_by_name_and_names_are_trimmed(store: &Store) {
    store.create_tag("staging").await.unwrap();
    let prod = store.create_tag("  production \n").await.unwrap();
    assert_eq!(prod.name, "production");
    let names: Vec<String> = store
        .list_tags()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["production", "staging"]);
}

async fn tag_names_empty_or_over_100_characters_are_invalid(store: &Store) {
    assert!(matches!(
        store.create_tag("   ").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        store.create_tag(&"é".repeat(101)).await,
        Err(Error::Invalid(_))
    ));
    store.create_tag(&"é".repeat(100)).await.unwrap();
    assert_eq!(store.list_tags().await.unwrap().len(), 1);
}

async fn duplicate_tag_name_is_a_conflict(store: &Store) {
    store.create_tag("prod").await.unwrap();
    assert!(matches!(
        store.create_tag(" prod").await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(store.list_tags().await.unwrap().len(), 1);
}

async fn deleting_a_tag_untags_its_images(store: &Store) {
    let tag = store.create_tag("prod").await.unwrap();
    let keep = store.create_tag("keep").await.unwrap();
    store.ingest(event("a:1", "d")).await.unwrap();
    store.ingest(event("b:1", "d")).await.unwrap();
    store.assign_tag("a:1", tag.id).await.unwrap();
    store.assign_tag("b:1", keep.id).await.unwrap();
    store.delete_tag(tag.id).await.unwrap();
    let updates = store.list_updates().await.unwrap();
    assert!(updates[0].tag.is_none());
    assert_eq!(updates[1].tag.as_ref().unwrap().name, "keep");
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(
            store.backend(),
            "SELECT image FROM tag_assignments",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "the assignment went with its tag");
}

async fn deleting_an_unknown_tag_is_not_found(store: &Store) {
    assert!(matches!(
        store.delete_tag(42).await,
        Err(Error::NotFound(_))
    ));
}

async fn assigning_replaces_the_earlier_tag_and_needs_no_event(store: &Store) {
    let a = store.create_tag("a").await.unwrap();
    let b = store.create_tag("b").await.unwrap();
    store.assign_tag("future:1", a.id).await.unwrap();
    store.assign_tag("future:1", b.id).await.unwrap();
    store.ingest(event("future:1", "d")).await.unwrap();
    let updates = store.list_updates().await.unwrap();
    assert_eq!(updates[0].tag.as_ref().unwrap(), &b);
}

async fn assigning_an_unknown_tag_is_not_found(store: &Store) {
    store.ingest(event("a:1", "d")).await.unwrap();
    let err = store.assign_tag("a:1", 999).await;
    assert!(matches!(err, Err(Error::NotFound(_))), "{err:?}");
    assert!(store.list_updates().await.unwrap()[0].tag.is_none());
}

async fn unassigning_is_a_no_op_when_untagged(store: &Store) {
    store.unassign_tag("never:1").await.unwrap();
    let t = store.create_tag("t").await.unwrap();
    store.ingest(event("a:1", "d")).await.unwrap();
    store.assign_tag("a:1", t.id).await.unwrap();
    store.unassign_tag("a:1").await.unwrap();
    assert!(store.list_updates().await.unwrap()[0].tag.is_none());
}

async fn running_the_migrations_again_changes_nothing(store: &Store) {
    store.ingest(fixture("docker-update")).await.unwrap();
    let t = store.create_tag("t").await.unwrap();
    store
        .assign_tag("docker.io/library/postgres:16-alpine", t.id)
        .await
        .unwrap();
    let before = store.list_updates().await.unwrap();
    Migrator::up(store.connection(), None).await.unwrap();
    Migrator::up(store.connection(), None).await.unwrap();
    assert_eq!(store.list_updates().await.unwrap(), before);
    let applied = Migrator::get_applied_migrations(store.connection())
        .await
        .unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
}

async fn every_migration_goes_down_and_up_again(store: &Store) {
    Migrator::down(store.connection(), None).await.unwrap();
    Migrator::up(store.connection(), None).await.unwrap();
    store.ingest(event("a:1", "d")).await.unwrap();
    assert_eq!(
        store
            .history("a:1", HistoryQuery::default())
            .await
            .unwrap()
            .len(),
        1
    );
}

/// 200 concurrent ingests of distinct images and 100 of one image succeed;
/// each distinct image is present once, the shared one has 100 events.
async fn concurrent_ingests_all_succeed(store: &Store) {
    // join_all polls all 300 futures at once, so they compete for the pool
    // and the write lock exactly as concurrent HTTP requests do.
    let distinct = (0..200).map(|i| store.ingest(event(&format!("distinct/{i}:1"), "d")));
    let same = (0..100).map(|i| store.ingest(event("same:1", &format!("sha256:{i}"))));
    let results = join_all(distinct.chain(same)).await;
    for result in results {
        result.expect("no ingest fails");
    }
    let updates = store.list_updates().await.unwrap();
    assert_eq!(updates.len(), 201);
    let history = store
        .history(
            "same:1",
            HistoryQuery {
                limit: 500,
                before: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(history.len(), 100);
}

async fn listing_reads_every_page_in_image_order(store: &Store) {
    let count = diun_core::LIST_PAGE as usize * 2 + 3;
    let ingests = (0..count).map(|i| store.ingest(event(&format!("img/{i:05}:1"), "d")));
    for result in join_all(ingests).await {
        result.unwrap();
    }
    let images: Vec<String> = store
        .list_updates()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.event.image)
        .collect();
    let expected: Vec<String> = (0..count).map(|i| format!("img/{i:05}:1")).collect();
    assert_eq!(images, expected);
}

crate::on_every_backend!(
    listing_reads_every_page_in_image_order,
    ingest_then_list_returns_every_field,
    ingest_replaces_the_row_and_clears_the_acknowledgement,
    ingest_keeps_whole_metadata_and_fills_the_original_ctn_columns,
    acknowledge_sets_acknowledged_at,
    acknowledge_unknown_image_is_not_found,
    history_is_newest_first_with_limit_and_cursor,
    history_of_an_unknown_image_is_not_found,
    history_limit_outside_1_to_500_is_invalid,
    tags_are_listed_by_name_and_names_are_trimmed,
    tag_names_empty_or_over_100_characters_are_invalid,
    duplicate_tag_name_is_a_conflict,
    deleting_a_tag_untags_its_images,
    deleting_an_unknown_tag_is_not_found,
    assigning_replaces_the_earlier_tag_and_needs_no_event,
    assigning_an_unknown_tag_is_not_found,
    unassigning_is_a_no_op_when_untagged,
    running_the_migrations_again_changes_nothing,
    every_migration_goes_down_and_up_again,
    concurrent_ingests_all_succeed,
);

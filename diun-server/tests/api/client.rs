//! Round trips through `diun-client`, the progenitor client generated from
//! the committed `openapi.json`, against the real server: every operation's
//! success path and its typed `ErrorBody` errors. With the drift test in
//! `spec.rs` this is what fails when the server, the spec and the client
//! disagree.

use std::collections::BTreeMap;
use std::path::Path;

use diun_client::types::{CreateTag, DiunEvent, TagAssignment, Unassignment, UpdateEntry};
use diun_client::{ApiErrorExt, Client, Error};

use crate::support::{FIXTURES, TestApp, fixture, spawn_app, spawn_app_with};

/// Image names that need `%2F` to stay one path segment, with ports, tags
/// and `@sha256:` digests.
const AWKWARD_IMAGES: [&str; 4] = [
    "ghcr.io/org/app:1.2",
    "registry.example.com:5000/team/api:2024.1",
    "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
    "localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
];

fn client(app: &TestApp) -> Client {
    Client::new(&app.base)
}

/// A current-shape event for `image`.
fn event(image: &str) -> DiunEvent {
    DiunEvent {
        diun_version: "4.28.0".into(),
        hostname: "b7c2a1f0e9d8".into(),
        status: "update".into(),
        provider: "docker".into(),
        image: image.into(),
        hub_link: String::new(),
        mime_type: "application/vnd.oci.image.index.v1+json".into(),
        digest: "sha256:4f1bd0f2d0f4bc9c1c7b9cce33f6a8f45a9c1f8a1d1e0e2f3a4b5c6d7e8f9a0b".into(),
        created: Some("2024-06-01T10:00:00.123456789+02:00".into()),
        platform: "linux/arm/v7".into(),
        metadata: BTreeMap::from([
            ("ctn_names".into(), "web".into()),
            ("note".into(), "ünïcødé ✓".into()),
        ]),
    }
}

async fn post(client: &Client, image: &str) {
    client
        .receive_event()
        .body(event(image))
        .send()
        .await
        .unwrap();
}

async fn updates(client: &Client) -> BTreeMap<String, UpdateEntry> {
    client.list_updates().send().await.unwrap().into_inner()
}

/// Asserts a typed error response: `status`, `code` and a message.
#[track_caller]
fn assert_typed<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, code: &str) {
    let err = result.expect_err("an error response");
    let body = err
        .error_body()
        .unwrap_or_else(|| panic!("not a typed error response: {}", err.describe()));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{body}");
    assert_eq!(body.code, code, "{body}");
    assert!(!body.message.is_empty());
}

#[tokio::test]
async fn client_spec_is_the_one_the_server_serves() {
    let app = spawn_app().await;
    let served = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        served == diun_client::OPENAPI_JSON,
        "diun-client was built from a spec other than the server's: regenerate openapi.json \
         (make openapi) and rebuild"
    );
}

#[tokio::test]
async fn client_health_is_ok() {
    let app = spawn_app().await;
    let health = client(&app).health().send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.into_inner().status, "ok");
}

#[tokio::test]
async fn client_webhook_event_comes_back_in_the_typed_updates_map() {
    let app = spawn_app().await;
    let client = client(&app);
    let sent = event("ghcr.io/org/app:1.2");
    let response = client
        .receive_event()
        .body(sent.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let map = updates(&client).await;
    assert_eq!(map.keys().collect::<Vec<_>>(), ["ghcr.io/org/app:1.2"]);
    let entry = &map["ghcr.io/org/app:1.2"];
    assert_eq!(entry.event, sent);
    assert!(!entry.acknowledged);
    assert_eq!(entry.acknowledged_at, None);
    assert_eq!(entry.tag, None);
    assert!(entry.received_at.ends_with('Z'), "{}", entry.received_at);
}

#[tokio::test]
async fn client_webhook_event_without_created_or_metadata_round_trips() {
    let app = spawn_app().await;
    let client = client(&app);
    let sent = DiunEvent {
        created: None,
        metadata: BTreeMap::new(),
        ..event("alpine:3.20")
    };
    client
        .receive_event()
        .body(sent.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(updates(&client).await["alpine:3.20"].event, sent);
}

#[tokio::test]
async fn client_posts_every_fixture_like_the_raw_webhook() {
    let raw = spawn_app().await;
    let typed = spawn_app().await;
    let client = client(&typed);
    for name in FIXTURES {
        let bytes = fixture(name);
        assert_eq!(raw.post_event(bytes.clone()).await, 200, "{name}");
        let event = DiunEvent::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        client.receive_event().body(event).send().await.unwrap();
    }
    let from_raw = updates(&Client::new(&raw.base)).await;
    let from_typed = updates(&client).await;
    assert_eq!(from_raw.len(), FIXTURES.len());
    let events = |map: &BTreeMap<String, UpdateEntry>| -> Vec<DiunEvent> {
        map.values().map(|e| e.event.clone()).collect()
    };
    assert_eq!(events(&from_typed), events(&from_raw));
}

#[tokio::test]
async fn client_webhook_takes_a_json_value_of_a_legacy_event() {
    let app = spawn_app().await;
    let client = client(&app);
    let legacy = serde_json::json!({
        "diun_version": "2.6.1", "status": "update", "provider": "docker",
        "image": "docker.io/library/traefik:1.7", "date": "2020-02-14T00:27:35Z",
        "os": "linux", "architecture": "amd64",
    });
    client.receive_event().body(legacy).send().await.unwrap();
    let event = &updates(&client).await["docker.io/library/traefik:1.7"].event;
    assert_eq!(event.platform, "linux/amd64");
    assert_eq!(event.created.as_deref(), Some("2020-02-14T00:27:35Z"));
    assert_eq!(event.hostname, "");
}

#[tokio::test]
async fn client_webhook_without_secret_is_typed_401() {
    let app = spawn_app_with("s3cret", Path::new("/nonexistent-frontend")).await;
    let result = client(&app).receive_event().body(event("a:1")).send().await;
    assert_typed(result, 401, "unauthorized");
}

#[tokio::test]
async fn client_webhook_with_wrong_secret_is_typed_401() {
    let app = spawn_app_with("s3cret", Path::new("/nonexistent-frontend")).await;
    let client = Client::with_secret(&app.base, Some("guess")).unwrap();
    let result = client.receive_event().body(event("a:1")).send().await;
    assert_typed(result, 401, "unauthorized");
    assert!(updates(&client).await.is_empty());
}

#[tokio::test]
async fn client_webhook_with_secret_or_bearer_secret_is_stored() {
    let app = spawn_app_with("s3cret", Path::new("/nonexistent-frontend")).await;
    for (secret, image) in [("s3cret", "a:1"), ("Bearer s3cret", "b:1")] {
        let client = Client::with_secret(&app.base, Some(secret)).unwrap();
        client
            .receive_event()
            .body(event(image))
            .send()
            .await
            .unwrap();
    }
    let map = updates(&client(&app)).await;
    assert_eq!(map.keys().collect::<Vec<_>>(), ["a:1", "b:1"]);
}

#[tokio::test]
async fn client_webhook_with_empty_image_is_typed_400() {
    let app = spawn_app().await;
    let client = client(&app);
    let result = client.receive_event().body(event("")).send().await;
    assert_typed(result, 400, "bad_request");
    assert!(updates(&client).await.is_empty());
}

#[tokio::test]
async fn client_webhook_body_over_1_mib_is_typed_413() {
    let app = spawn_app().await;
    let mut big = event("a:1");
    big.metadata
        .insert("pod_status".into(), "x".repeat(1024 * 1024));
    let result = client(&app).receive_event().body(big).send().await;
    assert_typed(result, 413, "payload_too_large");
}

#[tokio::test]
async fn client_dismiss_image_with_slash_colon_and_digest() {
    let app = spawn_app().await;
    let client = client(&app);
    for image in AWKWARD_IMAGES {
        post(&client, image).await;
    }
    post(&client, "untouched:1").await;
    for image in AWKWARD_IMAGES {
        let response = client.acknowledge_update().image(image).send().await;
        assert_eq!(response.unwrap().status(), 204, "{image}");
    }
    let map = updates(&client).await;
    for image in AWKWARD_IMAGES {
        assert!(map[image].acknowledged, "{image}");
        assert!(map[image].acknowledged_at.is_some(), "{image}");
    }
    assert!(!map["untouched:1"].acknowledged);
}

#[tokio::test]
async fn client_dismiss_image_with_percent_is_encoded_once() {
    let app = spawn_app().await;
    let client = client(&app);
    // `%2F` in the name itself: sent as `%252F`, decoded once by the server.
    post(&client, "odd%2Fname:1").await;
    post(&client, "odd/name:1").await;
    client
        .acknowledge_update()
        .image("odd%2Fname:1")
        .send()
        .await
        .unwrap();
    let map = updates(&client).await;
    assert!(map["odd%2Fname:1"].acknowledged);
    assert!(!map["odd/name:1"].acknowledged);
}

#[tokio::test]
async fn client_dismiss_unknown_image_is_typed_404() {
    let app = spawn_app().await;
    let result = client(&app)
        .acknowledge_update()
        .image("ghcr.io/nope:1")
        .send()
        .await;
    assert_typed(result, 404, "not_found");
}

#[tokio::test]
async fn client_dismiss_empty_image_is_typed_400() {
    let app = spawn_app().await;
    let result = client(&app).acknowledge_update().image("").send().await;
    assert_typed(result, 400, "bad_request");
}

#[tokio::test]
async fn client_dismiss_lasts_until_the_next_event() {
    let app = spawn_app().await;
    let client = client(&app);
    post(&client, AWKWARD_IMAGES[2]).await;
    client
        .acknowledge_update()
        .image(AWKWARD_IMAGES[2])
        .send()
        .await
        .unwrap();
    post(&client, AWKWARD_IMAGES[2]).await;
    let entry = &updates(&client).await[AWKWARD_IMAGES[2]];
    assert!(!entry.acknowledged);
    assert_eq!(entry.acknowledged_at, None);
}

#[tokio::test]
async fn client_image_events_page_newest_first() {
    let app = spawn_app().await;
    let client = client(&app);
    let image = AWKWARD_IMAGES[1];
    for status in ["new", "update", "update"] {
        let mut e = event(image);
        e.status = status.into();
        client.receive_event().body(e).send().await.unwrap();
    }
    let all = client
        .list_image_events()
        .image(image)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.len(), 3);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "{all:?}");
    assert_eq!(all[2].event.status, "new");

    let first = client
        .list_image_events()
        .image(image)
        .limit(2u64)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        first.iter().map(|r| r.id).collect::<Vec<_>>(),
        [all[0].id, all[1].id]
    );
    let next = client
        .list_image_events()
        .image(image)
        .limit(2u64)
        .before(first[1].id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(next, all[2..]);
}

#[tokio::test]
async fn client_image_events_of_unknown_image_is_typed_404() {
    let app = spawn_app().await;
    let result = client(&app)
        .list_image_events()
        .image("nope/x:1")
        .send()
        .await;
    assert_typed(result, 404, "not_found");
}

#[tokio::test]
async fn client_image_events_limit_over_500_is_typed_400() {
    let app = spawn_app().await;
    let client = client(&app);
    post(&client, "a:1").await;
    let result = client
        .list_image_events()
        .image("a:1")
        .limit(501u64)
        .send()
        .await;
    assert_typed(result, 400, "bad_request");
}

#[tokio::test]
async fn client_create_tag_is_201_and_tags_list_by_name() {
    let app = spawn_app().await;
    let client = client(&app);
    let created = client
        .create_tag()
        .body(CreateTag {
            name: "  staging ".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let staging = created.into_inner();
    assert_eq!(staging.name, "staging");
    let production = client
        .create_tag()
        .body_map(|b| b.name("production"))
        .send()
        .await
        .unwrap()
        .into_inner();
    let tags = client.list_tags().send().await.unwrap().into_inner();
    assert_eq!(tags, [production, staging]);
}

#[tokio::test]
async fn client_create_duplicate_tag_is_typed_409() {
    let app = spawn_app().await;
    let client = client(&app);
    client
        .create_tag()
        .body(CreateTag {
            name: "prod".into(),
        })
        .send()
        .await
        .unwrap();
    let result = client
        .create_tag()
        .body(CreateTag {
            name: "prod".into(),
        })
        .send()
        .await;
    assert_typed(result, 409, "conflict");
}

#[tokio::test]
async fn client_create_empty_or_too_long_tag_is_typed_400() {
    let app = spawn_app().await;
    let client = client(&app);
    for name in ["   ".to_owned(), "x".repeat(101)] {
        let result = client.create_tag().body(CreateTag { name }).send().await;
        assert_typed(result, 400, "bad_request");
    }
    assert!(client.list_tags().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn client_assign_and_unassign_tag_show_in_updates() {
    let app = spawn_app().await;
    let client = client(&app);
    let image = AWKWARD_IMAGES[3];
    post(&client, image).await;
    let tag = client
        .create_tag()
        .body(CreateTag {
            name: "prod".into(),
        })
        .send()
        .await
        .unwrap();
    let assigned = client
        .assign_tag()
        .body(TagAssignment {
            image: image.into(),
            tag_id: tag.id,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(assigned.status(), 204);
    assert_eq!(updates(&client).await[image].tag.as_ref(), Some(&*tag));

    let unassigned = client
        .unassign_tag()
        .body(Unassignment {
            image: image.into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(unassigned.status(), 204);
    assert_eq!(updates(&client).await[image].tag, None);
}

#[tokio::test]
async fn client_unassign_untagged_image_is_204() {
    let app = spawn_app().await;
    let result = client(&app)
        .unassign_tag()
        .body(Unassignment {
            image: "never/seen:1".into(),
        })
        .send()
        .await;
    assert_eq!(result.unwrap().status(), 204);
}

#[tokio::test]
async fn client_assign_unknown_tag_is_typed_404() {
    let app = spawn_app().await;
    let result = client(&app)
        .assign_tag()
        .body(TagAssignment {
            image: "a:1".into(),
            tag_id: 999,
        })
        .send()
        .await;
    assert_typed(result, 404, "not_found");
}

#[tokio::test]
async fn client_delete_tag_is_204_and_untags_its_images() {
    let app = spawn_app().await;
    let client = client(&app);
    post(&client, "a:1").await;
    let tag = client
        .create_tag()
        .body(CreateTag {
            name: "prod".into(),
        })
        .send()
        .await
        .unwrap();
    client
        .assign_tag()
        .body(TagAssignment {
            image: "a:1".into(),
            tag_id: tag.id,
        })
        .send()
        .await
        .unwrap();
    let deleted = client.delete_tag().id(tag.id).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(client.list_tags().send().await.unwrap().is_empty());
    assert_eq!(updates(&client).await["a:1"].tag, None);
}

#[tokio::test]
async fn client_delete_unknown_tag_is_typed_404() {
    let app = spawn_app().await;
    let result = client(&app).delete_tag().id(4242).send().await;
    assert_typed(result, 404, "not_found");
}

#[tokio::test]
async fn client_describe_prints_the_server_message() {
    let app = spawn_app().await;
    let err = client(&app).delete_tag().id(4242).send().await.unwrap_err();
    let message = &err.error_body().unwrap().message;
    assert_eq!(err.describe(), format!("404 not_found: {message}"));
}

#[tokio::test]
async fn client_unreachable_server_is_a_communication_error() {
    // A port that was just free: nothing listens on it any more.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let dead = format!("http://{dead}");
    let err = Client::new(&dead).health().send().await.unwrap_err();
    assert!(
        matches!(err, Error::CommunicationError(_)),
        "{}",
        err.describe()
    );
    assert!(err.error_body().is_none());
}

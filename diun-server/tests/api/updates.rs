//! `/api/updates`: list, dismiss and history (contract §3).

use serde_json::Value;

use crate::support::{assert_error, spawn_app};

/// Images whose names need every escape the dashboard uses.
const AWKWARD_IMAGES: [&str; 4] = [
    "ghcr.io/org/app:1.2",
    "registry.example.com:5000/team/api:2024.1",
    "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
    "localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
];

/// `encodeURIComponent` for the characters image names hold.
fn encode(image: &str) -> String {
    image
        .replace('%', "%25")
        .replace('/', "%2F")
        .replace(':', "%3A")
        .replace('@', "%40")
}

#[tokio::test]
async fn dismissing_images_with_slash_colon_digest_and_port_works() {
    let app = spawn_app().await;
    for image in AWKWARD_IMAGES {
        assert_eq!(
            app.post_event(format!(r#"{{"image":"{image}"}}"#)).await,
            200
        );
    }
    for image in AWKWARD_IMAGES {
        let response = app
            .http
            .patch(app.url(&format!("/api/updates/{}", encode(image))))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204, "{image}");
        assert!(response.text().await.unwrap().is_empty());
    }
    let updates = app.updates().await;
    for image in AWKWARD_IMAGES {
        assert_eq!(updates[image]["acknowledged"], true, "{image}");
        assert!(
            updates[image]["acknowledged_at"]
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
    }
}

#[tokio::test]
async fn the_image_segment_is_decoded_exactly_once() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"odd%2Fname:1"}"#).await;
    let once = app
        .http
        .patch(app.url("/api/updates/odd%2Fname%3A1"))
        .send()
        .await
        .unwrap();
    assert_error(once, 404, "not_found").await;
    let twice = app
        .http
        .patch(app.url("/api/updates/odd%252Fname%3A1"))
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), 204);
}

#[tokio::test]
async fn dismissing_an_unknown_image_is_404_and_an_empty_name_is_400() {
    let app = spawn_app().await;
    let unknown = app
        .http
        .patch(app.url("/api/updates/nope%3A1"))
        .send()
        .await
        .unwrap();
    assert_error(unknown, 404, "not_found").await;
    let empty = app
        .http
        .patch(app.url("/api/updates/"))
        .send()
        .await
        .unwrap();
    assert_error(empty, 400, "bad_request").await;
    let blank = app
        .http
        .patch(app.url("/api/updates/%20"))
        .send()
        .await
        .unwrap();
    assert_error(blank, 400, "bad_request").await;
}

#[tokio::test]
async fn an_unencoded_slash_does_not_reach_another_image() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"ghcr.io/org/app:1"}"#).await;
    let response = app
        .http
        .patch(app.url("/api/updates/ghcr.io/org/app:1"))
        .send()
        .await
        .unwrap();
    assert_error(response, 404, "not_found").await;
    assert_eq!(
        app.updates().await["ghcr.io/org/app:1"]["acknowledged"],
        false
    );
}

#[tokio::test]
async fn history_is_newest_first_and_pages_with_limit_and_before() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.post_event(format!(
            r#"{{"image":"ghcr.io/o/a:1","digest":"sha256:{i}"}}"#
        ))
        .await;
    }
    let url = app.url("/api/updates/ghcr.io%2Fo%2Fa%3A1/events");
    let all: Value = app
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let digests: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["digest"].as_str().unwrap())
        .collect();
    assert_eq!(
        digests,
        ["sha256:4", "sha256:3", "sha256:2", "sha256:1", "sha256:0"]
    );
    assert!(all[0]["id"].as_i64().unwrap() > all[1]["id"].as_i64().unwrap());
    assert!(all[0]["received_at"].as_str().unwrap().ends_with('Z'));

    let page: Value = app
        .http
        .get(format!("{url}?limit=2&before={}", all[1]["id"]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let digests: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["digest"].as_str().unwrap())
        .collect();
    assert_eq!(digests, ["sha256:2", "sha256:1"]);
}

#[tokio::test]
async fn history_rejects_bad_limits_and_unknown_images() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"a:1"}"#).await;
    for query in ["limit=0", "limit=501", "limit=x", "before=y"] {
        let response = app
            .http
            .get(app.url(&format!("/api/updates/a%3A1/events?{query}")))
            .send()
            .await
            .unwrap();
        assert_error(response, 400, "bad_request").await;
    }
    let ok = app
        .http
        .get(app.url("/api/updates/a%3A1/events?limit=500"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let unknown = app
        .http
        .get(app.url("/api/updates/b%3A1/events"))
        .send()
        .await
        .unwrap();
    assert_error(unknown, 404, "not_found").await;
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = spawn_app().await;
    for path in ["/api/nope", "/api/updates/a/b/c", "/api"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_error(response, 404, "not_found").await;
    }
}

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

/// The event digests of a history page, in order.
fn digests_of(page: &Value) -> Vec<&str> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["digest"].as_str().unwrap())
        .collect()
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
    let all: Value = app.get_json(&url).await;
    let digests = digests_of(&all);
    assert_eq!(
        digests,
        ["sha256:4", "sha256:3", "sha256:2", "sha256:1", "sha256:0"]
    );
    assert!(all[0]["id"].as_i64().unwrap() > all[1]["id"].as_i64().unwrap());
    assert!(all[0]["received_at"].as_str().unwrap().ends_with('Z'));

    let page: Value = app
        .get_json(&format!("{url}?limit=2&before={}", all[1]["id"]))
        .await;
    let digests = digests_of(&page);
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

async fn get_list(app: &crate::support::TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.http.get(app.url("/api/updates"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_list_has_an_etag_and_an_unchanged_list_is_a_304_without_body() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"a:1"}"#).await;
    let first = get_list(&app, &[]).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = get_list(&app, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let weak = get_list(&app, &[("if-none-match", &format!("W/{etag}"))]).await;
    assert_eq!(weak.status(), 304, "weak comparison");
    let other = get_list(&app, &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn every_kind_of_write_changes_the_etag() {
    let app = spawn_app().await;
    let etag = |r: reqwest::Response| r.headers()["etag"].to_str().unwrap().to_owned();
    let mut seen = vec![etag(get_list(&app, &[]).await)];
    app.post_event(r#"{"image":"a:1"}"#).await;
    seen.push(etag(get_list(&app, &[]).await));
    app.http
        .patch(app.url("/api/updates/a%3A1"))
        .send()
        .await
        .unwrap();
    seen.push(etag(get_list(&app, &[]).await));
    let tag: Value = app
        .http
        .post(app.url("/api/tags"))
        .body(r#"{"name":"t"}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    seen.push(etag(get_list(&app, &[]).await));
    app.http
        .put(app.url("/api/tag-assignments"))
        .body(format!(r#"{{"image":"a:1","tag_id":{}}}"#, tag["id"]))
        .send()
        .await
        .unwrap();
    let assigned = get_list(&app, &[]).await;
    seen.push(etag(assigned));
    app.http
        .delete(app.url(&format!("/api/tags/{}", tag["id"])))
        .send()
        .await
        .unwrap();
    let after_delete = get_list(&app, &[]).await;
    seen.push(etag(after_delete));
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "{seen:?}");
    assert_eq!(app.updates().await["a:1"]["tag"], Value::Null);
}

#[tokio::test]
async fn the_list_is_gzipped_when_the_client_accepts_it() {
    use std::io::Read;
    let app = spawn_app().await;
    for i in 0..50 {
        app.post_event(format!(
            r#"{{"image":"ghcr.io/o/app{i}:1","hostname":"h"}}"#
        ))
        .await;
    }
    let plain = get_list(&app, &[]).await.bytes().await.unwrap();
    let gzipped = get_list(&app, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "accept-encoding");
    let compressed = gzipped.bytes().await.unwrap();
    assert!(
        compressed.len() * 4 < plain.len(),
        "{} vs {}",
        compressed.len(),
        plain.len()
    );
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);
    let identity = get_list(&app, &[("accept-encoding", "identity")]).await;
    assert!(identity.headers().get("content-encoding").is_none());
}

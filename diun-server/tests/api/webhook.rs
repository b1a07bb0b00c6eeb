//! `/webhook` with real DIUN traffic (contract §2).

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{FIXTURES, assert_error, fixture, spawn_app, spawn_app_with};

/// The event a fixture should read back as, legacy shapes normalised.
fn expected_event(name: &str) -> Value {
    let mut raw: Value = serde_json::from_slice(&fixture(name)).unwrap();
    let obj = raw.as_object_mut().unwrap();
    if let (Some(os), Some(arch)) = (obj.remove("os"), obj.remove("architecture")) {
        obj.insert(
            "platform".into(),
            format!("{}/{}", os.as_str().unwrap(), arch.as_str().unwrap()).into(),
        );
    }
    for key in ["hostname", "hub_link"] {
        obj.entry(key).or_insert("".into());
    }
    if obj.get("metadata").is_none_or(Value::is_null) {
        obj.insert("metadata".into(), json!({}));
    }
    raw
}

#[tokio::test]
async fn each_fixture_sent_with_get_then_post_without_content_type_reads_back_exactly() {
    let app = spawn_app().await;
    for method in [Method::GET, Method::POST] {
        for name in FIXTURES {
            let response = app.send_event(method.clone(), fixture(name)).await;
            assert_eq!(response.status(), 200, "{method} {name}");
            assert!(response.text().await.unwrap().is_empty(), "empty body");
        }
        let updates = app.updates().await;
        assert_eq!(updates.as_object().unwrap().len(), 6);
        for name in FIXTURES {
            let expected = expected_event(name);
            let image = expected["image"].as_str().unwrap();
            let entry = &updates[image];
            assert_eq!(entry["event"], expected, "{name} via {method}");
            assert_eq!(entry["acknowledged"], false);
            assert_eq!(entry["tag"], Value::Null);
            assert!(entry["received_at"].as_str().unwrap().ends_with('Z'));
        }
    }
    let null_created = &app.updates().await["quay.io/example-org/static-tool:0.4.0"];
    assert_eq!(null_created["event"]["created"], Value::Null);
}

#[tokio::test]
async fn put_is_accepted_and_other_methods_are_405() {
    let app = spawn_app().await;
    let put = app.send_event(Method::PUT, fixture("docker-update")).await;
    assert_eq!(put.status(), 200);
    for method in [Method::DELETE, Method::PATCH] {
        let response = app.send_event(method, fixture("test-notif")).await;
        assert_error(response, 405, "method_not_allowed").await;
    }
    assert_eq!(app.updates().await.as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn any_content_type_is_parsed_as_json() {
    let app = spawn_app().await;
    for content_type in [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let response = app
            .http
            .post(app.url("/webhook"))
            .header("content-type", content_type)
            .body(fixture("docker-update"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{content_type}");
    }
}

#[tokio::test]
async fn a_new_event_replaces_the_row_and_clears_the_acknowledgement() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"app:1","digest":"sha256:a","hostname":"h1"}"#)
        .await;
    let ack = app
        .http
        .patch(app.url("/api/updates/app%3A1"))
        .send()
        .await
        .unwrap();
    assert_eq!(ack.status(), 204);
    assert_eq!(app.updates().await["app:1"]["acknowledged"], true);
    app.post_event(r#"{"image":"app:1","digest":"sha256:b","hostname":"h2"}"#)
        .await;
    let entry = &app.updates().await["app:1"];
    assert_eq!(entry["acknowledged"], false);
    assert_eq!(entry["acknowledged_at"], Value::Null);
    assert_eq!(entry["event"]["digest"], "sha256:b");
    assert_eq!(entry["event"]["hostname"], "h2");
}

async fn send_with_auth(app: &crate::support::TestApp, auth: Option<&str>) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/webhook"))
        .body(fixture("test-notif"));
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_secret_is_required_exactly_or_as_bearer() {
    let app = spawn_app_with("s3cret", std::path::Path::new("/none")).await;
    for bad in [
        None,
        Some("wrong"),
        Some("Bearer "),
        Some("Bearer"),
        Some("s3cre"),
        Some("s3crets3cret"),
        Some("Bearer Bearer s3cret"),
        Some("Basic s3cret"),
        Some(""),
    ] {
        let response = send_with_auth(&app, bad).await;
        assert_error(response, 401, "unauthorized").await;
    }
    assert!(
        app.updates().await.as_object().unwrap().is_empty(),
        "nothing written on 401"
    );
    for good in ["s3cret", "Bearer s3cret"] {
        assert_eq!(
            send_with_auth(&app, Some(good)).await.status(),
            200,
            "{good}"
        );
    }
}

#[tokio::test]
async fn without_a_secret_any_authorization_is_accepted() {
    let app = spawn_app().await;
    assert_eq!(send_with_auth(&app, Some("whatever")).await.status(), 200);
    assert_eq!(send_with_auth(&app, None).await.status(), 200);
}

const HEAD: &str = r#"{"image":"big:1","metadata":{"pad":""#;
const TAIL: &str = r#""}}"#;

/// A valid event body of exactly `len` bytes.
fn body_of_len(len: usize) -> String {
    format!("{HEAD}{}{TAIL}", "x".repeat(len - HEAD.len() - TAIL.len()))
}

#[tokio::test]
async fn a_body_of_exactly_1_mib_is_accepted_and_one_byte_more_is_413() {
    let app = spawn_app().await;
    let limit = 1024 * 1024;
    let exact = body_of_len(limit);
    assert_eq!(exact.len(), limit);
    assert_eq!(app.post_event(exact).await, 200);
    let response = app.send_event(Method::POST, body_of_len(limit + 1)).await;
    assert_error(response, 413, "payload_too_large").await;
    let entry = &app.updates().await["big:1"];
    assert_eq!(
        entry["event"]["metadata"]["pad"].as_str().unwrap().len(),
        limit - HEAD.len() - TAIL.len()
    );
}

#[tokio::test]
async fn bad_bodies_are_4xx_json_errors_and_change_nothing() {
    let app = spawn_app().await;
    assert_eq!(app.post_event(fixture("docker-update")).await, 200);
    let before = app.updates().await;
    let long_image = format!(r#"{{"image":"{}"}}"#, "a".repeat(10_000));
    let bodies: Vec<Vec<u8>> = vec![
        b"[]".to_vec(),
        br#""a string""#.to_vec(),
        br#"{"image":"trunc"#.to_vec(),
        Vec::new(),
        b"{\"image\":\"\xff\xfe\"}".to_vec(),
        br#"{"image":"a\u0000b"}"#.to_vec(),
        long_image.into_bytes(),
        br#"{"image":"a:1","metadata":{"k":{"nested":true}}}"#.to_vec(),
        br#"{"image":"a:1","metadata":{"k":1}}"#.to_vec(),
        br#"{"image":""}"#.to_vec(),
        br#"{"status":"new"}"#.to_vec(),
        br#"{"image":"a:1","created":5}"#.to_vec(),
        br#"{"image":["a"]}"#.to_vec(),
        br#"{"image":"a:1","hostname":"h\u0000x"}"#.to_vec(),
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(&body)
            .chars()
            .take(60)
            .collect::<String>();
        let response = app.send_event(Method::POST, body).await;
        assert_eq!(response.status(), 400, "{shown}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["code"], "bad_request", "{shown}");
    }
    assert_eq!(app.updates().await, before);
    let history = app
        .http
        .get(app.url("/api/updates/docker.io%2Flibrary%2Fpostgres%3A16-alpine/events"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
}

//! `/api/tags` and `/api/tag-assignments` (contract §4–5).

use serde_json::{Value, json};

use crate::support::{TestApp, assert_error, spawn_app};

async fn create_tag(app: &TestApp, body: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/tags"))
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn assign(app: &TestApp, body: Value) -> reqwest::Response {
    app.http
        .put(app.url("/api/tag-assignments"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn tags_are_created_trimmed_and_listed_by_name() {
    let app = spawn_app().await;
    let created = create_tag(&app, r#"{"name":"  staging "}"#).await;
    assert_eq!(created.status(), 201);
    let tag: Value = created.json().await.unwrap();
    assert_eq!(tag["name"], "staging");
    assert!(tag["id"].is_i64());
    create_tag(&app, r#"{"name":"production"}"#).await;
    let list: Value = app.get_json(&app.url("/api/tags")).await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["production", "staging"]);
}

#[tokio::test]
async fn bad_tag_names_are_400_and_duplicates_409() {
    let app = spawn_app().await;
    let long = format!(r#"{{"name":"{}"}}"#, "x".repeat(101));
    for body in [
        r#"{"name":""}"#,
        r#"{"name":"   "}"#,
        &long,
        "{}",
        r#"{"name":1}"#,
        r#"{"name":"a\u0000b"}"#,
        "not json",
        "[]",
    ] {
        assert_error(create_tag(&app, body).await, 400, "bad_request").await;
    }
    let exactly_100 = format!(r#"{{"name":"{}"}}"#, "x".repeat(100));
    assert_eq!(create_tag(&app, &exactly_100).await.status(), 201);
    assert_eq!(create_tag(&app, r#"{"name":"prod"}"#).await.status(), 201);
    assert_error(
        create_tag(&app, r#"{"name":" prod"}"#).await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn deleting_tags_204_404_and_400_for_a_non_integer_id() {
    let app = spawn_app().await;
    let tag: Value = create_tag(&app, r#"{"name":"t"}"#)
        .await
        .json()
        .await
        .unwrap();
    let url = app.url(&format!("/api/tags/{}", tag["id"]));
    assert_eq!(app.http.delete(&url).send().await.unwrap().status(), 204);
    assert_error(
        app.http.delete(&url).send().await.unwrap(),
        404,
        "not_found",
    )
    .await;
    let bad = app
        .http
        .delete(app.url("/api/tags/abc"))
        .send()
        .await
        .unwrap();
    assert_error(bad, 400, "bad_request").await;
}

#[tokio::test]
async fn deleting_a_tag_untags_its_images_in_the_updates_list() {
    let app = spawn_app().await;
    app.post_event(r#"{"image":"a:1"}"#).await;
    app.post_event(r#"{"image":"b:1"}"#).await;
    let tag: Value = create_tag(&app, r#"{"name":"prod"}"#)
        .await
        .json()
        .await
        .unwrap();
    for image in ["a:1", "b:1"] {
        let response = assign(&app, json!({"image": image, "tag_id": tag["id"]})).await;
        assert_eq!(response.status(), 204);
    }
    assert_eq!(app.updates().await["a:1"]["tag"], tag);
    app.http
        .delete(app.url(&format!("/api/tags/{}", tag["id"])))
        .send()
        .await
        .unwrap();
    let updates = app.updates().await;
    assert_eq!(updates["a:1"]["tag"], Value::Null);
    assert_eq!(updates["b:1"]["tag"], Value::Null);
}

#[tokio::test]
async fn assigning_replaces_the_tag_and_works_before_any_event() {
    let app = spawn_app().await;
    let a: Value = create_tag(&app, r#"{"name":"a"}"#)
        .await
        .json()
        .await
        .unwrap();
    let b: Value = create_tag(&app, r#"{"name":"b"}"#)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        assign(&app, json!({"image": "later:1", "tag_id": a["id"]}))
            .await
            .status(),
        204
    );
    assert_eq!(
        assign(&app, json!({"image": "later:1", "tag_id": b["id"]}))
            .await
            .status(),
        204
    );
    app.post_event(r#"{"image":"later:1"}"#).await;
    assert_eq!(app.updates().await["later:1"]["tag"], b);
}

#[tokio::test]
async fn assigning_an_unknown_tag_is_404_and_bad_bodies_400() {
    let app = spawn_app().await;
    assert_error(
        assign(&app, json!({"image": "a:1", "tag_id": 99})).await,
        404,
        "not_found",
    )
    .await;
    for body in [
        json!({"image": "a:1"}),
        json!({"tag_id": 1}),
        json!({"image": "a:1", "tag_id": "x"}),
        json!({"image": "", "tag_id": 1}),
        json!([]),
    ] {
        assert_error(assign(&app, body).await, 400, "bad_request").await;
    }
    let not_json = app
        .http
        .put(app.url("/api/tag-assignments"))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_error(not_json, 400, "bad_request").await;
}

#[tokio::test]
async fn unassigning_is_204_also_when_untagged_and_bad_bodies_400() {
    let app = spawn_app().await;
    let tag: Value = create_tag(&app, r#"{"name":"t"}"#)
        .await
        .json()
        .await
        .unwrap();
    app.post_event(r#"{"image":"a:1"}"#).await;
    assign(&app, json!({"image": "a:1", "tag_id": tag["id"]})).await;
    for _ in 0..2 {
        let response = app
            .http
            .delete(app.url("/api/tag-assignments"))
            .json(&json!({"image": "a:1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }
    assert_eq!(app.updates().await["a:1"]["tag"], Value::Null);
    let bad = app
        .http
        .delete(app.url("/api/tag-assignments"))
        .json(&json!({"img": "a:1"}))
        .send()
        .await
        .unwrap();
    assert_error(bad, 400, "bad_request").await;
}

#[tokio::test]
async fn json_bodies_without_content_type_are_accepted_as_in_the_original() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(app.url("/api/tags"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(r#"{"name":"curl-d"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

//! Hostile bodies against the live binary: the parser corpus of diun-core
//! (`diun-core/tests/corpus/`) posted to `/webhook`, and deep or huge
//! bodies to every endpoint that reads JSON. Nothing may be a 5xx or take
//! the server down, and what an accepted body stored is exactly what the
//! parser made of it. Quick, so it runs with every `cargo test`.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::support::{SECRET, Scratch, Server, client, encode, log_problems};

/// The event as the API shows it, with an absent `created` read as null.
fn normalised(mut event: Value) -> Value {
    if event.get("created").is_none() {
        event["created"] = Value::Null;
    }
    event
}

#[tokio::test]
async fn corpus_bodies_are_stored_exactly_or_refused_with_400() {
    let scratch = Scratch::new("corpus");
    let server = Server::start(&scratch.db(), &scratch.dir.join("server.log"));
    let http = client(Duration::from_secs(30));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../diun-core/tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let methods = [
        reqwest::Method::POST,
        reqwest::Method::GET,
        reqwest::Method::PUT,
    ];
    let mut problems = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let method = methods[i % methods.len()].clone();
        let response = http
            .request(method.clone(), server.url("/webhook"))
            .header("authorization", SECRET)
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap();
        match diun_core::DiunEvent::parse(&bytes) {
            Ok(event) => {
                if status != 200 {
                    problems.push(format!("{name}: {method} got {status}, expected 200"));
                    continue;
                }
                let expected = normalised(serde_json::to_value(&event).unwrap());
                let updates: Value = http
                    .get(server.url("/api/updates"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let row = normalised(updates[&event.image]["event"].clone());
                if row != expected {
                    problems.push(format!("{name}: row {row} != parsed {expected}"));
                }
                // `.` and `..` cannot travel as a path segment (URL clients
                // resolve them), so their history is not reachable by URL.
                if event.image != "." && event.image != ".." {
                    let url = server.url(&format!(
                        "/api/updates/{}/events?limit=1",
                        encode(&event.image)
                    ));
                    let newest: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
                    if normalised(newest[0]["event"].clone()) != expected {
                        problems.push(format!("{name}: history {newest} != parsed {expected}"));
                    }
                }
            }
            Err(_) => {
                let error: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                if status != 400 || error["code"] != "bad_request" {
                    problems.push(format!(
                        "{name}: {method} got {status} {error}, expected 400 bad_request"
                    ));
                }
            }
        }
    }
    let logs = server.logs();
    server.stop();
    problems.extend(log_problems(&logs));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "attacks: {} corpus files replayed against the server",
        files.len()
    );
}

#[tokio::test]
async fn deep_and_huge_bodies_are_4xx_and_the_server_stays_up() {
    let scratch = Scratch::new("deep");
    let server = Server::start(&scratch.db(), &scratch.dir.join("server.log"));
    let http = client(Duration::from_secs(30));
    let deep_bodies = [
        "[".repeat(10_000),
        "{\"a\":".repeat(100_000),
        // Deep under a key every body reads. (Under a key that a typed
        // body ignores, serde skips the nesting without recursing: fine.)
        format!(
            r#"{{"image":{deep},"name":{deep},"tag_id":1}}"#,
            deep = format!("{}\"a\"{}", "[".repeat(200), "]".repeat(200))
        ),
        format!(r#"{{"name":{}1{}}}"#, "[".repeat(5_000), "]".repeat(5_000)),
    ];
    let endpoints = [
        (reqwest::Method::POST, "/webhook"),
        (reqwest::Method::GET, "/webhook"),
        (reqwest::Method::POST, "/api/tags"),
        (reqwest::Method::PUT, "/api/tag-assignments"),
        (reqwest::Method::DELETE, "/api/tag-assignments"),
    ];
    for (method, path) in &endpoints {
        for body in &deep_bodies {
            let response = http
                .request(method.clone(), server.url(path))
                .header("authorization", SECRET)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{method} {path} {}…", &body[..20]);
            let error: Value = response.json().await.unwrap();
            assert_eq!(error["code"], "bad_request", "{method} {path}");
        }
        // One byte over the 1 MiB limit.
        let response = http
            .request(method.clone(), server.url(path))
            .header("authorization", SECRET)
            .body(vec![b' '; 1024 * 1024 + 1])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413, "{method} {path}");
    }
    // Exactly 1 MiB, valid: accepted.
    let padded = |pad: &str| format!(r#"{{"image":"big:1","metadata":{{"pad":"{pad}"}}}}"#);
    let body = padded(&"p".repeat(1024 * 1024 - padded("").len()));
    assert_eq!(body.len(), 1024 * 1024);
    let response = http
        .post(server.url("/webhook"))
        .header("authorization", SECRET)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let logs = server.logs();
    server.stop();
    let problems = log_problems(&logs);
    assert!(problems.is_empty(), "{problems:#?}");
}

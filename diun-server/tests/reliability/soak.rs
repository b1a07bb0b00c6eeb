//! Mixed soak: `DIUN_SOAK_SECONDS` (default 60, the issue's figure) of
//! concurrent ingest, dismiss, tag create/delete, assign/unassign and list
//! on one SQLite file. Passes when no response is a 5xx (or any status the
//! contract does not allow for that request), no request fails at the
//! transport level, the log never says "database is locked", and the end
//! state adds up: every listed tag exists, the images are exactly those
//! whose ingest got a 2xx, the history holds exactly the 2xx'd events, no
//! assignment points to a missing tag, and `integrity_check` is ok.
//!
//! 4xx are part of the load: a dismiss of an image not seen yet (404), a
//! tag name taken (409), a tag deleted by another worker (404 on delete or
//! assign), a deliberately bad webhook body (400).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::support::{
    Rng, SECRET, Scratch, Server, Tally, client, encode, env_number, event_body,
    foreign_key_violations, integrity_check, log_problems, open_db, query_i64,
};

/// Distinct images the workers draw from (so images repeat).
const IMAGES: u64 = 240;
/// Distinct tag names (so creations collide with 409).
const TAG_NAMES: u64 = 16;
/// Upper bound of requests per worker, whatever the duration.
const MAX_PER_WORKER: u64 = 2_000_000;

/// What every worker shares.
struct Load {
    server: Server,
    http: reqwest::Client,
    deadline: Instant,
    tally: Tally,
    /// Images whose ingest got a 2xx.
    ingested: Mutex<BTreeSet<String>>,
    /// Ingests that got a 2xx (each is one history event).
    ingest_ok: AtomicU64,
    /// Tag ids created and not yet seen deleted (a hint; may be stale).
    tag_ids: Mutex<Vec<i64>>,
    /// Responses the contract does not allow, and transport failures.
    failures: Mutex<Vec<String>>,
}

fn image(i: u64) -> String {
    match i % 40 {
        0 => format!("registry.example.com:5000/soak/app{i:03}:1.{i}@sha256:{i:064x}"),
        1 => format!("ghcr.io/ünï/soak{i:03}:ταг"),
        _ => format!("docker.io/soak/app{i:03}:1.{i}"),
    }
}

fn tag_name(i: u64) -> String {
    if i.is_multiple_of(4) {
        format!("équipe-{i}")
    } else {
        format!("team-{i}")
    }
}

impl Load {
    fn running(&self, n: u64) -> bool {
        n < MAX_PER_WORKER && Instant::now() < self.deadline
    }

    /// Sends `request`, tallies `op` by status, and checks the status is one
    /// of `allowed`. Returns the response when it arrived.
    async fn send(
        &self,
        op: &str,
        request: reqwest::RequestBuilder,
        allowed: &[u16],
    ) -> Option<(u16, Vec<u8>)> {
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.tally.add(op, "transport-error");
                self.failures.lock().unwrap().push(format!("{op}: {e}"));
                return None;
            }
        };
        let status = response.status().as_u16();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => {
                self.tally.add(op, "truncated");
                self.failures
                    .lock()
                    .unwrap()
                    .push(format!("{op}: {status}, body cut: {e}"));
                return None;
            }
        };
        self.tally.add(op, status);
        if !allowed.contains(&status) {
            self.failures.lock().unwrap().push(format!(
                "{op}: {status} {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            ));
        }
        Some((status, body))
    }

    fn some_tag_id(&self, rng: &mut Rng) -> i64 {
        let ids = self.tag_ids.lock().unwrap();
        if ids.is_empty() {
            1
        } else {
            ids[rng.range(0..ids.len() as u64) as usize]
        }
    }
}

async fn ingest_worker(load: Arc<Load>, w: u64, seed: u64) {
    let mut rng = Rng::new(seed);
    let url = load.server.url("/webhook");
    let mut n = 0;
    while load.running(n) {
        n += 1;
        let bearer = format!("Bearer {SECRET}");
        if rng.range(0..50) == 0 {
            // An event without an image: refused, nothing written.
            let request = load
                .http
                .post(&url)
                .header("authorization", bearer)
                .body(r#"{"image":"","status":"new"}"#);
            load.send("ingest-invalid", request, &[400]).await;
            continue;
        }
        let image = image(rng.range(0..IMAGES));
        let request = load
            .http
            .post(&url)
            .header("authorization", bearer)
            .body(event_body(&image, &format!("w{w}-n{n}")));
        if let Some((status, _)) = load.send("ingest", request, &[200]).await
            && status == 200
        {
            load.ingest_ok.fetch_add(1, Ordering::Relaxed);
            load.ingested.lock().unwrap().insert(image);
        }
    }
}

async fn dismiss_worker(load: Arc<Load>, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut n = 0;
    while load.running(n) {
        n += 1;
        let url = load.server.url(&format!(
            "/api/updates/{}",
            encode(&image(rng.range(0..IMAGES)))
        ));
        load.send("dismiss", load.http.patch(url), &[204, 404])
            .await;
    }
}

async fn tag_worker(load: Arc<Load>, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut n = 0;
    while load.running(n) {
        n += 1;
        if rng.range(0..2) == 0 {
            let request = load
                .http
                .post(load.server.url("/api/tags"))
                .json(&json!({"name": tag_name(rng.range(0..TAG_NAMES))}));
            if let Some((201, body)) = load.send("tag-create", request, &[201, 409]).await {
                let tag: Value = serde_json::from_slice(&body).unwrap();
                load.tag_ids
                    .lock()
                    .unwrap()
                    .push(tag["id"].as_i64().unwrap());
            }
        } else {
            let id = load.some_tag_id(&mut rng);
            let request = load
                .http
                .delete(load.server.url(&format!("/api/tags/{id}")));
            if let Some((204 | 404, _)) = load.send("tag-delete", request, &[204, 404]).await {
                load.tag_ids.lock().unwrap().retain(|t| *t != id);
            }
        }
    }
}

async fn assign_worker(load: Arc<Load>, seed: u64) {
    let mut rng = Rng::new(seed);
    let url = load.server.url("/api/tag-assignments");
    let mut n = 0;
    while load.running(n) {
        n += 1;
        let image = image(rng.range(0..IMAGES));
        if rng.range(0..3) < 2 {
            let tag_id = load.some_tag_id(&mut rng);
            let request = load
                .http
                .put(&url)
                .json(&json!({"image": image, "tag_id": tag_id}));
            load.send("assign", request, &[204, 404]).await;
        } else {
            let request = load.http.delete(&url).json(&json!({"image": image}));
            load.send("unassign", request, &[204]).await;
        }
    }
}

async fn list_worker(load: Arc<Load>, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut n = 0;
    while load.running(n) {
        n += 1;
        match rng.range(0..3) {
            0 => {
                let request = load.http.get(load.server.url("/api/updates"));
                if let Some((200, body)) = load.send("list-updates", request, &[200]).await {
                    let updates: BTreeMap<String, Value> = serde_json::from_slice(&body).unwrap();
                    for (image, entry) in &updates {
                        assert_eq!(&entry["event"]["image"], image);
                    }
                }
            }
            1 => {
                let request = load.http.get(load.server.url("/api/tags"));
                if let Some((200, body)) = load.send("list-tags", request, &[200]).await {
                    let tags: Vec<Value> = serde_json::from_slice(&body).unwrap();
                    *load.tag_ids.lock().unwrap() =
                        tags.iter().filter_map(|t| t["id"].as_i64()).collect();
                }
            }
            _ => {
                let url = load.server.url(&format!(
                    "/api/updates/{}/events?limit=20",
                    encode(&image(rng.range(0..IMAGES)))
                ));
                load.send("history", load.http.get(url), &[200, 404]).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "runs DIUN_SOAK_SECONDS (default 60 s): run by `make reliability`"]
async fn mixed_soak_has_no_5xx_no_lock_errors_and_a_consistent_end_state() {
    let seconds: u64 = env_number("DIUN_SOAK_SECONDS", 60, 1..=3600);
    let mut rng = Rng::from_env("soak");
    let scratch = Scratch::new("soak");
    let db = scratch.db();
    let server = Server::start(&db, &scratch.dir.join("server.log"));
    let load = Arc::new(Load {
        server,
        http: client(Duration::from_secs(15)),
        deadline: Instant::now() + Duration::from_secs(seconds),
        tally: Tally::default(),
        ingested: Mutex::default(),
        ingest_ok: AtomicU64::new(0),
        tag_ids: Mutex::default(),
        failures: Mutex::default(),
    });

    let started = Instant::now();
    let mut workers = JoinSet::new();
    for w in 0..6 {
        workers.spawn(ingest_worker(load.clone(), w, rng.next()));
    }
    for _ in 0..2 {
        workers.spawn(dismiss_worker(load.clone(), rng.next()));
        workers.spawn(tag_worker(load.clone(), rng.next()));
        workers.spawn(list_worker(load.clone(), rng.next()));
    }
    for _ in 0..3 {
        workers.spawn(assign_worker(load.clone(), rng.next()));
    }
    while let Some(joined) = workers.join_next().await {
        joined.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = load.tally.count(|_| true);
    eprintln!(
        "soak: {total} requests in {elapsed:.1} s ({:.0}/s), by operation and status:\n{}",
        total as f64 / elapsed,
        load.tally.report()
    );
    let failures = load.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "{} responses outside the contract (first 20):\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert_eq!(load.tally.count(|o| o.starts_with('5')), 0);

    // The end state through the API.
    let tags: Vec<Value> = load
        .http
        .get(load.server.url("/api/tags"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tags: BTreeMap<i64, String> = tags
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let updates: BTreeMap<String, Value> = load
        .http
        .get(load.server.url("/api/updates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tagged = 0;
    for (image, entry) in &updates {
        if let Some(tag) = entry["tag"].as_object() {
            tagged += 1;
            let id = tag["id"].as_i64().unwrap();
            assert_eq!(
                tags.get(&id).map(String::as_str),
                tag["name"].as_str(),
                "{image} is tagged {tag:?}, which GET /api/tags does not list"
            );
        }
    }
    let ingested = load.ingested.lock().unwrap().clone();
    let listed: BTreeSet<String> = updates.keys().cloned().collect();
    assert_eq!(
        listed, ingested,
        "images listed vs images whose ingest got a 2xx"
    );
    let ingest_ok = load.ingest_ok.load(Ordering::Relaxed);

    let load = Arc::try_unwrap(load).unwrap_or_else(|_| panic!("workers still hold the load"));
    let logs = load.server.logs();
    load.server.stop();
    assert!(
        !logs.to_ascii_lowercase().contains("database is locked"),
        "\"database is locked\" in the log"
    );
    let problems = log_problems(&logs);
    assert!(problems.is_empty(), "log problems: {problems:#?}");

    // The end state in the file.
    let conn = open_db(&db).await;
    assert_eq!(integrity_check(&conn).await, ["ok"]);
    assert_eq!(foreign_key_violations(&conn).await, 0);
    let orphans = query_i64(
        &conn,
        "SELECT COUNT(*) FROM tag_assignments WHERE tag_id NOT IN (SELECT id FROM tags)",
    )
    .await;
    assert_eq!(orphans, 0, "assignments to missing tags");
    let rows = query_i64(&conn, "SELECT COUNT(*) FROM updates").await;
    assert_eq!(rows, ingested.len() as i64, "rows vs ingested images");
    let events = query_i64(&conn, "SELECT COUNT(*) FROM events").await;
    assert_eq!(events, ingest_ok as i64, "history events vs 2xx'd ingests");
    let assignments = query_i64(&conn, "SELECT COUNT(*) FROM tag_assignments").await;
    conn.close().await.unwrap();
    eprintln!(
        "soak: end state: {rows} images ({tagged} tagged), {events} events = {ingest_ok} \
         acknowledged ingests, {} tags, {assignments} assignments, 0 orphans, \
         integrity_check ok, no \"database is locked\"",
        tags.len()
    );
}

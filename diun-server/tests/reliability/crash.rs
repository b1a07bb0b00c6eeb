//! Crash safety: a server killed with SIGKILL in the middle of a webhook
//! burst has kept every event it acknowledged with a 2xx, in the image's
//! row and in its history, and its SQLite file passes `integrity_check`.
//!
//! Each round: 32 concurrent senders post distinct images (a quarter of the
//! posts go to one shared image, so its history grows under contention and
//! its row is overwritten concurrently); the process is killed at a
//! pseudo-random moment 300–800 ms into the burst; a new server opens the
//! same file and is checked against the list of acknowledged events.
//! `DIUN_CRASH_ROUNDS` (default 3) sets the rounds, `DIUN_RELIABILITY_SEED`
//! replays the timings.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::support::{
    Rng, SECRET, Scratch, Server, client, env_number, event_body, foreign_key_violations, history,
    integrity_check, log_problems, open_db, query_i64,
};

/// Concurrent senders (DIUN bursts are ~10; this is three times that).
const SENDERS: usize = 32;
/// Upper bound of requests per sender per round (the kill comes first).
const MAX_PER_SENDER: usize = 20_000;
/// The image every sender also posts to.
const SHARED: &str = "docker.io/library/shared:latest";
/// Images with every kind of reference syntax, posted first by sender 0.
const SPECIAL: [&str; 4] = [
    "registry.example.com:5000/team/app:1.2.3@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
    "ghcr.io/ünï/cødé:ταг-1",
    "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
    "localhost:5000/a%2Fb?c#d:1",
];

/// What one round did, for the report.
struct Round {
    kill_after_ms: u64,
    acked_events: usize,
    acked_images: usize,
    shared_acked: usize,
    stored_events: i64,
    transport_errors: u64,
    requests_per_second: f64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow (several server restarts under load): run by `make reliability`"]
async fn sigkill_under_webhook_load_loses_no_acknowledged_event() {
    let rounds: usize = env_number("DIUN_CRASH_ROUNDS", 3, 1..=50);
    let mut rng = Rng::from_env("crash");
    let mut report = Vec::new();
    for round in 0..rounds {
        let kill_after_ms = rng.range(300..801);
        report.push(crash_round(round, kill_after_ms).await);
    }
    let total: usize = report.iter().map(|r| r.acked_events).sum();
    for (i, r) in report.iter().enumerate() {
        eprintln!(
            "crash round {i}: SIGKILL after {} ms at {:.0} req/s; {} acknowledged events \
             ({} images, {} on the shared image) all found after restart; {} events stored \
             ({} committed but unacknowledged); {} requests cut by the kill",
            r.kill_after_ms,
            r.requests_per_second,
            r.acked_events,
            r.acked_images,
            r.shared_acked,
            r.stored_events,
            r.stored_events - r.acked_events as i64,
            r.transport_errors
        );
    }
    eprintln!("crash: {rounds} rounds, {total} acknowledged events verified, integrity_check ok");
}

async fn crash_round(round: usize, kill_after_ms: u64) -> Round {
    let scratch = Scratch::new("crash");
    let db = scratch.db();
    let server = Server::start(&db, &scratch.dir.join("before-kill.log"));
    let http = client(Duration::from_secs(10));
    // image -> the `seq` of every event acknowledged with a 2xx
    let acked: Arc<Mutex<BTreeMap<String, BTreeSet<String>>>> = Arc::default();
    let unexpected: Arc<Mutex<Vec<String>>> = Arc::default();
    let transport_errors = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let url = server.url("/webhook");

    let started = Instant::now();
    let mut senders = JoinSet::new();
    for s in 0..SENDERS {
        let (http, url, acked, unexpected, transport_errors, stop) = (
            http.clone(),
            url.clone(),
            acked.clone(),
            unexpected.clone(),
            transport_errors.clone(),
            stop.clone(),
        );
        senders.spawn(async move {
            for n in 0..MAX_PER_SENDER {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let image = match (s, n) {
                    (0, n) if n < SPECIAL.len() => SPECIAL[n].to_owned(),
                    (_, n) if n % 4 == 3 => SHARED.to_owned(),
                    _ => format!("crash/r{round}/s{s:02}/app{n}:1.{n}"),
                };
                let seq = format!("r{round}-s{s}-n{n}");
                let response = http
                    .post(&url)
                    .header("authorization", format!("Bearer {SECRET}"))
                    .body(event_body(&image, &seq))
                    .send()
                    .await;
                match response {
                    Ok(r) if r.status().is_success() => {
                        acked.lock().unwrap().entry(image).or_default().insert(seq);
                    }
                    Ok(r) => unexpected
                        .lock()
                        .unwrap()
                        .push(format!("{image}: {}", r.status())),
                    // The kill: refused, reset, or closed before the response.
                    Err(_) => {
                        transport_errors.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            }
        });
    }

    tokio::time::sleep(Duration::from_millis(kill_after_ms)).await;
    let acked_before_kill: usize = acked.lock().unwrap().values().map(BTreeSet::len).sum();
    server.kill();
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    while let Some(joined) = senders.join_next().await {
        joined.unwrap();
    }
    let acked = Arc::try_unwrap(acked).unwrap().into_inner().unwrap();
    let unexpected = unexpected.lock().unwrap().clone();
    assert!(
        unexpected.is_empty(),
        "round {round}: non-2xx responses before the kill: {unexpected:?}"
    );
    let acked_events: usize = acked.values().map(BTreeSet::len).sum();
    assert!(
        acked_before_kill > 0,
        "round {round}: nothing acknowledged in {kill_after_ms} ms; the kill was not mid-load"
    );

    // Restart on the same file: WAL recovery, then every acknowledged event.
    let server = Server::start(&db, &scratch.dir.join("after-restart.log"));
    let updates: serde_json::Map<String, serde_json::Value> = http
        .get(server.url("/api/updates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let server = Arc::new(server);
    let images: Vec<(String, BTreeSet<String>)> = acked.into_iter().collect();
    let acked_images = images.len();
    let shared_acked = images
        .iter()
        .find(|(image, _)| image == SHARED)
        .map_or(0, |(_, seqs)| seqs.len());
    let mut checkers = JoinSet::new();
    let updates = Arc::new(updates);
    for chunk in images.chunks(images.len().div_ceil(8)).map(<[_]>::to_vec) {
        let (http, server, updates) = (http.clone(), server.clone(), updates.clone());
        checkers.spawn(async move {
            let mut problems = Vec::new();
            for (image, seqs) in chunk {
                let Some(row) = updates.get(&image) else {
                    problems.push(format!("{image}: no row"));
                    continue;
                };
                let events = history(&http, &server, &image).await;
                let stored: BTreeSet<&str> = events
                    .iter()
                    .filter_map(|e| e["event"]["metadata"]["seq"].as_str())
                    .collect();
                let missing: Vec<&String> = seqs
                    .iter()
                    .filter(|s| !stored.contains(s.as_str()))
                    .collect();
                if !missing.is_empty() || events.len() < seqs.len() {
                    problems.push(format!(
                        "{image}: {} acknowledged, {} in history, missing {missing:?}",
                        seqs.len(),
                        events.len()
                    ));
                }
                // The row is the newest stored event.
                if events.first().map(|e| &e["event"]) != Some(&row["event"]) {
                    problems.push(format!("{image}: row is not the newest history event"));
                }
            }
            problems
        });
    }
    let mut problems = Vec::new();
    while let Some(joined) = checkers.join_next().await {
        problems.extend(joined.unwrap());
    }
    assert!(
        problems.is_empty(),
        "round {round}: acknowledged events lost after SIGKILL ({} problems):\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
    let server = Arc::try_unwrap(server).unwrap_or_else(|_| panic!("server still shared"));
    let after_restart_logs = server.logs();
    server.stop();
    let problems = log_problems(&after_restart_logs);
    assert!(problems.is_empty(), "after restart: {problems:#?}");

    // The file itself, with no server attached.
    let conn = open_db(&db).await;
    assert_eq!(integrity_check(&conn).await, ["ok"], "round {round}");
    assert_eq!(foreign_key_violations(&conn).await, 0, "round {round}");
    let stored_events = query_i64(&conn, "SELECT COUNT(*) FROM events").await;
    assert!(stored_events >= acked_events as i64);
    // Row and history are written together: neither exists without the other.
    assert_eq!(
        query_i64(
            &conn,
            "SELECT COUNT(*) FROM events WHERE image NOT IN (SELECT image FROM updates)"
        )
        .await,
        0,
        "history without a row"
    );
    assert_eq!(
        query_i64(
            &conn,
            "SELECT COUNT(*) FROM updates WHERE image NOT IN (SELECT image FROM events)"
        )
        .await,
        0,
        "row without history"
    );
    conn.close().await.unwrap();

    Round {
        kill_after_ms,
        acked_events,
        acked_images,
        shared_acked,
        stored_events,
        transport_errors: transport_errors.load(Ordering::Relaxed),
        requests_per_second: acked_before_kill as f64 / elapsed,
    }
}

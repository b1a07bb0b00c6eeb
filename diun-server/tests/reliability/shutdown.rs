//! Graceful shutdown under load: SIGTERM while requests are in flight.
//!
//! Three kinds of request are open when the signal arrives:
//! - 32 webhook POSTs whose headers and first half of the body were sent
//!   (the second half follows 200 ms after SIGTERM);
//! - 8 slow readers of a large `GET /api/updates` (~8 MB): their connection
//!   was proven accepted by a first request, their response has begun to
//!   arrive, and they read the rest only after SIGTERM;
//! - a burst of 64 `GET /api/updates`, half 100 ms before the signal and
//!   half right after it.
//!
//! The first two kinds were accepted before SIGTERM: each must get a
//! complete, non-5xx response. Requests of the burst may be turned away
//! (connection refused or closed before any response: the listener is
//! gone), but none may get a 5xx or a response cut short. The process
//! exits 0, and every slow POST's event is in the file.

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::support::{
    SECRET, Scratch, Server, client, event_body, integrity_check, log_problems, open_db, query_i64,
    read_response,
};

const SLOW_POSTS: usize = 32;
const SLOW_READERS: usize = 8;
const BURST: usize = 64;
/// Images seeded before the test, each with a ~20 KB metadata value, so
/// that one `GET /api/updates` is larger than the socket buffers.
const SEEDED: usize = 400;

/// Waits (bounded) until `go` is set.
fn wait_for(go: &AtomicBool) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !go.load(Ordering::Acquire) {
        if Instant::now() > deadline {
            return Err("never told to go on".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

fn connect(port: u16) -> Result<TcpStream, String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(45)))
        .map_err(|e| e.to_string())?;
    Ok(stream)
}

/// A webhook POST sent in two halves around the signal; returns the status.
fn slow_post(
    port: u16,
    i: usize,
    ready: mpsc::Sender<()>,
    go: Arc<AtomicBool>,
) -> Result<u16, String> {
    let body = event_body(&format!("shutdown/slow-post-{i:02}:1"), &i.to_string());
    let (first, second) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = connect(port)?;
    write!(
        stream,
        "POST /webhook HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {SECRET}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .and_then(|()| stream.write_all(first))
    .and_then(|()| stream.flush())
    .map_err(|e| format!("first half: {e}"))?;
    let _ = ready.send(());
    wait_for(&go)?;
    stream
        .write_all(second)
        .map_err(|e| format!("second half after SIGTERM: {e}"))?;
    let response = read_response(&mut BufReader::new(stream)).map_err(|e| e.to_string())?;
    Ok(response.status)
}

/// A keep-alive connection proven accepted by `GET /healthz`, then a large
/// `GET /api/updates` of which only the first bytes are read before the
/// signal; returns the status and the number of images in the body.
fn slow_reader(
    port: u16,
    ready: mpsc::Sender<()>,
    go: Arc<AtomicBool>,
) -> Result<(u16, usize), String> {
    let stream = connect(port)?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::with_capacity(16 * 1024, stream);
    writer
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let first = read_response(&mut reader).map_err(|e| format!("healthz: {e}"))?;
    if first.status != 200 {
        return Err(format!("healthz: {}", first.status));
    }
    writer
        .write_all(b"GET /api/updates HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    // Wait for the response to begin (a byte in the buffer), then stall.
    let mut byte = [0u8; 1];
    reader
        .get_mut()
        .peek(&mut byte)
        .map_err(|e| format!("waiting for the response: {e}"))?;
    let _ = ready.send(());
    wait_for(&go)?;
    let response = read_response(&mut reader).map_err(|e| e.to_string())?;
    let updates: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&response.body).map_err(|e| format!("body: {e}"))?;
    Ok((response.status, updates.len()))
}

/// What became of one request of the burst.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Complete(u16),
    TurnedAway,
    CutShort(u16),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow (seeds ~8 MB): run by `make reliability`"]
async fn sigterm_under_load_completes_every_accepted_request() {
    let scratch = Scratch::new("shutdown");
    let db = scratch.db();
    let mut server = Server::start(&db, &scratch.dir.join("server.log"));
    let port = server.port;
    let http = client(Duration::from_secs(30));

    // Seed: large rows, so that the list is several megabytes.
    let padding = "p".repeat(20_000);
    let mut seeders = JoinSet::new();
    for chunk in 0..8 {
        let (http, url, padding) = (http.clone(), server.url("/webhook"), padding.clone());
        seeders.spawn(async move {
            for i in (chunk..SEEDED).step_by(8) {
                let mut body: serde_json::Value =
                    serde_json::from_str(&event_body(&format!("shutdown/seed-{i:03}:1"), "seed"))
                        .unwrap();
                body["metadata"]["pod_status"] = padding.clone().into();
                let status = http
                    .post(&url)
                    .header("authorization", format!("Bearer {SECRET}"))
                    .body(body.to_string())
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 200);
            }
        });
    }
    while let Some(joined) = seeders.join_next().await {
        joined.unwrap();
    }

    // Open the slow requests and wait until each is in flight.
    let go = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();
    let mut posts = Vec::new();
    for i in 0..SLOW_POSTS {
        let (ready, go) = (ready_tx.clone(), go.clone());
        posts.push(std::thread::spawn(move || slow_post(port, i, ready, go)));
    }
    let mut readers = Vec::new();
    for _ in 0..SLOW_READERS {
        let (ready, go) = (ready_tx.clone(), go.clone());
        readers.push(std::thread::spawn(move || slow_reader(port, ready, go)));
    }
    drop(ready_tx);
    for n in 0..SLOW_POSTS + SLOW_READERS {
        if ready_rx.recv_timeout(Duration::from_secs(30)).is_err() {
            go.store(true, Ordering::Release);
            panic!("only {n} slow requests got going");
        }
    }
    // Let the server read every head it has been sent: a pause, then a
    // round trip that shows its event loop is not starved.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // The burst, and SIGTERM while it is on its way.
    // Half of it well before the signal, half right after it.
    let mut burst = JoinSet::new();
    let get_updates = |burst: &mut JoinSet<Outcome>| {
        let (http, url) = (http.clone(), server.url("/api/updates"));
        burst.spawn(async move {
            match http.get(&url).send().await {
                Err(_) => Outcome::TurnedAway,
                Ok(response) => {
                    let status = response.status().as_u16();
                    match response.bytes().await {
                        Ok(body)
                            if status != 200
                                || serde_json::from_slice::<serde_json::Value>(&body).is_ok() =>
                        {
                            Outcome::Complete(status)
                        }
                        _ => Outcome::CutShort(status),
                    }
                }
            }
        });
    };
    for _ in 0..BURST / 2 {
        get_updates(&mut burst);
    }
    // Long enough for the first half to be read and in the handlers.
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.signal_term();
    let signalled = Instant::now();
    for _ in BURST / 2..BURST {
        get_updates(&mut burst);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    go.store(true, Ordering::Release);

    let mut outcomes = Vec::new();
    while let Some(joined) = burst.join_next().await {
        outcomes.push(joined.unwrap());
    }
    let post_results: Vec<Result<u16, String>> =
        posts.into_iter().map(|t| t.join().unwrap()).collect();
    let reader_results: Vec<Result<(u16, usize), String>> =
        readers.into_iter().map(|t| t.join().unwrap()).collect();
    let status = server.wait_exit(Duration::from_secs(40));
    let exited_after = signalled.elapsed();
    let logs = server.logs();

    outcomes.sort();
    let complete = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Complete(200)))
        .count();
    let turned_away = outcomes
        .iter()
        .filter(|o| **o == Outcome::TurnedAway)
        .count();
    eprintln!(
        "shutdown: {status} {:.2} s after SIGTERM; slow POSTs {:?}; slow readers {:?}; \
         burst of {BURST}: {complete} complete 200, {turned_away} turned away (not accepted), \
         others {:?}",
        exited_after.as_secs_f64(),
        tally(&post_results),
        tally(&reader_results),
        outcomes
            .iter()
            .filter(|o| !matches!(o, Outcome::Complete(200) | Outcome::TurnedAway))
            .collect::<Vec<_>>()
    );
    for (i, r) in post_results.iter().enumerate() {
        assert_eq!(r, &Ok(200), "slow POST {i}");
    }
    for (i, r) in reader_results.iter().enumerate() {
        assert_eq!(r, &Ok((200, SEEDED)), "slow reader {i}");
    }
    for o in &outcomes {
        assert!(
            matches!(o, Outcome::Complete(200) | Outcome::TurnedAway),
            "burst request: {o:?}"
        );
    }
    assert!(status.success(), "exit {status} after SIGTERM:\n{logs}");
    let problems = log_problems(&logs);
    assert!(problems.is_empty(), "log problems: {problems:#?}");

    let conn = open_db(&db).await;
    assert_eq!(integrity_check(&conn).await, ["ok"]);
    let posted = query_i64(
        &conn,
        "SELECT COUNT(*) FROM updates WHERE image LIKE 'shutdown/slow-post-%'",
    )
    .await;
    assert_eq!(posted, SLOW_POSTS as i64, "slow POSTs stored");
    conn.close().await.unwrap();
}

/// `{"Ok(200)": 32}`-style summary of results.
fn tally<T: std::fmt::Debug>(
    results: &[Result<T, String>],
) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for r in results {
        *counts.entry(format!("{r:?}")).or_default() += 1;
    }
    counts
}

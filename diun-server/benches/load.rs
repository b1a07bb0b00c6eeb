//! DiunDashboard's own load benchmark: `make bench` (scripts/bench.sh), i.e.
//! `cargo build --release --workspace --bins` then
//! `cargo bench --workspace --bench load`.
//!
//! It runs the release `diun-server` binary (`DIUN_SERVER_BIN`, default
//! `target/release/diun-server`) as a child process. Building this bench
//! re-links that default path with the dev-dependencies' features unified
//! in, so scripts/bench.sh copies the release build aside first and points
//! `DIUN_SERVER_BIN` at the copy. Each scenario gets a fresh SQLite file in a
//! temp directory, a free 127.0.0.1 port and JSON logs in a file beside the
//! database. It talks to it over HTTP/1.1 keep-alive with reqwest,
//! one client (one connection) per task, sending the DIUN docker event of
//! `testdata/diun/docker-update.json` with the image replaced:
//!
//! - `ingest_distinct`: 32 connections POST /webhook for `BENCH_SECONDS`,
//!   image names cycling through `BENCH_IMAGES` distinct names; then every
//!   image that got a 2xx must be a key of GET /api/updates (durability).
//! - `ingest_same`: the same with one image.
//! - `list_10k`: `BENCH_PRELOAD` images posted once each (16 connections),
//!   then GET /api/updates with 4 connections for `BENCH_SECONDS` each:
//!   plain, with `If-None-Match: <ETag>` (304s), with `Accept-Encoding: gzip`.
//! - start-up: 5 starts on the `list_10k` database, spawn to the first 200 of
//!   GET /api/tags (median), and the idle RSS of the last one.
//! - memory: VmRSS one second after start (empty and preloaded database),
//!   VmHWM at the end of every scenario; and the release binary's size.
//!
//! stdout: a table, then one JSON object with the same figures as the last
//! line. stderr: progress. Knobs: `BENCH_SECONDS` (10), `BENCH_PRELOAD`
//! (10000), `BENCH_IMAGES` (50000), `BENCH_TMPDIR` (the temp dir),
//! `BENCH_KEEP=1` (keep the databases and server logs). Missed targets are
//! marked, not fatal; the exit code is 1 only when the benchmark could not
//! run or the durability check failed. Every loop is bounded in time and count.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

/// The webhook secret of every server here, sent as `Bearer`.
const SECRET: &str = "bench-secret";
/// A real DIUN docker event; its `image` is replaced per request.
const EVENT: &str = include_str!("../../testdata/diun/docker-update.json");

const INGEST_CONNS: usize = 32;
const LIST_CONNS: usize = 4;
const PRELOAD_CONNS: usize = 16;
const STARTS: usize = 5;

/// Upper bound of requests per connection in one timed phase.
const MAX_REQUESTS_PER_CONN: usize = 2_000_000;
/// Attempts per image in the preload (a counted run retries failures).
const PRELOAD_ATTEMPTS: usize = 5;
/// Bound of the preload.
const PRELOAD_TIMEOUT: Duration = Duration::from_secs(900);
/// Bound of one request (the 10k list is megabytes).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Bound of a start (spawn to the first 200).
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Bound of a SIGTERM shutdown (the server's grace is 30 s).
const STOP_TIMEOUT: Duration = Duration::from_secs(40);
/// The targets printed next to the figures.
const TARGET_IDLE_RSS_BYTES: u64 = 20_000_000;
const TARGET_BINARY_BYTES: u64 = 20_000_000;
const TARGET_INGEST_P99_MS: f64 = 20.0;

fn main() -> ExitCode {
    // `cargo bench` passes --bench; `cargo test --benches` does not: there
    // the benchmark would only slow the tests down.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "load benchmark: skipped (run it with `make bench` or `cargo bench --bench load`)"
        );
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench: cannot start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(&settings));
    let keep = settings.keep || outcome.as_ref().map_or(true, |ok| !ok);
    if keep {
        eprintln!("bench: kept {}", settings.work.display());
    } else {
        let _ = std::fs::remove_dir_all(&settings.work);
    }
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench: FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------- settings

struct Settings {
    bin: PathBuf,
    seconds: u64,
    preload: usize,
    images: usize,
    work: PathBuf,
    keep: bool,
}

impl Settings {
    fn from_env() -> Result<Self> {
        let bin = std::env::var_os("DIUN_SERVER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../target/release/diun-server"
                ))
            });
        ensure!(
            bin.is_file(),
            "no server binary at {} (run `cargo build --release --workspace --bins`, or set DIUN_SERVER_BIN)",
            bin.display()
        );
        let bin = bin.canonicalize()?;
        let seconds: u64 = env_number("BENCH_SECONDS", 10)?;
        let preload: usize = env_number("BENCH_PRELOAD", 10_000)?;
        let images: usize = env_number("BENCH_IMAGES", 50_000)?;
        ensure!(
            (1..=3600).contains(&seconds),
            "BENCH_SECONDS must be 1 to 3600"
        );
        ensure!(
            (1..=1_000_000).contains(&preload),
            "BENCH_PRELOAD must be 1 to 1000000"
        );
        ensure!(
            (1..=10_000_000).contains(&images),
            "BENCH_IMAGES must be 1 to 10000000"
        );
        let tmp = std::env::var_os("BENCH_TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let work = tmp.join(format!("diun-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&work)
            .with_context(|| format!("cannot create {}", work.display()))?;
        Ok(Self {
            bin,
            seconds,
            preload,
            images,
            work,
            keep: std::env::var_os("BENCH_KEEP").is_some_and(|v| !v.is_empty() && v != "0"),
        })
    }

    fn duration(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }

    /// A fresh directory for one scenario's database and logs.
    fn scenario_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.work.join(name);
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> Result<T> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}={v:?} is not a number")),
        _ => Ok(default),
    }
}

// ---------------------------------------------------------------- the server

/// A running `diun-server` child process on 127.0.0.1.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Spawns the binary on `db` (no wait).
    fn spawn(bin: &Path, db: &Path, port: u16) -> Result<Self> {
        let log = db.with_file_name(format!("server.{port}.log"));
        let out = OpenOptions::new().create(true).append(true).open(&log)?;
        let err = out.try_clone()?;
        let child = Command::new(bin)
            .env_clear()
            .env("PORT", port.to_string())
            .env("BIND_ADDR", "127.0.0.1")
            .env("DB_PATH", db)
            .env("WEBHOOK_SECRET", SECRET)
            .env("FRONTEND_DIR", db.with_file_name("no-frontend"))
            .env("LOG_FORMAT", "json")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        Ok(Self { child, port, log })
    }

    /// Spawns on a free port and waits for /healthz.
    async fn start(bin: &Path, db: &Path) -> Result<Self> {
        let mut server = Self::spawn(bin, db, free_port()?)?;
        server.wait_ready("/healthz").await?;
        Ok(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `path` every millisecond until it answers 200 (at most READY_TIMEOUT).
    async fn wait_ready(&mut self, path: &str) -> Result<()> {
        let client = client()?;
        let url = self.url(path);
        let deadline = Instant::now() + READY_TIMEOUT;
        let max_polls = READY_TIMEOUT.as_millis() as usize;
        for _ in 0..max_polls {
            if let Some(status) = self.child.try_wait()? {
                bail!("server exited at start ({status}); {}", self.log_tail());
            }
            if let Ok(response) = client.get(&url).send().await
                && response.status() == 200
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        bail!(
            "server did not answer GET {path} with 200 within {READY_TIMEOUT:?}; {}",
            self.log_tail()
        )
    }

    /// A kB figure of /proc/PID/status (VmRSS, VmHWM).
    fn proc_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status.lines().find_map(|line| {
            let rest = line.strip_prefix(field)?.strip_prefix(':')?;
            rest.split_whitespace().next()?.parse().ok()
        })
    }

    fn ensure_alive(&mut self, during: &str) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!(
                "server died during {during} ({status}); {}",
                self.log_tail()
            );
        }
        Ok(())
    }

    /// SIGTERM, then waits for the exit (at most STOP_TIMEOUT, then SIGKILL).
    /// Returns a problem to report when the exit was not clean.
    async fn stop(&mut self) -> Option<String> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(format!("server had already exited ({status})"));
        }
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status();
        if !sent.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
            let _ = self.child.wait();
            return Some("kill -TERM failed; sent SIGKILL".into());
        }
        let started = Instant::now();
        let max_polls = STOP_TIMEOUT.as_millis() as usize / 10;
        for _ in 0..max_polls {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => return None,
                Ok(Some(status)) => {
                    return Some(format!(
                        "{status} after SIGTERM (log {})",
                        self.log.display()
                    ));
                }
                Ok(None) if started.elapsed() < STOP_TIMEOUT => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                _ => break,
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Some(format!(
            "still running {STOP_TIMEOUT:?} after SIGTERM; killed"
        ))
    }

    /// Counts of WARN and ERROR lines in the server's log.
    fn log_levels(&self) -> (usize, usize) {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let warn = log.matches("\"level\":\"WARN\"").count();
        let error = log.matches("\"level\":\"ERROR\"").count();
        (warn, error)
    }

    /// The last lines of the log, for error messages.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(10)..].join("\n");
        format!("server log {}:\n{tail}", self.log.display())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// One keep-alive HTTP/1.1 connection's worth of client (no proxy, no
/// transparent decompression: the bytes counted are the bytes sent).
fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(REQUEST_TIMEOUT)
        .build()?)
}

// ---------------------------------------------------------------- events

/// Event bodies: the real docker event with `image` replaced.
struct Events {
    before: String,
    after: String,
}

impl Events {
    fn new() -> Result<Self> {
        let mut event: Value = serde_json::from_str(EVENT)?;
        event["image"] = Value::String("\u{1}IMAGE\u{1}".into());
        let text = serde_json::to_string(&event)?;
        let (before, after) = text
            .split_once("\"\\u0001IMAGE\\u0001\"")
            .context("placeholder not found in the event")?;
        Ok(Self {
            before: before.into(),
            after: after.into(),
        })
    }

    fn body(&self, index: usize) -> String {
        format!("{}\"{}\"{}", self.before, image(index), self.after)
    }
}

fn image(index: usize) -> String {
    format!("bench.test/perf/app-{index}:1.0")
}

// ---------------------------------------------------------------- load

#[derive(Clone, Copy, PartialEq)]
enum Load {
    /// POST /webhook, image = counter mod `images`.
    Distinct { images: usize },
    /// POST /webhook, image 0.
    Same,
    /// POST /webhook, images 0..n exactly once each (retried on failure).
    Counted { n: usize },
    /// GET /api/updates, plain.
    List,
    /// GET /api/updates with If-None-Match (expects 304).
    ListNotModified,
    /// GET /api/updates with Accept-Encoding: gzip.
    ListGzip,
}

struct Phase {
    load: Load,
    conns: usize,
    /// Run time (ignored by `Counted`, which runs until done or the bound).
    duration: Duration,
    etag: Option<String>,
}

/// What one phase measured.
#[derive(Default)]
struct Outcome {
    /// Completed exchanges (responses and transport errors).
    requests: u64,
    /// Responses with the expected status (and encoding).
    ok: u64,
    /// Everything else, by kind ("status 500", "timeout", ...).
    failures: BTreeMap<String, u64>,
    first_failure: Option<String>,
    /// Latency of every response, in microseconds.
    latency_us: Vec<u32>,
    bytes_min: Option<usize>,
    bytes_max: usize,
    /// Which image indices got a 2xx (webhook loads).
    ok_images: Vec<bool>,
    elapsed: Duration,
}

impl Outcome {
    fn errors(&self) -> u64 {
        self.failures.values().sum()
    }

    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn percentile_ms(&self, p: f64) -> Option<f64> {
        // Sorted by `finish`.
        let n = self.latency_us.len();
        if n == 0 {
            return None;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        Some(f64::from(self.latency_us[rank.clamp(1, n) - 1]) / 1000.0)
    }

    fn fail(&mut self, kind: String, detail: impl FnOnce() -> String) {
        *self.failures.entry(kind).or_default() += 1;
        if self.first_failure.is_none() {
            self.first_failure = Some(detail());
        }
    }

    fn merge(&mut self, other: Outcome) {
        self.requests += other.requests;
        self.ok += other.ok;
        for (kind, n) in other.failures {
            *self.failures.entry(kind).or_default() += n;
        }
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
        self.latency_us.extend(other.latency_us);
        self.bytes_min = match (self.bytes_min, other.bytes_min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.bytes_max = self.bytes_max.max(other.bytes_max);
        if self.ok_images.len() < other.ok_images.len() {
            self.ok_images.resize(other.ok_images.len(), false);
        }
        for (mine, theirs) in self.ok_images.iter_mut().zip(other.ok_images) {
            *mine |= theirs;
        }
    }

    fn finish(&mut self, elapsed: Duration) {
        self.elapsed = elapsed;
        self.latency_us.sort_unstable();
    }

    fn json(&self) -> Value {
        let mut figures = json!({
            "requests": self.requests,
            "rps": round(self.rps(), 1),
            "p50_ms": self.percentile_ms(50.0).map(|v| round(v, 2)),
            "p99_ms": self.percentile_ms(99.0).map(|v| round(v, 2)),
            "max_ms": self.percentile_ms(100.0).map(|v| round(v, 2)),
            "errors": self.errors(),
            "failures": self.failures,
            "seconds": round(self.elapsed.as_secs_f64(), 2),
        });
        if self.bytes_max > 0 || self.bytes_min.is_some_and(|b| b > 0) {
            figures["response_bytes"] = json!(self.bytes_max);
            figures["response_bytes_min"] = json!(self.bytes_min);
        }
        figures
    }
}

/// Runs `phase` against `server` with one task (one connection) per conn.
async fn run_phase(server: &Server, phase: Phase, events: &Arc<Events>) -> Result<Outcome> {
    let phase = Arc::new(phase);
    let next = Arc::new(AtomicUsize::new(0));
    let bound = match phase.load {
        Load::Counted { .. } => PRELOAD_TIMEOUT,
        _ => phase.duration,
    };
    let started = Instant::now();
    let deadline = started + bound;
    let mut tasks = Vec::with_capacity(phase.conns);
    for _ in 0..phase.conns {
        let worker = Worker {
            client: client()?,
            webhook: server.url("/webhook"),
            updates: server.url("/api/updates"),
            phase: phase.clone(),
            next: next.clone(),
            events: events.clone(),
            deadline,
        };
        tasks.push(tokio::spawn(worker.run()));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await?);
    }
    total.finish(started.elapsed());
    Ok(total)
}

struct Worker {
    client: reqwest::Client,
    webhook: String,
    updates: String,
    phase: Arc<Phase>,
    next: Arc<AtomicUsize>,
    events: Arc<Events>,
    deadline: Instant,
}

impl Worker {
    async fn run(self) -> Outcome {
        let mut out = Outcome::default();
        let (images, attempts) = match self.phase.load {
            Load::Distinct { images } => (images, 1),
            Load::Same => (1, 1),
            Load::Counted { n } => (n, PRELOAD_ATTEMPTS),
            _ => (0, 1),
        };
        out.ok_images = vec![false; images];
        let same_body = self.events.body(0);
        for _ in 0..MAX_REQUESTS_PER_CONN {
            if Instant::now() >= self.deadline {
                break;
            }
            let index = match self.phase.load {
                Load::Distinct { images } => {
                    Some(self.next.fetch_add(1, Ordering::Relaxed) % images)
                }
                Load::Same => Some(0),
                Load::Counted { n } => match self.next.fetch_add(1, Ordering::Relaxed) {
                    i if i < n => Some(i),
                    _ => break,
                },
                _ => None,
            };
            for _ in 0..attempts {
                if self.exchange(index, &same_body, &mut out).await {
                    if let Some(i) = index {
                        out.ok_images[i] = true;
                    }
                    break;
                }
                if Instant::now() >= self.deadline {
                    break;
                }
            }
        }
        out
    }

    /// One request; true when it got the expected answer.
    async fn exchange(&self, index: Option<usize>, same_body: &str, out: &mut Outcome) -> bool {
        let load = self.phase.load;
        let request = match (load, index) {
            (Load::Same, _) => self.post(same_body.to_owned()),
            (_, Some(i)) => self.post(self.events.body(i)),
            _ => {
                let mut request = self.client.get(&self.updates);
                if load == Load::ListNotModified
                    && let Some(etag) = &self.phase.etag
                {
                    request = request.header("If-None-Match", etag);
                }
                if load == Load::ListGzip {
                    request = request.header("Accept-Encoding", "gzip");
                }
                request
            }
        };
        let started = Instant::now();
        let result = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let encoding = response
                .headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, encoding, body))
        }
        .await;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        out.requests += 1;
        let (status, encoding, body) = match result {
            Ok(answer) => answer,
            Err(e) => {
                let kind = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connect error"
                } else {
                    "transport error"
                };
                out.fail(kind.into(), || format!("{kind}: {e}"));
                return false;
            }
        };
        out.latency_us.push(micros);
        out.bytes_min = Some(out.bytes_min.map_or(body.len(), |m| m.min(body.len())));
        out.bytes_max = out.bytes_max.max(body.len());
        let expected = if load == Load::ListNotModified {
            304
        } else {
            200
        };
        if status != expected {
            out.fail(format!("status {status}"), || {
                format!(
                    "status {status}: {}",
                    String::from_utf8_lossy(&body[..body.len().min(300)])
                )
            });
            return false;
        }
        if load == Load::ListGzip && encoding.as_deref() != Some("gzip") {
            out.fail("not gzipped".into(), || {
                format!("Content-Encoding {encoding:?}")
            });
            return false;
        }
        out.ok += 1;
        true
    }

    fn post(&self, body: String) -> reqwest::RequestBuilder {
        self.client
            .post(&self.webhook)
            .header("Authorization", format!("Bearer {SECRET}"))
            .header("Content-Type", "application/json")
            .body(body)
    }
}

/// The keys of GET /api/updates and the body's size.
async fn list_keys(server: &Server) -> Result<(HashSet<String>, usize, Option<String>)> {
    let response = client()?.get(server.url("/api/updates")).send().await?;
    ensure!(
        response.status() == 200,
        "GET /api/updates: status {}",
        response.status()
    );
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await?;
    let map: serde_json::Map<String, Value> =
        serde_json::from_slice(&body).context("GET /api/updates is not a JSON object")?;
    Ok((map.into_iter().map(|(k, _)| k).collect(), body.len(), etag))
}

/// Every image that got a 2xx is listed (missing must be 0; extra are keys
/// that never got a 2xx, e.g. a request that timed out after its commit).
fn durability(ok_images: &[bool], keys: &HashSet<String>) -> Value {
    let ok: HashSet<String> = ok_images
        .iter()
        .enumerate()
        .filter(|(_, ok)| **ok)
        .map(|(i, _)| image(i))
        .collect();
    let missing = ok.iter().filter(|name| !keys.contains(*name)).count();
    let extra = keys.iter().filter(|key| !ok.contains(*key)).count();
    json!({
        "ok_images": ok.len(),
        "keys": keys.len(),
        "missing": missing,
        "extra": extra,
        "pass": missing == 0,
    })
}

// ---------------------------------------------------------------- scenarios

/// Problems noticed in the server along the way.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn note(&mut self, problem: String) {
        eprintln!("bench: PROBLEM: {problem}");
        self.0.push(problem);
    }

    /// Stops the server, noting an unclean exit and WARN/ERROR log lines.
    async fn stop(&mut self, scenario: &str, server: &mut Server) {
        if let Some(problem) = server.stop().await {
            self.note(format!("{scenario}: {problem}"));
        }
        let (warn, error) = server.log_levels();
        if warn + error > 0 {
            self.note(format!(
                "{scenario}: the server logged {warn} WARN and {error} ERROR lines ({})",
                server.log.display()
            ));
        }
    }

    /// Prints the phase's figures (stderr) and notes its failures.
    fn phase(&mut self, name: &str, outcome: &Outcome) {
        eprintln!(
            "bench:   {name}: {:.0} req/s, p50 {} ms, p99 {} ms, {} errors",
            outcome.rps(),
            fmt_opt(outcome.percentile_ms(50.0), 2),
            fmt_opt(outcome.percentile_ms(99.0), 2),
            outcome.errors()
        );
        if let Some(first) = &outcome.first_failure {
            self.note(format!(
                "{name}: {} errors {:?}; first: {first}",
                outcome.errors(),
                outcome.failures
            ));
        }
    }
}

/// Everything measured.
struct Figures {
    load_average: String,
    distinct: Outcome,
    durability: Value,
    same: Outcome,
    preload: Outcome,
    list: Vec<(&'static str, Outcome)>,
    startup_ms: Vec<f64>,
    idle_empty_kb: Option<u64>,
    idle_10k_kb: Option<u64>,
    hwm_distinct_kb: Option<u64>,
    hwm_same_kb: Option<u64>,
    hwm_list_kb: Option<u64>,
    binary_bytes: u64,
    stripped: bool,
}

/// Runs everything, prints the table and the JSON line; Ok(false) when the
/// durability check failed.
async fn run(settings: &Settings) -> Result<bool> {
    let events = Arc::new(Events::new()?);
    let mut problems = Problems::default();
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();
    eprintln!(
        "bench: server {}; {} s per phase, preload {}, load average {load_average}; work dir {}",
        settings.bin.display(),
        settings.seconds,
        settings.preload,
        settings.work.display()
    );
    let (distinct, durability, idle_empty_kb, hwm_distinct_kb) =
        ingest_distinct(settings, &events, &mut problems).await?;
    let (same, hwm_same_kb) = ingest_same(settings, &events, &mut problems).await?;
    let (db, preload, list, hwm_list_kb) = list_10k(settings, &events, &mut problems).await?;
    let (startup_ms, idle_10k_kb) = startup(settings, &db, &mut problems).await?;
    let binary = std::fs::read(&settings.bin)?;
    let figures = Figures {
        load_average,
        distinct,
        durability,
        same,
        preload,
        list,
        startup_ms,
        idle_empty_kb,
        idle_10k_kb,
        hwm_distinct_kb,
        hwm_same_kb,
        hwm_list_kb,
        binary_bytes: binary.len() as u64,
        // `strip = true` in the release profile; the section name betrays symbols.
        stripped: !binary.windows(8).any(|w| w == b".symtab\0"),
    };
    let durable = figures.durability["pass"] == json!(true);
    if !durable {
        problems.note(format!("durability check FAILED: {}", figures.durability));
    }
    println!("{}", figures.table(settings, &problems.0));
    println!("{}", figures.json(settings, &problems.0));
    Ok(durable)
}

/// 32 connections, distinct images; idle RSS before, durability after.
/// Returns (outcome, durability, idle VmRSS, VmHWM).
async fn ingest_distinct(
    settings: &Settings,
    events: &Arc<Events>,
    problems: &mut Problems,
) -> Result<(Outcome, Value, Option<u64>, Option<u64>)> {
    let db = settings.scenario_dir("distinct")?.join("diun.db");
    let mut server = Server::start(&settings.bin, &db).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kb = server.proc_kb("VmRSS");
    eprintln!(
        "bench: ingest_distinct: {INGEST_CONNS} connections, {} s, {} image names",
        settings.seconds, settings.images
    );
    let phase = Phase {
        load: Load::Distinct {
            images: settings.images,
        },
        conns: INGEST_CONNS,
        duration: settings.duration(),
        etag: None,
    };
    let outcome = run_phase(&server, phase, events).await?;
    server.ensure_alive("ingest_distinct")?;
    let hwm_kb = server.proc_kb("VmHWM");
    problems.phase("ingest_distinct", &outcome);
    let (keys, _, _) = list_keys(&server).await?;
    let durable = durability(&outcome.ok_images, &keys);
    eprintln!("bench:   durability: {durable}");
    problems.stop("ingest_distinct", &mut server).await;
    Ok((outcome, durable, idle_kb, hwm_kb))
}

/// 32 connections, one image. Returns (outcome, VmHWM).
async fn ingest_same(
    settings: &Settings,
    events: &Arc<Events>,
    problems: &mut Problems,
) -> Result<(Outcome, Option<u64>)> {
    let db = settings.scenario_dir("same")?.join("diun.db");
    let mut server = Server::start(&settings.bin, &db).await?;
    eprintln!(
        "bench: ingest_same: {INGEST_CONNS} connections, {} s, one image",
        settings.seconds
    );
    let phase = Phase {
        load: Load::Same,
        conns: INGEST_CONNS,
        duration: settings.duration(),
        etag: None,
    };
    let outcome = run_phase(&server, phase, events).await?;
    server.ensure_alive("ingest_same")?;
    let hwm_kb = server.proc_kb("VmHWM");
    problems.phase("ingest_same", &outcome);
    problems.stop("ingest_same", &mut server).await;
    Ok((outcome, hwm_kb))
}

type ListFigures = (PathBuf, Outcome, Vec<(&'static str, Outcome)>, Option<u64>);

/// Preload, then GET /api/updates plain, with If-None-Match and gzipped.
/// Returns (the database, preload, the three list phases, VmHWM).
async fn list_10k(
    settings: &Settings,
    events: &Arc<Events>,
    problems: &mut Problems,
) -> Result<ListFigures> {
    let db = settings.scenario_dir("list")?.join("diun.db");
    let mut server = Server::start(&settings.bin, &db).await?;
    eprintln!(
        "bench: list_10k: preloading {} images ({PRELOAD_CONNS} connections)",
        settings.preload
    );
    let phase = Phase {
        load: Load::Counted {
            n: settings.preload,
        },
        conns: PRELOAD_CONNS,
        duration: PRELOAD_TIMEOUT,
        etag: None,
    };
    let preload = run_phase(&server, phase, events).await?;
    problems.phase("list_10k preload", &preload);
    let (keys, list_bytes, etag) = list_keys(&server).await?;
    let preloaded = durability(&preload.ok_images, &keys);
    ensure!(
        preload.ok as usize == settings.preload && keys.len() == settings.preload,
        "the preload did not leave exactly {} rows: {} posted with 200, {preloaded}",
        settings.preload,
        preload.ok
    );
    let etag = etag.context("GET /api/updates has no ETag")?;
    eprintln!(
        "bench:   preloaded in {:.1} s; the list is {list_bytes} bytes",
        preload.elapsed.as_secs_f64(),
    );
    let mut list = Vec::new();
    for (name, load) in [
        ("list_10k", Load::List),
        ("list_10k_304", Load::ListNotModified),
        ("list_10k_gzip", Load::ListGzip),
    ] {
        eprintln!(
            "bench: {name}: GET /api/updates, {LIST_CONNS} connections, {} s",
            settings.seconds
        );
        let phase = Phase {
            load,
            conns: LIST_CONNS,
            duration: settings.duration(),
            etag: Some(etag.clone()),
        };
        let outcome = run_phase(&server, phase, events).await?;
        server.ensure_alive(name)?;
        problems.phase(name, &outcome);
        list.push((name, outcome));
    }
    let hwm_kb = server.proc_kb("VmHWM");
    problems.stop("list_10k", &mut server).await;
    Ok((db, preload, list, hwm_kb))
}

/// STARTS starts on `db`: spawn to the first 200 of GET /api/tags.
/// Returns (the times in ms, the idle VmRSS of the last start).
async fn startup(
    settings: &Settings,
    db: &Path,
    problems: &mut Problems,
) -> Result<(Vec<f64>, Option<u64>)> {
    eprintln!(
        "bench: start-up: {STARTS} starts on the {}-row database",
        settings.preload
    );
    let mut startup_ms = Vec::new();
    let mut idle_kb = None;
    for i in 0..STARTS {
        let port = free_port()?;
        let started = Instant::now();
        let mut server = Server::spawn(&settings.bin, db, port)?;
        server.wait_ready("/api/tags").await?;
        startup_ms.push(round(started.elapsed().as_secs_f64() * 1000.0, 1));
        // Idle a second: what a just-started server holds (and SIGTERM
        // then finds the server's handler installed).
        tokio::time::sleep(Duration::from_secs(1)).await;
        if i + 1 == STARTS {
            idle_kb = server.proc_kb("VmRSS");
        }
        problems.stop("start-up", &mut server).await;
    }
    eprintln!("bench:   start-up ms: {startup_ms:?}");
    Ok((startup_ms, idle_kb))
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

fn bytes_of_kb(kb: Option<u64>) -> Option<u64> {
    kb.map(|kb| kb * 1024)
}

impl Figures {
    fn idle_rss_ok(&self) -> bool {
        [self.idle_empty_kb, self.idle_10k_kb]
            .into_iter()
            .all(|kb| bytes_of_kb(kb).is_some_and(|b| b <= TARGET_IDLE_RSS_BYTES))
    }

    fn binary_ok(&self) -> bool {
        self.binary_bytes <= TARGET_BINARY_BYTES
    }

    fn p99_ok(&self) -> bool {
        [&self.distinct, &self.same].into_iter().all(|o| {
            o.percentile_ms(99.0)
                .is_some_and(|p99| p99 < TARGET_INGEST_P99_MS)
        })
    }

    /// Errors of every measured phase (the preload included).
    fn errors(&self) -> u64 {
        [&self.distinct, &self.same, &self.preload]
            .into_iter()
            .chain(self.list.iter().map(|(_, o)| o))
            .map(Outcome::errors)
            .sum()
    }

    fn json(&self, settings: &Settings, problems: &[String]) -> Value {
        let mut distinct = self.distinct.json();
        distinct["conns"] = json!(INGEST_CONNS);
        distinct["durability"] = self.durability.clone();
        let mut same = self.same.json();
        same["conns"] = json!(INGEST_CONNS);
        let mut list = json!({});
        for (name, outcome) in &self.list {
            let mut figures = outcome.json();
            figures["conns"] = json!(LIST_CONNS);
            // list_10k, list_10k_304, list_10k_gzip: plain, 304, gzip.
            let key = name.strip_prefix("list_10k_").unwrap_or("plain");
            list[key] = figures;
        }
        list["preload"] = json!({
            "images": settings.preload,
            "conns": PRELOAD_CONNS,
            "seconds": round(self.preload.elapsed.as_secs_f64(), 2),
            "rps": round(self.preload.rps(), 1),
            "errors": self.preload.errors(),
        });
        json!({
            "meta": {
                "server": settings.bin.display().to_string(),
                "nproc": nproc(),
                "load_average_at_start": self.load_average,
                "seconds": settings.seconds,
                "preload": settings.preload,
                "images": settings.images,
            },
            "ingest_distinct": distinct,
            "ingest_same": same,
            "list_10k": list,
            "rss_kb": {
                "idle_empty": self.idle_empty_kb,
                "idle_10k": self.idle_10k_kb,
                "peak_ingest_distinct": self.hwm_distinct_kb,
                "peak_ingest_same": self.hwm_same_kb,
                "peak_list_10k": self.hwm_list_kb,
            },
            "startup_ms": {"median": median(&self.startup_ms), "runs": self.startup_ms},
            "binary": {"bytes": self.binary_bytes, "stripped": self.stripped},
            "targets": {
                "idle_rss_le_20mb": self.idle_rss_ok(),
                "binary_le_20mb": self.binary_ok(),
                "ingest_p99_lt_20ms": self.p99_ok(),
                "zero_errors": self.errors() == 0,
            },
            "problems": problems,
        })
    }

    fn table(&self, settings: &Settings, problems: &[String]) -> String {
        let mark = |ok: bool| if ok { "ok" } else { "MISSED" };
        let mut t = String::new();
        let _ = writeln!(
            t,
            "\nDiunDashboard load benchmark ({})\n{} CPUs, load average {} at start; \
             {} s per phase, {} preloaded images, {} image names",
            settings.bin.display(),
            nproc(),
            self.load_average,
            settings.seconds,
            settings.preload,
            settings.images
        );
        let _ = writeln!(
            t,
            "\n{:<16} {:>5} {:>9} {:>9} {:>9} {:>7} {:>13}",
            "scenario", "conns", "req/s", "p50 ms", "p99 ms", "errors", "resp. bytes"
        );
        let ingest = [
            ("ingest_distinct", &self.distinct),
            ("ingest_same", &self.same),
        ];
        let ingest = ingest.iter().map(|(n, o)| (*n, INGEST_CONNS, *o, false));
        let list = self.list.iter().map(|(n, o)| (*n, LIST_CONNS, o, true));
        for (name, conns, o, bytes) in ingest.chain(list) {
            let _ = writeln!(
                t,
                "{:<16} {:>5} {:>9.0} {:>9} {:>9} {:>7} {:>13}",
                name,
                conns,
                o.rps(),
                fmt_opt(o.percentile_ms(50.0), 2),
                fmt_opt(o.percentile_ms(99.0), 2),
                o.errors(),
                if bytes {
                    o.bytes_max.to_string()
                } else {
                    "-".into()
                }
            );
        }
        let d = &self.durability;
        let _ = writeln!(
            t,
            "\ndurability (ingest_distinct): {} images got a 2xx, {} keys listed, \
             {} missing, {} extra: {}",
            d["ok_images"],
            d["keys"],
            d["missing"],
            d["extra"],
            if d["pass"] == json!(true) {
                "pass"
            } else {
                "FAIL"
            }
        );
        let _ = writeln!(
            t,
            "list_10k: {} images preloaded in {:.1} s ({PRELOAD_CONNS} connections, {} errors); \
             304 is If-None-Match: <ETag>, gzip is Accept-Encoding: gzip",
            settings.preload,
            self.preload.elapsed.as_secs_f64(),
            self.preload.errors()
        );
        let _ = writeln!(t, "\n{:<38} {:>15}   target", "figure", "value");
        let mut line = |name: &str, value: String, target: String| {
            let text = format!("{name:<38} {value:>15}   {target}");
            let _ = writeln!(t, "{}", text.trim_end());
        };
        let rss_target = |kb: Option<u64>| {
            let ok = bytes_of_kb(kb).is_some_and(|b| b <= TARGET_IDLE_RSS_BYTES);
            format!("<= 20 MB  {}", mark(ok))
        };
        line(
            "idle RSS, empty DB",
            mb(bytes_of_kb(self.idle_empty_kb)),
            rss_target(self.idle_empty_kb),
        );
        line(
            &format!("idle RSS, {}-row DB", settings.preload),
            mb(bytes_of_kb(self.idle_10k_kb)),
            rss_target(self.idle_10k_kb),
        );
        for (name, kb) in [
            ("ingest_distinct", self.hwm_distinct_kb),
            ("ingest_same", self.hwm_same_kb),
            ("list_10k (with preload)", self.hwm_list_kb),
        ] {
            line(
                &format!("peak RSS, {name}"),
                mb(bytes_of_kb(kb)),
                String::new(),
            );
        }
        line(
            &format!("start-up, {}-row DB (median of {STARTS})", settings.preload),
            format!("{} ms", fmt_opt(median(&self.startup_ms), 1)),
            format!("runs {:?}", self.startup_ms),
        );
        line(
            &format!(
                "binary size ({})",
                if self.stripped {
                    "stripped"
                } else {
                    "NOT stripped"
                }
            ),
            mb(Some(self.binary_bytes)),
            format!("<= 20 MB  {}", mark(self.binary_ok())),
        );
        line(
            "ingest p99, distinct / same",
            format!(
                "{} / {} ms",
                fmt_opt(self.distinct.percentile_ms(99.0), 1),
                fmt_opt(self.same.percentile_ms(99.0), 1)
            ),
            format!("< 20 ms   {}", mark(self.p99_ok())),
        );
        line(
            "errors, all phases",
            self.errors().to_string(),
            format!("0         {}", mark(self.errors() == 0)),
        );
        if problems.is_empty() {
            let _ = writeln!(t, "\nserver problems noticed: none");
        } else {
            let _ = writeln!(t, "\nserver problems noticed:");
            for problem in problems {
                let _ = writeln!(t, "  - {problem}");
            }
        }
        t
    }
}

fn nproc() -> usize {
    std::thread::available_parallelism().map_or(0, |n| n.get())
}

// ---------------------------------------------------------------- formatting

fn round(v: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}

fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.digits$}"))
}

/// Bytes as MB (10^6), the unit of the targets.
fn mb(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "-".into(), |b| format!("{:.1} MB", b as f64 / 1e6))
}

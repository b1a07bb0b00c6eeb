//! The real `diun-server` process under test, and what the reliability
//! tests share: a scratch directory, realistic events, image URL encoding,
//! a raw HTTP/1.1 exchange, per-(operation, status) counters, and direct
//! access to the SQLite file once the server is gone.
//!
//! The binary is `DIUN_SERVER_BIN` when set (`make reliability` points it
//! at the release build, which is what users run), else the debug build
//! cargo made for this test. Its logs (JSON lines) go to a file in the
//! scratch directory so they can be searched after it exits.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// The webhook secret every server here runs with (sent as `Bearer`).
pub const SECRET: &str = "reliability-secret";

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The server binary under test.
pub fn server_bin() -> PathBuf {
    std::env::var_os("DIUN_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_diun-server")))
}

/// A scratch directory, removed on drop unless `DIUN_KEEP_TEST_FILES` is set
/// (or the test failed, so that the database and the log can be looked at).
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "diun_reliability_{name}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    /// The SQLite file every server of this test shares.
    pub fn db(&self) -> PathBuf {
        self.dir.join("diun.db")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() || std::env::var_os("DIUN_KEEP_TEST_FILES").is_some() {
            eprintln!("kept {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A running `diun-server` process on a free loopback port.
pub struct Server {
    child: Child,
    pub port: u16,
    pub base: String,
    log: PathBuf,
}

impl Server {
    /// Starts the binary on `db` (JSON logs appended to `log`), waits until
    /// `/healthz` answers 200 (at most 30 s).
    pub fn start(db: &Path, log: &Path) -> Self {
        let port = free_port();
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let err = out.try_clone().unwrap();
        let child = Command::new(server_bin())
            .env_clear()
            .env("PORT", port.to_string())
            .env("BIND_ADDR", "127.0.0.1")
            .env("DB_PATH", db)
            .env("FRONTEND_DIR", "/nonexistent-frontend")
            .env("WEBHOOK_SECRET", SECRET)
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", server_bin().display()));
        let mut server = Self {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
            log: log.to_owned(),
        };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("server exited at start ({status}):\n{}", self.logs());
            }
            if let Ok(response) = raw_request(
                self.port,
                b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            ) && response.status == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server not healthy in 30 s:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The process id (for signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown code runs, as in a power cut of the process.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM (graceful shutdown) and returns at once.
    pub fn signal_term(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to exit, at most `limit` (then SIGKILLs it and fails).
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("server still running {limit:?} after SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then asserts a clean exit within 40 s (the grace is 30 s).
    pub fn stop(mut self) {
        self.signal_term();
        let status = self.wait_exit(Duration::from_secs(40));
        assert!(
            status.success(),
            "exit {status} after SIGTERM:\n{}",
            self.logs()
        );
    }

    /// Everything the process wrote so far (stdout and stderr).
    pub fn logs(&self) -> String {
        read_log(&self.log)
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

/// The text of a log file (empty if missing).
pub fn read_log(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

/// Log lines that betray trouble under load: SQLite contention errors,
/// panics, 5xx responses, error-level events.
pub fn log_problems(logs: &str) -> Vec<String> {
    logs.lines()
        .filter(|line| {
            let lower = line.to_ascii_lowercase();
            lower.contains("database is locked")
                || lower.contains("database is busy")
                || lower.contains("panicked")
                || lower.contains("\"level\":\"error\"")
                || serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v["fields"]["status"].as_u64())
                    .is_some_and(|s| s >= 500)
        })
        .map(str::to_owned)
        .collect()
}

/// A free loopback port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An HTTP client for loopback: no proxy, bounded waits.
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(64)
        .build()
        .unwrap()
}

/// A realistic DIUN body (current shape, docker provider) for `image`,
/// carrying `seq` in its metadata so that stored events can be matched.
pub fn event_body(image: &str, seq: &str) -> String {
    serde_json::json!({
        "diun_version": "v4.33.0",
        "hostname": "a3f9c2b71d04",
        "status": "update",
        "provider": "docker",
        "image": image,
        "hub_link": "",
        "mime_type": "application/vnd.oci.image.index.v1+json",
        "digest": "sha256:c7253132b85afd1c61dc4748fcd9c36d774f2b47c6d2a8721f61bfdfd6df9278",
        "created": "2025-05-13T21:05:42.184297512Z",
        "platform": "linux/amd64",
        "metadata": {"ctn_names": "app-1", "ctn_state": "running", "seq": seq},
    })
    .to_string()
}

/// `encodeURIComponent`: the image as one path segment, as the dashboard
/// sends it.
pub fn encode(image: &str) -> String {
    let mut out = String::with_capacity(image.len() * 3);
    for byte in image.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A small deterministic PRNG (xorshift64*), seeded per test and printed,
/// so that a run can be repeated with `DIUN_RELIABILITY_SEED`.
pub struct Rng(u64);

impl Rng {
    /// From `DIUN_RELIABILITY_SEED`, else from the clock; prints the seed.
    pub fn from_env(test: &str) -> Self {
        let seed = std::env::var("DIUN_RELIABILITY_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{test}: DIUN_RELIABILITY_SEED={seed}");
        Self::new(seed)
    }

    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `range` (a half-open range of u64).
    pub fn range(&mut self, range: std::ops::Range<u64>) -> u64 {
        range.start + self.next() % (range.end - range.start)
    }
}

/// Counts of responses per (operation, outcome), printed as a table.
#[derive(Default)]
pub struct Tally(Mutex<BTreeMap<(String, String), u64>>);

impl Tally {
    pub fn add(&self, op: &str, outcome: impl std::fmt::Display) {
        *self
            .0
            .lock()
            .unwrap()
            .entry((op.to_owned(), outcome.to_string()))
            .or_default() += 1;
    }

    pub fn snapshot(&self) -> BTreeMap<(String, String), u64> {
        self.0.lock().unwrap().clone()
    }

    /// Sum over every operation whose outcome matches.
    pub fn count(&self, outcome: impl Fn(&str) -> bool) -> u64 {
        self.snapshot()
            .iter()
            .filter(|((_, o), _)| outcome(o))
            .map(|(_, n)| n)
            .sum()
    }

    /// One line per operation: `op: total (status xN, ...)`.
    pub fn report(&self) -> String {
        let mut by_op: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut totals: BTreeMap<String, u64> = BTreeMap::new();
        for ((op, outcome), n) in self.snapshot() {
            by_op
                .entry(op.clone())
                .or_default()
                .push(format!("{outcome} x{n}"));
            *totals.entry(op).or_default() += n;
        }
        by_op
            .into_iter()
            .map(|(op, parts)| format!("  {op:<16} {:>7}  ({})", totals[&op], parts.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A complete HTTP/1.1 response read off a raw socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why a raw exchange did not produce a complete response.
#[derive(Debug)]
pub enum RawError {
    /// The connection ended (or was reset) before any status line.
    NoResponse(String),
    /// A status line arrived but the body stopped short or was malformed.
    Truncated(String),
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoResponse(why) => write!(f, "no response: {why}"),
            Self::Truncated(why) => write!(f, "response cut short: {why}"),
        }
    }
}

/// Sends `request` on a new connection and reads one complete response.
pub fn raw_request(port: u16, request: &[u8]) -> Result<RawResponse, RawError> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .map_err(|e| RawError::NoResponse(format!("connect: {e}")))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(request)
        .map_err(|e| RawError::NoResponse(format!("write: {e}")))?;
    read_response(&mut BufReader::new(stream))
}

/// Reads one HTTP/1.x response: status line, headers, then a body framed by
/// Content-Length, chunked encoding, or the end of the connection.
pub fn read_response(reader: &mut impl BufRead) -> Result<RawResponse, RawError> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => return Err(RawError::NoResponse("closed before a status line".into())),
        Err(e) => return Err(RawError::NoResponse(format!("read: {e}"))),
        Ok(_) => {}
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RawError::Truncated(format!("bad status line {line:?}")))?;
    let truncated = |what: &str, e: std::io::Error| RawError::Truncated(format!("{what}: {e}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| truncated("headers", e))?;
        if n == 0 {
            return Err(RawError::Truncated("closed in the headers".into()));
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if let Some(length) = header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| RawError::Truncated("bad Content-Length".into()))?;
        body.resize(length, 0);
        reader
            .read_exact(&mut body)
            .map_err(|e| truncated("body", e))?;
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .map_err(|e| truncated("chunk size", e))?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| RawError::Truncated(format!("bad chunk size {line:?}")))?;
            let mut chunk = vec![0; size + 2];
            reader
                .read_exact(&mut chunk)
                .map_err(|e| truncated("chunk", e))?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if status != 204 && status != 304 {
        reader
            .read_to_end(&mut body)
            .map_err(|e| truncated("body", e))?;
    }
    Ok(RawResponse { status, body })
}

/// A read-only connection to the SQLite file of a stopped server.
pub async fn open_db(db: &Path) -> sea_orm::DatabaseConnection {
    Database::connect(format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap_or_else(|e| panic!("open {}: {e}", db.display()))
}

/// One integer from `sql`.
pub async fn query_i64(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

/// `PRAGMA integrity_check` (every row it returns; `["ok"]` when sound).
pub async fn integrity_check(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        DbBackend::Sqlite,
        "PRAGMA integrity_check",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get_by_index::<String>(0).unwrap())
    .collect()
}

/// `PRAGMA foreign_key_check` rows, as text (none when consistent).
pub async fn foreign_key_violations(db: &sea_orm::DatabaseConnection) -> usize {
    db.query_all_raw(Statement::from_string(
        DbBackend::Sqlite,
        "PRAGMA foreign_key_check",
    ))
    .await
    .unwrap()
    .len()
}

/// Every event of `image` in its history, newest first, paging with
/// `before` (at most 200 pages of 500).
pub async fn history(
    http: &reqwest::Client,
    server: &Server,
    image: &str,
) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> = Vec::new();
    for _ in 0..200 {
        let mut url = server.url(&format!("/api/updates/{}/events?limit=500", encode(image)));
        if let Some(last) = all.last() {
            url.push_str(&format!("&before={}", last["id"]));
        }
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200, "GET {url}");
        let page: Vec<serde_json::Value> = response.json().await.unwrap();
        let done = page.len() < 500;
        all.extend(page);
        if done {
            return all;
        }
    }
    panic!("history of {image} longer than 100,000 events");
}

/// A number from the environment variable `name`, else `default`, kept
/// within `range`.
pub fn env_number<T>(name: &str, default: T, range: std::ops::RangeInclusive<T>) -> T
where
    T: std::str::FromStr + Ord + Copy,
{
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
        .clamp(*range.start(), *range.end())
}

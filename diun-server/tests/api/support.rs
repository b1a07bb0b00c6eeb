//! `spawn_app()`: the real server on 127.0.0.1:0 (port 0 so tests run in
//! parallel) over a fresh SQLite file, plus small HTTP helpers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use diun_server::{AppState, app};
use poem::Server;
use poem::listener::{Acceptor, Listener, TcpListener};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A running server and where to reach it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// The SQLite file behind it.
    pub db_path: PathBuf,
    /// A plain HTTP client (no default headers).
    pub http: reqwest::Client,
    /// The store the server uses (to break it, or to look behind the API).
    pub store: Arc<diun_core::Store>,
}

impl TestApp {
    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs `url` and returns its JSON body, asserting a 2xx.
    pub async fn get_json(&self, url: &str) -> serde_json::Value {
        let response = self.http.get(url).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "GET {url}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    /// `GET /api/updates` as JSON.
    pub async fn updates(&self) -> serde_json::Value {
        let response = self
            .http
            .get(self.url("/api/updates"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Sends `body` to `/webhook` with `method` and no Content-Type.
    pub async fn send_event(
        &self,
        method: reqwest::Method,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.http
            .request(method, self.url("/webhook"))
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs `body` to `/webhook` with no Content-Type; returns the status.
    pub async fn post_event(&self, body: impl Into<reqwest::Body>) -> u16 {
        self.send_event(reqwest::Method::POST, body)
            .await
            .status()
            .as_u16()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.db_path.display()));
        }
    }
}

/// A fresh SQLite path in the temp dir.
pub fn temp_db_path() -> PathBuf {
    std::env::temp_dir().join(format!(
        "diun_server_test_{}_{}.db",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// The server with no webhook secret and no built dashboard.
pub async fn spawn_app() -> TestApp {
    spawn_app_with("", Path::new("/nonexistent-frontend")).await
}

/// The server with `secret` and dashboard files from `frontend_dir`.
pub async fn spawn_app_with(secret: &str, frontend_dir: &Path) -> TestApp {
    spawn_app_on(temp_db_path(), secret, frontend_dir).await
}

/// The server on an existing (or new) SQLite file.
pub async fn spawn_app_on(db_path: PathBuf, secret: &str, frontend_dir: &Path) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    }
    let url = diun_core::Store::sqlite_url(db_path.to_str().unwrap());
    let store = diun_core::Store::connect(&url).await.expect("open test db");
    let store = Arc::new(store);
    let state = AppState::new(store.clone(), secret);
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    let endpoint = app(state, frontend_dir);
    tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
    TestApp {
        base: format!("http://{addr}"),
        addr,
        db_path,
        http: reqwest::Client::new(),
        store,
    }
}

/// The raw bytes of `testdata/diun/<name>.json`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../testdata/diun/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names of the six wire-exact DIUN payloads.
pub const FIXTURES: [&str; 6] = [
    "docker-update",
    "dockerfile-new-missing-optional",
    "kubernetes-new",
    "legacy-v2-architecture-os",
    "swarm-update-tag-and-digest",
    "test-notif",
];

/// Asserts an error response: `status` and a JSON `{code, message}` body.
pub async fn assert_error(response: reqwest::Response, status: u16, code: &str) {
    assert_eq!(response.status().as_u16(), status);
    let body: serde_json::Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

//! Health, configuration, logs, shutdown and adoption of a Go-era file,
//! partly through the real `diun-server` binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};

use crate::support::{spawn_app, spawn_app_on, temp_db_path};

const BIN: &str = env!("CARGO_BIN_EXE_diun-server");

#[tokio::test]
async fn healthz_is_200_when_the_database_answers_and_503_when_not() {
    let app = spawn_app().await;
    let ok = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), r#"{"status":"ok"}"#);
    app.store.connection().close_by_ref().await.unwrap();
    let down = app.http.get(app.url("/healthz")).send().await.unwrap();
    crate::support::assert_error(down, 503, "unavailable").await;
}

#[tokio::test]
async fn a_go_era_diun_db_is_served_as_is() {
    let path = temp_db_path();
    let db = Database::connect(diun_core::Store::sqlite_url(path.to_str().unwrap()))
        .await
        .unwrap();
    db.execute_unprepared(
        "CREATE TABLE updates (image TEXT PRIMARY KEY, diun_version TEXT NOT NULL DEFAULT '',
           hostname TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT '',
           provider TEXT NOT NULL DEFAULT '', hub_link TEXT NOT NULL DEFAULT '',
           mime_type TEXT NOT NULL DEFAULT '', digest TEXT NOT NULL DEFAULT '',
           created TEXT NOT NULL DEFAULT '', platform TEXT NOT NULL DEFAULT '',
           ctn_name TEXT NOT NULL DEFAULT '', ctn_id TEXT NOT NULL DEFAULT '',
           ctn_state TEXT NOT NULL DEFAULT '', ctn_status TEXT NOT NULL DEFAULT '',
           received_at TEXT NOT NULL, acknowledged_at TEXT);
         CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
         CREATE TABLE tag_assignments (image TEXT PRIMARY KEY,
           tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE);
         INSERT INTO updates (image, hostname, status, ctn_name, received_at, acknowledged_at)
           VALUES ('nginx:1', 'nas', 'update', 'web', '2024-01-01T00:00:00Z', '2024-01-02 03:04:05');
         INSERT INTO tags (name) VALUES ('prod');
         INSERT INTO tag_assignments VALUES ('nginx:1', 1);",
    )
    .await
    .unwrap();
    db.close().await.unwrap();

    let app = spawn_app_on(path, "", std::path::Path::new("/none")).await;
    let entry = &app.updates().await["nginx:1"];
    assert_eq!(entry["event"]["hostname"], "nas");
    assert_eq!(entry["event"]["metadata"]["ctn_names"], "web");
    assert_eq!(entry["acknowledged"], true);
    assert_eq!(entry["acknowledged_at"], "2024-01-02T03:04:05Z");
    assert_eq!(entry["tag"]["name"], "prod");
}

/// A free loopback port (bound, then released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the binary with `env` on a free port; returns it and the port.
fn start(env: &[(&str, &str)]) -> (Child, u16) {
    let port = free_port();
    let db = temp_db_path();
    let child = Command::new(BIN)
        .env_clear()
        .env("PORT", port.to_string())
        .env("BIND_ADDR", "127.0.0.1")
        .env("DB_PATH", &db)
        .env("FRONTEND_DIR", "/nonexistent")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, port)
}

/// Sends SIGTERM and waits for the process to exit.
fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    child.wait().unwrap()
}

/// One complete HTTP/1.0 exchange over a fresh connection.
fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_variable() {
    for (var, value) in [
        ("PORT", "eighty"),
        ("BIND_ADDR", "not-an-ip"),
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:1/db"),
        ("LOG_FORMAT", "yaml"),
        ("RUST_LOG", "==bad"),
    ] {
        let out = Command::new(BIN)
            .env_clear()
            .env(var, value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{var}={value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let error_lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("diun-server:"))
            .collect();
        assert_eq!(error_lines.len(), 1, "{var}={value}: {stderr}");
        let named = if var == "DATABASE_URL" {
            "DATABASE_URL"
        } else {
            var
        };
        assert!(error_lines[0].contains(named), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("hunter2"), "password in: {stderr}");
    }
}

#[test]
fn a_port_in_use_stops_the_start_before_the_database_is_touched() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let db = temp_db_path();
    let out = Command::new(BIN)
        .env_clear()
        .env("PORT", port.to_string())
        .env("BIND_ADDR", "127.0.0.1")
        .env("DB_PATH", &db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PORT"));
    assert!(!db.exists(), "the database was created or migrated");
}

#[test]
fn openapi_subcommand_prints_the_committed_spec() {
    let out = Command::new(BIN).arg("openapi").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        diun_server::spec_json()
    );
}

#[test]
fn healthcheck_subcommand_reports_a_running_server() {
    let (mut child, port) = start(&[]);
    let ok = Command::new(BIN)
        .arg("healthcheck")
        .env("PORT", port.to_string())
        .status()
        .unwrap();
    assert!(ok.success());
    terminate(&mut child);
    let down = Command::new(BIN)
        .arg("healthcheck")
        .env("PORT", port.to_string())
        .status()
        .unwrap();
    assert!(!down.success());
}

#[test]
fn json_logs_have_one_line_per_request_and_never_the_secret() {
    let secret = "sup3r-s3cret-value";
    let (mut child, port) = start(&[("LOG_FORMAT", "json"), ("WEBHOOK_SECRET", secret)]);
    let body = r#"{"image":"log:1"}"#;
    let response = http(
        port,
        &format!(
            "POST /webhook HTTP/1.0\r\nAuthorization: Bearer {secret}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(response.starts_with("HTTP/1.0 200"), "{response}");
    http(port, "GET /api/updates HTTP/1.0\r\n\r\n");
    assert!(terminate(&mut child).success());
    let mut logs = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(!logs.contains(secret), "secret logged:\n{logs}");
    let requests: Vec<serde_json::Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 2, "{logs}");
    let first = &requests[0]["fields"];
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/webhook");
    assert_eq!(first["status"], 200);
    assert!(first["latency"].is_string());
}

#[test]
fn an_empty_secret_is_warned_about_at_start() {
    let (mut child, _port) = start(&[]);
    terminate(&mut child);
    let mut logs = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("WEBHOOK_SECRET is empty"), "{logs}");
}

#[test]
fn sigterm_lets_an_in_flight_request_finish() {
    let (mut child, port) = start(&[]);
    let body = r#"{"image":"inflight:1"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // Headers and half the body now; the request is in flight.
    write!(
        stream,
        "POST /webhook HTTP/1.0\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut status_line = String::new();
    BufReader::new(&stream).read_line(&mut status_line).unwrap();
    assert!(status_line.starts_with("HTTP/1.0 200"), "{status_line:?}");
    assert!(
        child.wait().unwrap().success(),
        "clean exit after the request"
    );
}

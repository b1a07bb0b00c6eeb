//! The dashboard's files, the SPA fallback, the not-built page, and no way
//! out of `FRONTEND_DIR` (contract §6).

use std::path::PathBuf;

use crate::support::{spawn_app, spawn_app_with, temp_db_path};

/// A built-looking `dist/` inside a parent that also holds a secret file.
fn frontend_dir() -> PathBuf {
    let parent = temp_db_path().with_extension("site");
    let dist = parent.join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), "<html>INDEX</html>").unwrap();
    std::fs::write(dist.join("assets/app-1.js"), "console.log(1)").unwrap();
    std::fs::write(parent.join("secret.txt"), "TOP-SECRET").unwrap();
    dist
}

/// GET through a raw TCP request so the path reaches the server unnormalised.
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn files_are_served_with_their_type_and_routes_fall_back_to_index() {
    let dist = frontend_dir();
    let app = spawn_app_with("", &dist).await;
    let js = app
        .http
        .get(app.url("/assets/app-1.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        js.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    for route in ["/", "/images/ghcr.io%2Fa", "/settings", "/index.html"] {
        let page = app.http.get(app.url(route)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{route}");
        assert_eq!(page.text().await.unwrap(), "<html>INDEX</html>", "{route}");
    }
    let missing_asset = app
        .http
        .get(app.url("/assets/gone.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_asset.status(), 404);
}

#[tokio::test]
async fn no_request_path_escapes_the_frontend_dir() {
    let dist = frontend_dir();
    let app = spawn_app_with("", &dist).await;
    let secret_abs = dist.parent().unwrap().join("secret.txt");
    let attempts = [
        "/../secret.txt".to_owned(),
        "/assets/../../secret.txt".to_owned(),
        "/%2e%2e/secret.txt".to_owned(),
        "/%2E%2E%2Fsecret.txt".to_owned(),
        "/assets%2F..%2F..%2Fsecret.txt".to_owned(),
        "/..%5Csecret.txt".to_owned(),
        format!("/{}", secret_abs.display()),
        format!("/{}", secret_abs.display().to_string().replace('/', "%2F")),
        "//etc/passwd".to_owned(),
        "/%00".to_owned(),
    ];
    for path in &attempts {
        let response = raw_get(app.addr, path).await;
        assert!(
            !response.contains("TOP-SECRET"),
            "{path} leaked:\n{response}"
        );
        assert!(!response.contains("root:"), "{path} leaked /etc/passwd");
    }
}

#[tokio::test]
async fn without_index_html_a_built_in_page_explains_and_the_api_still_works() {
    let app = spawn_app().await;
    let page = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    assert!(
        text.contains("not built") && text.contains("npm run build"),
        "{text}"
    );
    assert_eq!(
        app.http
            .get(app.url("/api/updates"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn spec_and_swagger_ui_are_served() {
    let app = spawn_app().await;
    let spec = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(spec.status(), 200);
    assert_eq!(spec.text().await.unwrap(), diun_server::spec_json());
    let ui = app.http.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"));
}

//! The dashboard's files from `FRONTEND_DIR`: a file when the path names
//! one, `index.html` for client-side routes, and a built-in page saying how
//! to build the dashboard when there is no `index.html`. No request path
//! can name a file outside the directory.

use std::path::{Component, Path, PathBuf};

use poem::http::{Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

/// Serves the SPA from a directory.
pub struct StaticFiles {
    root: PathBuf,
}

impl StaticFiles {
    /// Serves the files below `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The file a request path names, if it is a safe relative path to a file.
    async fn file_for(&self, path: &str) -> Option<PathBuf> {
        let relative = safe_relative_path(path)?;
        let candidate = self.root.join(relative);
        let metadata = tokio::fs::metadata(&candidate).await.ok()?;
        metadata.is_file().then_some(candidate)
    }
}

/// The request path as a relative path of plain components, or `None`
/// when it tries to leave the root (`..`, absolute parts, backslashes, NUL,
/// encoded slashes). The path is percent-decoded exactly once.
fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let decoded = percent_decode(segment)?;
        if decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        let mut components = Path::new(&decoded).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(part)), None) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a file, by extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Shown at `/` when `FRONTEND_DIR` has no `index.html`.
const NOT_BUILT_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>DiunDashboard</title></head><body style=\"font-family:sans-serif;max-width:40rem;margin:3rem auto\">\
<h1>DiunDashboard</h1><p>The dashboard is not built, but the API works: see \
<a href=\"/api/docs\">/api/docs</a>.</p><p>Build the dashboard with \
<code>make run</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>), \
or point <code>FRONTEND_DIR</code> at a built <code>dist</code> directory.</p></body></html>";

impl Endpoint for StaticFiles {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        let path = req.uri().path();
        if let Some(file) = self.file_for(path).await {
            return serve_file(&file, path.starts_with("/assets/")).await;
        }
        // A missing build asset is a 404 (not HTML the browser would try to
        // run); any other path is a client-side route of the SPA.
        if path.starts_with("/assets/") {
            return Err(poem::Error::from_status(StatusCode::NOT_FOUND));
        }
        let index = self.root.join("index.html");
        if tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) {
            serve_file(&index, false).await
        } else {
            Ok(poem::web::Html(NOT_BUILT_PAGE).into_response())
        }
    }
}

/// A file response; Vite's hashed `/assets/` files are cached for a year.
async fn serve_file(file: &Path, immutable: bool) -> poem::Result<Response> {
    let bytes = tokio::fs::read(file)
        .await
        .map_err(|_| poem::Error::from_status(StatusCode::NOT_FOUND))?;
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, content_type(file))
        .header(header::CACHE_CONTROL, cache)
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::safe_relative_path;

    #[test]
    fn traversal_is_refused() {
        for path in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a%2f..%2f..%2fx",
            "/a%5c..%5cx",
            "/..%5cx",
            "/%00",
            "/./x",
            "/%",
            "/%zz",
        ] {
            assert_eq!(safe_relative_path(path), None, "{path}");
        }
    }

    #[test]
    fn plain_paths_are_kept() {
        assert_eq!(
            safe_relative_path("/assets/index-1.js").unwrap(),
            std::path::Path::new("assets/index-1.js")
        );
        assert_eq!(safe_relative_path("/").unwrap(), std::path::PathBuf::new());
        assert_eq!(
            safe_relative_path("//etc/passwd").unwrap(),
            std::path::Path::new("etc/passwd")
        );
    }
}

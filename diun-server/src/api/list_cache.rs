//! The rendered `GET /api/updates` body, cached per store revision.
//!
//! The dashboard polls the whole list every 5 s, and with thousands of
//! images that list is megabytes of JSON. It is rendered once per change
//! of the store (see `diun_core::Store::revision`), shared by every request
//! until the next write, gzipped at most once, and tagged with an `ETag` so
//! a poll that finds nothing new gets a 304 without a body.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use poem::http::{HeaderValue, header};
use poem::{IntoResponse, Response};
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaSchemaRef, Registry};
use poem_openapi::types::Type;
use tokio::sync::Mutex;

use super::{dto, error::ApiError};

/// One rendering of the list.
pub struct Rendered {
    revision: u64,
    /// A strong validator unique to this process and revision.
    pub etag: String,
    json: Bytes,
    gzip: OnceLock<Bytes>,
}

impl Rendered {
    /// The body gzipped (fast level), computed on first use.
    fn gzip(&self) -> Bytes {
        self.gzip
            .get_or_init(|| {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                encoder.write_all(&self.json).expect("writing to a Vec");
                Bytes::from(encoder.finish().expect("writing to a Vec"))
            })
            .clone()
    }
}

/// The latest rendering, rebuilt by one request at a time when stale.
pub struct ListCache {
    /// Distinguishes this process's ETags from an earlier run's.
    epoch: u128,
    current: Mutex<Option<Arc<Rendered>>>,
}

impl Default for ListCache {
    fn default() -> Self {
        Self {
            epoch: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
            current: Mutex::new(None),
        }
    }
}

impl ListCache {
    /// The list as of now: the cached rendering when no write happened
    /// since, else a fresh one.
    pub async fn get(&self, store: &diun_core::Store) -> Result<Arc<Rendered>, ApiError> {
        // Read the revision before the rows: a write that lands while we
        // read makes the next request rebuild, never serve stale data.
        let revision = store.revision();
        let mut current = self.current.lock().await;
        if let Some(rendered) = current.as_ref().filter(|r| r.revision == revision) {
            return Ok(rendered.clone());
        }
        // Written page by page straight from the rows: no intermediate map.
        // The previous size presizes the buffer (no doubling on the way).
        let mut json = Vec::with_capacity(current.as_ref().map_or(4096, |r| r.json.len() + 4096));
        json.push(b'{');
        store
            .visit_updates(|update| {
                if json.len() > 1 {
                    json.push(b',');
                }
                serde_json::to_writer(&mut json, &update.event.image).expect("writing to a Vec");
                json.push(b':');
                serde_json::to_writer(&mut json, &dto::UpdateEntry::from(update))
                    .expect("writing to a Vec");
            })
            .await?;
        json.push(b'}');
        let rendered = Rendered {
            revision,
            etag: format!("\"{:x}-{revision}\"", self.epoch),
            json: Bytes::from(json),
            gzip: OnceLock::new(),
        };
        let rendered = Arc::new(rendered);
        *current = Some(rendered.clone());
        Ok(rendered)
    }
}

/// The `GET /api/updates` body: documented as the map of updates, written
/// from the cached bytes, gzipped when the client accepts it.
pub struct UpdatesBody {
    rendered: Arc<Rendered>,
    gzip: bool,
}

impl UpdatesBody {
    /// The body for a request whose `Accept-Encoding` is `accept_encoding`.
    pub fn new(rendered: Arc<Rendered>, accept_encoding: Option<&str>) -> Self {
        Self {
            rendered,
            gzip: accept_encoding.is_some_and(accepts_gzip),
        }
    }
}

/// True when an `Accept-Encoding` value allows gzip (and not with `q=0`).
fn accepts_gzip(value: &str) -> bool {
    value.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.replace(' ', "") == "q=0" || p.starts_with("q=0.0"));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

impl Payload for UpdatesBody {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        BTreeMap::<String, dto::UpdateEntry>::schema_ref()
    }

    fn register(registry: &mut Registry) {
        BTreeMap::<String, dto::UpdateEntry>::register(registry);
    }
}

impl IntoResponse for UpdatesBody {
    fn into_response(self) -> Response {
        let mut response = Response::builder()
            .content_type(Self::CONTENT_TYPE)
            .header(header::VARY, HeaderValue::from_static("accept-encoding"))
            .header(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        let body = if self.gzip {
            response = response.header(header::CONTENT_ENCODING, "gzip");
            self.rendered.gzip()
        } else {
            self.rendered.json.clone()
        };
        response.body(sliced_body(body))
    }
}

/// Bytes handed to the connection at a time.
const SLICE: usize = 64 * 1024;

/// A body that yields `bytes` in [`SLICE`]-sized zero-copy slices with an
/// exact length (so `Content-Length` is still sent). Handing hyper one
/// multi-megabyte buffer makes it copy the whole body per connection; slices
/// keep each response's extra memory to one slice.
fn sliced_body(bytes: Bytes) -> poem::Body {
    struct Sliced(Bytes);

    impl http_body::Body for Sliced {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            if self.0.is_empty() {
                return std::task::Poll::Ready(None);
            }
            let n = self.0.len().min(SLICE);
            std::task::Poll::Ready(Some(Ok(http_body::Frame::data(self.0.split_to(n)))))
        }

        fn is_end_stream(&self) -> bool {
            self.0.is_empty()
        }

        fn size_hint(&self) -> http_body::SizeHint {
            http_body::SizeHint::with_exact(self.0.len() as u64)
        }
    }

    http_body_util::combinators::BoxBody::new(Sliced(bytes)).into()
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;

    #[test]
    fn accept_encoding_forms() {
        assert!(accepts_gzip("gzip"));
        assert!(accepts_gzip("gzip, deflate, br, zstd"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("br"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip(""));
    }
}

//! [`JsonBody`]: a JSON request body that is read whatever its
//! Content-Type says, or when there is none.
//!
//! DIUN sends no Content-Type unless the user adds one, and scripts written
//! for the Go original (`curl -d`) send a form type; poem-openapi's `Json`
//! rejects both. The spec still documents `application/json` with `T`'s
//! schema, so the typed client sends typed bodies.

use std::marker::PhantomData;

use poem::http::StatusCode;
use poem::{Request, RequestBody};
use poem_openapi::registry::{MetaMediaType, MetaRequest, Registry};
use poem_openapi::types::Type;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The largest body accepted, in bytes (exactly 1 MiB is accepted).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A raw request body documented as JSON of type `T`.
pub struct JsonBody<T> {
    /// The body as received.
    pub bytes: Vec<u8>,
    schema: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// Decodes the body as `T`, strictly typed (a number is not a string),
    /// or a 400 saying what is wrong.
    pub fn decode(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.bytes)
            .map_err(|e| ApiError::bad_request(format!("bad JSON body: {e}")))
    }
}

impl<'a, T: Type> ApiExtractor<'a> for JsonBody<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: "application/json",
                schema: T::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        _request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        let bytes = body
            .take()?
            .into_bytes_limit(MAX_BODY_BYTES)
            .await
            .map_err(|e| {
                let status = match e {
                    poem::error::ReadBodyError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    _ => StatusCode::BAD_REQUEST,
                };
                poem::Error::from_string(e.to_string(), status)
            })?;
        Ok(Self {
            bytes: bytes.to_vec(),
            schema: PhantomData,
        })
    }
}

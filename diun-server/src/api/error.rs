//! The one error type of the HTTP layer. Every error of every operation is
//! an [`ErrorBody`] with the right status; [`From<diun_core::Error>`] is the
//! only place core errors become HTTP, and [`json_error`] turns whatever
//! poem itself rejects (unknown route, bad method, unparsable parameter)
//! into the same shape.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::{ApiResponse, Object, payload::Json};

/// The body of every error response.
#[derive(Debug, Clone, Object)]
pub struct ErrorBody {
    /// Machine-readable error class: `bad_request`, `unauthorized`,
    /// `not_found`, `method_not_allowed`, `conflict`, `payload_too_large`,
    /// `internal`, `unavailable`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// Every error an operation can answer with.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request breaks a rule (bad JSON, empty name, bad parameter).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// The webhook secret is missing or wrong.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// The image, tag or route does not exist.
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The name is taken.
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The body is larger than 1 MiB.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// Something failed on our side; the details are in the server log.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The database does not answer.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

/// The `code` of an error response with this status.
fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_client_error() => "bad_request",
        _ => "internal",
    }
}

fn body(status: StatusCode, message: impl Into<String>) -> Json<ErrorBody> {
    Json(ErrorBody {
        code: code_for(status).into(),
        message: message.into(),
    })
}

impl ApiError {
    /// A 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(body(StatusCode::BAD_REQUEST, message))
    }

    /// A 401 with `message`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::Unauthorized(body(StatusCode::UNAUTHORIZED, message))
    }

    /// A 500 with `message` (logged; the caller sees a short message).
    pub fn internal(message: impl Into<String>) -> Self {
        tracing::error!(error = %message.into(), "internal error");
        Self::Internal(body(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))
    }

    /// A 503 with `message`.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::Unavailable(body(StatusCode::SERVICE_UNAVAILABLE, message))
    }
}

impl From<diun_core::Error> for ApiError {
    fn from(err: diun_core::Error) -> Self {
        use diun_core::Error;
        match err {
            Error::Invalid(msg) => Self::bad_request(msg),
            Error::NotFound(msg) => Self::NotFound(body(StatusCode::NOT_FOUND, msg)),
            Error::Conflict(msg) => Self::Conflict(body(StatusCode::CONFLICT, msg)),
            // The cause is for the operator; the caller gets a short message.
            Error::Db(cause) => Self::internal(format!("database error: {cause}")),
        }
    }
}

/// Renders any error that reached the edge as JSON. Errors that already
/// are a response (an [`ApiError`]) pass unchanged; poem's own (routing,
/// parameter parsing, body limit) become an [`ErrorBody`] with their status.
pub async fn json_error(err: poem::Error) -> Response {
    if err.is_from_response() {
        return err.into_response();
    }
    let status = err.status();
    let message = if status.is_server_error() {
        tracing::error!(error = %err, "request failed");
        "internal error".to_owned()
    } else {
        err.to_string()
    };
    body(status, message).with_status(status).into_response()
}

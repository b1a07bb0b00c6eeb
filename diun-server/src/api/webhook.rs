//! `/webhook`: where DIUN posts its events (contract §2).

use poem::Request;
use poem::web::Data;
use poem_openapi::{ApiResponse, OpenApi};
use subtle::{Choice, ConstantTimeEq};

use super::{ApiTags, AppState, body::JsonBody, dto, error::ApiError};

/// The webhook operation.
pub struct WebhookApi;

/// Success of the webhook: 200 with an empty body, as the original.
#[derive(ApiResponse)]
pub enum Received {
    /// The event is stored.
    #[oai(status = 200)]
    Ok,
}

#[OpenApi]
impl WebhookApi {
    /// Receive a DIUN event
    ///
    /// Stores the event: the image's row is replaced (acknowledgement
    /// cleared) and the event is appended to its history. DIUN's default
    /// method is GET with a JSON body, so `GET` and `PUT /webhook` are
    /// accepted as aliases of this operation. The body is parsed as JSON
    /// whatever its Content-Type (DIUN sends none). When the server has a
    /// `WEBHOOK_SECRET`, the `Authorization` header must be that secret or
    /// `Bearer <secret>`. Bodies over 1 MiB are refused with 413.
    #[oai(
        path = "/webhook",
        method = "post",
        operation_id = "receive_event",
        tag = "ApiTags::Webhook"
    )]
    async fn receive(
        &self,
        state: Data<&AppState>,
        request: &Request,
        body: JsonBody<dto::DiunEvent>,
    ) -> Result<Received, ApiError> {
        let header = request.headers().get("authorization").map(|v| v.as_bytes());
        if !authorized(header, state.secret.as_bytes()) {
            return Err(ApiError::unauthorized(
                "missing or wrong Authorization header",
            ));
        }
        let event = diun_core::DiunEvent::parse(&body.bytes)?;
        state.store.ingest(event).await?;
        Ok(Received::Ok)
    }
}

/// True when no secret is configured, or `header` is the secret or
/// `Bearer <secret>`. Both comparisons always run, in constant time.
fn authorized(header: Option<&[u8]>, secret: &[u8]) -> bool {
    if secret.is_empty() {
        return true;
    }
    let Some(header) = header else {
        return false;
    };
    let exact = header.ct_eq(secret);
    let bearer = match header.split_at_checked(7) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case(b"bearer ") => token.ct_eq(secret),
        _ => Choice::from(0),
    };
    (exact | bearer).into()
}

#[cfg(test)]
mod tests {
    use super::authorized;

    #[test]
    fn secret_forms() {
        let s = b"s3cret".as_slice();
        assert!(authorized(None, b""));
        assert!(authorized(Some(b"anything"), b""));
        assert!(authorized(Some(b"s3cret"), s));
        assert!(authorized(Some(b"Bearer s3cret"), s));
        assert!(authorized(Some(b"bearer s3cret"), s));
        assert!(!authorized(None, s));
        assert!(!authorized(Some(b""), s));
        assert!(!authorized(Some(b"Bearer "), s));
        assert!(!authorized(Some(b"s3cre"), s));
        assert!(!authorized(Some(b"s3cret "), s));
        assert!(!authorized(Some(b"Bearer Bearer s3cret"), s));
        assert!(!authorized(Some(b"s3crets3cret"), s));
    }
}

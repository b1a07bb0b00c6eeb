//! `/healthz`: does the database answer?

use poem::web::Data;
use poem_openapi::{OpenApi, payload::Json};

use super::{ApiTags, AppState, dto, error::ApiError};

/// The health operation.
pub struct HealthApi;

#[OpenApi]
impl HealthApi {
    /// Report whether the server and its database answer
    ///
    /// 200 `{"status":"ok"}`, or 503 when the database does not answer.
    #[oai(
        path = "/healthz",
        method = "get",
        operation_id = "health",
        tag = "ApiTags::Health"
    )]
    async fn health(&self, state: Data<&AppState>) -> Result<Json<dto::Health>, ApiError> {
        match state.store.ping().await {
            Ok(()) => Ok(Json(dto::Health {
                status: "ok".into(),
            })),
            Err(e) => {
                tracing::warn!(error = %e, "health check: database does not answer");
                Err(ApiError::unavailable("database does not answer"))
            }
        }
    }
}

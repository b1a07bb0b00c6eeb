//! The HTTP API: one poem-openapi service whose spec is the committed
//! `openapi.json`. Each submodule holds one group of operations; each
//! operation maps onto one core service.

mod body;
mod dto;
mod error;
mod health;
mod list_cache;
mod tags;
mod updates;
mod webhook;

use std::sync::Arc;

use poem_openapi::{ApiResponse, OpenApiService, Tags};

pub use body::MAX_BODY_BYTES;
pub use error::{ApiError, ErrorBody, json_error};

/// What every operation needs: the store, the webhook secret and the
/// rendered list.
#[derive(Clone)]
pub struct AppState {
    store: Arc<diun_core::Store>,
    secret: Arc<str>,
    list_cache: Arc<list_cache::ListCache>,
}

impl AppState {
    /// The state of a server over `store`; an empty `secret` leaves the
    /// webhook open.
    pub fn new(store: Arc<diun_core::Store>, secret: &str) -> Self {
        Self {
            store,
            secret: secret.into(),
            list_cache: Default::default(),
        }
    }
}

/// The groups operations are listed under in the spec and Swagger UI.
#[derive(Tags)]
enum ApiTags {
    /// Where DIUN sends its events.
    Webhook,
    /// Image updates: list, acknowledge, history.
    Updates,
    /// Tags and tag assignments.
    Tags,
    /// Liveness of the server and its database.
    Health,
}

/// Success with no body (204).
#[derive(ApiResponse)]
pub enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

/// Every operation of the API.
pub type Api = (
    webhook::WebhookApi,
    updates::UpdatesApi,
    tags::TagsApi,
    health::HealthApi,
);

/// Title, version and server URL are fixed so the spec is byte-stable.
const TITLE: &str = "DiunDashboard";
const SPEC_VERSION: &str = "1.0.0";

/// Builds the API service. `main`, `diun-server openapi` and the drift test
/// all call this one function.
pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            webhook::WebhookApi,
            updates::UpdatesApi,
            tags::TagsApi,
            health::HealthApi,
        ),
        TITLE,
        SPEC_VERSION,
    )
    .description(
        "Receives DIUN webhook events and serves them to the dashboard. \
         Every error is a JSON `ErrorBody`.",
    )
    .server("/")
}

/// The spec as pretty JSON with a trailing newline, as committed in `openapi.json`.
pub fn spec_json() -> String {
    let mut spec = service().spec();
    spec.push('\n');
    spec
}

//! `/api/updates`: list, acknowledge (dismiss), and an image's history.

use std::collections::BTreeMap;

use diun_core::HistoryQuery;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::{OpenApi, payload::Json};

use super::{ApiTags, AppState, Done, dto, error::ApiError};

/// The updates operations.
pub struct UpdatesApi;

#[OpenApi]
impl UpdatesApi {
    /// List every image's latest update
    ///
    /// A JSON object keyed by image: the latest event, when it arrived,
    /// whether it was acknowledged, and the image's tag.
    #[oai(
        path = "/api/updates",
        method = "get",
        operation_id = "list_updates",
        tag = "ApiTags::Updates"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
    ) -> Result<Json<BTreeMap<String, dto::UpdateEntry>>, ApiError> {
        let updates = state.store.list_updates().await?;
        Ok(Json(
            updates
                .into_iter()
                .map(|u| (u.event.image.clone(), u.into()))
                .collect(),
        ))
    }

    /// Acknowledge (dismiss) an image's update
    ///
    /// `image` is the full image name URL-encoded as one path segment
    /// (`%2F`, `%3A`, `%40`). The acknowledgement lasts until the image's
    /// next event.
    #[oai(
        path = "/api/updates/:image",
        method = "patch",
        operation_id = "acknowledge_update",
        tag = "ApiTags::Updates"
    )]
    async fn acknowledge(
        &self,
        state: Data<&AppState>,
        /// The image, URL-encoded as one path segment.
        image: Path<String>,
    ) -> Result<Done, ApiError> {
        state.store.acknowledge(&image).await?;
        Ok(Done::NoContent)
    }

    /// List an image's past events, newest first
    ///
    /// Pages through the history with `limit` and `before` (the id of the
    /// last event of the previous page).
    #[oai(
        path = "/api/updates/:image/events",
        method = "get",
        operation_id = "list_image_events",
        tag = "ApiTags::Updates"
    )]
    async fn history(
        &self,
        state: Data<&AppState>,
        /// The image, URL-encoded as one path segment.
        image: Path<String>,
        /// How many events to return (1 to 500, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// Only events with an id below this one.
        before: Query<Option<i64>>,
    ) -> Result<Json<Vec<dto::EventRecord>>, ApiError> {
        let query = HistoryQuery {
            limit: limit.0.unwrap_or(HistoryQuery::DEFAULT_LIMIT),
            before: before.0,
        };
        let records = state.store.history(&image, query).await?;
        Ok(Json(records.into_iter().map(Into::into).collect()))
    }
}

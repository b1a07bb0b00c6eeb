//! `/api/updates`: list, acknowledge (dismiss), and an image's history.

use diun_core::HistoryQuery;
use poem::Request;
use poem::http::header;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::{ApiResponse, OpenApi, payload::Json};

use super::list_cache::UpdatesBody;
use super::{ApiTags, AppState, Done, dto, error::ApiError};

/// The updates operations.
pub struct UpdatesApi;

/// Success of the list: the map of updates and its validator.
#[derive(ApiResponse)]
pub enum UpdatesList {
    /// Every image's latest update, keyed by image.
    #[oai(status = 200)]
    Ok(
        UpdatesBody,
        /// Changes whenever the list does; send it back as `If-None-Match`.
        #[oai(header = "ETag")]
        String,
    ),
}

#[OpenApi]
impl UpdatesApi {
    /// List every image's latest update
    ///
    /// A JSON object keyed by image: the latest event, when it arrived,
    /// whether it was acknowledged, and the image's tag. The response has an
    /// `ETag`; a request with a matching `If-None-Match` gets a 304 with no
    /// body. Clients that send `Accept-Encoding: gzip` get it gzipped.
    #[oai(
        path = "/api/updates",
        method = "get",
        operation_id = "list_updates",
        tag = "ApiTags::Updates"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        request: &Request,
    ) -> Result<UpdatesList, ApiError> {
        let rendered = state.list_cache.get(&state.store).await?;
        let etag = rendered.etag.clone();
        let accept_encoding = request
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok());
        Ok(UpdatesList::Ok(
            UpdatesBody::new(rendered, accept_encoding),
            etag,
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

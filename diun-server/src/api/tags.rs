//! `/api/tags` and `/api/tag-assignments` (contract §4–5).

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::{ApiResponse, OpenApi, payload::Json};

use super::{ApiTags, AppState, Done, body::JsonBody, dto, error::ApiError};

/// The tag and assignment operations.
pub struct TagsApi;

/// Success of tag creation.
#[derive(ApiResponse)]
pub enum TagCreated {
    /// The new tag.
    #[oai(status = 201)]
    Created(Json<dto::Tag>),
}

#[OpenApi]
impl TagsApi {
    /// List tags, ordered by name
    #[oai(
        path = "/api/tags",
        method = "get",
        operation_id = "list_tags",
        tag = "ApiTags::Tags"
    )]
    async fn list(&self, state: Data<&AppState>) -> Result<Json<Vec<dto::Tag>>, ApiError> {
        let tags = state.store.list_tags().await?;
        Ok(Json(tags.into_iter().map(Into::into).collect()))
    }

    /// Create a tag
    ///
    /// The name is trimmed; empty or longer than 100 characters is a 400,
    /// an existing name a 409.
    #[oai(
        path = "/api/tags",
        method = "post",
        operation_id = "create_tag",
        tag = "ApiTags::Tags"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        body: JsonBody<dto::CreateTag>,
    ) -> Result<TagCreated, ApiError> {
        let tag = state.store.create_tag(&body.decode()?.name).await?;
        Ok(TagCreated::Created(Json(tag.into())))
    }

    /// Delete a tag
    ///
    /// Its images become untagged.
    #[oai(
        path = "/api/tags/:id",
        method = "delete",
        operation_id = "delete_tag",
        tag = "ApiTags::Tags"
    )]
    async fn delete(
        &self,
        state: Data<&AppState>,
        /// The tag's id.
        id: Path<i64>,
    ) -> Result<Done, ApiError> {
        state.store.delete_tag(id.0).await?;
        Ok(Done::NoContent)
    }

    /// Give an image a tag
    ///
    /// Replaces the image's earlier tag. The image need not have an event yet.
    #[oai(
        path = "/api/tag-assignments",
        method = "put",
        operation_id = "assign_tag",
        tag = "ApiTags::Tags"
    )]
    async fn assign(
        &self,
        state: Data<&AppState>,
        body: JsonBody<dto::TagAssignment>,
    ) -> Result<Done, ApiError> {
        let assignment = body.decode()?;
        state
            .store
            .assign_tag(&assignment.image, assignment.tag_id)
            .await?;
        Ok(Done::NoContent)
    }

    /// Remove an image's tag
    ///
    /// Succeeds also when the image had no tag.
    #[oai(
        path = "/api/tag-assignments",
        method = "delete",
        operation_id = "unassign_tag",
        tag = "ApiTags::Tags"
    )]
    async fn unassign(
        &self,
        state: Data<&AppState>,
        body: JsonBody<dto::Unassignment>,
    ) -> Result<Done, ApiError> {
        state.store.unassign_tag(&body.decode()?.image).await?;
        Ok(Done::NoContent)
    }
}

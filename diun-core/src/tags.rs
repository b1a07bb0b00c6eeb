//! Services on tags and tag assignments (one tag per image).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, SqlErr};

use crate::entity::{tag, tag_assignment};
use crate::{Error, Result, Store, Tag, event::validate_image};

/// The longest tag name accepted, in characters.
pub const MAX_TAG_NAME_CHARS: usize = 100;

impl Store {
    /// Every tag, ordered by name.
    pub async fn list_tags(&self) -> Result<Vec<Tag>> {
        Ok(tag::Entity::find()
            .order_by_asc(tag::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| Tag {
                id: t.id,
                name: t.name,
            })
            .collect())
    }

    /// Creates a tag named `name` (trimmed). Empty, longer than
    /// [`MAX_TAG_NAME_CHARS`] or with control characters: [`Error::Invalid`];
    /// taken: [`Error::Conflict`].
    pub async fn create_tag(&self, name: &str) -> Result<Tag> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid("tag name must not be empty".into()));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::Invalid(
                "tag name must not contain control characters".into(),
            ));
        }
        if name.chars().count() > MAX_TAG_NAME_CHARS {
            return Err(Error::Invalid(format!(
                "tag name must be at most {MAX_TAG_NAME_CHARS} characters"
            )));
        }
        let _writer = self.writes.exclusive().await;
        let inserted = tag::Entity::insert(tag::ActiveModel {
            name: Set(name.to_owned()),
            ..Default::default()
        })
        .exec(&self.db)
        .await;
        match inserted {
            Ok(res) => Ok(Tag {
                id: res.last_insert_id,
                name: name.to_owned(),
            }),
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(
                Error::Conflict(format!("a tag named `{name}` already exists")),
            ),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes tag `id`; its images become untagged. Unknown: [`Error::NotFound`].
    pub async fn delete_tag(&self, id: i64) -> Result<()> {
        let _writer = self.writes.exclusive().await;
        let result = tag::Entity::delete_by_id(id).exec(&self.db).await?;
        if result.rows_affected == 0 {
            return Err(Error::NotFound(format!("no tag with id {id}")));
        }
        Ok(())
    }

    /// Gives `image` the tag `tag_id`, replacing its earlier tag. The image
    /// need not have an update yet. Unknown tag: [`Error::NotFound`].
    pub async fn assign_tag(&self, image: &str, tag_id: i64) -> Result<()> {
        validate_image(image)?;
        let _writer = self.writes.exclusive().await;
        let inserted = tag_assignment::Entity::insert(tag_assignment::ActiveModel {
            image: Set(image.to_owned()),
            tag_id: Set(tag_id),
        })
        .on_conflict(
            OnConflict::column(tag_assignment::Column::Image)
                .update_column(tag_assignment::Column::TagId)
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))) => {
                Err(Error::NotFound(format!("no tag with id {tag_id}")))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Removes `image`'s tag; nothing happens when it has none.
    pub async fn unassign_tag(&self, image: &str) -> Result<()> {
        validate_image(image)?;
        let _writer = self.writes.exclusive().await;
        tag_assignment::Entity::delete_many()
            .filter(tag_assignment::Column::Image.eq(image))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

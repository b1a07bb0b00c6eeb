//! `tag_assignments`: at most one tag per image (the image need not have an
//! update yet); rows go with their tag through `ON DELETE CASCADE`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tag_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub image: String,
    pub tag_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `updates`: one row per image, the original Go schema plus `metadata`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub image: String,
    pub diun_version: String,
    pub hostname: String,
    pub status: String,
    pub provider: String,
    pub hub_link: String,
    pub mime_type: String,
    pub digest: String,
    /// `''` stands for a null `created` (the original column is NOT NULL).
    pub created: String,
    pub platform: String,
    /// The original's copy of `metadata.ctn_names`.
    pub ctn_name: String,
    pub ctn_id: String,
    pub ctn_state: String,
    pub ctn_status: String,
    pub received_at: String,
    pub acknowledged_at: Option<String>,
    /// The whole metadata map as JSON; NULL on rows written by the Go original.
    pub metadata: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Ours: `updates.metadata` keeps the whole metadata map as JSON (the
//! original kept four docker keys and lost everything else).

use sea_orm_migration::prelude::*;

use super::Updates;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_column("updates", "metadata").await? {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Updates::Table)
                    .add_column(ColumnDef::new(Updates::Metadata).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Updates::Table)
                    .drop_column(Updates::Metadata)
                    .to_owned(),
            )
            .await
    }
}

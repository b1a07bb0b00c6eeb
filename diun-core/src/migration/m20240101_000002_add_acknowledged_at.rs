//! Very old Go-era files lack `updates.acknowledged_at`; add it where missing.

use sea_orm_migration::prelude::*;

use super::Updates;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.has_column("updates", "acknowledged_at").await? {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Updates::Table)
                    .add_column(ColumnDef::new(Updates::AcknowledgedAt).text().null())
                    .to_owned(),
            )
            .await
    }

    /// Nothing to undo: the column belongs to the original schema, and the
    /// first migration's `down` drops the whole table.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

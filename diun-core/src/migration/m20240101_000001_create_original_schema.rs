//! The Go original's three tables, created only where missing so that an
//! existing `diun.db` is adopted with its rows intact.

use sea_orm_migration::prelude::*;

use super::{TagAssignments, Tags, Updates};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `TEXT NOT NULL DEFAULT ''`, the type of most original columns.
fn text_default(col: Updates) -> ColumnDef {
    ColumnDef::new(col).text().not_null().default("").to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut updates = Table::create();
        updates.table(Updates::Table).if_not_exists().col(
            ColumnDef::new(Updates::Image)
                .text()
                .not_null()
                .primary_key(),
        );
        for col in [
            Updates::DiunVersion,
            Updates::Hostname,
            Updates::Status,
            Updates::Provider,
            Updates::HubLink,
            Updates::MimeType,
            Updates::Digest,
            Updates::Created,
            Updates::Platform,
            Updates::CtnName,
            Updates::CtnId,
            Updates::CtnState,
            Updates::CtnStatus,
        ] {
            updates.col(text_default(col));
        }
        updates
            .col(ColumnDef::new(Updates::ReceivedAt).text().not_null())
            .col(ColumnDef::new(Updates::AcknowledgedAt).text().null());
        manager.create_table(updates).await?;

        manager
            .create_table(
                Table::create()
                    .table(Tags::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Tags::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Tags::Name).text().not_null().unique_key())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TagAssignments::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(TagAssignments::Image)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(TagAssignments::TagId)
                            .big_integer()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TagAssignments::Table, TagAssignments::TagId)
                            .to(Tags::Table, Tags::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TagAssignments::Table.into_iden(),
            Tags::Table.into_iden(),
            Updates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

//! Schema migrations, run at every start by [`crate::Store::connect`].
//!
//! The first two adopt a `diun.db` written by the Go original in place: they
//! create its three tables only where missing and add `acknowledged_at` to the
//! oldest files. Our additions follow as separate migrations; none of them
//! edits an original table beyond adding a column. Every migration is
//! idempotent and has a `down`.

use sea_orm_migration::prelude::*;

mod m20240101_000001_create_original_schema;
mod m20240101_000002_add_acknowledged_at;
mod m20261203_000001_add_update_metadata;
mod m20261203_000002_create_events;

/// The ordered list of DiunDashboard's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20240101_000001_create_original_schema::Migration),
            Box::new(m20240101_000002_add_acknowledged_at::Migration),
            Box::new(m20261203_000001_add_update_metadata::Migration),
            Box::new(m20261203_000002_create_events::Migration),
        ]
    }
}

/// Table and column names shared by the migrations.
#[derive(DeriveIden)]
pub(crate) enum Updates {
    Table,
    Image,
    DiunVersion,
    Hostname,
    Status,
    Provider,
    HubLink,
    MimeType,
    Digest,
    Created,
    Platform,
    CtnName,
    CtnId,
    CtnState,
    CtnStatus,
    ReceivedAt,
    AcknowledgedAt,
    Metadata,
}

/// Names of the `tags` table.
#[derive(DeriveIden)]
pub(crate) enum Tags {
    Table,
    Id,
    Name,
}

/// Names of the `tag_assignments` table.
#[derive(DeriveIden)]
pub(crate) enum TagAssignments {
    Table,
    Image,
    TagId,
}

//! Services on updates: ingest a DIUN event, list every image's current
//! state, acknowledge one, and read an image's history.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use crate::entity::{event, tag, tag_assignment, update};
use crate::{
    DiunEvent, Error, EventRecord, HistoryQuery, Result, Store, Tag, Update, clock,
    event::validate_image,
};

/// Rows read per query when listing updates.
pub const LIST_PAGE: u64 = 500;

/// The metadata keys the Go original copied into its `ctn_*` columns, in
/// column order: (`ctn_name`, `ctn_id`, `ctn_state`, `ctn_status`).
const LEGACY_CTN_KEYS: [&str; 4] = ["ctn_names", "ctn_id", "ctn_state", "ctn_status"];

impl Store {
    /// Records an event: replaces the image's row (acknowledgement
    /// cleared, `received_at` now) and appends the event to the history, in
    /// one transaction. Returns once that transaction is committed.
    ///
    /// Concurrent calls are batched into one transaction by the ingest
    /// writer (group commit); see [`crate::writer`].
    pub async fn ingest(&self, event: DiunEvent) -> Result<EventRecord> {
        validate_image(&event.image)?;
        self.ingest_queue.submit(event).await
    }

    /// Every image's current state with its tag, ordered by image.
    pub async fn list_updates(&self) -> Result<Vec<Update>> {
        let mut updates = Vec::new();
        self.visit_updates(|update| updates.push(update)).await?;
        Ok(updates)
    }

    /// Calls `visit` with every image's current state, in image order,
    /// reading [`LIST_PAGE`] rows at a time from one read transaction: the
    /// memory used stays flat however many images there are, and every
    /// page comes from the same snapshot.
    pub async fn visit_updates(&self, mut visit: impl FnMut(Update)) -> Result<()> {
        let txn = self.db.begin().await?;
        let tags: HashMap<i64, String> = tag::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let assignments: HashMap<String, i64> = tag_assignment::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.image, a.tag_id))
            .collect();
        let mut after: Option<String> = None;
        loop {
            let mut page = update::Entity::find()
                .order_by_asc(update::Column::Image)
                .limit(LIST_PAGE);
            if let Some(last) = after.take() {
                page = page.filter(update::Column::Image.gt(last));
            }
            let rows = page.all(&txn).await?;
            let full_page = rows.len() as u64 == LIST_PAGE;
            after = rows.last().map(|row| row.image.clone());
            for row in rows {
                let tag = assignments.get(&row.image).and_then(|id| {
                    tags.get(id).map(|name| Tag {
                        id: *id,
                        name: name.clone(),
                    })
                });
                visit(Update {
                    tag,
                    ..Update::try_from(row)?
                });
            }
            if !full_page {
                break;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Acknowledges (dismisses) the current update of `image` until its next
    /// event. Unknown image: [`Error::NotFound`].
    pub async fn acknowledge(&self, image: &str) -> Result<()> {
        validate_image(image)?;
        let _writer = self.writes.exclusive().await;
        let result = update::Entity::update_many()
            .col_expr(update::Column::AcknowledgedAt, clock::now_rfc3339().into())
            .filter(update::Column::Image.eq(image))
            .exec(&self.db)
            .await?;
        if result.rows_affected == 0 {
            return Err(Error::NotFound(format!("no update for image `{image}`")));
        }
        Ok(())
    }

    /// A page of `image`'s history, newest first. An image that was never
    /// seen is [`Error::NotFound`]; a row adopted from the Go original has an
    /// empty history.
    pub async fn history(&self, image: &str, query: HistoryQuery) -> Result<Vec<EventRecord>> {
        if !(1..=HistoryQuery::MAX_LIMIT).contains(&query.limit) {
            return Err(Error::Invalid(format!(
                "`limit` must be between 1 and {}",
                HistoryQuery::MAX_LIMIT
            )));
        }
        let mut select = event::Entity::find().filter(event::Column::Image.eq(image));
        if let Some(before) = query.before {
            select = select.filter(event::Column::Id.lt(before));
        }
        let rows = select
            .order_by_desc(event::Column::Id)
            .limit(query.limit)
            .all(&self.db)
            .await?;
        if rows.is_empty() && !self.image_known(image).await? {
            return Err(Error::NotFound(format!("no events for image `{image}`")));
        }
        rows.into_iter().map(EventRecord::try_from).collect()
    }

    /// True when `image` has a row or any history.
    async fn image_known(&self, image: &str) -> Result<bool> {
        let row = update::Entity::find_by_id(image).one(&self.db).await?;
        let event = event::Entity::find()
            .filter(event::Column::Image.eq(image))
            .one(&self.db)
            .await?;
        Ok(row.is_some() || event.is_some())
    }
}

/// Every column an event replaces (all but the key).
const REPLACED_COLUMNS: [update::Column; 16] = [
    update::Column::DiunVersion,
    update::Column::Hostname,
    update::Column::Status,
    update::Column::Provider,
    update::Column::HubLink,
    update::Column::MimeType,
    update::Column::Digest,
    update::Column::Created,
    update::Column::Platform,
    update::Column::CtnName,
    update::Column::CtnId,
    update::Column::CtnState,
    update::Column::CtnStatus,
    update::Column::ReceivedAt,
    update::Column::AcknowledgedAt,
    update::Column::Metadata,
];

/// Writes a batch of events inside the caller's transaction, as two
/// statements whatever its size: one upsert of the images' rows (the last
/// event of an image wins, as one-by-one upserts would) and one insert into
/// the history. Returns the history ids in the order of `events`.
pub(crate) async fn write_events(
    txn: &impl ConnectionTrait,
    events: &[&DiunEvent],
    received_at: &str,
) -> Result<Vec<i64>> {
    let latest: BTreeMap<&str, &DiunEvent> =
        events.iter().map(|e| (e.image.as_str(), *e)).collect();
    update::Entity::insert_many(latest.values().map(|e| update_row(e, received_at)))
        .on_conflict(
            OnConflict::column(update::Column::Image)
                .update_columns(REPLACED_COLUMNS)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let history = events.iter().map(|e| event::ActiveModel {
        image: Set(e.image.clone()),
        received_at: Set(received_at.to_owned()),
        event: Set(serde_json::to_string(e).expect("events serialise")),
        ..Default::default()
    });
    let mut ids = event::Entity::insert_many(history)
        .exec_with_returning_keys(txn)
        .await?;
    // RETURNING promises no order; ids grow in insertion order because
    // writes are serialised, so sorted ids line up with `events`.
    ids.sort_unstable();
    Ok(ids)
}

/// The `updates` row for an event received at `received_at`.
fn update_row(event: &DiunEvent, received_at: &str) -> update::ActiveModel {
    let ctn = LEGACY_CTN_KEYS.map(|k| event.metadata.get(k).cloned().unwrap_or_default());
    let [ctn_name, ctn_id, ctn_state, ctn_status] = ctn;
    update::ActiveModel {
        image: Set(event.image.clone()),
        diun_version: Set(event.diun_version.clone()),
        hostname: Set(event.hostname.clone()),
        status: Set(event.status.clone()),
        provider: Set(event.provider.clone()),
        hub_link: Set(event.hub_link.clone()),
        mime_type: Set(event.mime_type.clone()),
        digest: Set(event.digest.clone()),
        created: Set(event.created.clone().unwrap_or_default()),
        platform: Set(event.platform.clone()),
        ctn_name: Set(ctn_name),
        ctn_id: Set(ctn_id),
        ctn_state: Set(ctn_state),
        ctn_status: Set(ctn_status),
        received_at: Set(received_at.to_owned()),
        acknowledged_at: Set(None),
        metadata: Set(Some(
            serde_json::to_string(&event.metadata).expect("maps of strings serialise"),
        )),
    }
}

impl TryFrom<update::Model> for Update {
    type Error = Error;

    fn try_from(row: update::Model) -> Result<Self> {
        let metadata = match &row.metadata {
            Some(json) => serde_json::from_str(json).map_err(corrupt("updates.metadata"))?,
            // A row written by the Go original: its four columns are all we have.
            None => LEGACY_CTN_KEYS
                .into_iter()
                .zip([&row.ctn_name, &row.ctn_id, &row.ctn_state, &row.ctn_status])
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        };
        Ok(Update {
            event: DiunEvent {
                diun_version: row.diun_version,
                hostname: row.hostname,
                status: row.status,
                provider: row.provider,
                image: row.image,
                hub_link: row.hub_link,
                mime_type: row.mime_type,
                digest: row.digest,
                created: Some(row.created).filter(|c| !c.is_empty()),
                platform: row.platform,
                metadata,
            },
            received_at: clock::normalize_timestamp(row.received_at),
            acknowledged_at: row.acknowledged_at.map(clock::normalize_timestamp),
            tag: None,
        })
    }
}

impl TryFrom<event::Model> for EventRecord {
    type Error = Error;

    fn try_from(row: event::Model) -> Result<Self> {
        Ok(EventRecord {
            id: row.id,
            received_at: row.received_at,
            event: serde_json::from_str(&row.event).map_err(corrupt("events.event"))?,
        })
    }
}

/// Maps unreadable stored JSON to a database error naming the column.
fn corrupt(column: &'static str) -> impl Fn(serde_json::Error) -> Error {
    move |e| {
        Error::Db(sea_orm::DbErr::Type(format!(
            "{column} holds invalid JSON: {e}"
        )))
    }
}

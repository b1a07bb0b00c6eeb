//! Domain types the services return. Entity models never leave the crate;
//! these are what the server and embedders see.

use serde::{Deserialize, Serialize};

use crate::DiunEvent;

/// A user-defined tag that groups images.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Database id, stable for the tag's lifetime.
    pub id: i64,
    /// Unique, trimmed, 1 to 100 characters.
    pub name: String,
}

/// The current state of one image: its latest event and what people did with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    /// The latest event received for the image.
    pub event: DiunEvent,
    /// When that event arrived (UTC RFC 3339).
    pub received_at: String,
    /// When someone acknowledged it (UTC RFC 3339), or `None` while pending.
    pub acknowledged_at: Option<String>,
    /// The image's tag, if it has one.
    pub tag: Option<Tag>,
}

impl Update {
    /// True once someone has acknowledged (dismissed) this update.
    pub fn acknowledged(&self) -> bool {
        self.acknowledged_at.is_some()
    }
}

/// One entry of an image's event history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Increasing id; the cursor for [`HistoryQuery::before`].
    pub id: i64,
    /// When the event arrived (UTC RFC 3339).
    pub received_at: String,
    /// The event as received (normalised).
    pub event: DiunEvent,
}

/// Which page of an image's history to read, newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    /// How many events to return, 1 to [`HistoryQuery::MAX_LIMIT`].
    pub limit: u64,
    /// Only events with an id below this one (the next page), or all.
    pub before: Option<i64>,
}

impl HistoryQuery {
    /// The page size when the caller names none.
    pub const DEFAULT_LIMIT: u64 = 50;
    /// The largest page size accepted.
    pub const MAX_LIMIT: u64 = 500;
}

impl Default for HistoryQuery {
    fn default() -> Self {
        Self {
            limit: Self::DEFAULT_LIMIT,
            before: None,
        }
    }
}

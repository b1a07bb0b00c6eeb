#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

mod clock;
mod entity;
mod error;
mod event;
pub mod migration;
mod model;
mod store;
mod tags;
mod updates;
mod writer;

pub use error::{Error, Result};
pub use event::{DiunEvent, MAX_IMAGE_LEN, validate_image};
pub use model::{EventRecord, HistoryQuery, Tag, Update};
pub use sea_orm::DbBackend;
pub use store::Store;
pub use tags::MAX_TAG_NAME_CHARS;
pub use updates::LIST_PAGE;

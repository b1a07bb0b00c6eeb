//! The JSON shapes of the API (contract §3–5), as poem-openapi objects so
//! they appear in the spec, with conversions from the core's domain types.

use std::collections::BTreeMap;

use poem_openapi::Object;
use serde::{Deserialize, Serialize};

/// A DIUN webhook event (current DIUN shape). The webhook also accepts the
/// legacy shapes (`architecture` + `os`, `date`) and omitted fields.
#[derive(Debug, Clone, Object, Serialize)]
pub struct DiunEvent {
    /// DIUN's version (`4.24.0`, `v4.33.0`, `dev`, ...).
    pub diun_version: String,
    /// Host name of the DIUN process (often a container id).
    pub hostname: String,
    /// `new` or `update`.
    pub status: String,
    /// The DIUN provider (`docker`, `swarm`, `kubernetes`, `file`, ...).
    pub provider: String,
    /// The image reference; the key of the updates map. At most 1,024
    /// bytes, no control characters, not `.` or `..`.
    pub image: String,
    /// Link to the image's registry page; may be empty.
    pub hub_link: String,
    /// Manifest media type.
    pub mime_type: String,
    /// Manifest digest (`sha256:...`).
    pub digest: String,
    /// Image build time as DIUN sent it (RFC 3339), or null.
    #[oai(nullable)]
    pub created: Option<String>,
    /// Platform (`linux/amd64`, `linux/arm/v7`, ...).
    pub platform: String,
    /// Provider and user metadata (string values only).
    pub metadata: BTreeMap<String, String>,
}

/// A tag, as listed and as attached to an update.
#[derive(Debug, Clone, Object, Serialize)]
pub struct Tag {
    /// The tag's id.
    pub id: i64,
    /// The tag's unique name.
    pub name: String,
}

/// One value of the `GET /api/updates` map.
#[derive(Debug, Clone, Object, Serialize)]
pub struct UpdateEntry {
    /// The image's latest event.
    pub event: DiunEvent,
    /// When it arrived (UTC RFC 3339).
    pub received_at: String,
    /// Whether someone acknowledged (dismissed) it since.
    pub acknowledged: bool,
    /// When it was acknowledged (UTC RFC 3339), or null.
    #[oai(nullable)]
    pub acknowledged_at: Option<String>,
    /// The image's tag, or null.
    #[oai(nullable)]
    pub tag: Option<Tag>,
}

/// One entry of an image's history.
#[derive(Debug, Clone, Object)]
pub struct EventRecord {
    /// Increasing id; pass it as `before` for the next page.
    pub id: i64,
    /// When the event arrived (UTC RFC 3339).
    pub received_at: String,
    /// The event as received.
    pub event: DiunEvent,
}

/// Body of `POST /api/tags`.
#[derive(Debug, Clone, Object, Deserialize)]
pub struct CreateTag {
    /// The name; trimmed, then 1 to 100 characters, unique.
    pub name: String,
}

/// Body of `PUT /api/tag-assignments`.
#[derive(Debug, Clone, Object, Deserialize)]
pub struct TagAssignment {
    /// The image to tag (it need not have an update yet); not blank, at
    /// most 1,024 bytes, no control characters.
    pub image: String,
    /// The tag to give it; replaces its earlier tag.
    pub tag_id: i64,
}

/// Body of `DELETE /api/tag-assignments`.
#[derive(Debug, Clone, Object, Deserialize)]
pub struct Unassignment {
    /// The image to untag; not blank, at most 1,024 bytes.
    pub image: String,
}

/// Body of `GET /healthz`.
#[derive(Debug, Clone, Object)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
}

impl From<diun_core::DiunEvent> for DiunEvent {
    fn from(e: diun_core::DiunEvent) -> Self {
        Self {
            diun_version: e.diun_version,
            hostname: e.hostname,
            status: e.status,
            provider: e.provider,
            image: e.image,
            hub_link: e.hub_link,
            mime_type: e.mime_type,
            digest: e.digest,
            created: e.created,
            platform: e.platform,
            metadata: e.metadata,
        }
    }
}

impl From<diun_core::Tag> for Tag {
    fn from(t: diun_core::Tag) -> Self {
        Self {
            id: t.id,
            name: t.name,
        }
    }
}

impl From<diun_core::Update> for UpdateEntry {
    fn from(u: diun_core::Update) -> Self {
        Self {
            acknowledged: u.acknowledged(),
            event: u.event.into(),
            received_at: u.received_at,
            acknowledged_at: u.acknowledged_at,
            tag: u.tag.map(Tag::from),
        }
    }
}

impl From<diun_core::EventRecord> for EventRecord {
    fn from(r: diun_core::EventRecord) -> Self {
        Self {
            id: r.id,
            received_at: r.received_at,
            event: r.event.into(),
        }
    }
}

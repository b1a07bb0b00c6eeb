//! DIUN events: the domain type and the parser for the raw webhook body.
//!
//! The parser accepts every shape DIUN has sent over its versions (contract
//! §2): the current eleven keys, `created`/`metadata` as `null`, the v3-era
//! `architecture` + `os` pair instead of `platform`, the v0.x `date` instead of
//! `created`, omitted empty fields, and unknown keys (ignored). It rejects,
//! with [`Error::Invalid`], whatever cannot be stored faithfully.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Error, Result};

/// The longest image reference accepted, in bytes.
pub const MAX_IMAGE_LEN: usize = 1024;

/// One DIUN notification, normalised to the current shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiunEvent {
    /// DIUN's version string (`4.24.0`, `v4.33.0`, `dev`, ...); opaque.
    pub diun_version: String,
    /// Host name of the DIUN process (often a container id); empty before v4.
    pub hostname: String,
    /// `new` or `update` (kept as sent).
    pub status: String,
    /// The DIUN provider: `docker`, `swarm`, `kubernetes`, `file`, ...
    pub provider: String,
    /// The image reference, the key of the dashboard's rows.
    pub image: String,
    /// Link to the image's registry page; often empty, never trusted.
    pub hub_link: String,
    /// Manifest media type.
    pub mime_type: String,
    /// Manifest digest (`sha256:...`).
    pub digest: String,
    /// Image build time exactly as DIUN sent it, or `None` when DIUN sent
    /// null, an empty string or nothing.
    pub created: Option<String>,
    /// Platform as `os/architecture[/variant]`.
    pub platform: String,
    /// Provider and user metadata; empty when DIUN sent null or nothing.
    pub metadata: BTreeMap<String, String>,
}

impl DiunEvent {
    /// Parses and validates a raw webhook body (any content type).
    pub fn parse(body: &[u8]) -> Result<Self> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Error::Invalid(format!("body is not valid JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(Error::Invalid("body must be a JSON object".into()));
        };
        let event = DiunEvent {
            diun_version: string_field(&map, "diun_version")?,
            hostname: string_field(&map, "hostname")?,
            status: string_field(&map, "status")?,
            provider: string_field(&map, "provider")?,
            image: string_field(&map, "image")?,
            hub_link: string_field(&map, "hub_link")?,
            mime_type: string_field(&map, "mime_type")?,
            digest: string_field(&map, "digest")?,
            created: created_field(&map)?,
            platform: platform_field(&map)?,
            metadata: metadata_field(&map)?,
        };
        validate_image(&event.image)?;
        Ok(event)
    }

    /// True for the fixed fake entry that `diun notif test` sends.
    pub fn is_test_notification(&self) -> bool {
        self.provider == "file"
            && matches!(
                self.image.as_str(),
                "docker.io/diun/testnotif:latest" | "docker.io/crazymax/diun:latest"
            )
    }
}

/// Checks an image reference used as a key: not empty, at most
/// [`MAX_IMAGE_LEN`] bytes, no control characters, and not `.` or `..`
/// (no URL can address those as a path segment).
pub fn validate_image(image: &str) -> Result<()> {
    if image.trim().is_empty() {
        return Err(Error::Invalid("`image` is missing or empty".into()));
    }
    if matches!(image, "." | "..") {
        return Err(Error::Invalid("`image` cannot be `.` or `..`".into()));
    }
    if image.len() > MAX_IMAGE_LEN {
        return Err(Error::Invalid(format!(
            "`image` is longer than {MAX_IMAGE_LEN} bytes"
        )));
    }
    if image.chars().any(char::is_control) {
        return Err(Error::Invalid("`image` contains control characters".into()));
    }
    Ok(())
}

/// A string field; absent or null reads as empty (old DIUN omits empty fields).
fn string_field(map: &Map<String, Value>, key: &str) -> Result<String> {
    Ok(optional_string(map, key)?.unwrap_or_default())
}

/// A string field that may be absent or null. A NUL character is refused:
/// PostgreSQL's text cannot hold it, and no DIUN field carries one.
fn optional_string(map: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.contains('\0') => {
            Err(Error::Invalid(format!("`{key}` contains a NUL character")))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::Invalid(format!("`{key}` must be a string"))),
    }
}

/// `created` verbatim, or the v0.x `date` when `created` is absent. An
/// empty string means "unknown", like null (old DIUN omitted it).
fn created_field(map: &Map<String, Value>) -> Result<Option<String>> {
    let created = if map.contains_key("created") {
        optional_string(map, "created")?
    } else {
        optional_string(map, "date")?
    };
    Ok(created.filter(|c| !c.is_empty()))
}

/// `platform`, or v3's `os` + `architecture` joined as `os/architecture`.
fn platform_field(map: &Map<String, Value>) -> Result<String> {
    if let Some(platform) = optional_string(map, "platform")?.filter(|p| !p.is_empty()) {
        return Ok(platform);
    }
    let parts: Vec<String> = [
        optional_string(map, "os")?,
        optional_string(map, "architecture")?,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect();
    Ok(parts.join("/"))
}

/// `metadata` as a map of strings; absent or null reads as empty.
fn metadata_field(map: &Map<String, Value>) -> Result<BTreeMap<String, String>> {
    match map.get("metadata") {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(entries)) => entries
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(Error::Invalid(format!("`metadata.{k}` must be a string"))),
            })
            .collect(),
        Some(_) => Err(Error::Invalid(
            "`metadata` must be an object of strings".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(body: &str) -> String {
        match DiunEvent::parse(body.as_bytes()) {
            Err(Error::Invalid(msg)) => msg,
            other => panic!("expected Invalid for {body}, got {other:?}"),
        }
    }

    #[test]
    fn minimal_body_needs_only_an_image() {
        let e = DiunEvent::parse(br#"{"image":"alpine:3"}"#).unwrap();
        assert_eq!(e.image, "alpine:3");
        assert_eq!(e.created, None);
        assert!(e.metadata.is_empty());
    }

    #[test]
    fn legacy_date_becomes_created_and_os_arch_become_platform() {
        let e = DiunEvent::parse(
            br#"{"image":"a","date":"2019-01-01T00:00:00Z","os":"linux","architecture":"arm64"}"#,
        )
        .unwrap();
        assert_eq!(e.created.as_deref(), Some("2019-01-01T00:00:00Z"));
        assert_eq!(e.platform, "linux/arm64");
    }

    #[test]
    fn platform_wins_over_legacy_pair() {
        let e = DiunEvent::parse(
            br#"{"image":"a","platform":"linux/amd64","os":"x","architecture":"y"}"#,
        )
        .unwrap();
        assert_eq!(e.platform, "linux/amd64");
    }

    #[test]
    fn non_objects_are_rejected() {
        for body in ["[]", "\"x\"", "1", "null", "{", "", "\u{0}"] {
            invalid(body);
        }
        assert!(DiunEvent::parse(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn bad_images_are_rejected() {
        assert!(invalid(r#"{"status":"new"}"#).contains("image"));
        invalid(r#"{"image":""}"#);
        invalid(r#"{"image":"   "}"#);
        invalid(r#"{"image":"a\u0000b"}"#);
        invalid(r#"{"image":"a\nb"}"#);
        invalid(&format!(
            r#"{{"image":"{}"}}"#,
            "a".repeat(MAX_IMAGE_LEN + 1)
        ));
        DiunEvent::parse(format!(r#"{{"image":"{}"}}"#, "a".repeat(MAX_IMAGE_LEN)).as_bytes())
            .unwrap();
    }

    #[test]
    fn nul_characters_are_rejected_outside_metadata() {
        assert!(invalid(r#"{"image":"a","hostname":"h\u0000x"}"#).contains("hostname"));
        invalid(r#"{"image":"a","created":"\u0000"}"#);
        let e = DiunEvent::parse(br#"{"image":"a","metadata":{"k":"v\u0000"}}"#).unwrap();
        assert_eq!(e.metadata["k"], "v\0");
    }

    #[test]
    fn wrongly_typed_fields_are_rejected() {
        assert!(invalid(r#"{"image":"a","status":1}"#).contains("status"));
        invalid(r#"{"image":7}"#);
        invalid(r#"{"image":"a","created":12}"#);
        invalid(r#"{"image":"a","metadata":[]}"#);
        invalid(r#"{"image":"a","metadata":"x"}"#);
        assert!(invalid(r#"{"image":"a","metadata":{"k":{"n":1}}}"#).contains("metadata.k"));
        invalid(r#"{"image":"a","metadata":{"k":1}}"#);
    }

    #[test]
    fn unknown_keys_are_ignored_and_unicode_kept() {
        let e = DiunEvent::parse(
            r#"{"image":"a","extra":{"x":[1]},"metadata":{"note":"Grüße ✓ \"q\" & <b>"}}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(e.metadata["note"], "Grüße ✓ \"q\" & <b>");
    }

    #[test]
    fn test_notification_is_recognised() {
        let e =
            DiunEvent::parse(br#"{"image":"docker.io/diun/testnotif:latest","provider":"file"}"#)
                .unwrap();
        assert!(e.is_test_notification());
    }
}

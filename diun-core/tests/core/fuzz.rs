//! Property tests ("fuzzing") of what the webhook lets in from the outside:
//! [`DiunEvent::parse`] on raw bodies and [`validate_image`] on image
//! references, plus the replay of the committed corpus in `tests/corpus/`.
//!
//! Every property runs `PROPTEST_CASES` cases (256 by default, so that
//! `cargo test` stays quick; `make fuzz` runs 200,000). The seed is random
//! unless `PROPTEST_RNG_SEED` is set, and is printed with every result so
//! that a failure can be replayed; its minimal input belongs in the corpus
//! afterwards (`ok_*` must parse, `err_*` must be refused, both without a
//! panic). Properties run through [`check`] rather than `proptest!` so each
//! one reports its case count and time (`-- --nocapture` shows them).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use diun_core::{DiunEvent, Error, MAX_IMAGE_LEN, validate_image};
use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError, TestRunner};
use serde_json::{Map, Value};

/// The keys the parser reads, current and legacy, plus one it ignores.
const KEYS: [&str; 15] = [
    "diun_version",
    "hostname",
    "status",
    "provider",
    "image",
    "hub_link",
    "mime_type",
    "digest",
    "created",
    "platform",
    "metadata",
    "date",
    "os",
    "architecture",
    "extra",
];

/// The six wire-exact DIUN payloads, the seeds of the mutation strategy.
const FIXTURES: [&[u8]; 6] = [
    include_bytes!("../../../testdata/diun/docker-update.json"),
    include_bytes!("../../../testdata/diun/dockerfile-new-missing-optional.json"),
    include_bytes!("../../../testdata/diun/kubernetes-new.json"),
    include_bytes!("../../../testdata/diun/legacy-v2-architecture-os.json"),
    include_bytes!("../../../testdata/diun/swarm-update-tag-and-digest.json"),
    include_bytes!("../../../testdata/diun/test-notif.json"),
];

// ---- the runner ------------------------------------------------------------------

/// Runs `test` on `PROPTEST_CASES` values of `strategy` and reports the
/// count, how many the test called accepted (`Ok(true)`), the time and the
/// seed; panics with the minimal failing input.
fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut config = ProptestConfig::default(); // reads PROPTEST_CASES, PROPTEST_RNG_SEED
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    let seed = match config.rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    };
    config.rng_seed = RngSeed::Fixed(seed);
    // Bounded shrinking: a failure is reported within a minute.
    config.max_shrink_iters = 20_000;
    config.max_shrink_time = 60_000;
    config.failure_persistence = None;
    let cases = config.cases;
    let started = Instant::now();
    let accepted = AtomicU64::new(0);
    let result = TestRunner::new(config).run(&strategy, |value| {
        if test(value)? {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    let elapsed = started.elapsed().as_secs_f64();
    let accepted = accepted.into_inner();
    match result {
        Ok(()) => eprintln!(
            "fuzz: {name}: {cases} cases passed ({accepted} accepted) in {elapsed:.2}s \
             (PROPTEST_RNG_SEED={seed})"
        ),
        Err(e) => panic!("fuzz: {name}: FAILED (PROPTEST_RNG_SEED={seed}): {e}"),
    }
}

// ---- strategies ------------------------------------------------------------------

/// Strings that matter to the parser and to image validation: empty, blank,
/// image-like, control characters, any Unicode, and lengths around the limit.
fn interesting_string() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => prop::sample::select(vec![" ", "\t", "\u{3000}", "\u{a0}", "\u{feff}", "\n"])
            .prop_map(String::from),
        4 => "[a-z0-9][a-z0-9./:@_-]{0,40}",
        2 => any::<String>(),
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,3}",
        1 => (prop::sample::select(vec!["a", "é", "🐳"]), 250usize..1030)
            .prop_map(|(c, n)| c.repeat(n)),
    ]
    .boxed()
}

/// Any JSON scalar.
fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        interesting_string().prop_map(Value::String),
    ]
    .boxed()
}

/// An object key: mostly one the parser reads, sometimes anything.
fn key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(KEYS.to_vec()).prop_map(String::from),
        1 => any::<String>(),
    ]
    .boxed()
}

/// Any JSON tree (up to 6 levels, a few dozen nodes), keys from [`key`].
fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(key(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// An object shaped like a DIUN event: each key the parser reads is mostly
/// a plausible string, sometimes an odd string, null, absent or of another
/// type; metadata mostly a map of strings; a few unknown keys besides. About
/// a third of these are valid, so both sides of every rule get exercised.
fn event_like() -> BoxedStrategy<Value> {
    // None: the key is absent.
    let field = prop_oneof![
        20 => "[a-z0-9][a-z0-9./:@_-]{0,20}".prop_map(|s| Some(Value::String(s))),
        2 => interesting_string().prop_map(|s| Some(Value::String(s))),
        1 => Just(Some(Value::Null)),
        1 => Just(None),
        1 => json_value().prop_map(Some),
    ];
    let metadata = prop_oneof![
        8 => prop::collection::btree_map(any::<String>(), interesting_string(), 0..6)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect())),
        1 => Just(Value::Null),
        1 => json_value(),
    ];
    (
        prop::collection::btree_map(key(), json_value(), 0..3),
        prop::collection::vec(field, KEYS.len()),
        proptest::option::of(metadata),
    )
        .prop_map(|(extra, fields, metadata)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (key, value) in KEYS.iter().zip(fields) {
                match value {
                    Some(value) => map.insert((*key).to_owned(), value),
                    None => map.remove(*key),
                };
            }
            if let Some(metadata) = metadata {
                map.insert("metadata".into(), metadata);
            }
            Value::Object(map)
        })
        .boxed()
}

/// A fixture with a few random byte edits (overwrite, insert, delete,
/// truncate): the mutations a coverage-less fuzzer would try.
fn mutated_fixture() -> BoxedStrategy<Vec<u8>> {
    (
        prop::sample::select(FIXTURES.to_vec()),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    )
        .prop_map(|(fixture, edits)| {
            let mut bytes = fixture.to_vec();
            for (at, byte, op) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    2 => {
                        bytes.remove(i);
                    }
                    _ => bytes.truncate(i),
                }
            }
            bytes
        })
        .boxed()
}

/// An image reference the parser accepts: image-like or any Unicode
/// without control characters, 1 to [`MAX_IMAGE_LEN`] bytes, not blank.
fn valid_image() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-z0-9][a-z0-9./:@_-]{0,60}",
        "(registry\\.example:5000/)?[a-z]{1,8}(/[a-z0-9]{1,8}){0,2}(:[a-z0-9.-]{1,10})?(@sha256:[0-9a-f]{64})?",
        any::<String>(),
        "[%/?#&=+; ]{0,5}x[%/?#&=+; ]{0,5}",
    ]
    .prop_filter("valid image", |s| contract_accepts_image(s))
    .boxed()
}

/// Any event the parser can return: a valid image, arbitrary strings
/// without NUL, and arbitrary metadata.
fn diun_event() -> BoxedStrategy<DiunEvent> {
    let s = || any::<String>().prop_map(|s| s.replace('\0', ""));
    (
        (s(), s(), s(), s(), valid_image(), s(), s(), s()),
        (
            // An empty `created` reads back as unknown (None), like null.
            proptest::option::of(s().prop_filter("non-empty", |c| !c.is_empty())),
            s(),
            prop::collection::btree_map(any::<String>(), any::<String>(), 0..6),
        ),
    )
        .prop_map(
            |(
                (diun_version, hostname, status, provider, image, hub_link, mime_type, digest),
                (created, platform, metadata),
            )| DiunEvent {
                diun_version,
                hostname,
                status,
                provider,
                image,
                hub_link,
                mime_type,
                digest,
                created,
                platform,
                metadata,
            },
        )
        .boxed()
}

// ---- the contract as a reference model -----------------------------------------

/// Contract §2 on image references, restated: not blank, at most 1024
/// bytes, no control characters, not `.` or `..`.
fn contract_accepts_image(image: &str) -> bool {
    !image.trim().is_empty()
        && image.len() <= MAX_IMAGE_LEN
        && !image.chars().any(char::is_control)
        && !matches!(image, "." | "..")
}

/// What contract §2 says the parser must return for a JSON value: the
/// normalised event, or `None` for a 400.
fn contract_model(value: &Value) -> Option<DiunEvent> {
    let Value::Object(map) = value else {
        return None;
    };
    // Some(None): absent or null; None: of another type (a 400).
    // A NUL is refused in every top-level string (not in metadata values).
    let optional = |key: &str| match map.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) if !s.contains('\0') => Some(Some(s.clone())),
        Some(_) => None,
    };
    let string = |key: &str| optional(key).map(Option::unwrap_or_default);
    // `date` (v0.x) only counts when `created` is absent altogether.
    let created = if map.contains_key("created") {
        optional("created")?
    } else {
        optional("date")?
    }
    .filter(|c| !c.is_empty());
    // `os`/`architecture` (v3) only count when `platform` is absent or empty.
    let platform = match optional("platform")? {
        Some(p) if !p.is_empty() => p,
        _ => [optional("os")?, optional("architecture")?]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/"),
    };
    let metadata = match map.get("metadata") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(entries)) => entries
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let event = DiunEvent {
        diun_version: string("diun_version")?,
        hostname: string("hostname")?,
        status: string("status")?,
        provider: string("provider")?,
        image: string("image")?,
        hub_link: string("hub_link")?,
        mime_type: string("mime_type")?,
        digest: string("digest")?,
        created,
        platform,
        metadata,
    };
    contract_accepts_image(&event.image).then_some(event)
}

/// Parses `bytes`, turning a panic into a test failure; any error other
/// than [`Error::Invalid`] (the 400) fails too.
fn parse_typed(bytes: &[u8]) -> Result<Option<DiunEvent>, TestCaseError> {
    match catch_unwind(AssertUnwindSafe(|| DiunEvent::parse(bytes))) {
        Ok(Ok(event)) => Ok(Some(event)),
        Ok(Err(Error::Invalid(_))) => Ok(None),
        Ok(Err(other)) => Err(TestCaseError::fail(format!(
            "an error other than Invalid: {other:?}"
        ))),
        Err(_) => Err(TestCaseError::fail("DiunEvent::parse panicked")),
    }
}

/// `encodeURIComponent`, as the dashboard builds `/api/updates/{image}`:
/// everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as `%XX` of its UTF-8 bytes.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---- properties ----------------------------------------------------------------

#[test]
fn parse_never_panics_on_arbitrary_bytes() {
    check(
        "parse(arbitrary bytes)",
        prop::collection::vec(any::<u8>(), 0..2048),
        |bytes| {
            let parsed = parse_typed(&bytes)?;
            if let Some(event) = &parsed {
                prop_assert!(validate_image(&event.image).is_ok());
            }
            Ok(parsed.is_some())
        },
    );
}

#[test]
fn parse_never_panics_on_mutated_fixtures() {
    check("parse(mutated fixtures)", mutated_fixture(), |bytes| {
        let parsed = parse_typed(&bytes)?;
        // Whatever serde_json reads as a JSON value must get the model's answer.
        if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
            prop_assert_eq!(&parsed, &contract_model(&value));
        } else {
            prop_assert!(parsed.is_none(), "invalid JSON accepted");
        }
        Ok(parsed.is_some())
    });
}

#[test]
fn parse_agrees_with_the_contract_on_arbitrary_json() {
    check(
        "parse(arbitrary JSON) == contract model",
        prop_oneof![3 => event_like(), 1 => json_value()],
        |value| {
            let bytes = serde_json::to_vec(&value).unwrap();
            let parsed = parse_typed(&bytes)?;
            prop_assert_eq!(&parsed, &contract_model(&value), "{}", value);
            Ok(parsed.is_some())
        },
    );
}

#[test]
fn serialised_events_parse_back_equal() {
    check("parse(to_json(event)) == event", diun_event(), |event| {
        let bytes = serde_json::to_vec(&event).unwrap();
        prop_assert_eq!(parse_typed(&bytes)?, Some(event));
        Ok(true)
    });
}

#[test]
fn validate_image_accepts_exactly_the_contract_set() {
    check(
        "validate_image == contract",
        prop_oneof![interesting_string(), any::<String>(), valid_image()],
        |image| {
            let verdict = catch_unwind(|| validate_image(&image))
                .map_err(|_| TestCaseError::fail("validate_image panicked"))?;
            prop_assert_eq!(
                verdict.is_ok(),
                contract_accepts_image(&image),
                "{:?}",
                image
            );
            match verdict {
                Ok(()) => Ok(true),
                Err(e) => {
                    prop_assert!(matches!(e, Error::Invalid(_)), "{:?}", e);
                    Ok(false)
                }
            }
        },
    );
}

#[test]
fn image_references_round_trip_through_one_url_segment() {
    check(
        "decode(encodeURIComponent(image))",
        valid_image(),
        |image| {
            let encoded = encode_uri_component(&image);
            prop_assert!(encoded.is_ascii());
            prop_assert!(
                !encoded.contains(['/', '?', '#']),
                "{} is not one segment",
                encoded
            );
            let path = format!("/api/updates/{encoded}/events");
            prop_assert_eq!(path.split('/').nth(3), Some(encoded.as_str()));
            // The decoder poem applies to path parameters.
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
            prop_assert_eq!(decoded.as_deref().ok(), Some(image.as_str()));
            Ok(true)
        },
    );
}

// ---- fixed inputs: the corpus, nesting, size ---------------------------------

/// Every file of `tests/corpus/` parses without a panic: `ok_*` to the event
/// the contract model gives, `err_*` (and anything else) to `Error::Invalid`.
#[test]
fn corpus_replays_without_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let outcome = match parse_typed(&bytes) {
            Err(e) => Err(e.to_string()),
            Ok(parsed) => {
                let expected = serde_json::from_slice::<Value>(&bytes)
                    .ok()
                    .and_then(|v| contract_model(&v));
                match (name.starts_with("ok_"), parsed) {
                    (true, Some(event)) if Some(&event) == expected.as_ref() => {
                        accepted += 1;
                        Ok(())
                    }
                    (true, Some(event)) => Err(format!("parsed to {event:?}, model {expected:?}")),
                    (true, None) => Err("refused".into()),
                    (false, None) => {
                        refused += 1;
                        Ok(())
                    }
                    (false, Some(event)) => Err(format!("accepted as {event:?}")),
                }
            }
        };
        if let Err(why) = outcome {
            failures.push(format!("{name}: {why}"));
        }
    }
    eprintln!("fuzz: corpus: {accepted} accepted, {refused} refused, 0 panics");
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
    assert!(
        files.len() >= 50,
        "the corpus shrank to {} files",
        files.len()
    );
    assert!(
        accepted >= 6 + 15 && refused >= 40,
        "{accepted} / {refused}"
    );
}

/// `{"image":"a","x":[[...]]}` with `depth` containers in all.
fn nested(depth: usize) -> Vec<u8> {
    let inner = depth - 1;
    format!(
        r#"{{"image":"a","x":{}{}}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
    .into_bytes()
}

/// serde_json stops at 128 nested containers, so a deep body is a 400 and
/// never a stack overflow; checked on a thread with a small (256 KiB) stack,
/// where unbounded recursion would abort the whole test binary.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            assert!(DiunEvent::parse(&nested(2)).is_ok());
            assert!(DiunEvent::parse(&nested(127)).is_ok(), "127 levels are fine");
            for depth in [128, 129, 1_000, 100_000] {
                assert!(
                    matches!(DiunEvent::parse(&nested(depth)), Err(Error::Invalid(m)) if m.contains("recursion")),
                    "depth {depth}"
                );
            }
            for body in ["[".repeat(1_000_000), "{\"a\":".repeat(200_000)] {
                assert!(matches!(DiunEvent::parse(body.as_bytes()), Err(Error::Invalid(_))));
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow, no panic");
}

/// Bodies far larger than DIUN's (the server caps them at 1 MiB first).
#[test]
fn huge_bodies_parse_without_panics() {
    let big_value = "x".repeat(4 << 20);
    let body = serde_json::json!({"image": "big:1", "metadata": {"pod_status": big_value}});
    let event = DiunEvent::parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(event.metadata["pod_status"].len(), 4 << 20);

    let many: Map<String, Value> = (0..100_000)
        .map(|i| (format!("k{i}"), Value::String(i.to_string())))
        .collect();
    let body = serde_json::json!({"image": "many:1", "metadata": many});
    assert_eq!(
        DiunEvent::parse(body.to_string().as_bytes())
            .unwrap()
            .metadata
            .len(),
        100_000
    );

    let body = serde_json::json!({"image": "i".repeat(1 << 20)});
    assert!(matches!(
        DiunEvent::parse(body.to_string().as_bytes()),
        Err(Error::Invalid(_))
    ));
}

//! Reliability tests of the real `diun-server` binary (a second test
//! binary, apart from the contract tests in `tests/api`):
//!
//! - `crash`: SIGKILL mid-burst loses no acknowledged event;
//! - `soak`: a minute of mixed concurrent traffic, no 5xx, consistent end state;
//! - `shutdown`: SIGTERM under load completes every accepted request;
//! - `attacks`: the parser corpus and deep/huge bodies against the live server.
//!
//! The first three are `#[ignore]`d (minutes, not seconds): `make reliability`
//! runs them against the release build (`DIUN_SERVER_BIN`) with
//! `--include-ignored`; `cargo test --workspace` builds them and runs
//! `attacks` only.

mod attacks;
mod crash;
mod shutdown;
mod soak;
mod support;

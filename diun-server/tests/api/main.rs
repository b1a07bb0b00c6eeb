//! Integration tests of diun-server over real HTTP on loopback, compiled
//! into one binary.

mod client;
mod ops;
mod spec;
mod static_files;
mod support;
mod tags;
mod updates;
mod webhook;

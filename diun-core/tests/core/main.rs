//! Integration tests of diun-core, compiled into one binary (faster links).
//! Service tests run on every backend: SQLite file, in-memory SQLite and
//! PostgreSQL (see `support`).

mod adoption;
mod connect;
mod fixtures;
mod fuzz;
mod services;
mod support;

//! Integration tests of diun-server over real HTTP on loopback, compiled
//! into one binary.

mod spec;

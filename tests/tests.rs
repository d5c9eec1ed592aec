//! The integration tests: one binary, modules by area (see ripgrep's tests/tests.rs).

// a panic in a test is a failed test, with its message
#![allow(clippy::unwrap_used)]

mod api;
mod catalog;
mod cli;
mod cli_docs;
mod describe;
mod dev_set;
mod explain;
mod gloss;
mod interactive;
mod properties;
mod robustness;
mod triage;
mod trust;
mod util;

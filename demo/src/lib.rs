//! The demo of tiktok-review (`cargo run --example demo`): its sample data and a Scavio stand-in
//! built on what the binary already links. A crate of its own so that building the demo builds no
//! test-only crate (Cargo builds every dev-dependency of a package for its examples).

pub mod data;
pub mod standin;

//! tiktok-review: a weekly TikTok performance review that a creator owns.
//!
//! The pipeline, one folder or file per stage, data flowing one way:
//! 1. [`config`] resolves flags, environment, env file and clock into a [`Config`];
//! 2. [`scavio`] fetches the profile and the posts of the week, spending no credit more than needed;
//! 3. [`analysis`] computes metrics, rankings, deltas, insights and recommendations (pure);
//! 4. [`report`] assembles the report and renders it as JSON, Markdown and HTML (pure);
//! 5. [`store`] reads earlier reports and writes the new ones atomically under a lock;
//! 6. [`deliver`] sends the saved reports to Slack, Discord, Teams, a webhook or mail.
//!
//! [`run`] sequences the stages for each account; [`commands`] holds the other subcommands.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deliver;
pub mod error;
pub mod fmt;
pub mod handle;
pub mod logging;
pub mod model;
pub mod report;
pub mod retry;
pub mod run;
pub mod scavio;
pub mod schedule;
pub mod stop;
pub mod store;
pub mod text;
mod tls;

pub use config::Config;

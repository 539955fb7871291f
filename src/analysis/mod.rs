//! The review itself, computed from posts, a window and earlier reports: metrics, rankings,
//! week-over-week deltas, insights and recommendations.
//!
//! Pure: no clock, no I/O, no HTTP, no `async`. Every function here is total (it returns an
//! `Option` or a value, never an error), and its tests need no temp dir and no server.

pub(crate) mod benchmark;
pub mod breakout;
pub(crate) mod diff;
pub(crate) mod followup;
pub mod insights;
pub mod metrics;
mod names;
pub mod ranking;
pub(crate) mod recommend;
pub(crate) mod stats;

//! The one retry policy of every HTTP request the tool makes, to the Scavio API and to the delivery
//! channels: how many attempts, how long to wait before the next (exponential backoff with full
//! jitter, or the server's `Retry-After`), and the wait budget, all in saturating arithmetic so that
//! no count or wait can overflow, however large the server's `Retry-After`.
//!
//! What may be tried again is not decided here: each caller classifies its own failures (the API
//! client retries a 5xx, delivery never sends again a message that may have arrived) and asks
//! `Attempts::failed` only about a failure it would retry. No clock and no randomness: the
//! caller supplies the time spent, the random fraction and the current time.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The retry rules of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts per request, the first one included.
    pub(crate) max_attempts: u32,
    /// The first backoff ceiling; it doubles with every attempt.
    pub(crate) base: Duration,
    /// The largest backoff ceiling.
    pub(crate) cap: Duration,
    /// The most time one run spends waiting between attempts, over all its requests.
    pub(crate) budget: Duration,
}

impl Default for RetryPolicy {
    /// The vendor SDKs' rules: 5 attempts, 0.5 s doubling to at most 8 s, and about a minute in all.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(8),
            budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based): a uniform draw (`fraction` in
    /// `[0, 1)`) from zero to `min(cap, base × 2^(attempt − 1))` — "full jitter".
    pub(crate) fn backoff(&self, attempt: u32, fraction: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self.base.saturating_mul(1 << exponent).min(self.cap);
        // `mul_f64` panics past `Duration::MAX` (rounding can get there) or on NaN: saturate instead.
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fraction)
            .map_or(ceiling, |wait| wait.min(ceiling))
    }
}

/// A `Retry-After` header value as a wait: delay-seconds or an HTTP date (past dates wait 0).
pub(crate) fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds: longer than any budget, not "no wait asked".
        return Some(Duration::MAX);
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// The attempts of one request (or one message) under a [`RetryPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attempts {
    policy: RetryPolicy,
    made: u32,
}

/// Why a failed attempt is the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// The policy's attempts are all made (how many).
    Attempts(u32),
    /// The next wait would pass the budget (how long it would have been).
    Budget(Duration),
}

impl Attempts {
    /// No attempt made yet.
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Self { policy, made: 0 }
    }

    /// The policy the attempts follow.
    pub(crate) fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The attempts made so far (failed ones: a success ends the request).
    #[cfg(test)]
    pub(crate) fn made(&self) -> u32 {
        self.made
    }

    /// After a failed attempt that another may fix: how long to wait before the next one
    /// (`wait_asked`, the server's `Retry-After`, else the backoff drawn with `fraction`), or why
    /// there is none: the attempts are spent, or the wait would take the time already `spent`
    /// against the budget past it.
    pub(crate) fn failed(
        &mut self,
        wait_asked: Option<Duration>,
        spent: Duration,
        fraction: f64,
    ) -> Result<Duration, GiveUp> {
        self.made = self.made.saturating_add(1);
        let wait = wait_asked.unwrap_or_else(|| self.policy.backoff(self.made, fraction));
        if self.made >= self.policy.max_attempts {
            Err(GiveUp::Attempts(self.made))
        } else if spent.saturating_add(wait) > self.policy.budget {
            Err(GiveUp::Budget(wait))
        } else {
            Ok(wait)
        }
    }

    /// The line that says a retry is coming: `retrying {what} in 1.2s (attempt 2 of 5): {problem}`.
    pub(crate) fn line(&self, what: &str, wait: Duration, problem: &str) -> String {
        format!(
            "retrying {what} in {:.1}s (attempt {} of {}): {problem}",
            wait.as_secs_f64(),
            self.made.saturating_add(1),
            self.policy.max_attempts
        )
    }
}

impl GiveUp {
    /// Why, for an error line: `after 5 attempts`, or `a further wait of 12.0s would pass
    /// {budget}` (the budget as the caller names it: `the run's 60s retry budget`).
    pub(crate) fn reason(&self, budget: &str) -> String {
        match self {
            GiveUp::Attempts(made) => format!("after {made} attempts"),
            GiveUp::Budget(wait) => format!(
                "a further wait of {:.1}s would pass {budget}",
                wait.as_secs_f64()
            ),
        }
    }
}

/// A retry's line kept for later, with the time it happened: a cron log printed at the end still
/// shows when the API (or a channel) was down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Noted {
    /// When the retry was decided.
    at: DateTime<Utc>,
    /// What it says (`retrying … in 1.2s (attempt 2 of 5): …`).
    line: String,
}

impl Noted {
    /// Prints it as a warning, stamped with its own time (see [`crate::logging::line_prefix`]).
    pub(crate) fn warn(&self) {
        crate::error::warn_at(self.at, &self.line);
    }
}

/// Keeps a retry's `line`: a warning at once while the request log is on (`-v`), else in `lines`,
/// to be shown only if the request fails in the end.
pub(crate) fn note(lines: &mut Vec<Noted>, line: String) {
    if tracing::enabled!(tracing::Level::DEBUG) {
        tracing::warn!("{line}");
    } else {
        lines.push(Noted {
            at: Utc::now(),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitters_down_to_zero() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.backoff(1, 0.999_999),
            Duration::from_millis(500).mul_f64(0.999_999)
        );
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(500));
        assert_eq!(p.backoff(4, 0.5), Duration::from_secs(2));
        assert_eq!(p.backoff(5, 0.5), Duration::from_secs(4));
        assert_eq!(p.backoff(6, 0.5), Duration::from_secs(4), "capped at 8 s");
        assert_eq!(p.backoff(60, 1.0), Duration::from_secs(8));
        assert_eq!(p.backoff(3, 0.0), Duration::ZERO);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T20:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Sun, 29 Nov 2026 20:00:03 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after("Sun, 29 Nov 2026 19:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(
            retry_after("184467440737095516150", now),
            Some(Duration::MAX),
            "past u64: the longest wait, not none"
        );
    }

    #[test]
    fn backoff_saturates_for_huge_attempts_caps_and_odd_fractions() {
        let huge = RetryPolicy {
            base: Duration::MAX,
            cap: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(huge.backoff(u32::MAX, 1.0), Duration::MAX);
        assert_eq!(huge.backoff(u32::MAX, 0.0), Duration::ZERO);
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(u32::MAX, 2.0), Duration::from_secs(8));
        assert_eq!(p.backoff(0, f64::NAN), Duration::ZERO);
        assert_eq!(p.backoff(1, -1.0), Duration::ZERO);
    }

    #[test]
    fn attempts_wait_the_asked_time_or_the_backoff_until_attempts_or_budget_run_out() {
        let mut attempts = Attempts::new(RetryPolicy::default());
        let asked = Some(Duration::from_secs(3));
        assert_eq!(
            attempts.failed(asked, Duration::ZERO, 0.5),
            Ok(Duration::from_secs(3))
        );
        assert_eq!(
            attempts.line("the profile", Duration::from_secs(3), "HTTP 503"),
            "retrying the profile in 3.0s (attempt 2 of 5): HTTP 503"
        );
        assert_eq!(
            attempts.failed(None, Duration::ZERO, 0.5),
            Ok(Duration::from_millis(500))
        );
        let spent = Duration::from_secs(59);
        assert_eq!(
            attempts.failed(asked, spent, 0.5),
            Err(GiveUp::Budget(Duration::from_secs(3)))
        );
        assert_eq!(
            attempts.failed(None, Duration::ZERO, 0.0),
            Ok(Duration::ZERO)
        );
        assert_eq!(
            attempts.failed(None, Duration::ZERO, 0.0),
            Err(GiveUp::Attempts(5))
        );
        assert_eq!(attempts.made(), 5);
        assert_eq!(GiveUp::Attempts(5).reason("x"), "after 5 attempts");
        assert_eq!(
            GiveUp::Budget(Duration::from_millis(12_340)).reason("the run's 60s retry budget"),
            "a further wait of 12.3s would pass the run's 60s retry budget"
        );
    }

    #[test]
    fn a_retry_after_past_u64_or_a_huge_time_spent_saturates_into_the_budget() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T20:00:00Z")
            .unwrap()
            .to_utc();
        let forever = retry_after("99999999999999999999999", now);
        let mut attempts = Attempts::new(RetryPolicy::default());
        assert_eq!(
            attempts.failed(forever, Duration::from_secs(1), 0.5),
            Err(GiveUp::Budget(Duration::MAX))
        );
        let mut attempts = Attempts::new(RetryPolicy::default());
        let asked = Some(Duration::from_secs(u64::MAX));
        assert_eq!(
            attempts.failed(asked, Duration::MAX, 0.5),
            Err(GiveUp::Budget(Duration::from_secs(u64::MAX)))
        );
        assert!(
            GiveUp::Budget(Duration::MAX)
                .reason("b")
                .starts_with("a further wait of ")
        );
    }

    #[test]
    fn attempts_count_saturates_at_u32_max() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            budget: Duration::MAX,
            ..RetryPolicy::default()
        };
        let mut attempts = Attempts::new(policy);
        attempts.made = u32::MAX - 1;
        assert_eq!(
            attempts.failed(None, Duration::ZERO, 1.0),
            Err(GiveUp::Attempts(u32::MAX))
        );
        assert_eq!(
            attempts.failed(None, Duration::ZERO, 1.0),
            Err(GiveUp::Attempts(u32::MAX))
        );
        assert!(
            attempts
                .line("x", Duration::ZERO, "p")
                .contains("attempt 4294967295 of")
        );
    }
}

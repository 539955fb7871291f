//! When to try a request again: which failures are temporary, and how long to wait before the next
//! attempt (exponential backoff with full jitter, or the server's `Retry-After`).
//!
//! Pure: the caller supplies the random fraction and the current time.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The retry rules of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first one included.
    pub max_attempts: u32,
    /// The first backoff ceiling; it doubles with every attempt.
    pub base: Duration,
    /// The largest backoff ceiling.
    pub cap: Duration,
    /// The most time one run spends waiting between attempts, over all its requests.
    pub budget: Duration,
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
    pub fn backoff(&self, attempt: u32, fraction: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self.base.saturating_mul(1 << exponent).min(self.cap);
        ceiling.mul_f64(fraction.clamp(0.0, 1.0))
    }
}

/// Whether an HTTP status is worth another attempt (rate limit or upstream trouble).
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// A `Retry-After` header value as a wait: delay-seconds or an HTTP date (past dates wait 0).
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
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
    fn only_rate_limits_and_upstream_errors_are_retried() {
        for status in [429, 500, 502, 503, 504] {
            assert!(is_retryable(status));
        }
        for status in [200, 400, 401, 402, 403, 404, 410, 501] {
            assert!(!is_retryable(status));
        }
    }
}

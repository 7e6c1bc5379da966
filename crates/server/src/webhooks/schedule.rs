//! When a failed delivery is tried again, and the clock that decides it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// How long a delivery keeps being retried, and how long an endpoint may fail every
/// delivery before it is disabled.
pub const RETRY_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The wait after the n-th failed attempt (the last one repeats until the window ends).
const BACKOFF: [Duration; 6] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
];

/// The wait after `failed_attempts` failures (1 for the first), with ±10 % jitter so that
/// deliveries failing together do not come back together; never sooner than the
/// receiver's `Retry-After`.
pub fn next_delay(failed_attempts: u32, retry_after: Option<Duration>) -> Duration {
    let index = (failed_attempts.max(1) as usize - 1).min(BACKOFF.len() - 1);
    let base = BACKOFF[index].as_secs_f64();
    let jittered = Duration::from_secs_f64(base * rand::rng().random_range(0.9..=1.1));
    retry_after.map_or(jittered, |r| jittered.max(r.min(RETRY_WINDOW)))
}

/// `Retry-After` as seconds or an HTTP date, relative to `now`.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// The engine's clock. Real time, shifted by what tests add, so retries hours apart can be
/// tested without waiting for them.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_repeats_with_bounded_jitter() {
        for (n, base) in [(1, 5.0), (2, 300.0), (3, 1800.0), (4, 7200.0), (5, 18000.0), (6, 36000.0), (9, 36000.0)] {
            for _ in 0..50 {
                let d = next_delay(n, None).as_secs_f64();
                assert!(d >= base * 0.9 && d <= base * 1.1, "attempt {n}: {d}s");
            }
        }
    }

    #[test]
    fn retry_after_is_never_cut_short() {
        assert!(next_delay(1, Some(Duration::from_secs(120))) >= Duration::from_secs(120));
        assert!(next_delay(2, Some(Duration::from_secs(1))) >= Duration::from_secs(270));
        assert_eq!(next_delay(1, Some(Duration::from_secs(10 * 24 * 3600))), RETRY_WINDOW);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(60)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn a_clock_moves_with_its_clones() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = other.now();
        clock.advance(Duration::from_secs(3600));
        assert!(other.now() - before >= chrono::Duration::seconds(3600));
    }
}

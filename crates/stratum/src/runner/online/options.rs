//! Settings of an online run.

use std::time::Duration;

/// How an online run takes locks, retries and backfills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineOptions {
    /// PostgreSQL `lock_timeout` of every DDL step: the longest a waiting step
    /// makes writers queue behind it.
    pub lock_timeout: Duration,
    /// Attempts per step before giving up (each bounded by `lock_timeout`).
    pub attempts: u32,
    /// First backoff bound: attempt `n` waits a random time up to
    /// `min(backoff_cap, backoff_base * 2^n)` (full jitter).
    pub backoff_base: Duration,
    /// Largest backoff bound.
    pub backoff_cap: Duration,
    /// Rows per backfill batch (one short transaction each).
    pub batch_size: u64,
    /// Pause between backfill batches.
    pub batch_pause: Duration,
    /// Transactions older than this are reported before starting.
    pub old_transaction: Duration,
}

impl Default for OnlineOptions {
    fn default() -> Self {
        Self {
            lock_timeout: Duration::from_millis(200),
            attempts: 30,
            backoff_base: Duration::from_millis(50),
            backoff_cap: Duration::from_secs(5),
            batch_size: 1000,
            batch_pause: Duration::from_millis(10),
            old_transaction: Duration::from_secs(60),
        }
    }
}

impl OnlineOptions {
    /// The bound of the random pause after failed attempt `attempt` (1-based).
    pub fn backoff_bound(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_cap)
    }

    /// A full-jitter pause after failed attempt `attempt`: uniform in
    /// `0..=backoff_bound(attempt)`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let bound = self.backoff_bound(attempt).as_millis() as u64;
        Duration::from_millis(rand::random_range(0..=bound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_the_cap_and_stays_under_the_bound() {
        let o = OnlineOptions::default();
        assert_eq!(o.backoff_bound(1), Duration::from_millis(100));
        assert_eq!(o.backoff_bound(3), Duration::from_millis(400));
        assert_eq!(o.backoff_bound(30), Duration::from_secs(5));
        for attempt in 1..10 {
            assert!(o.backoff(attempt) <= o.backoff_bound(attempt));
        }
    }
}

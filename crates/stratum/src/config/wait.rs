//! Wait limits (`lock_timeout`, `statement_timeout`, `--lock-timeout`,
//! `--statement-timeout`): read from text and checked against the one range that
//! every kind of wait accepts, so that a limit is refused before connecting
//! rather than by the database halfway through a run.
//!
//! `0` is refused for every kind of wait. PostgreSQL reads a zero `lock_timeout`
//! as "no limit" while a zero wait for a lock reads naturally as "do not wait";
//! rather than pick one and surprise half the readers, the tool asks for what is
//! meant: `1ms` to give up at once, or no limit at all (leave the setting out).

use super::duration::{BadDuration, read_duration};
use std::fmt;
use std::time::Duration;

/// The shortest wait limit: one millisecond.
pub const SHORTEST_WAIT: Duration = Duration::from_millis(1);

/// The longest wait limit: 2147483647 ms (about 596 hours), the largest
/// `lock_timeout` or `statement_timeout` PostgreSQL accepts and the largest busy
/// timeout SQLite accepts.
pub const LONGEST_WAIT: Duration = Duration::from_millis(i32::MAX as u64);

/// The allowed range, in words, for messages.
pub const WAIT_RANGE: &str = "1ms to 596h (2147483647ms)";

/// Why a wait limit cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The text is not a duration at all.
    #[error("`{0}` is not a duration; write it like 500ms, 30s, 5m or 1h")]
    NotADuration(String),
    /// Zero (or less than a millisecond once rounded).
    #[error(
        "`{0}` is zero, which this tool does not read as either \"no wait\" or \"no limit\"; give 1ms to give up at once, or leave the setting out to wait without limit"
    )]
    Zero(String),
    /// Longer than the longest wait.
    #[error("`{0}` is out of range; a wait limit is {WAIT_RANGE}")]
    TooLong(String),
}

/// Checks a wait limit against [`SHORTEST_WAIT`]..=[`LONGEST_WAIT`]; `shown`
/// is the limit as the user wrote it, for the error. A limit with a fraction of
/// a millisecond is rounded down to whole milliseconds (the unit the databases
/// take).
pub fn check_wait(wait: Duration, shown: &str) -> Result<Duration, WaitError> {
    let whole = Duration::from_millis(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
    if whole < SHORTEST_WAIT {
        Err(WaitError::Zero(shown.to_string()))
    } else if whole > LONGEST_WAIT {
        Err(WaitError::TooLong(shown.to_string()))
    } else {
        Ok(whole)
    }
}

/// Reads a wait limit: `500ms`, `30s`, `5m`, `1h` or a bare number of seconds,
/// within [`SHORTEST_WAIT`]..=[`LONGEST_WAIT`].
pub fn parse_wait(text: &str) -> Result<Duration, WaitError> {
    let wait = read_duration(text).map_err(|e| match e {
        BadDuration::NotADuration => WaitError::NotADuration(text.to_string()),
        // Beyond what a Duration holds is beyond the range as well.
        BadDuration::TooLong => WaitError::TooLong(text.to_string()),
    })?;
    check_wait(wait, text)
}

/// A wait limit in PostgreSQL's unit (milliseconds), for `SET lock_timeout` and
/// `SET statement_timeout`. Clamped to the range, so that a limit built in code
/// without [`check_wait`] still never means "no limit" to the server.
pub fn wait_millis(wait: Duration) -> u64 {
    wait.clamp(SHORTEST_WAIT, LONGEST_WAIT).as_millis() as u64
}

/// `url` with its sessions put under the given lock and statement timeouts from
/// their start (`options[lock_timeout]=...` in a PostgreSQL URL), for
/// connections the runner does not set up itself, such as `verify`'s scratch
/// database and the connection that creates it. Other URLs, and no timeouts,
/// leave it as it is.
pub fn with_session_waits(
    url: &super::DatabaseUrl,
    lock: Option<Duration>,
    statement: Option<Duration>,
) -> super::DatabaseUrl {
    let settings: Vec<(&str, Duration)> =
        [("lock_timeout", lock), ("statement_timeout", statement)]
            .into_iter()
            .filter_map(|(name, wait)| wait.map(|w| (name, w)))
            .collect();
    let backend = crate::backend::registry::for_dialect(url.dialect());
    if !backend.capabilities().session_timeouts || settings.is_empty() {
        return url.clone();
    }
    let Ok(mut parsed) = url::Url::parse(url.expose()) else {
        return url.clone();
    };
    for (name, wait) in settings {
        parsed.query_pairs_mut().append_pair(
            &format!("options[{name}]"),
            &format!("{}ms", wait_millis(wait)),
        );
    }
    super::DatabaseUrl::parse(parsed.as_str()).unwrap_or_else(|_| url.clone())
}

/// A wait as a person reads it: `2s`, `1.5s`, `250ms`, `2m 5s`.
pub struct ShowWait(pub Duration);

impl fmt::Display for ShowWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms < 1000 {
            write!(f, "{ms}ms")
        } else if ms < 60_000 {
            let tenths = (ms + 50) / 100;
            if tenths.is_multiple_of(10) {
                write!(f, "{}s", tenths / 10)
            } else {
                write!(f, "{}.{}s", tenths / 10, tenths % 10)
            }
        } else {
            let s = (ms + 500) / 1000;
            write!(f, "{}m {}s", s / 60, s % 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds() {
        assert_eq!(parse_wait("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_wait("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_wait("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_wait("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_wait("1ms"), Ok(SHORTEST_WAIT));
        assert_eq!(parse_wait("2147483647ms"), Ok(LONGEST_WAIT));
    }

    #[test]
    fn zero_negative_and_out_of_range_are_refused() {
        for zero in ["0", "0s", "0ms", "0.4ms", "0.0h"] {
            assert_eq!(
                parse_wait(zero),
                Err(WaitError::Zero(zero.into())),
                "{zero}"
            );
        }
        for long in [
            "99999999h",
            "2147483648ms",
            "597h",
            "99999999999999999999999999999999h",
        ] {
            assert_eq!(
                parse_wait(long),
                Err(WaitError::TooLong(long.into())),
                "{long}"
            );
        }
        for bad in ["-1s", "soon", "5 parsecs", "", "1e9s", "inf", "NaN", "."] {
            assert_eq!(
                parse_wait(bad),
                Err(WaitError::NotADuration(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn messages_name_the_range_and_the_two_meanings_of_zero() {
        let long = parse_wait("99999999h").unwrap_err().to_string();
        assert!(
            long.contains("99999999h") && long.contains(WAIT_RANGE),
            "{long}"
        );
        let zero = parse_wait("0").unwrap_err().to_string();
        assert!(
            zero.contains("1ms") && zero.contains("leave the setting out"),
            "{zero}"
        );
    }

    #[test]
    fn millis_never_zero_and_never_past_postgres_limit() {
        assert_eq!(wait_millis(Duration::ZERO), 1);
        assert_eq!(wait_millis(Duration::from_secs(2)), 2000);
        assert_eq!(wait_millis(Duration::MAX), i32::MAX as u64);
    }

    #[test]
    fn session_waits_go_into_postgres_urls_only() {
        let pg = crate::config::DatabaseUrl::parse("postgresql://u:p%40ss@h/db?sslmode=require")
            .unwrap();
        let bounded = with_session_waits(
            &pg,
            Some(Duration::from_secs(2)),
            Some(Duration::from_millis(1500)),
        );
        let pairs: Vec<(String, String)> = url::Url::parse(bounded.expose())
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("sslmode".to_string(), "require".to_string()),
                ("options[lock_timeout]".to_string(), "2000ms".to_string()),
                (
                    "options[statement_timeout]".to_string(),
                    "1500ms".to_string()
                ),
            ]
        );
        assert!(bounded.expose().starts_with("postgresql://u:p%40ss@h/db?"));
        assert_eq!(with_session_waits(&pg, None, None).expose(), pg.expose());
        let lite = crate::config::DatabaseUrl::parse("sqlite:x.db").unwrap();
        let same = with_session_waits(&lite, Some(Duration::from_secs(2)), None);
        assert_eq!(same.expose(), lite.expose());
    }

    #[test]
    fn waits_read_as_people_write_them() {
        let s = |ms| ShowWait(Duration::from_millis(ms)).to_string();
        assert_eq!(s(250), "250ms");
        assert_eq!(s(2004), "2s");
        assert_eq!(s(1500), "1.5s");
        assert_eq!(s(125_000), "2m 5s");
    }
}

//! Durations written as text: `500ms`, `30s`, `5m`, `1h`, or a bare number of
//! seconds.

use std::time::Duration;

/// Why text cannot be read as a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadDuration {
    /// The text is not a duration at all (or is negative).
    NotADuration,
    /// A duration, but longer than a [`Duration`] holds.
    TooLong,
}

/// Reads `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds, telling apart
/// text that is not a duration from one too long to hold.
pub(crate) fn read_duration(text: &str) -> Result<Duration, BadDuration> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| BadDuration::NotADuration)?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" | "minute" | "minutes" => value * 60.0,
        "h" | "hour" | "hours" => value * 3600.0,
        _ => return Err(BadDuration::NotADuration),
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(BadDuration::NotADuration);
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| BadDuration::TooLong)
}

/// Parses `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    read_duration(text).ok()
}

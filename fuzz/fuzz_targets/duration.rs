//! Durations: `--lock-timeout`, `--statement-timeout` and the configuration's
//! `lock_timeout`/`statement_timeout` (`500ms`, `30s`, `5m`, `1h`, a bare number
//! of seconds).
//!
//! Properties: nothing panics, whatever the size of the number; a duration that
//! parses is the same written with surrounding blanks; a whole number of
//! seconds up to a day parses to exactly that many seconds, and the same
//! number of minutes, when in range, to sixty times as much.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use stratum_cli::config::{DurationSetting, parse_duration};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_duration(text);
    assert_eq!(parse_duration(&format!(" {text}\t")), parsed, "{text:?}");

    match DurationSetting::Text(text.to_owned()).to_duration("lock_timeout") {
        Ok(d) => assert_eq!(Some(d), parsed),
        Err(e) => {
            assert!(parsed.is_none());
            let shown = e.to_string();
            assert!(shown.contains("lock_timeout"), "{shown}");
        }
    }

    let digits = text.trim();
    if !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: u64 = digits.parse().expect("digits");
        let seconds = parse_duration(&format!("{n}s"));
        assert_eq!(parse_duration(digits), seconds);
        // Up to a day is always in range.
        if n <= 86_400 {
            assert_eq!(seconds, Some(Duration::from_secs(n)));
        }
        if let Some(minutes) = parse_duration(&format!("{n}m")) {
            assert_eq!(minutes, Duration::from_secs(n * 60));
        }
    }
    if data.len() >= 8 {
        let seconds = u64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
        let _ = DurationSetting::Seconds(seconds).to_duration("statement_timeout");
    }
});

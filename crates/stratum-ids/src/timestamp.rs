//! The `YYYY_MM_DD_HHMM` timestamp that starts a revision file name.

/// A checked file-name timestamp: a date that exists and a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileTimestamp {
    /// Year (four digits).
    pub year: u32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, valid for that month and year.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
}

/// Why a string is not a `YYYY_MM_DD_HHMM` timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimestampProblem {
    /// Not four `_`-separated groups of 4, 2, 2 and 4 digits.
    NotTemplate,
    /// The month is not 01 to 12.
    Month,
    /// The day does not exist in that month.
    Day,
    /// The `HHMM` part is not a time of day.
    Time,
}

/// Parses and checks a `YYYY_MM_DD_HHMM` timestamp.
pub fn parse_file_timestamp(ts: &str) -> Result<FileTimestamp, TimestampProblem> {
    let parts: Vec<&str> = ts.split('_').collect();
    let [y, mo, d, hm] = parts.as_slice() else {
        return Err(TimestampProblem::NotTemplate);
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(mo, 2) && digits(d, 2) && digits(hm, 4)) {
        return Err(TimestampProblem::NotTemplate);
    }
    let num = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
    let (year, month, day) = (num(y), num(mo), num(d));
    let (hour, minute) = (num(&hm[..2]), num(&hm[2..]));
    if !(1..=12).contains(&month) {
        return Err(TimestampProblem::Month);
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&day) {
        return Err(TimestampProblem::Day);
    }
    if hour > 23 || minute > 59 {
        return Err(TimestampProblem::Time);
    }
    Ok(FileTimestamp {
        year,
        month,
        day,
        hour,
        minute,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = parse_file_timestamp("2024_02_29_2359").unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2024, 2, 29, 23, 59)
        );
        for (bad, problem) in [
            ("2024_02_29", TimestampProblem::NotTemplate),
            ("2024_2_29_2359", TimestampProblem::NotTemplate),
            ("2024_13_01_0000", TimestampProblem::Month),
            ("2023_02_29_0000", TimestampProblem::Day),
            ("2100_02_29_0000", TimestampProblem::Day),
            ("2024_04_31_0000", TimestampProblem::Day),
            ("2024_01_01_2400", TimestampProblem::Time),
            ("2024_01_01_0060", TimestampProblem::Time),
        ] {
            assert_eq!(parse_file_timestamp(bad), Err(problem), "{bad}");
        }
    }
}

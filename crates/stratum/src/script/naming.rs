//! File names of revisions: a template in Python `%`-format style, slugs, and
//! parsing of names made with the default template.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use stratum_core::revision::validate_id;
use stratum_ids::{TimestampProblem, parse_file_timestamp};

/// The default file name template (without the `.rs` extension):
/// `2025_01_11_1431-002_add_acquisition_time_index.rs`.
pub const DEFAULT_FILE_TEMPLATE: &str =
    "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s";

/// Extension of revision files.
pub const EXTENSION: &str = "rs";

/// Longest slug, in characters.
pub const SLUG_MAX: usize = 40;

/// Longest width or precision in a template: a file name is at most this many
/// bytes on common file systems.
pub const NAME_MAX: usize = 255;

/// Slug used when a message has no letters or digits.
pub const EMPTY_SLUG: &str = "untitled";

/// A file name template that cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("file name template {template:?} is invalid: {reason}")]
pub struct TemplateError {
    /// The template.
    pub template: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A file name that does not follow the default template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "revision file {name:?} is misnamed: {reason}; expected YYYY_MM_DD_HHMM-<revision>_<slug>.rs, e.g. 2025_01_11_1431-002_add_acquisition_time_index.rs"
)]
pub struct FileNameError {
    /// The file name.
    pub name: String,
    /// What is wrong with it.
    pub reason: String,
}

/// What a default-template file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFileName {
    /// Creation time, to the minute.
    pub created: NaiveDateTime,
    /// Revision id.
    pub rev: String,
    /// Slug (possibly empty).
    pub slug: String,
}

/// The slug of a message: lowercase ASCII letters and digits, every other run of
/// characters one `_`, at most [`SLUG_MAX`] characters (cut at a word boundary
/// when there is one), [`EMPTY_SLUG`] when nothing is left.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.len() > SLUG_MAX {
        let cut = &out[..SLUG_MAX];
        // Cut mid-word: drop the partial word when a boundary exists.
        let next_is_boundary = out.as_bytes()[SLUG_MAX] == b'_';
        out = match cut.rfind('_') {
            Some(pos) if !next_is_boundary && pos > 0 => cut[..pos].to_owned(),
            _ => cut.trim_end_matches('_').to_owned(),
        };
    }
    if out.is_empty() {
        EMPTY_SLUG.to_owned()
    } else {
        out
    }
}

enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

/// Renders a file name (template plus `.rs`). Keys: `rev`, `slug`, `year`,
/// `month`, `day`, `hour`, `minute`, `second`, `epoch`; conversions `d` and `s`
/// with optional `0` flag, width and `.precision` as in Python; `%%` is `%`.
pub fn file_name(
    template: &str,
    created: NaiveDateTime,
    rev: &str,
    message: &str,
) -> Result<String, TemplateError> {
    let fail = |reason: String| TemplateError {
        template: template.to_owned(),
        reason,
    };
    let slug = slug(message);
    let mut out = String::new();
    let mut rest = template;
    let mut used_rev = false;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + 1..];
        if let Some(after) = rest.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let Some(after) = rest.strip_prefix('(') else {
            return Err(fail("every `%` must be `%%` or start `%(key)`".into()));
        };
        let Some(close) = after.find(')') else {
            return Err(fail("a `%(` has no closing `)`".into()));
        };
        let key = &after[..close];
        rest = &after[close + 1..];
        // Spec: [0][width][.precision](d|s)
        let spec_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| fail(format!("`%({key})` has no conversion (`d` or `s`)")))?;
        let spec = &rest[..spec_len];
        let conversion = rest[spec_len..].chars().next().unwrap_or('?');
        rest = &rest[spec_len + conversion.len_utf8()..];
        let zero = spec.starts_with('0');
        let (width, precision) = match spec.split_once('.') {
            Some((w, p)) => (w, Some(p)),
            None => (spec, None),
        };
        let width: usize = if width.is_empty() {
            0
        } else {
            width
                .parse()
                .ok()
                .filter(|w| *w <= NAME_MAX)
                .ok_or_else(|| {
                    fail(format!(
                        "bad width in `%({key}){spec}` (a number up to {NAME_MAX})"
                    ))
                })?
        };
        let precision: Option<usize> = match precision {
            Some(p) => Some(p.parse().ok().filter(|p| *p <= NAME_MAX).ok_or_else(|| {
                fail(format!(
                    "bad precision in `%({key}){spec}` (a number up to {NAME_MAX})"
                ))
            })?),
            None => None,
        };
        let value = match key {
            "rev" => {
                used_rev = true;
                Value::Text(rev)
            }
            "slug" => Value::Text(&slug),
            "year" => Value::Int(created.year().into()),
            "month" => Value::Int(created.month().into()),
            "day" => Value::Int(created.day().into()),
            "hour" => Value::Int(created.hour().into()),
            "minute" => Value::Int(created.minute().into()),
            "second" => Value::Int(created.second().into()),
            "epoch" => Value::Int(created.and_utc().timestamp()),
            other => {
                return Err(fail(format!(
                    "unknown key {other:?}; use rev, slug, year, month, day, hour, minute, second or epoch"
                )));
            }
        };
        let text = match (conversion, value) {
            ('d', Value::Int(n)) => {
                let digits = n.unsigned_abs().to_string();
                let min = precision.unwrap_or(0);
                let mut s = String::new();
                if n < 0 {
                    s.push('-');
                }
                s.push_str(&"0".repeat(min.saturating_sub(digits.len())));
                s.push_str(&digits);
                if zero && precision.is_none() && s.len() < width {
                    let pad = "0".repeat(width - s.len());
                    s = match s.strip_prefix('-') {
                        Some(abs) => format!("-{pad}{abs}"),
                        None => format!("{pad}{s}"),
                    };
                }
                s
            }
            ('d', Value::Text(_)) => {
                return Err(fail(format!("`%({key})` is text; use `s`")));
            }
            ('s', Value::Int(n)) => n.to_string(),
            ('s', Value::Text(t)) => match precision {
                Some(p) => t.chars().take(p).collect(),
                None => t.to_owned(),
            },
            (other, _) => {
                return Err(fail(format!(
                    "conversion {other:?} after `%({key})` is not supported; use `d` or `s`"
                )));
            }
        };
        if text.len() < width {
            out.push_str(&" ".repeat(width - text.len()));
        }
        out.push_str(&text);
    }
    out.push_str(rest);
    if !used_rev {
        return Err(fail(
            "it has no `%(rev)s`, so file names would not be unique".into(),
        ));
    }
    if out.contains(['/', '\\']) || out.chars().any(char::is_control) {
        return Err(fail(format!(
            "it renders {out:?}, which is not a plain file name"
        )));
    }
    Ok(format!("{out}.{EXTENSION}"))
}

/// Parses a file name made with [`DEFAULT_FILE_TEMPLATE`]:
/// `YYYY_MM_DD_HHMM-<rev>_<slug>.rs` (the slug may be absent: `...-<rev>.rs`).
pub fn parse_file_name(name: &str) -> Result<ParsedFileName, FileNameError> {
    let fail = |reason: &str| FileNameError {
        name: name.to_owned(),
        reason: reason.to_owned(),
    };
    let stem = name
        .strip_suffix(".rs")
        .ok_or_else(|| fail("it does not end in .rs"))?;
    let (stamp, rest) = stem
        .split_once('-')
        .ok_or_else(|| fail("it has no '-' between the date and the revision id"))?;
    let ts = parse_file_timestamp(stamp).map_err(|problem| match problem {
        TimestampProblem::Month | TimestampProblem::Day => fail("the date does not exist"),
        TimestampProblem::Time => fail("the time does not exist"),
        _ => fail("the date part is not YYYY_MM_DD_HHMM"),
    })?;
    let date = NaiveDate::from_ymd_opt(ts.year as i32, ts.month, ts.day)
        .ok_or_else(|| fail("the date does not exist"))?;
    let time = NaiveTime::from_hms_opt(ts.hour, ts.minute, 0)
        .ok_or_else(|| fail("the time does not exist"))?;
    let (rev, slug) = rest.split_once('_').unwrap_or((rest, ""));
    if let Err(e) = validate_id(rev) {
        return Err(fail(&format!("the revision id part is not usable: {e}")));
    }
    if let Some(c) = slug
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(fail(&format!(
            "the slug contains {c:?}; use letters, digits and '_'"
        )));
    }
    Ok(ParsedFileName {
        created: NaiveDateTime::new(date, time),
        rev: rev.to_owned(),
        slug: slug.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Add composite index for acquisition datetime queries"),
            "add_composite_index_for_acquisition"
        );
        assert_eq!(slug("Add user preferences"), "add_user_preferences");
        assert_eq!(slug("  --Weird:: spacing!! "), "weird_spacing");
        assert_eq!(slug("Ünïcode façade"), "n_code_fa_ade");
        assert_eq!(slug(""), EMPTY_SLUG);
        assert_eq!(slug("!!!"), EMPTY_SLUG);
        // Exactly at a boundary: nothing dropped.
        let exact = "abcd efgh ijkl mnop qrst uvwx yzab cdef ghij";
        assert_eq!(slug(exact), "abcd_efgh_ijkl_mnop_qrst_uvwx_yzab_cdef");
        // One long word: a hard cut.
        assert_eq!(slug(&"x".repeat(60)), "x".repeat(40));
        for message in [
            "a b c d e f g h i j k l m n o p q r s t u v w x y z",
            "Seed initial user data",
        ] {
            let s = slug(message);
            assert!(s.len() <= SLUG_MAX, "{s}");
            assert!(!s.starts_with('_') && !s.ends_with('_'), "{s}");
        }
    }

    #[test]
    fn default_template() {
        let name = file_name(
            DEFAULT_FILE_TEMPLATE,
            at(2025, 1, 11, 14, 31, 7),
            "002",
            "Add acquisition time index",
        )
        .unwrap();
        assert_eq!(name, "2025_01_11_1431-002_add_acquisition_time_index.rs");
        let parsed = parse_file_name(&name).unwrap();
        assert_eq!(parsed.created, at(2025, 1, 11, 14, 31, 0));
        assert_eq!(parsed.rev, "002");
        assert_eq!(parsed.slug, "add_acquisition_time_index");
    }

    #[test]
    fn other_templates() {
        let t = at(2024, 3, 5, 7, 9, 2);
        assert_eq!(
            file_name("%(rev)s_%(slug)s", t, "abc", "Hello world").unwrap(),
            "abc_hello_world.rs"
        );
        assert_eq!(
            file_name(
                "%(year)d%(month)02d%(day)02d_%(second)d-%(rev)s%%",
                t,
                "abc",
                "x"
            )
            .unwrap(),
            "20240305_2-abc%.rs"
        );
        assert_eq!(
            file_name("%(epoch)s_%(rev)s", at(1970, 1, 1, 0, 1, 0), "abc", "x").unwrap(),
            "60_abc.rs"
        );
        assert_eq!(
            file_name("%(rev).3s_%(rev)s", t, "abcdef", "x").unwrap(),
            "abc_abcdef.rs"
        );
        for bad in [
            "%(slug)s",
            "%(rev)s_%(nope)s",
            "%(rev)",
            "%(rev)s_%(slug)d",
            "%(rev)x",
            "%rev",
            "%(rev",
            "%(rev)s/%(slug)s",
            // Each allocated gigabytes (seen with the revision_file fuzz target).
            "%(rev)9999999999s",
            "%(rev)s%(year).9999999999d",
            "%(rev)256s",
        ] {
            assert!(file_name(bad, t, "abc", "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_and_rejects_names() {
        let p = parse_file_name("2025_01_11_1431-6e6302f1ccb6.rs").unwrap();
        assert_eq!((p.rev.as_str(), p.slug.as_str()), ("6e6302f1ccb6", ""));
        for (bad, needle) in [
            ("add_index.rs", "no '-'"),
            ("2025_01_11_1431-002_add.txt", ".rs"),
            ("2025_1_11_1431-002_add.rs", "YYYY_MM_DD_HHMM"),
            ("2025_01_11-002_add.rs", "YYYY_MM_DD_HHMM"),
            ("2025_13_11_1431-002_add.rs", "date does not exist"),
            ("2025_02_30_1431-002_add.rs", "date does not exist"),
            ("2025_01_11_2460-002_add.rs", "time does not exist"),
            ("2025_01_11_1431-_add.rs", "revision id"),
            ("2025_01_11_1431-002_add-index.rs", "slug contains '-'"),
            ("2025_01_11_1431-head_x.rs", "revision id"),
        ] {
            let err = parse_file_name(bad).unwrap_err();
            assert!(err.reason.contains(needle), "{bad}: {err}");
            let msg = err.to_string();
            assert!(
                msg.contains(bad) && msg.contains("YYYY_MM_DD_HHMM-"),
                "{msg}"
            );
        }
    }
}

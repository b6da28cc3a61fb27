//! Revision file names (`YYYY_MM_DD_HHMM-<rev>_<slug>.rs`) and the revision id
//! declared in a file's header.

use crate::MAX_REVISION_ID_LEN;
use stratum_ids::{IdProblem, TimestampProblem, check_revision_id, parse_file_timestamp};

/// The parts of a revision file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    /// `YYYY_MM_DD_HHMM`.
    pub timestamp: String,
    /// The revision id.
    pub revision: String,
    /// The slug (without `.rs`).
    pub slug: String,
}

/// Parses a file name against [`NAME_TEMPLATE`]; the error says what is wrong.
pub fn parse_file_name(name: &str) -> Result<FileName, String> {
    let stem = name
        .strip_suffix(".rs")
        .ok_or_else(|| "it does not end in `.rs`".to_string())?;
    let (timestamp, rest) = stem
        .split_once('-')
        .ok_or_else(|| "no `-` between the timestamp and the revision id".to_string())?;
    check_timestamp(timestamp)?;
    let (revision, slug) = rest
        .split_once('_')
        .ok_or_else(|| "no `_` between the revision id and the slug".to_string())?;
    match check_revision_id(revision) {
        Ok(()) => {}
        Err(IdProblem::Empty) => return Err("the revision id is empty".into()),
        Err(IdProblem::TooLong { .. }) => {
            return Err(format!(
                "revision id `{revision}` is longer than {MAX_REVISION_ID_LEN} characters"
            ));
        }
        Err(IdProblem::Reserved) => {
            return Err(format!(
                "revision id `{revision}` is a reserved target word; choose another id"
            ));
        }
        Err(_) => {
            return Err(format!(
                "revision id `{revision}` may hold only letters and digits"
            ));
        }
    }
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "slug `{slug}` may hold only lowercase letters, digits and `_`"
        ));
    }
    Ok(FileName {
        timestamp: timestamp.to_string(),
        revision: revision.to_string(),
        slug: slug.to_string(),
    })
}

fn check_timestamp(ts: &str) -> Result<(), String> {
    let parts: Vec<&str> = ts.split('_').collect();
    let field = |i: usize| parts.get(i).copied().unwrap_or_default();
    match parse_file_timestamp(ts) {
        Ok(_) => Ok(()),
        Err(TimestampProblem::Month) => Err(format!(
            "month `{}` in timestamp `{ts}` is not 01-12",
            field(1)
        )),
        Err(TimestampProblem::Day) => Err(format!(
            "day `{}` in timestamp `{ts}` does not exist in that month",
            field(2)
        )),
        Err(TimestampProblem::Time) => Err(format!(
            "time `{}` in timestamp `{ts}` is not a valid HHMM",
            field(3)
        )),
        Err(_) => Err(format!("timestamp `{ts}` is not YYYY_MM_DD_HHMM")),
    }
}

/// The first revision id declared as `Revision::new("...")` in a file's source,
/// outside `//` comment lines (a doc line may mention another revision).
pub fn header_revision(source: &str) -> Option<&str> {
    const NEEDLE: &str = "Revision::new(";
    // Comment lines blanked out byte for byte, so offsets stay those of `source`.
    let code: String = source
        .split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with("//") {
                " ".repeat(line.len())
            } else {
                line.to_string()
            }
        })
        .collect();
    let mut from = 0;
    while let Some(found) = code[from..].find(NEEDLE) {
        let after = from + found + NEEDLE.len();
        let rest = code[after..].trim_start();
        if let Some(lit) = rest.strip_prefix('"')
            && let Some(end) = lit.find('"')
        {
            let start = code.len() - lit.len();
            return Some(&source[start..start + end]);
        }
        from = after;
    }
    None
}

//! Checks run before any DDL: the database must be at revisions the code knows,
//! and every applied revision's source must be unchanged since it was applied.

use super::errors::RunError;
use super::history::HistoryEntry;
use super::plan::KnownRevision;
use std::collections::BTreeMap;

/// Refuses heads the code does not know, and applied revisions whose recorded
/// checksum differs from the code's. A revision counts as applied when its latest
/// history row is an upgrade or a stamp; a downgrade row means it is not applied.
pub fn verify(
    heads: &[String],
    known: &[KnownRevision],
    history: &BTreeMap<String, HistoryEntry>,
    verify_checksums: bool,
) -> Result<(), RunError> {
    let by_id: BTreeMap<&str, &KnownRevision> = known.iter().map(|k| (k.id.as_str(), k)).collect();
    if let Some(unknown) = heads.iter().find(|h| !by_id.contains_key(h.as_str())) {
        return Err(RunError::UnknownRevision {
            revision: unknown.clone(),
        });
    }
    if !verify_checksums {
        return Ok(());
    }
    for (revision, entry) in history {
        if entry.direction == super::plan::direction_word(super::plan::Direction::Down) {
            continue;
        }
        let (Some(recorded), Some(code)) = (&entry.checksum, by_id.get(revision.as_str())) else {
            continue;
        };
        if *recorded != code.checksum {
            return Err(RunError::ChecksumMismatch {
                revision: revision.clone(),
                file: code.file.clone(),
                recorded: recorded.clone(),
                current: code.checksum.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<KnownRevision> {
        ["001", "002"]
            .iter()
            .map(|id| KnownRevision {
                id: id.to_string(),
                checksum: format!("sum-{id}"),
                file: format!("{id}.rs"),
            })
            .collect()
    }

    fn entry(direction: &str, checksum: &str) -> HistoryEntry {
        HistoryEntry {
            direction: direction.into(),
            checksum: Some(checksum.into()),
        }
    }

    #[test]
    fn unknown_head_is_refused_with_its_id() {
        let err = verify(&["999".into()], &known(), &BTreeMap::new(), true).unwrap_err();
        assert!(matches!(&err, RunError::UnknownRevision { revision } if revision == "999"));
        assert!(
            err.to_string()
                .contains("database is at unknown revision 999 (newer code deployed?)")
        );
    }

    #[test]
    fn edited_applied_revision_is_refused_with_both_checksums() {
        let history = BTreeMap::from([("002".to_string(), entry("upgrade", "old"))]);
        let err = verify(&["002".into()], &known(), &history, true).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("old") && text.contains("sum-002") && text.contains("002.rs"),
            "{text}"
        );
        assert!(verify(&["002".into()], &known(), &history, false).is_ok());
    }

    #[test]
    fn downgraded_and_matching_revisions_pass() {
        let history = BTreeMap::from([
            ("001".to_string(), entry("upgrade", "sum-001")),
            ("002".to_string(), entry("downgrade", "whatever")),
        ]);
        assert!(verify(&["001".into()], &known(), &history, true).is_ok());
    }
}

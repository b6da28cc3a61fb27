//! Which lint findings an online run resolves.

use crate::lint::Rule;

/// Whether `upgrade --online` runs the op behind a finding of `rule` in a form
/// that does not block writers (so the finding matters only for plain runs).
pub fn resolved_by_online(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::SetNotNull
            | Rule::ForeignKeyWithoutNotValid
            | Rule::CreateIndexNotConcurrently
            | Rule::ConcurrentlyInTransaction
    )
}

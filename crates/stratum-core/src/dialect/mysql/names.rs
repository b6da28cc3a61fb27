//! The identifier length limit: MariaDB and MySQL refuse names longer than 64
//! characters, so an op that creates one is refused before any SQL runs.

use crate::dialect::RenderError;
use crate::ops::Op;

/// The longest table, column, index, constraint or sequence name, in characters.
pub const MAX_IDENTIFIER_LENGTH: usize = 64;

/// The names `op` creates.
fn new_names(op: &Op) -> Vec<&str> {
    match op {
        Op::CreateTable(t) => {
            let mut names = vec![t.name.as_str()];
            names.extend(t.columns.iter().map(|c| c.name.as_str()));
            names.extend(t.uniques.keys().map(String::as_str));
            names.extend(t.checks.keys().map(String::as_str));
            names.extend(t.foreign_keys.keys().map(String::as_str));
            names.extend(t.indexes.keys().map(String::as_str));
            names
        }
        Op::RenameTable { to, .. } => vec![to],
        Op::AddColumn { column, .. } => vec![&column.name],
        Op::AlterColumn { change, .. } => change.rename.as_deref().into_iter().collect(),
        Op::CreateIndex { index, .. } => vec![&index.name],
        Op::AddForeignKey { foreign_key, .. } => vec![&foreign_key.name],
        Op::AddUnique { unique, .. } => vec![&unique.name],
        Op::AddCheck { check, .. } => vec![&check.name],
        Op::CreateSequence(seq) => vec![&seq.name],
        _ => Vec::new(),
    }
}

/// Refuses an op that creates a name longer than [`MAX_IDENTIFIER_LENGTH`].
pub(super) fn check_lengths(op: &Op) -> Result<(), RenderError> {
    match new_names(op)
        .into_iter()
        .find(|n| n.chars().count() > MAX_IDENTIFIER_LENGTH)
    {
        Some(name) => Err(RenderError::InvalidOp {
            op: op.kind_name(),
            reason: format!(
                "the name {name:?} is {} characters long and MariaDB/MySQL keep at most \
                 {MAX_IDENTIFIER_LENGTH}; choose a shorter name",
                name.chars().count()
            ),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Op;

    #[test]
    fn names_over_64_characters_are_refused() {
        let rename = |to: String| Op::RenameTable {
            from: "t".into(),
            to,
        };
        assert!(check_lengths(&rename("é".repeat(64))).is_ok());
        let err = check_lengths(&rename("a".repeat(65))).unwrap_err();
        assert!(err.to_string().contains("65 characters"), "{err}");
    }
}

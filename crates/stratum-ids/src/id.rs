//! Revision ids: 1 to [`MAX_REVISION_ID_LEN`] ASCII letters or digits, not a
//! reserved target word.

use std::fmt;

/// Longest revision id accepted (the version table column holds 32 characters).
pub const MAX_REVISION_ID_LEN: usize = 32;

/// Words that name targets on the command line and so cannot be revision ids.
pub const RESERVED_IDS: &[&str] = &["head", "heads", "base", "current"];

/// Why a string is not a usable revision id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdProblem {
    /// The id is empty.
    Empty,
    /// The id is longer than [`MAX_REVISION_ID_LEN`] bytes.
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// The id holds a character other than an ASCII letter or digit (the first one).
    BadChar(char),
    /// The id is one of [`RESERVED_IDS`].
    Reserved,
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Empty => write!(f, "it is empty"),
            IdProblem::TooLong { chars } => write!(
                f,
                "it has {chars} characters, more than {MAX_REVISION_ID_LEN}"
            ),
            IdProblem::BadChar(c) => write!(f, "it contains {c:?}"),
            IdProblem::Reserved => write!(f, "it is a reserved target word"),
        }
    }
}

impl std::error::Error for IdProblem {}

/// Checks a revision id. Problems are found in the order empty, too long, bad
/// character, reserved word.
pub fn check_revision_id(id: &str) -> Result<(), IdProblem> {
    if id.is_empty() {
        Err(IdProblem::Empty)
    } else if id.len() > MAX_REVISION_ID_LEN {
        Err(IdProblem::TooLong {
            chars: id.chars().count(),
        })
    } else if let Some(c) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        Err(IdProblem::BadChar(c))
    } else if RESERVED_IDS.contains(&id) {
        Err(IdProblem::Reserved)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(check_revision_id("6e6302f1ccb6"), Ok(()));
        assert_eq!(check_revision_id(&"a".repeat(32)), Ok(()));
        assert_eq!(check_revision_id(""), Err(IdProblem::Empty));
        assert_eq!(
            check_revision_id(&"a".repeat(33)),
            Err(IdProblem::TooLong { chars: 33 })
        );
        assert_eq!(check_revision_id("a-b"), Err(IdProblem::BadChar('-')));
        for word in RESERVED_IDS {
            assert_eq!(check_revision_id(word), Err(IdProblem::Reserved));
        }
        assert_eq!(check_revision_id("Head"), Ok(()));
    }
}

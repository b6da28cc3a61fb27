//! [`EmbedError`]: why the versions directory could not be embedded.

use crate::NAME_TEMPLATE;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why the versions directory could not be embedded.
#[derive(Debug)]
#[non_exhaustive]
pub enum EmbedError {
    /// `OUT_DIR` is not set: the function was called outside a build script.
    MissingOutDir,
    /// The versions directory does not exist or is not a directory.
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A file name is not valid UTF-8.
    NonUtf8Name {
        /// The offending path.
        path: PathBuf,
    },
    /// A `.rs` file whose name does not follow [`NAME_TEMPLATE`].
    BadFileName {
        /// The file name.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Something other than a revision file, `README*`, `.gitkeep` or `mod.rs`.
    UnexpectedEntry {
        /// The entry's name.
        file: String,
        /// Whether it is a directory.
        is_dir: bool,
    },
    /// A revision file without a `Revision::new("...")` header.
    MissingHeader {
        /// The file name.
        file: String,
        /// The revision id its name announces.
        expected: String,
    },
    /// The header declares a different revision id than the file name.
    RevisionMismatch {
        /// The file name.
        file: String,
        /// The id in the file name.
        expected: String,
        /// The id in the header.
        found: String,
    },
    /// Two files carry the same revision id.
    DuplicateRevision {
        /// The revision id.
        revision: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmbedError::MissingOutDir => write!(
                f,
                "OUT_DIR is not set; call stratum_build::embed_versions from a build script (build.rs)"
            ),
            EmbedError::NotADirectory { path } => write!(
                f,
                "versions directory {} does not exist or is not a directory; create it or fix the path given to embed_versions",
                path.display()
            ),
            EmbedError::Io { path, source } => {
                write!(f, "cannot access {}: {source}", path.display())
            }
            EmbedError::NonUtf8Name { path } => write!(
                f,
                "file name {} is not valid UTF-8; rename it to {NAME_TEMPLATE}",
                path.display()
            ),
            EmbedError::BadFileName { file, reason } => write!(
                f,
                "revision file `{file}` is misnamed ({reason}); expected {NAME_TEMPLATE}, e.g. 2025_01_11_1431-002_add_acquisition_time_index.rs (rev: letters and digits; slug: lowercase letters, digits and `_`)"
            ),
            EmbedError::UnexpectedEntry { file, is_dir } => write!(
                f,
                "unexpected {} `{file}` in the versions directory; only revision files named {NAME_TEMPLATE}, README*, .gitkeep and mod.rs may be there: rename or move it",
                if *is_dir { "directory" } else { "file" }
            ),
            EmbedError::MissingHeader { file, expected } => write!(
                f,
                "revision file `{file}` has no header; declare `pub const REVISION: Revision = Revision::new(\"{expected}\")...`"
            ),
            EmbedError::RevisionMismatch {
                file,
                expected,
                found,
            } => write!(
                f,
                "revision file `{file}` declares Revision::new(\"{found}\") but its name says `{expected}`; make the header and the file name agree"
            ),
            EmbedError::DuplicateRevision {
                revision,
                first,
                second,
            } => write!(
                f,
                "revision id `{revision}` is used by both `{first}` and `{second}`; give one of them a new id"
            ),
        }
    }
}

impl std::error::Error for EmbedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EmbedError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

//! The rules for revision ids and revision file names, in one place.
//!
//! The schema core checks ids when it builds a revision graph, the engine when it
//! names, parses and records revisions, and the build-script helper when it embeds
//! a versions directory; all of them call the functions here. This crate has no
//! dependencies, so a build script can use it at no cost.
//!
//! Each check returns a typed problem; callers word it for their own context.

mod id;
mod timestamp;

pub use id::{IdProblem, MAX_REVISION_ID_LEN, RESERVED_IDS, check_revision_id};
pub use timestamp::{FileTimestamp, TimestampProblem, parse_file_timestamp};

//! Managing the history of a chain of revisions, from the graph and the simulator:
//!
//! - [`detect`]: which revision a live database's schema matches (`stamp --detect`);
//! - [`rebase`]: re-parenting revisions no database has applied (`rebase`);
//! - [`squash`]: one baseline revision replacing the oldest part of the chain
//!   (`squash --to`), and what it takes to retire the replaced files.
//!
//! Everything here is pure or file-only; the CLI reads databases and prints.

pub mod detect;
mod error;
pub mod rebase;
pub mod squash;

pub use error::LineageError;

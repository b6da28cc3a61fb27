//! The SmartEM revision chain, compiled into the binary.
//!
//! Every file of `migrations/versions/` (named `YYYY_MM_DD_HHMM-<rev>_<slug>.rs`)
//! is a module that declares its `REVISION` header and its `upgrade` and
//! `downgrade` functions. The build script scans that directory and generates the
//! module declarations and the [`REVISIONS`] table included below, so adding a
//! revision means adding a file: no list is edited by hand, and Cargo rebuilds
//! the crate whenever a file there is added, removed or changed.
//!
//! The chain starts at `001` (user preferences), goes through the core schema
//! baseline `6e6302f1ccb6`, and continues linearly to the current head.

include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));

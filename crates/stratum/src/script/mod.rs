//! The versions directory: embedded revisions, file naming, checksums, generation.

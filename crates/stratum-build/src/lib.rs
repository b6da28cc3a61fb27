//! Build-script helper that compiles a versions directory of revision files into
//! the application binary.
//!
//! An application keeps its revisions as Rust files in one directory, named
//! `YYYY_MM_DD_HHMM-<rev>_<slug>.rs` (for example
//! `2025_01_11_1431-002_add_acquisition_time_index.rs`). Each file declares a
//! `pub const REVISION: Revision = Revision::new("<rev>")...` header and the
//! functions `pub fn upgrade(op: &mut Ops)` and `pub fn downgrade(op: &mut Ops)`.
//!
//! In `build.rs`:
//!
//! ```ignore
//! fn main() {
//!     stratum_build::embed_versions_or_panic("migrations/versions");
//! }
//! ```
//!
//! and in the crate:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));
//! // now `REVISIONS: &[stratum::script::EmbeddedRevision]` is in scope
//! ```
//!
//! The build fails, naming the file, when a file in the directory does not follow
//! the template, when the revision id in a file's header differs from the one in
//! its name, or when two files claim the same revision id. Nothing in the
//! directory is skipped silently: only `README*`, `.gitkeep` and `mod.rs` may sit
//! beside the revision files. Cargo is told to watch the directory itself, so
//! adding, removing or editing a revision rebuilds the application.
//!
//! This crate depends only on `stratum-ids` (the revision-id and file-name rules),
//! which has no dependencies, so it costs nothing to build.

mod error;
mod file_name;
#[cfg(test)]
mod tests;

pub use error::EmbedError;
pub use file_name::{FileName, header_revision, parse_file_name};

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the file written into `OUT_DIR`.
pub const OUTPUT_FILE_NAME: &str = "stratum_versions.rs";

/// The file-name template, as shown in error messages.
pub const NAME_TEMPLATE: &str = "YYYY_MM_DD_HHMM-<rev>_<slug>.rs";

pub use stratum_ids::{MAX_REVISION_ID_LEN, RESERVED_IDS};

/// Whether a non-revision entry may sit in the versions directory.
fn is_allowed_extra(name: &str) -> bool {
    name == ".gitkeep" || name == "mod.rs" || name.to_ascii_uppercase().starts_with("README")
}

/// One revision file found in the versions directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFile {
    /// Absolute path.
    pub path: PathBuf,
    /// File name.
    pub file_name: String,
    /// Parsed name.
    pub name: FileName,
}

impl VersionFile {
    /// The Rust module name the generated code gives this file.
    pub fn module_name(&self) -> String {
        let stem = self.file_name.trim_end_matches(".rs");
        let body: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("r_{body}")
    }
}

/// The result of scanning a versions directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The directory, absolute.
    pub dir: PathBuf,
    /// Revision files, sorted by file name.
    pub files: Vec<VersionFile>,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> EmbedError + '_ {
    move |source| EmbedError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Scans and validates a versions directory (see the crate docs for the rules).
pub fn scan(dir: impl AsRef<Path>) -> Result<Scan, EmbedError> {
    let dir = dir.as_ref();
    if !dir.is_dir() {
        return Err(EmbedError::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    let dir = fs::canonicalize(dir).map_err(io_err(dir))?;
    let mut files = Vec::new();
    for entry in fs::read_dir(&dir).map_err(io_err(&dir))? {
        let entry = entry.map_err(io_err(&dir))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(EmbedError::NonUtf8Name { path });
        };
        let is_dir = entry.file_type().map_err(io_err(&path))?.is_dir();
        if is_allowed_extra(&name) && !is_dir {
            continue;
        }
        if is_dir || !name.ends_with(".rs") {
            return Err(EmbedError::UnexpectedEntry { file: name, is_dir });
        }
        let parsed = parse_file_name(&name).map_err(|reason| EmbedError::BadFileName {
            file: name.clone(),
            reason,
        })?;
        files.push(VersionFile {
            path,
            file_name: name,
            name: parsed,
        });
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));

    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for f in &files {
        if let Some(first) = seen.insert(&f.name.revision, &f.file_name) {
            return Err(EmbedError::DuplicateRevision {
                revision: f.name.revision.clone(),
                first: first.to_string(),
                second: f.file_name.clone(),
            });
        }
        let source = fs::read_to_string(&f.path).map_err(io_err(&f.path))?;
        match header_revision(&source) {
            None => {
                return Err(EmbedError::MissingHeader {
                    file: f.file_name.clone(),
                    expected: f.name.revision.clone(),
                });
            }
            Some(found) if found != f.name.revision => {
                return Err(EmbedError::RevisionMismatch {
                    file: f.file_name.clone(),
                    expected: f.name.revision.clone(),
                    found: found.to_string(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(Scan { dir, files })
}

/// A string literal for `s` (quotes and backslashes escaped).
fn literal(s: &str) -> String {
    format!("{s:?}")
}

/// The Rust source of `stratum_versions.rs` for a scan.
pub fn render(scan: &Scan) -> String {
    let mut out = String::new();
    out.push_str("// Generated by stratum-build from ");
    out.push_str(&scan.dir.display().to_string());
    out.push_str(". Do not edit.\n\n");
    for f in &scan.files {
        let path = literal(&f.path.display().to_string());
        out.push_str(&format!(
            "#[allow(non_snake_case)]\n#[path = {path}]\nmod {};\n",
            f.module_name()
        ));
    }
    out.push_str(
        "\n/// Every revision file of the versions directory, sorted by file name.\n\
         pub static REVISIONS: &[::stratum::script::EmbeddedRevision] = &[\n",
    );
    for f in &scan.files {
        let m = f.module_name();
        let path = literal(&f.path.display().to_string());
        out.push_str(&format!(
            "    ::stratum::script::EmbeddedRevision {{\n        revision: {m}::REVISION,\n        upgrade: {m}::upgrade,\n        downgrade: {m}::downgrade,\n        file_name: {},\n        source: include_str!({path}),\n    }},\n",
            literal(&f.file_name)
        ));
    }
    out.push_str("];\n");
    out
}

/// The `cargo:` lines that make Cargo rerun the build script when the directory
/// or any revision file changes.
pub fn rerun_lines(scan: &Scan) -> Vec<String> {
    std::iter::once(&scan.dir)
        .chain(scan.files.iter().map(|f| &f.path))
        .map(|p| format!("cargo:rerun-if-changed={}", p.display()))
        .collect()
}

/// Scans `dir`, writes `out_dir/stratum_versions.rs` (only when its content
/// changes) and returns the scan. Prints nothing.
pub fn embed_versions_into(
    dir: impl AsRef<Path>,
    out_dir: impl AsRef<Path>,
) -> Result<Scan, EmbedError> {
    let scan = scan(dir)?;
    let target = out_dir.as_ref().join(OUTPUT_FILE_NAME);
    let code = render(&scan);
    let unchanged = fs::read_to_string(&target).is_ok_and(|old| old == code);
    if !unchanged {
        fs::write(&target, code).map_err(io_err(&target))?;
    }
    Ok(scan)
}

/// For `build.rs`: embeds the versions directory `dir` (relative to the crate's
/// manifest directory) into `$OUT_DIR/stratum_versions.rs` and tells Cargo to
/// rerun when the directory or a file in it changes.
pub fn embed_versions(dir: impl AsRef<Path>) -> Result<(), EmbedError> {
    let dir = dir.as_ref();
    // Cargo must watch the directory even when the scan fails, so that fixing
    // the offending file triggers a new build.
    println!("cargo:rerun-if-changed={}", dir.display());
    let out_dir = std::env::var_os("OUT_DIR").ok_or(EmbedError::MissingOutDir)?;
    let scan = embed_versions_into(dir, out_dir)?;
    for line in rerun_lines(&scan) {
        println!("{line}");
    }
    Ok(())
}

/// [`embed_versions`], panicking with the error's message: the natural call in a
/// `build.rs`, where a panic fails the build and shows the message.
pub fn embed_versions_or_panic(dir: impl AsRef<Path>) {
    let dir = dir.as_ref();
    if let Err(e) = embed_versions(dir) {
        panic!(
            "stratum-build: cannot embed revisions of {}: {e}",
            dir.display()
        );
    }
}

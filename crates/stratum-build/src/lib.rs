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
//! This crate has no dependencies, so it costs nothing to build.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the file written into `OUT_DIR`.
pub const OUTPUT_FILE_NAME: &str = "stratum_versions.rs";

/// The file-name template, as shown in error messages.
pub const NAME_TEMPLATE: &str = "YYYY_MM_DD_HHMM-<rev>_<slug>.rs";

/// Longest revision id accepted (the version table column holds 32 characters).
pub const MAX_REVISION_ID_LEN: usize = 32;

/// Words that name targets on the command line and so cannot be revision ids.
pub const RESERVED_IDS: &[&str] = &["head", "heads", "base", "current"];

/// Why the versions directory could not be embedded.
#[derive(Debug)]
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

/// The parts of a revision file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    /// `YYYY_MM_DD_HHMM`.
    pub timestamp: String,
    /// The revision id.
    pub revision: String,
    /// The slug (without `.rs`).
    pub slug: String,
}

/// Parses a file name against [`NAME_TEMPLATE`]; the error says what is wrong.
pub fn parse_file_name(name: &str) -> Result<FileName, String> {
    let stem = name
        .strip_suffix(".rs")
        .ok_or_else(|| "it does not end in `.rs`".to_string())?;
    let (timestamp, rest) = stem
        .split_once('-')
        .ok_or_else(|| "no `-` between the timestamp and the revision id".to_string())?;
    check_timestamp(timestamp)?;
    let (revision, slug) = rest
        .split_once('_')
        .ok_or_else(|| "no `_` between the revision id and the slug".to_string())?;
    if revision.is_empty() {
        return Err("the revision id is empty".into());
    }
    if !revision.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "revision id `{revision}` may hold only letters and digits"
        ));
    }
    if RESERVED_IDS.contains(&revision) {
        return Err(format!(
            "revision id `{revision}` is a reserved target word; choose another id"
        ));
    }
    if revision.len() > MAX_REVISION_ID_LEN {
        return Err(format!(
            "revision id `{revision}` is longer than {MAX_REVISION_ID_LEN} characters"
        ));
    }
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "slug `{slug}` may hold only lowercase letters, digits and `_`"
        ));
    }
    Ok(FileName {
        timestamp: timestamp.to_string(),
        revision: revision.to_string(),
        slug: slug.to_string(),
    })
}

fn check_timestamp(ts: &str) -> Result<(), String> {
    let bad = || format!("timestamp `{ts}` is not YYYY_MM_DD_HHMM");
    let parts: Vec<&str> = ts.split('_').collect();
    let [y, mo, d, hm] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(mo, 2) && digits(d, 2) && digits(hm, 4)) {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
    let (month, day, hour, minute) = (num(mo), num(d), num(&hm[..2]), num(&hm[2..]));
    if !(1..=12).contains(&month) {
        return Err(format!("month `{mo}` in timestamp `{ts}` is not 01-12"));
    }
    let year = num(y);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&day) {
        return Err(format!(
            "day `{d}` in timestamp `{ts}` does not exist in that month"
        ));
    }
    if hour > 23 || minute > 59 {
        return Err(format!(
            "time `{hm}` in timestamp `{ts}` is not a valid HHMM"
        ));
    }
    Ok(())
}

/// The first revision id declared as `Revision::new("...")` in a file's source,
/// outside `//` comment lines (a doc line may mention another revision).
pub fn header_revision(source: &str) -> Option<&str> {
    const NEEDLE: &str = "Revision::new(";
    // Comment lines blanked out byte for byte, so offsets stay those of `source`.
    let code: String = source
        .split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with("//") {
                " ".repeat(line.len())
            } else {
                line.to_string()
            }
        })
        .collect();
    let mut from = 0;
    while let Some(found) = code[from..].find(NEEDLE) {
        let after = from + found + NEEDLE.len();
        let rest = code[after..].trim_start();
        if let Some(lit) = rest.strip_prefix('"')
            && let Some(end) = lit.find('"')
        {
            let start = code.len() - lit.len();
            return Some(&source[start..start + end]);
        }
        from = after;
    }
    None
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    const GOOD: &str = "2025_01_11_1431-002_add_acquisition_time_index.rs";

    fn revision_source(id: &str) -> String {
        format!(
            "pub const REVISION: Revision = Revision::new(\"{id}\").message(\"m\");\n\
             pub fn upgrade(_op: &mut Ops) {{}}\npub fn downgrade(_op: &mut Ops) {{}}\n"
        )
    }

    fn dir_with(files: &[(&str, &str)]) -> TempDir {
        let dir = TempDir::new().unwrap();
        for (name, content) in files {
            fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    #[test]
    fn parses_the_template() {
        let n = parse_file_name(GOOD).unwrap();
        assert_eq!(n.timestamp, "2025_01_11_1431");
        assert_eq!(n.revision, "002");
        assert_eq!(n.slug, "add_acquisition_time_index");
        assert!(parse_file_name("2024_02_29_2359-a_leap_day.rs").is_ok());
        let n = parse_file_name("2025_03_02_0905-6e6302F1ccb6_x.rs").unwrap();
        assert_eq!(n.revision, "6e6302F1ccb6");
        assert_eq!(n.slug, "x");
    }

    #[test]
    fn rejects_names_off_the_template() {
        for bad in [
            "002_add_index.rs",
            "2025_01_11-002_add.rs",
            "2025_01_11_1431_002_add.rs",
            "2025_13_11_1431-002_add.rs",
            "2025_01_00_1431-002_add.rs",
            "2025_01_11_2460-002_add.rs",
            "2025_01_11_1431-002.rs",
            "2025_01_11_1431-_add.rs",
            "2025_01_11_1431-00-2_add.rs",
            "2025_01_11_1431-002_Add.rs",
            "2025_01_11_1431-002_add-index.rs",
            "2025_01_11_1431-002_.rs",
            "2025_01_11_1431-002_add.txt",
            "2025_02_29_1431-002_add.rs",
            "2025_04_31_1431-002_add.rs",
            "2025_01_11_1431-head_add.rs",
        ] {
            assert!(parse_file_name(bad).is_err(), "{bad} accepted");
        }
        let long = format!("2025_01_11_1431-{}_x.rs", "a".repeat(33));
        assert!(parse_file_name(&long).unwrap_err().contains("32"));
    }

    #[test]
    fn finds_the_header_id() {
        assert_eq!(header_revision(&revision_source("abc")), Some("abc"));
        assert_eq!(
            header_revision("const R: Revision = Revision::new(\n    \"x1\"\n);"),
            Some("x1")
        );
        assert_eq!(
            header_revision("Revision::new(ID) Revision::new(\"y\")"),
            Some("y")
        );
        assert_eq!(header_revision("no header here"), None);
        assert_eq!(
            header_revision(
                "//! Replaces Revision::new(\"old\").\n  // Revision::new(\"x\")\nconst R: Revision = Revision::new(\"new\");"
            ),
            Some("new")
        );
        assert_eq!(
            header_revision("// Revision::new(\"only a comment\")"),
            None
        );
    }

    #[test]
    fn scans_sorted_and_skips_allowed_extras() {
        let dir = dir_with(&[
            ("2025_02_01_1000-003_later.rs", &revision_source("003")),
            (GOOD, &revision_source("002")),
            ("README.md", "docs"),
            (".gitkeep", ""),
            ("mod.rs", "// not a revision"),
        ]);
        let scan = scan(dir.path()).unwrap();
        let names: Vec<_> = scan.files.iter().map(|f| f.file_name.as_str()).collect();
        assert_eq!(names, [GOOD, "2025_02_01_1000-003_later.rs"]);
        assert!(scan.files.iter().all(|f| f.path.is_absolute()));
    }

    #[test]
    fn misnamed_rs_file_fails_naming_the_file_and_template() {
        let dir = dir_with(&[("add_index.rs", &revision_source("002"))]);
        let err = scan(dir.path()).unwrap_err();
        assert!(matches!(err, EmbedError::BadFileName { ref file, .. } if file == "add_index.rs"));
        let msg = err.to_string();
        assert!(
            msg.contains("add_index.rs") && msg.contains(NAME_TEMPLATE),
            "{msg}"
        );
    }

    #[test]
    fn stray_files_and_directories_fail() {
        let dir = dir_with(&[(GOOD, &revision_source("002")), ("notes.txt", "x")]);
        let err = scan(dir.path()).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");

        let dir = dir_with(&[(GOOD, &revision_source("002"))]);
        fs::create_dir(dir.path().join("old")).unwrap();
        let err = scan(dir.path()).unwrap_err();
        assert!(
            matches!(err, EmbedError::UnexpectedEntry { ref file, is_dir: true } if file == "old"),
            "{err}"
        );
    }

    #[test]
    fn header_must_match_the_file_name() {
        let dir = dir_with(&[(GOOD, &revision_source("003"))]);
        let err = scan(dir.path()).unwrap_err();
        assert!(matches!(
            err,
            EmbedError::RevisionMismatch { ref expected, ref found, .. }
                if expected == "002" && found == "003"
        ));
        assert!(err.to_string().contains(GOOD));

        let dir = dir_with(&[(GOOD, "pub fn upgrade() {}")]);
        assert!(matches!(
            scan(dir.path()).unwrap_err(),
            EmbedError::MissingHeader { .. }
        ));
    }

    #[test]
    fn duplicate_revision_ids_fail() {
        let dir = dir_with(&[
            (GOOD, &revision_source("002")),
            ("2025_01_12_0900-002_again.rs", &revision_source("002")),
        ]);
        let err = scan(dir.path()).unwrap_err();
        assert!(
            matches!(err, EmbedError::DuplicateRevision { ref revision, .. } if revision == "002")
        );
    }

    #[test]
    fn missing_directory_fails() {
        let dir = TempDir::new().unwrap();
        let err = scan(dir.path().join("nope")).unwrap_err();
        assert!(matches!(err, EmbedError::NotADirectory { .. }));
    }

    #[test]
    fn renders_modules_and_the_revision_table() {
        let dir = dir_with(&[
            ("2025_02_01_1000-003_later.rs", &revision_source("003")),
            (GOOD, &revision_source("002")),
        ]);
        let scan = scan(dir.path()).unwrap();
        let code = render(&scan);
        let abs = scan.files[0].path.display().to_string();
        assert!(code.contains(&format!(
            "#[path = {abs:?}]\nmod r_2025_01_11_1431_002_add_acquisition_time_index;"
        )));
        assert!(
            code.contains("revision: r_2025_01_11_1431_002_add_acquisition_time_index::REVISION")
        );
        assert!(code.contains(&format!("source: include_str!({abs:?})")));
        assert!(code.contains(&format!("file_name: {GOOD:?}")));
        let first = code.find("file_name: \"2025_01_11").unwrap();
        let second = code.find("file_name: \"2025_02_01").unwrap();
        assert!(first < second, "entries not sorted by file name");
        assert!(code.contains("pub static REVISIONS: &[::stratum::script::EmbeddedRevision]"));
    }

    #[test]
    fn writes_the_output_file_and_lists_watched_paths() {
        let dir = dir_with(&[(GOOD, &revision_source("002"))]);
        let out = TempDir::new().unwrap();
        let scan = embed_versions_into(dir.path(), out.path()).unwrap();
        let written = fs::read_to_string(out.path().join(OUTPUT_FILE_NAME)).unwrap();
        assert_eq!(written, render(&scan));
        let lines = rerun_lines(&scan);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            format!("cargo:rerun-if-changed={}", scan.dir.display())
        );
        assert!(lines[1].ends_with(GOOD));
    }

    #[test]
    fn empty_directory_gives_an_empty_table() {
        let dir = TempDir::new().unwrap();
        let scan = scan(dir.path()).unwrap();
        assert!(scan.files.is_empty());
        assert!(render(&scan).contains("= &[\n];"));
    }
}

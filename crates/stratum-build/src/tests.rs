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
    assert!(matches!(err, EmbedError::DuplicateRevision { ref revision, .. } if revision == "002"));
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
    assert!(code.contains("revision: r_2025_01_11_1431_002_add_acquisition_time_index::REVISION"));
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

//! The user guide's runnable examples (blocks marked `sh`) do what the guide says,
//! run in order against the embedded SQLite default in a fresh directory.

mod docs_support;

use docs_support::run_markdown;

#[test]
fn guide_examples_run_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_markdown("docs/guide.md", dir.path());
    assert!(ran >= 25, "only {ran} commands ran");
    // The configuration file of the guide was used: the development database.
    assert!(dir.path().join("smartem-dev.db").is_file());
    assert!(!dir.path().join("smartem.db").exists());
    // init wrote a crate.
    assert!(dir.path().join("inventory/Cargo.toml").is_file());
}

#[test]
fn schema_page_examples_run_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_markdown("docs/schema.md", dir.path());
    assert_eq!(ran, 3);
}

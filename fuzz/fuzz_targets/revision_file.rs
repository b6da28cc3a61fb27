//! Revision files: their names and their headers.
//!
//! - File names: the engine's parser of default-template names, the build
//!   script's parser of the same names, file name templates and slugs.
//! - Headers: `Revision::new("<id>").revises(&[...])...`, read from a file's
//!   text by `revision`/`merge` (without compiling it) and by the build script
//!   that embeds the versions directory.
//!
//! The input is read as a file name, as a file name template, as a revision
//! message and as a file's source.
//!
//! Properties: nothing panics; when both name parsers accept a name they read
//! the same revision id and slug, and a name the build script embeds is one the
//! engine can check against its header; a parsed name (of a year from 1000)
//! rendered again with the default template parses to the same time and id; a rendered template is a
//! plain `.rs` file name; a slug is at most 40 lowercase letters, digits and
//! single `_`, never at an end; a missing header is a typed error naming the
//! file; when both header readers find a valid revision id, it is the same id.

#![no_main]

use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use stratum::script::disk::{DiskError, parse_header};
use stratum::script::naming::{self, SLUG_MAX};
use stratum::script::{DEFAULT_FILE_TEMPLATE, file_name, parse_file_name};
use stratum_core::revision::validate_id;

fn names(text: &str) {
    let engine = parse_file_name(text);
    if let Err(e) = &engine {
        assert!(e.to_string().contains("YYYY_MM_DD_HHMM"), "{e}");
    }
    let build = stratum_build::parse_file_name(text);
    if let Err(e) = &build {
        assert!(!e.is_empty());
    }
    if let Ok(b) = &build {
        let e = engine
            .as_ref()
            .unwrap_or_else(|e| panic!("the build script embeds {text:?}, the engine says: {e}"));
        assert_eq!(e.rev, b.revision, "{text:?}");
        assert_eq!(e.slug, b.slug, "{text:?}");
    }
    // Names are made from the clock, whose years have four digits; the default
    // template does not pad a year below 1000.
    if let Ok(parsed) = &engine
        && parsed.created.year() >= 1000
    {
        let again = file_name(
            DEFAULT_FILE_TEMPLATE,
            parsed.created,
            &parsed.rev,
            &parsed.slug,
        )
        .unwrap_or_else(|e| panic!("{text:?} does not render again: {e}"));
        let reparsed = parse_file_name(&again)
            .unwrap_or_else(|e| panic!("{text:?} rendered as {again:?}, which fails: {e}"));
        assert_eq!(reparsed.created, parsed.created, "{again:?}");
        assert_eq!(reparsed.rev, parsed.rev, "{again:?}");
    }

    // The text as a file name template (`file_template` of the configuration).
    let created = NaiveDate::from_ymd_opt(2025, 1, 11)
        .and_then(|d| d.and_hms_opt(14, 31, 7))
        .expect("a valid time");
    match file_name(text, created, "6e6302f1ccb6", "Add acquisition time index") {
        Ok(name) => {
            assert!(name.ends_with(".rs"), "{name:?}");
            assert!(!name.contains(['/', '\\']), "{name:?}");
            assert!(!name.chars().any(char::is_control), "{name:?}");
        }
        Err(e) => assert!(!e.reason.is_empty()),
    }

    // The text as a revision message.
    let slug = naming::slug(text);
    assert!(!slug.is_empty() && slug.len() <= SLUG_MAX, "{slug:?}");
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "{slug:?}"
    );
    assert!(
        !slug.starts_with('_') && !slug.ends_with('_') && !slug.contains("__"),
        "{slug:?}"
    );
}

fn header(source: &str) {
    let path = Path::new("2026_01_01_0000-a1_x.rs");
    let disk = parse_header(path, source);
    let build = stratum_build::header_revision(source);
    match &disk {
        Ok(header) => {
            assert_eq!(header.path, path);
            if let Some(id) = build
                && validate_id(id).is_ok()
                && validate_id(&header.id).is_ok()
            {
                assert_eq!(header.id, id, "the two readers disagree on {source:?}");
            }
        }
        Err(e @ DiskError::NoHeader { .. }) => {
            assert!(e.to_string().contains("2026_01_01_0000-a1_x.rs"), "{e}");
        }
        Err(e) => panic!("unexpected error reading text: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    names(&text);
    header(&text);
});

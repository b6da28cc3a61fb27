//! The shape of the embedded SmartEM chain: one linear line of revisions from
//! `001` to the head, headers that agree with file names, and a seed revision
//! whose downgrade removes exactly what its upgrade inserted.

mod chain_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chain_support::record;
use smartem::migrations::REVISIONS;
use stratum::ops::{Op, Row};
use stratum::revision::RevisionMap;
use stratum::script::{EmbeddedRevision, Script};

/// The revisions in chain order, root first, as the revision graph loads them;
/// panics with a description when the graph is not one linear line.
fn linear_chain() -> Vec<&'static EmbeddedRevision> {
    let map = match RevisionMap::from_revisions(REVISIONS.iter().map(|r| &r.revision)) {
        Ok(map) => map,
        Err(e) => panic!("the chain does not load as a revision graph: {e}"),
    };
    assert_eq!(map.len(), REVISIONS.len());
    assert_eq!(map.bases(), ["001"], "the chain must have one root, 001");
    assert_eq!(map.heads().len(), 1, "heads: {:?}", map.heads());
    assert!(
        map.branch_points().is_empty(),
        "branches at {:?}",
        map.branch_points()
    );
    assert!(
        map.merge_points().is_empty(),
        "merges at {:?}",
        map.merge_points()
    );
    let order: Vec<&EmbeddedRevision> = map
        .iter()
        .map(|node| REVISIONS.iter().find(|r| r.revision.id == node.id).unwrap())
        .collect();
    // One line: each revision's only parent is the one before it.
    for pair in order.windows(2) {
        assert_eq!(
            pair[1].revision.down_revisions,
            [pair[0].revision.id],
            "{} should revise {}",
            pair[1].file_name,
            pair[0].revision.id
        );
    }
    assert!(
        order
            .iter()
            .all(|r| r.revision.depends_on.is_empty() && r.revision.branch_labels.is_empty())
    );
    order
}

#[test]
fn chain_is_one_line_from_001_through_the_guides_revisions() {
    let ids: Vec<&str> = linear_chain().iter().map(|r| r.revision.id).collect();
    assert_eq!(ids[..5], ["001", "6e6302f1ccb6", "002", "003", "004"]);
    assert!(ids.len() > 5, "revisions after 004 are missing");
    for id in &ids[5..] {
        assert!(
            id.len() == 12
                && id
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "revision {id} after 004 should be a 12-digit lowercase hex id"
        );
    }
}

#[test]
fn every_file_of_the_versions_directory_is_embedded_from_its_current_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/versions");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    let embedded: BTreeSet<String> = REVISIONS.iter().map(|r| r.file_name.to_string()).collect();
    assert_eq!(on_disk, embedded);
    for r in REVISIONS {
        let text = std::fs::read_to_string(dir.join(r.file_name)).unwrap();
        assert_eq!(r.source, text, "{} embedded from stale text", r.file_name);
    }
}

#[test]
fn headers_agree_with_file_names_and_dates_follow_the_chain() {
    let mut previous = "";
    for r in linear_chain() {
        let h = &r.revision;
        let (stamp, rest) = r.file_name.split_once('-').unwrap();
        assert!(
            rest.starts_with(&format!("{}_", h.id)),
            "{} does not carry id {}",
            r.file_name,
            h.id
        );
        // `2025-01-11 14:31:00` is written `2025_01_11_1431` in the file name.
        let created = h.created;
        assert_eq!(created.len(), 19, "{}: created {created:?}", r.file_name);
        let expected_stamp = format!(
            "{}_{}_{}_{}{}",
            &created[0..4],
            &created[5..7],
            &created[8..10],
            &created[11..13],
            &created[14..16]
        );
        assert_eq!(stamp, expected_stamp, "{}: created {created}", r.file_name);
        assert!(
            created > previous,
            "{} is dated {created}, not after its parent ({previous})",
            r.file_name
        );
        previous = created;
        assert!(!h.message.is_empty(), "{} has no message", r.file_name);
        assert!(
            h.transactional,
            "{} runs outside a transaction",
            r.file_name
        );
        assert!(
            r.source.starts_with("//! "),
            "{} should open with a `//!` line saying what it does",
            r.file_name
        );
    }
}

#[test]
fn every_revision_records_an_upgrade_and_a_downgrade() {
    for r in REVISIONS {
        assert!(
            !record(r.upgrade).is_empty(),
            "{}: empty upgrade",
            r.file_name
        );
        assert!(
            !record(r.downgrade).is_empty(),
            "{}: empty downgrade",
            r.file_name
        );
    }
}

#[test]
fn only_the_seed_revision_changes_data() {
    for r in REVISIONS {
        let data_ops = record(r.upgrade)
            .into_iter()
            .chain(record(r.downgrade))
            .filter(Op::is_data_change)
            .count();
        if r.revision.id == "003" {
            assert_eq!(data_ops, 2, "003 should insert once and delete once");
        } else {
            assert_eq!(
                data_ops, 0,
                "{} mixes data into a schema change",
                r.file_name
            );
        }
    }
}

fn seed() -> &'static EmbeddedRevision {
    REVISIONS.iter().find(|r| r.revision.id == "003").unwrap()
}

#[test]
fn seed_downgrade_deletes_exactly_the_seeded_rows() {
    let seed = seed();
    let up = record(seed.upgrade);
    let down = record(seed.downgrade);
    let [Op::BulkInsert { table, rows }] = up.as_slice() else {
        panic!("003 should record one bulk insert");
    };
    assert_eq!(table, "user_preferences");
    let [
        Op::BulkDelete {
            table: del_table,
            rows: deleted,
        },
    ] = down.as_slice()
    else {
        panic!("003 should undo with one bulk delete");
    };
    assert_eq!(del_table, "user_preferences");

    // Each deleted row is identified by the unique key (user_id, preference_key)
    // of one inserted row, and nothing else matches.
    let key = |row: stratum::ops::RowRef| -> Row {
        row.iter()
            .filter(|(k, _)| *k == "user_id" || *k == "preference_key")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let inserted: Vec<Row> = rows.iter().map(key).collect();
    assert_eq!(deleted, &stratum::ops::Rows::from_maps(inserted));
    assert!(
        deleted
            .iter()
            .all(|r| r.len() == 2 && r["user_id"] == "system")
    );
}

#[test]
fn seed_values_are_the_specified_json() {
    let ops = record(seed().upgrade);
    let Op::BulkInsert { rows, .. } = &ops[0] else {
        panic!("003 should record a bulk insert");
    };
    let values: BTreeMap<&str, &serde_json::Value> = rows
        .iter()
        .map(|r| {
            (
                r.get("preference_key").unwrap().as_str().unwrap(),
                r.get("preference_value").unwrap(),
            )
        })
        .collect();
    let expected = [
        (
            "default_acquisition_settings",
            r#"{"clustering_mode": "auto", "clustering_radius": "2.0", "default_magnification": 165000, "default_pixel_size": 0.8}"#,
        ),
        (
            "quality_thresholds",
            r#"{"min_foilhole_quality": 0.3, "min_ctf_resolution": 4.0, "max_total_motion": 50.0}"#,
        ),
        (
            "ui_defaults",
            r#"{"grid_view_columns": ["name", "status", "scan_start_time"], "default_page_size": 50, "auto_refresh_interval": 30}"#,
        ),
    ];
    assert_eq!(values.len(), expected.len());
    for (key, json) in expected {
        let want: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(values[key], &want, "seed value of {key}");
        // Same text, not merely equal numbers: 4.0 stays a float, 50 an integer.
        assert_eq!(
            values[key].to_string(),
            want.to_string(),
            "seed value of {key}"
        );
    }
}

#[test]
fn the_engine_loads_the_embedded_chain() {
    let script = match Script::load(REVISIONS) {
        Ok(script) => script,
        Err(e) => panic!("the engine refuses the embedded chain: {e}"),
    };
    assert_eq!(script.map().len(), REVISIONS.len());
    let head = script.map().heads()[0].to_string();
    assert_eq!(head, linear_chain().last().unwrap().revision.id);
}

use super::*;
use chrono::NaiveDate;
use stratum_core::revision::GraphError;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

fn up_001(op: &mut Ops) {
    op.create_table("user_preferences");
}
fn down_001(op: &mut Ops) {
    op.drop_table("user_preferences");
}
fn up_002(op: &mut Ops) {
    op.create_index("idx_a", "user_preferences", ["user_id"]);
    op.create_index("idx_b", "user_preferences", ["preference_key"]);
}
fn down_002(op: &mut Ops) {
    op.drop_index("idx_b");
    op.drop_index("idx_a");
}
fn nothing(_op: &mut Ops) {}
fn explodes(_op: &mut Ops) {
    panic!("column list is empty");
}

const fn embedded(
    revision: Revision,
    file_name: &'static str,
    upgrade: fn(&mut Ops),
    downgrade: fn(&mut Ops),
) -> EmbeddedRevision {
    EmbeddedRevision {
        revision,
        upgrade,
        downgrade,
        file_name,
        source: "",
    }
}

static CHAIN: [EmbeddedRevision; 3] = [
    EmbeddedRevision {
        source: "//! two\r\nuse stratum::prelude::*;\r\n",
        ..embedded(
            Revision::new("002")
                .revises(&["001"])
                .created("2025-01-11 14:31:00"),
            "2025_01_11_1431-002_add_indexes.rs",
            up_002,
            down_002,
        )
    },
    EmbeddedRevision {
        source: "//! one\nuse stratum::prelude::*;\n",
        ..embedded(
            Revision::new("001").message("Add user preferences"),
            "2025_01_10_0900-001_add_user_preferences.rs",
            up_001,
            down_001,
        )
    },
    embedded(
        Revision::new("003").revises(&["002"]),
        "notes_on_003.rs",
        nothing,
        explodes,
    ),
];

#[test]
fn loads_and_records_ops() {
    let script = Script::load(&CHAIN).unwrap();
    let order: Vec<&str> = script.iter().map(|r| r.revision.id).collect();
    assert_eq!(order, ["001", "002", "003"]);
    assert_eq!(script.map().heads(), ["003"]);
    assert_eq!(
        script.file_name("001").unwrap(),
        "2025_01_10_0900-001_add_user_preferences.rs"
    );
    assert_eq!(script.revision("002").unwrap().down_revisions, &["001"]);

    let up = script.upgrade_ops("002").unwrap();
    assert_eq!(up.len(), 2);
    assert!(matches!(&up[0], Op::CreateIndex { index, .. } if index.name == "idx_a"));
    let down = script.downgrade_ops("002").unwrap();
    assert!(matches!(&down[0], Op::DropIndex { name, .. } if name == "idx_b"));
    assert!(script.upgrade_ops("003").unwrap().is_empty());

    assert_eq!(
        script.checksum("002").unwrap(),
        checksum("//! two\nuse stratum::prelude::*;\n")
    );
    assert_ne!(
        script.checksum("001").unwrap(),
        script.checksum("002").unwrap()
    );
    assert!(matches!(
        script.upgrade_ops("nope"),
        Err(ScriptError::UnknownRevision { .. })
    ));
}

#[test]
fn panicking_revision_becomes_an_error_naming_the_file() {
    let script = Script::load(&CHAIN).unwrap();
    let err = script.downgrade_ops("003").unwrap_err();
    match &err {
        ScriptError::Panicked {
            file,
            direction,
            message,
        } => {
            assert_eq!(file, "notes_on_003.rs");
            assert_eq!(*direction, Direction::Down);
            assert_eq!(message, "column list is empty");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "notes_on_003.rs: the downgrade function panicked: column list is empty"
    );
}

static DUPLICATE: [EmbeddedRevision; 3] = [
    embedded(
        Revision::new("001"),
        "2025_01_10_0900-001_a.rs",
        nothing,
        nothing,
    ),
    embedded(
        Revision::new("002").revises(&["001"]),
        "2025_01_10_0901-002_b.rs",
        nothing,
        nothing,
    ),
    embedded(
        Revision::new("002").revises(&["001"]),
        "copy_of_b.rs",
        nothing,
        nothing,
    ),
];

static MISSING: [EmbeddedRevision; 2] = [
    embedded(
        Revision::new("001"),
        "2025_01_10_0900-001_a.rs",
        nothing,
        nothing,
    ),
    embedded(
        Revision::new("002").revises(&["000"]),
        "2025_01_10_0901-002_b.rs",
        nothing,
        nothing,
    ),
];

static CYCLE: [EmbeddedRevision; 3] = [
    embedded(Revision::new("001"), "one.rs", nothing, nothing),
    embedded(
        Revision::new("002").revises(&["001", "003"]),
        "two.rs",
        nothing,
        nothing,
    ),
    embedded(
        Revision::new("003").revises(&["002"]),
        "three.rs",
        nothing,
        nothing,
    ),
];

static MISNAMED: [EmbeddedRevision; 1] = [embedded(
    Revision::new("001"),
    "2025_01_10_0900-010_a.rs",
    nothing,
    nothing,
)];

static BAD_CREATED: [EmbeddedRevision; 1] = [embedded(
    Revision::new("001").created("yesterday"),
    "one.rs",
    nothing,
    nothing,
)];

#[test]
fn load_errors_name_files() {
    let err = Script::load(&DUPLICATE).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2025_01_10_0901-002_b.rs, copy_of_b.rs: revision id 002 is used by more than one revision; give one of them a new id"
    );

    let err = Script::load(&MISSING).unwrap_err();
    match &err {
        ScriptError::Graph { files, error } => {
            assert_eq!(files, &["2025_01_10_0901-002_b.rs"]);
            assert_eq!(
                error,
                &GraphError::MissingParent {
                    id: "002".into(),
                    parent: "000".into()
                }
            );
        }
        other => panic!("{other:?}"),
    }

    let err = Script::load(&CYCLE).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("two.rs, three.rs: revisions form a cycle: 002 -> 003 -> 002"),
        "{msg}"
    );

    let err = Script::load(&MISNAMED).unwrap_err();
    assert!(matches!(
        &err,
        ScriptError::FileNameMismatch { name_rev, header_rev, .. } if name_rev == "010" && header_rev == "001"
    ));

    let err = Script::load(&BAD_CREATED).unwrap_err();
    assert_eq!(
        err.to_string(),
        "one.rs: invalid revision header: created \"yesterday\" is not YYYY-MM-DD HH:MM:SS"
    );
}

// ---------------------------------------------------------------- new revisions

fn map(nodes: &[(&str, &[&str])]) -> RevisionMap {
    use stratum_core::revision::RevisionNode;
    RevisionMap::new(
        nodes
            .iter()
            .map(|(id, parents)| RevisionNode::new(*id).revises(parents.iter().copied()))
            .collect(),
    )
    .unwrap()
}

fn branched() -> RevisionMap {
    use stratum_core::revision::RevisionNode;
    RevisionMap::new(vec![
        RevisionNode::new("ae1027a6acf"),
        RevisionNode::new("b1")
            .revises(["ae1027a6acf"])
            .branch_labels(["reporting"]),
        RevisionNode::new("c1").revises(["ae1027a6acf"]),
    ])
    .unwrap()
}

fn opts(message: &str) -> RevisionOptions {
    RevisionOptions::new(message, at(2025, 1, 11, 14, 31))
}

#[test]
fn new_rev_ids_are_12_hex() {
    let a = new_rev_id();
    let b = new_rev_id();
    for id in [&a, &b] {
        assert_eq!(id.len(), 12);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{id}"
        );
    }
    assert_ne!(a, b);
}

#[test]
fn plans_parents_like_revision_command() {
    let empty = map(&[]);
    let rev = NewRevision::plan(&empty, &opts("Initial")).unwrap();
    assert!(rev.parents.is_empty());
    assert_eq!(rev.id.len(), 12);

    let linear = map(&[("001", &[]), ("002", &["001"])]);
    let rev = NewRevision::plan(&linear, &opts("Next")).unwrap();
    assert_eq!(rev.parents, ["002"]);

    // Several heads and no --head.
    let err = NewRevision::plan(&branched(), &opts("x")).unwrap_err();
    assert!(matches!(&err, ScriptError::MultipleHeads { heads } if heads == &["b1", "c1"]));
    assert!(err.to_string().contains("--head"), "{err}");

    // --head picks one; a label or a prefix works.
    for head in ["b1", "reporting@head", "reporting", "c"] {
        let o = RevisionOptions {
            head: Some(head.into()),
            ..opts("x")
        };
        let rev = NewRevision::plan(&branched(), &o).unwrap();
        assert_eq!(rev.parents.len(), 1, "{head}");
    }

    // A parent that is not a head needs --splice.
    let o = RevisionOptions {
        head: Some("001".into()),
        ..opts("x")
    };
    let err = NewRevision::plan(&linear, &o).unwrap_err();
    assert!(matches!(&err, ScriptError::NotAHead { id } if id == "001"));
    assert!(err.to_string().contains("--splice"));
    let o = RevisionOptions {
        head: Some("001".into()),
        splice: true,
        ..opts("x")
    };
    assert_eq!(NewRevision::plan(&linear, &o).unwrap().parents, ["001"]);

    // A new root.
    let o = RevisionOptions {
        head: Some("base".into()),
        branch_labels: vec!["extra".into()],
        ..opts("x")
    };
    assert!(NewRevision::plan(&linear, &o).unwrap().parents.is_empty());

    // Unknown --head.
    let o = RevisionOptions {
        head: Some("zzz".into()),
        ..opts("x")
    };
    assert!(matches!(
        NewRevision::plan(&linear, &o),
        Err(ScriptError::Graph {
            error: GraphError::UnknownRevision { .. },
            ..
        })
    ));
}

#[test]
fn plans_ids_labels_and_dependencies() {
    let m = branched();
    let base = RevisionOptions {
        head: Some("c1".into()),
        ..opts("x")
    };

    let o = RevisionOptions {
        rev_id: Some("003".into()),
        ..base.clone()
    };
    assert_eq!(NewRevision::plan(&m, &o).unwrap().id, "003");
    let o = RevisionOptions {
        rev_id: Some("b1".into()),
        ..base.clone()
    };
    assert!(matches!(
        NewRevision::plan(&m, &o),
        Err(ScriptError::RevisionIdTaken { .. })
    ));
    let o = RevisionOptions {
        rev_id: Some("not-ok".into()),
        ..base.clone()
    };
    assert!(matches!(
        NewRevision::plan(&m, &o),
        Err(ScriptError::Graph {
            error: GraphError::InvalidId { .. },
            ..
        })
    ));

    for (label, needle) in [
        ("reporting", "already declares"),
        ("c1", "revision id"),
        ("a@b", "'@'"),
        ("head", "reserved"),
    ] {
        let o = RevisionOptions {
            branch_labels: vec![label.into()],
            ..base.clone()
        };
        let err = NewRevision::plan(&m, &o).unwrap_err();
        assert!(err.to_string().contains(needle), "{label}: {err}");
    }

    let o = RevisionOptions {
        depends_on: vec!["reporting".into(), "b1".into()],
        ..base.clone()
    };
    assert_eq!(NewRevision::plan(&m, &o).unwrap().depends_on, ["b1"]);
    let o = RevisionOptions {
        depends_on: vec!["ae10".into()],
        head: None,
        ..base.clone()
    };
    let o = RevisionOptions {
        head: Some("b1".into()),
        ..o
    };
    assert_eq!(
        NewRevision::plan(&m, &o).unwrap().depends_on,
        ["ae1027a6acf"]
    );
    let o = RevisionOptions {
        depends_on: vec!["c1".into()],
        ..base.clone()
    };
    assert!(matches!(
        NewRevision::plan(&m, &o),
        Err(ScriptError::DependencyIsParent { .. })
    ));
}

#[test]
fn plans_merges() {
    let m = branched();
    let merge = MergeOptions {
        revisions: vec![],
        message: None,
        rev_id: Some("m1".into()),
        branch_labels: vec![],
        created: at(2025, 2, 1, 8, 0),
    };
    let rev = NewRevision::merge(&m, &merge).unwrap();
    assert_eq!(rev.parents, ["b1", "c1"]);
    assert_eq!(rev.message, "Merge b1 and c1");

    let explicit = MergeOptions {
        revisions: vec!["reporting".into(), "c1".into()],
        ..merge.clone()
    };
    assert_eq!(
        NewRevision::merge(&m, &explicit).unwrap().parents,
        ["b1", "c1"]
    );

    let one = MergeOptions {
        revisions: vec!["b1".into(), "b1".into()],
        ..merge.clone()
    };
    assert!(matches!(
        NewRevision::merge(&m, &one),
        Err(ScriptError::MergeNeedsTwo { .. })
    ));
    let related = MergeOptions {
        revisions: vec!["ae10".into(), "b1".into()],
        ..merge.clone()
    };
    let err = NewRevision::merge(&m, &related).unwrap_err();
    assert!(matches!(
        &err,
        ScriptError::MergeOfRelated { ancestor, descendant } if ancestor == "ae1027a6acf" && descendant == "b1"
    ));
    assert!(matches!(
        NewRevision::merge(&map(&[("001", &[])]), &merge),
        Err(ScriptError::MergeNeedsTwo { .. })
    ));
}

// ---------------------------------------------------------------- generated source

fn plain() -> NewRevision {
    let linear = map(&[("6e6302f1ccb6", &[])]);
    let o = RevisionOptions {
        rev_id: Some("002".into()),
        ..opts("Add composite index for acquisition datetime queries")
    };
    NewRevision::plan(&linear, &o).unwrap()
}

#[test]
fn snapshot_plain() {
    let rev = plain();
    assert_eq!(
        rev.file_name().unwrap(),
        "2025_01_11_1431-002_add_composite_index_for_acquisition.rs"
    );
    insta::assert_snapshot!("plain", new_revision_source(&rev));
}

#[test]
fn snapshot_root_without_message() {
    let o = RevisionOptions {
        rev_id: Some("001".into()),
        ..opts("")
    };
    let rev = NewRevision::plan(&map(&[]), &o).unwrap();
    assert_eq!(rev.file_name().unwrap(), "2025_01_11_1431-001_untitled.rs");
    insta::assert_snapshot!("root_without_message", new_revision_source(&rev));
}

#[test]
fn snapshot_merge() {
    let merge = MergeOptions {
        revisions: vec!["heads".into()],
        message: None,
        rev_id: Some("3f9a0c1d2e4b".into()),
        branch_labels: vec![],
        created: at(2025, 2, 1, 8, 5),
    };
    let rev = NewRevision::merge(&branched(), &merge).unwrap();
    insta::assert_snapshot!("merge", new_revision_source(&rev));
}

#[test]
fn snapshot_labels_and_dependencies() {
    let o = RevisionOptions {
        rev_id: Some("7d1e2f3a4b5c".into()),
        head: Some("base".into()),
        branch_labels: vec!["agent".into()],
        depends_on: vec!["c1".into()],
        ..opts("Agent tables: \"sessions\" & instructions\nsecond line")
    };
    let rev = NewRevision::plan(&branched(), &o).unwrap();
    insta::assert_snapshot!("labels_and_dependencies", new_revision_source(&rev));
}

#[test]
fn snapshot_autogenerated() {
    let o = RevisionOptions {
        upgrade_body: Some(
            "op.create_index(\"idx_gridsquare_acquisition_datetime_status\", \"gridsquare\", [\"acquisition_datetime\", \"status\"]).using(\"btree\");\n".into(),
        ),
        downgrade_body: Some(
            "op.drop_index(\"idx_gridsquare_acquisition_datetime_status\").table(\"gridsquare\");\n\n// and done\n".into(),
        ),
        ..plain_options()
    };
    let rev = NewRevision::plan(&map(&[("6e6302f1ccb6", &[])]), &o).unwrap();
    insta::assert_snapshot!("autogenerated", new_revision_source(&rev));
}

fn plain_options() -> RevisionOptions {
    RevisionOptions {
        rev_id: Some("002".into()),
        ..opts("Add composite index for acquisition datetime queries")
    }
}

// ---------------------------------------------------------------- writing

#[test]
fn writes_without_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let rev = plain();
    let path = write_revision(dir.path(), &rev).unwrap();
    assert_eq!(
        path.file_name().unwrap().to_str().unwrap(),
        "2025_01_11_1431-002_add_composite_index_for_acquisition.rs"
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, new_revision_source(&rev));

    // Same id again, even under another message: refused.
    let again = NewRevision {
        message: "Something else".into(),
        ..rev.clone()
    };
    let err = write_revision(dir.path(), &again).unwrap_err();
    assert!(
        matches!(&err, ScriptError::RevisionIdTaken { id, file: Some(_) } if id == "002"),
        "{err:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);

    // An id declared in a file of another naming scheme: refused too.
    std::fs::write(
        dir.path().join("legacy.rs"),
        "pub const REVISION: Revision = Revision::new(\"abc\");\n",
    )
    .unwrap();
    let other = NewRevision {
        id: "abc".into(),
        ..rev.clone()
    };
    assert!(matches!(
        write_revision(dir.path(), &other),
        Err(ScriptError::RevisionIdTaken { file: Some(f), .. }) if f == "legacy.rs"
    ));

    // A file already at the target name (a template without the id would collide).
    let clash = NewRevision {
        id: "def".into(),
        file_template: "%(rev)s".into(),
        ..rev.clone()
    };
    std::fs::write(dir.path().join("def.rs"), "// not a revision\n").unwrap();
    assert!(matches!(
        write_revision(dir.path(), &clash),
        Err(ScriptError::FileExists { .. })
    ));

    // No such directory.
    assert!(matches!(
        write_revision(&dir.path().join("missing"), &rev),
        Err(ScriptError::Io { .. })
    ));
}

#[test]
fn source_has_no_bare_carriage_return() {
    let o = RevisionOptions {
        rev_id: Some("009".into()),
        ..opts("first\rsecond\r\nthird")
    };
    let rev = NewRevision::plan(&map(&[]), &o).unwrap();
    let source = new_revision_source(&rev);
    assert!(!source.contains('\r'), "{source:?}");
    assert!(source.starts_with("//! first\n//! second\n//! third\nuse stratum::prelude::*;\n"));
    assert!(
        source.contains(r#".message("first\rsecond\r\nthird")"#),
        "{source}"
    );
}

use super::*;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn node(id: &str, parents: &[&str]) -> RevisionNode {
    RevisionNode::new(id).revises(parents.iter().copied())
}

fn map(nodes: Vec<RevisionNode>) -> RevisionMap {
    RevisionMap::new(nodes).expect("valid graph")
}

fn s(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// 001 <- 002 <- 003
fn linear() -> RevisionMap {
    map(vec![
        node("003", &["002"]),
        node("001", &[]),
        node("002", &["001"]),
    ])
}

/// a <- b1 <- b2 (label "bee"), a <- c1 <- c2 (label on c1: "sea")
fn branched() -> RevisionMap {
    map(vec![
        node("a", &[]),
        node("b1", &["a"]).branch_labels(["bee"]),
        node("b2", &["b1"]),
        node("c1", &["a"]).branch_labels(["sea"]),
        node("c2", &["c1"]),
    ])
}

/// branched() plus m merging b2 and c2, and n after m.
fn merged() -> RevisionMap {
    map(vec![
        node("a", &[]),
        node("b1", &["a"]),
        node("b2", &["b1"]),
        node("c1", &["a"]),
        node("c2", &["c1"]),
        node("m", &["b2", "c2"]),
        node("n", &["m"]),
    ])
}

fn steps(plan: &[PlanStep]) -> Vec<(&str, Direction, Vec<&str>, Vec<&str>)> {
    plan.iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.direction,
                s.heads_before.iter().map(String::as_str).collect(),
                s.heads_after.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

fn ids(plan: &[PlanStep]) -> Vec<&str> {
    plan.iter().map(|s| s.id.as_str()).collect()
}

use Direction::{Down, Up};

// ---------------------------------------------------------------- validation

#[test]
fn rejects_duplicate_ids() {
    let err = RevisionMap::new(vec![node("a", &[]), node("a", &[])]).unwrap_err();
    assert_eq!(err, GraphError::DuplicateId { id: "a".into() });
    assert_eq!(err.revision_id(), Some("a"));
}

#[test]
fn rejects_missing_parent_and_dependency() {
    let err = RevisionMap::new(vec![node("a", &[]), node("b", &["zz"])]).unwrap_err();
    assert_eq!(
        err,
        GraphError::MissingParent {
            id: "b".into(),
            parent: "zz".into()
        }
    );
    let err =
        RevisionMap::new(vec![node("a", &[]), node("b", &["a"]).depends_on(["q"])]).unwrap_err();
    assert_eq!(
        err,
        GraphError::MissingDependency {
            id: "b".into(),
            dependency: "q".into()
        }
    );
    assert!(err.to_string().contains("depends on q"), "{err}");
}

#[test]
fn rejects_repeated_reference() {
    let err =
        RevisionMap::new(vec![node("a", &[]), node("b", &["a"]).depends_on(["a"])]).unwrap_err();
    assert_eq!(
        err,
        GraphError::DuplicateReference {
            id: "b".into(),
            reference: "a".into()
        }
    );
}

#[test]
fn rejects_cycles_naming_them() {
    let err = RevisionMap::new(vec![
        node("r", &[]),
        node("x", &["r", "z"]),
        node("y", &["x"]),
        node("z", &["y"]),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        GraphError::Cycle {
            ids: s(&["x", "z", "y"])
        }
    );
    assert!(err.to_string().contains("x -> z -> y -> x"), "{err}");
    assert_eq!(err.revision_ids(), ["x", "z", "y"]);

    let err = RevisionMap::new(vec![node("s", &["s"])]).unwrap_err();
    assert_eq!(err, GraphError::Cycle { ids: s(&["s"]) });

    // A cycle through a dependency.
    let err =
        RevisionMap::new(vec![node("p", &[]).depends_on(["q"]), node("q", &["p"])]).unwrap_err();
    assert!(matches!(err, GraphError::Cycle { .. }), "{err:?}");
}

#[test]
fn rejects_bad_ids() {
    for (id, needle) in [
        ("", "empty"),
        ("0123456789abcdef0123456789abcdef0", "33 characters"),
        ("ab-c", "'-'"),
        ("a b", "' '"),
        ("x@y", "'@'"),
        ("head", "reserved"),
        ("base", "reserved"),
    ] {
        let err = RevisionMap::new(vec![node(id, &[])]).unwrap_err();
        match &err {
            GraphError::InvalidId { id: got, reason } => {
                assert_eq!(got, id);
                assert!(reason.contains(needle), "{id:?}: {reason}");
            }
            other => panic!("{id:?}: {other:?}"),
        }
    }
    // 32 characters is the limit, and it is fine.
    assert!(RevisionMap::new(vec![node("0123456789abcdef0123456789abcdef", &[])]).is_ok());
}

#[test]
fn rejects_duplicate_and_bad_branch_labels() {
    let err = RevisionMap::new(vec![
        node("a", &[]).branch_labels(["main"]),
        node("b", &["a"]).branch_labels(["main"]),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        GraphError::DuplicateBranchLabel {
            label: "main".into(),
            first: "a".into(),
            second: "b".into()
        }
    );
    for label in ["", "heads", "a@b", "-x", "b"] {
        let err = RevisionMap::new(vec![
            node("a", &[]),
            node("b", &["a"]).branch_labels([label]),
        ])
        .unwrap_err();
        assert!(
            matches!(&err, GraphError::InvalidBranchLabel { id, label: l, .. } if id == "b" && l == label),
            "{label:?}: {err:?}"
        );
    }
}

#[test]
fn empty_map_is_fine() {
    let m = map(vec![]);
    assert!(m.is_empty());
    assert!(m.heads().is_empty());
    assert!(m.plan_upgrade(&[], "head").unwrap().is_empty());
    assert!(m.plan_downgrade(&[], "base").unwrap().is_empty());
}

// ---------------------------------------------------------------- queries

#[test]
fn linear_queries() {
    let m = linear();
    assert_eq!(m.len(), 3);
    assert_eq!(m.heads(), ["003"]);
    assert_eq!(m.bases(), ["001"]);
    assert_eq!(m.get("002").unwrap().down_revisions, ["001"]);
    assert!(m.get("00").is_none());
    assert_eq!(m.ancestors("003").unwrap(), ["001", "002"]);
    assert_eq!(m.descendants("001").unwrap(), ["002", "003"]);
    assert!(m.branch_points().is_empty());
    assert!(m.merge_points().is_empty());
    let history: Vec<&str> = m.history().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(history, ["003", "002", "001"]);
    assert!(m.is_ancestor("001", "003").unwrap());
    assert!(!m.is_ancestor("003", "001").unwrap());
    assert!(matches!(
        m.ancestors("nope"),
        Err(GraphError::UnknownRevision { .. })
    ));
}

#[test]
fn branch_and_merge_queries() {
    let b = branched();
    assert_eq!(b.heads(), ["b2", "c2"]);
    assert_eq!(b.branch_points(), ["a"]);
    assert_eq!(b.children("a").unwrap(), ["b1", "c1"]);
    assert_eq!(b.branch_label("sea").unwrap().id, "c1");
    // History follows one branch to its end before the other.
    let history: Vec<&str> = b.history().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(history, ["c2", "c1", "b2", "b1", "a"]);

    let m = merged();
    assert_eq!(m.heads(), ["n"]);
    assert_eq!(m.merge_points(), ["m"]);
    assert_eq!(m.branch_points(), ["a"]);
    assert_eq!(m.ancestors("m").unwrap(), ["a", "b1", "b2", "c1", "c2"]);
    assert_eq!(m.descendants("c1").unwrap(), ["c2", "m", "n"]);
}

#[test]
fn dependency_only_target_stays_a_head() {
    let m = map(vec![
        node("a", &[]),
        node("x", &[]).branch_labels(["other"]),
        node("b", &["a"]).depends_on(["x"]),
    ]);
    // Heads come in topological order: x before b, which depends on it.
    assert_eq!(m.heads(), ["x", "b"]);
    assert_eq!(m.ancestors("b").unwrap(), ["a", "x"]);
    assert_eq!(m.descendants("x").unwrap(), ["b"]);
}

#[test]
fn order_is_independent_of_input_order() {
    let forward = merged();
    let mut nodes: Vec<RevisionNode> = forward.iter().cloned().collect();
    nodes.reverse();
    let backward = map(nodes);
    let a: Vec<&str> = forward.iter().map(|n| n.id.as_str()).collect();
    let b: Vec<&str> = backward.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(a, b);
    assert_eq!(a, ["a", "b1", "b2", "c1", "c2", "m", "n"]);
}

// ---------------------------------------------------------------- targets

#[test]
fn parses_every_target_form() {
    use Target as T;
    let cases = [
        ("head", T::Head),
        ("heads", T::Heads),
        ("base", T::Base),
        ("ae10", T::Revision("ae10".into())),
        ("+2", T::Relative(2)),
        ("-1", T::Relative(-1)),
        (
            "ae10+3",
            T::RevisionRelative {
                from: "ae10".into(),
                delta: 3,
            },
        ),
        (
            "ae10-1",
            T::RevisionRelative {
                from: "ae10".into(),
                delta: -1,
            },
        ),
        ("feature@head", T::BranchHead("feature".into())),
        (
            "feature@+1",
            T::BranchRelative {
                branch: "feature".into(),
                delta: 1,
            },
        ),
        (
            "feature@-2",
            T::BranchRelative {
                branch: "feature".into(),
                delta: -2,
            },
        ),
        (
            "feature@ae10",
            T::BranchRevision {
                branch: "feature".into(),
                revision: "ae10".into(),
            },
        ),
    ];
    for (text, want) in cases {
        let got = Target::parse(text).unwrap();
        assert_eq!(got, want, "{text}");
        assert_eq!(got.to_string(), text);
    }
    for bad in [
        "", "+", "-x", "+0", "@head", "x@", "a@b@c", "x@heads", "a b",
    ] {
        assert!(
            matches!(Target::parse(bad), Err(GraphError::InvalidTarget { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn resolves_head_heads_base() {
    let l = linear();
    assert_eq!(l.resolve_str("head", &[]).unwrap(), ["003"]);
    assert_eq!(l.resolve_str("heads", &[]).unwrap(), ["003"]);
    assert!(l.resolve_str("base", &[]).unwrap().is_empty());

    let b = branched();
    let err = b.resolve_str("head", &[]).unwrap_err();
    assert_eq!(
        err,
        GraphError::MultipleHeads {
            heads: s(&["b2", "c2"])
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("b2, c2") && msg.contains("upgrade heads") && msg.contains("merge"),
        "{msg}"
    );
    assert_eq!(b.resolve_str("heads", &[]).unwrap(), ["b2", "c2"]);
}

#[test]
fn resolves_ids_prefixes_and_labels() {
    let m = map(vec![
        node("ae1027a6acf", &[]),
        node("ae2", &["ae1027a6acf"]).branch_labels(["feature"]),
        node("1975ea83b712", &["ae2"]),
    ]);
    assert_eq!(m.lookup("ae1027a6acf").unwrap(), "ae1027a6acf");
    assert_eq!(m.lookup("ae10").unwrap(), "ae1027a6acf");
    assert_eq!(m.lookup("1").unwrap(), "1975ea83b712");
    assert_eq!(m.lookup("feature").unwrap(), "ae2");
    // An exact id wins over a longer id it prefixes.
    assert_eq!(m.lookup("ae2").unwrap(), "ae2");
    assert_eq!(
        m.lookup("ae").unwrap_err(),
        GraphError::AmbiguousPrefix {
            prefix: "ae".into(),
            candidates: s(&["ae1027a6acf", "ae2"])
        }
    );
    let err = m.lookup("zz").unwrap_err();
    assert_eq!(
        err,
        GraphError::UnknownRevision {
            target: "zz".into()
        }
    );
    assert!(err.to_string().contains("\"zz\""));
}

#[test]
fn resolves_relative_to_current() {
    let l = linear();
    assert_eq!(l.resolve_str("+1", &[]).unwrap(), ["001"]);
    assert_eq!(l.resolve_str("+2", &s(&["001"])).unwrap(), ["003"]);
    assert_eq!(l.resolve_str("-1", &s(&["003"])).unwrap(), ["002"]);
    assert!(l.resolve_str("-3", &s(&["003"])).unwrap().is_empty());
    let err = l.resolve_str("-5", &s(&["003"])).unwrap_err();
    assert_eq!(
        err,
        GraphError::RelativeOutOfRange {
            target: "-5".into(),
            requested: 5,
            available: 3
        }
    );
    assert!(err.to_string().contains("only 3"), "{err}");
    assert_eq!(
        l.resolve_str("+2", &s(&["002"])).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "+2".into(),
            requested: 2,
            available: 1
        }
    );
    assert_eq!(
        l.resolve_str("-1", &[]).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "-1".into(),
            requested: 1,
            available: 0
        }
    );

    let b = branched();
    assert_eq!(
        b.resolve_str("+1", &s(&["b2", "c1"])).unwrap_err(),
        GraphError::AmbiguousCurrentHeads {
            target: "+1".into(),
            current: s(&["b2", "c1"])
        }
    );
    assert_eq!(
        b.resolve_str("+1", &s(&["a"])).unwrap_err(),
        GraphError::AmbiguousWalk {
            target: "+1".into(),
            from: Some("a".into()),
            candidates: s(&["b1", "c1"])
        }
    );
    let m = merged();
    assert_eq!(
        m.resolve_str("-2", &s(&["n"])).unwrap_err(),
        GraphError::AmbiguousWalk {
            target: "-2".into(),
            from: Some("m".into()),
            candidates: s(&["b2", "c2"])
        }
    );
}

#[test]
fn resolves_relative_to_a_revision() {
    let l = linear();
    assert_eq!(l.resolve_str("001+2", &[]).unwrap(), ["003"]);
    assert_eq!(l.resolve_str("003-1", &[]).unwrap(), ["002"]);
    assert!(l.resolve_str("002-2", &[]).unwrap().is_empty());
    assert_eq!(
        l.resolve_str("002-3", &[]).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "002-3".into(),
            requested: 3,
            available: 2
        }
    );
    assert_eq!(
        l.resolve_str("003+1", &[]).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "003+1".into(),
            requested: 1,
            available: 0
        }
    );
}

#[test]
fn resolves_branch_targets() {
    let b = branched();
    assert_eq!(b.resolve_str("bee@head", &[]).unwrap(), ["b2"]);
    assert_eq!(b.resolve_str("sea@head", &[]).unwrap(), ["c2"]);
    assert_eq!(b.resolve_str("c1@head", &[]).unwrap(), ["c2"]);
    assert_eq!(
        b.resolve_str("a@head", &[]).unwrap_err(),
        GraphError::MultipleHeads {
            heads: s(&["b2", "c2"])
        }
    );
    // Relative on a branch: from the branch's current revision.
    assert_eq!(b.resolve_str("sea@+1", &s(&["b2"])).unwrap(), ["c1"]);
    assert_eq!(b.resolve_str("sea@+1", &s(&["b2", "c1"])).unwrap(), ["c2"]);
    assert_eq!(b.resolve_str("bee@-1", &s(&["b2", "c2"])).unwrap(), ["b1"]);
    assert_eq!(b.resolve_str("bee@-2", &s(&["b2", "c2"])).unwrap(), ["a"]);
    assert_eq!(
        b.resolve_str("sea@+3", &s(&["a"])).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "sea@+3".into(),
            requested: 3,
            available: 2
        }
    );
    assert_eq!(b.resolve_str("sea@c2", &[]).unwrap(), ["c2"]);
    assert_eq!(
        b.resolve_str("sea@b2", &[]).unwrap_err(),
        GraphError::NotInBranch {
            branch: "sea".into(),
            id: "b2".into()
        }
    );
    assert!(matches!(
        b.resolve_str("nolabel@head", &[]),
        Err(GraphError::UnknownRevision { .. })
    ));
}

#[test]
fn label_lineage_reaches_down_to_the_branch_point() {
    // r <- s <- t (label on t) : s and r are on the branch (no branch point below).
    let m = map(vec![
        node("r", &[]),
        node("s", &["r"]),
        node("t", &["s"]).branch_labels(["x"]),
    ]);
    assert_eq!(m.resolve_str("x@s", &[]).unwrap(), ["s"]);
    assert_eq!(m.resolve_str("x@+1", &[]).unwrap(), ["r"]);
    // At a branch point the lineage stops.
    let b = branched();
    assert_eq!(
        b.resolve_str("bee@a", &[]).unwrap_err(),
        GraphError::NotInBranch {
            branch: "bee".into(),
            id: "a".into()
        }
    );
}

#[test]
fn current_heads_are_checked() {
    let l = linear();
    assert_eq!(
        l.plan_upgrade(&s(&["999"]), "head").unwrap_err(),
        GraphError::UnknownCurrentRevision { id: "999".into() }
    );
    assert!(
        l.plan_upgrade(&s(&["999"]), "head")
            .unwrap_err()
            .to_string()
            .contains("unknown revision 999")
    );
    assert_eq!(
        l.plan_upgrade(&s(&["001", "003"]), "head").unwrap_err(),
        GraphError::InconsistentCurrentHeads {
            ancestor: "001".into(),
            descendant: "003".into()
        }
    );
    // Duplicated rows are harmless.
    assert!(
        l.plan_upgrade(&s(&["003", "003"]), "head")
            .unwrap()
            .is_empty()
    );
    assert_eq!(l.applied(&s(&["002"])).unwrap(), ["001", "002"]);
}

// ---------------------------------------------------------------- planning

#[test]
fn linear_upgrade_and_downgrade() {
    let l = linear();
    let up = l.plan_upgrade(&[], "head").unwrap();
    assert_eq!(
        steps(&up),
        [
            ("001", Up, vec![], vec!["001"]),
            ("002", Up, vec!["001"], vec!["002"]),
            ("003", Up, vec!["002"], vec!["003"]),
        ]
    );
    assert_eq!(ids(&l.plan_upgrade(&s(&["001"]), "+1").unwrap()), ["002"]);
    assert_eq!(
        ids(&l.plan_upgrade(&s(&["001"]), "003").unwrap()),
        ["002", "003"]
    );
    // Already there or past it: nothing to do.
    assert!(l.plan_upgrade(&s(&["003"]), "head").unwrap().is_empty());
    assert!(l.plan_upgrade(&s(&["003"]), "001").unwrap().is_empty());

    let down = l.plan_downgrade(&s(&["003"]), "001").unwrap();
    assert_eq!(
        steps(&down),
        [
            ("003", Down, vec!["003"], vec!["002"]),
            ("002", Down, vec!["002"], vec!["001"]),
        ]
    );
    let down = l.plan_downgrade(&s(&["003"]), "base").unwrap();
    assert_eq!(ids(&down), ["003", "002", "001"]);
    assert_eq!(down[2].heads_after, Vec::<String>::new());
    assert_eq!(ids(&l.plan_downgrade(&s(&["003"]), "-1").unwrap()), ["003"]);
    assert!(l.plan_downgrade(&s(&["002"]), "002").unwrap().is_empty());
}

#[test]
fn wrong_direction_and_not_applied() {
    let l = linear();
    assert!(matches!(
        l.plan_upgrade(&s(&["003"]), "-1"),
        Err(GraphError::InvalidTarget { .. })
    ));
    assert!(matches!(
        l.plan_downgrade(&s(&["001"]), "+1"),
        Err(GraphError::InvalidTarget { .. })
    ));
    let err = l.plan_downgrade(&s(&["001"]), "003").unwrap_err();
    assert_eq!(
        err,
        GraphError::NotApplied {
            target: "003".into(),
            id: "003".into(),
            current: s(&["001"])
        }
    );
    assert!(matches!(
        branched().plan_downgrade(&s(&["b2", "c2"]), "heads"),
        Err(GraphError::InvalidTarget { .. })
    ));
    assert!(matches!(
        l.plan_downgrade(&s(&["003"]), "-4"),
        Err(GraphError::RelativeOutOfRange {
            requested: 4,
            available: 3,
            ..
        })
    ));
}

#[test]
fn branch_upgrade_adds_a_row_and_downgrade_removes_it() {
    let b = branched();
    assert!(matches!(
        b.plan_upgrade(&[], "head"),
        Err(GraphError::MultipleHeads { .. })
    ));
    let up = b.plan_upgrade(&[], "heads").unwrap();
    assert_eq!(
        steps(&up),
        [
            ("a", Up, vec![], vec!["a"]),
            ("b1", Up, vec!["a"], vec!["b1"]),
            ("b2", Up, vec!["b1"], vec!["b2"]),
            // The other branch's parent is no longer a row: a new row.
            ("c1", Up, vec!["b2"], vec!["b2", "c1"]),
            ("c2", Up, vec!["b2", "c1"], vec!["b2", "c2"]),
        ]
    );
    // One branch only.
    assert_eq!(
        ids(&b.plan_upgrade(&[], "sea@head").unwrap()),
        ["a", "c1", "c2"]
    );
    assert_eq!(
        ids(&b.plan_upgrade(&s(&["c2"]), "bee@head").unwrap()),
        ["b1", "b2"]
    );

    // Downgrading one branch while the other keeps `a`: rows go away.
    let down = b.plan_downgrade(&s(&["b2", "c2"]), "c2").unwrap();
    assert!(down.is_empty());
    let down = b.plan_downgrade(&s(&["b2", "c2"]), "b1").unwrap();
    assert_eq!(
        steps(&down),
        [("b2", Down, vec!["b2", "c2"], vec!["b1", "c2"])]
    );
    let down = b.plan_downgrade(&s(&["b1", "c2"]), "bee@-1").unwrap();
    assert_eq!(steps(&down), [("b1", Down, vec!["b1", "c2"], vec!["c2"])]);
    // Down to the branch point: both branches go, newest branch first.
    let down = b.plan_downgrade(&s(&["b2", "c2"]), "a").unwrap();
    assert_eq!(
        steps(&down),
        [
            ("c2", Down, vec!["b2", "c2"], vec!["b2", "c1"]),
            ("c1", Down, vec!["b2", "c1"], vec!["b2"]),
            ("b2", Down, vec!["b2"], vec!["b1"]),
            ("b1", Down, vec!["b1"], vec!["a"]),
        ]
    );
}

#[test]
fn merge_upgrade_and_downgrade() {
    let m = merged();
    let up = m.plan_upgrade(&s(&["b2", "c1"]), "head").unwrap();
    assert_eq!(
        steps(&up),
        [
            ("c2", Up, vec!["b2", "c1"], vec!["b2", "c2"]),
            // A merge replaces both parents.
            ("m", Up, vec!["b2", "c2"], vec!["m"]),
            ("n", Up, vec!["m"], vec!["n"]),
        ]
    );
    // Down to one parent of the merge: the merge goes, both parents stay applied.
    let down = m.plan_downgrade(&s(&["n"]), "b2").unwrap();
    assert_eq!(ids(&down), ["n", "m"]);
    assert_eq!(down[1].heads_after, s(&["b2", "c2"]));
    // Downgrading the merge restores both parents.
    let down = m.plan_downgrade(&s(&["n"]), "c2").unwrap();
    assert_eq!(
        steps(&down),
        [
            ("n", Down, vec!["n"], vec!["m"]),
            ("m", Down, vec!["m"], vec!["b2", "c2"])
        ]
    );
    // Downgrading one side of the merged branches keeps the other side's row.
    let down = m.plan_downgrade(&s(&["n"]), "c1").unwrap();
    assert_eq!(ids(&down), ["n", "m", "c2"]);
    assert_eq!(down[2].heads_after, s(&["b2", "c1"]));
    assert_eq!(
        ids(&m.plan_downgrade(&s(&["n"]), "base").unwrap()),
        ["n", "m", "c2", "c1", "b2", "b1", "a"]
    );
}

#[test]
fn depends_on_is_applied_first_and_removed_after() {
    // Two independent roots; b2 depends on x2 of the other tree.
    let m = map(vec![
        node("b1", &[]).branch_labels(["main"]),
        node("b2", &["b1"]).depends_on(["x2"]),
        node("x1", &[]).branch_labels(["extra"]),
        node("x2", &["x1"]),
        node("x3", &["x2"]),
    ]);
    assert_eq!(m.heads(), ["x3", "b2"]);
    let up = m.plan_upgrade(&[], "main@head").unwrap();
    assert_eq!(
        steps(&up),
        [
            ("b1", Up, vec![], vec!["b1"]),
            ("x1", Up, vec!["b1"], vec!["b1", "x1"]),
            ("x2", Up, vec!["b1", "x1"], vec!["b1", "x2"]),
            // A dependency that is a row is absorbed, like a parent.
            ("b2", Up, vec!["b1", "x2"], vec!["b2"]),
        ]
    );
    let up = m.plan_upgrade(&s(&["b2"]), "heads").unwrap();
    assert_eq!(steps(&up), [("x3", Up, vec!["b2"], vec!["b2", "x3"])]);
    // Downgrading the dependency takes its dependents with it.
    let down = m.plan_downgrade(&s(&["b2", "x3"]), "x1").unwrap();
    assert_eq!(
        steps(&down),
        [
            ("b2", Down, vec!["b2", "x3"], vec!["b1", "x3"]),
            ("x3", Down, vec!["b1", "x3"], vec!["b1", "x2"]),
            ("x2", Down, vec!["b1", "x2"], vec!["b1", "x1"]),
        ]
    );
}

#[test]
fn stamp_rows() {
    let b = branched();
    assert_eq!(b.heads_for_stamp(&[], "heads").unwrap(), ["b2", "c2"]);
    assert_eq!(
        b.heads_for_stamp(&s(&["b2", "c2"]), "b1").unwrap(),
        ["b1", "c2"]
    );
    assert_eq!(
        b.heads_for_stamp(&s(&["b1", "c2"]), "bee@head").unwrap(),
        ["b2", "c2"]
    );
    assert_eq!(b.heads_for_stamp(&s(&["b2", "c2"]), "a").unwrap(), ["a"]);
    assert!(
        b.heads_for_stamp(&s(&["b2", "c2"]), "base")
            .unwrap()
            .is_empty()
    );
    assert_eq!(b.heads_for_stamp(&s(&["c1"]), "b2").unwrap(), ["b2", "c1"]);
    assert!(matches!(
        b.heads_for_stamp(&[], "head"),
        Err(GraphError::MultipleHeads { .. })
    ));
    assert!(matches!(
        b.heads_for_stamp(&s(&["gone"]), "b2"),
        Err(GraphError::UnknownCurrentRevision { .. })
    ));
    let m = merged();
    assert_eq!(m.heads_for_stamp(&s(&["b2", "c1"]), "m").unwrap(), ["m"]);
}

// ---------------------------------------------------------------- properties

/// Random DAGs: node i picks parents and dependencies among earlier nodes; ids are
/// shuffled so that id order differs from creation order.
fn arb_dag() -> impl Strategy<Value = Vec<RevisionNode>> {
    (1usize..14)
        .prop_flat_map(|n| {
            let links = proptest::collection::vec(
                (
                    proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
                    proptest::collection::vec(any::<prop::sample::Index>(), 0..2),
                ),
                n,
            );
            (
                Just(n),
                links,
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(n, links, names)| {
            let id = |i: usize| format!("r{:02}", names[i]);
            (0..n)
                .map(|i| {
                    let (ps, ds) = &links[i];
                    let mut used = BTreeSet::new();
                    let mut parents = Vec::new();
                    let mut deps = Vec::new();
                    if i > 0 {
                        for p in ps {
                            let p = p.index(i);
                            if used.insert(p) {
                                parents.push(id(p));
                            }
                        }
                        for d in ds {
                            let d = d.index(i);
                            if used.insert(d) {
                                deps.push(id(d));
                            }
                        }
                    }
                    RevisionNode::new(id(i)).revises(parents).depends_on(deps)
                })
                .collect()
        })
}

/// Everything a revision needs, computed naively from the nodes.
fn needs(nodes: &[RevisionNode], id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![id.to_owned()];
    while let Some(at) = stack.pop() {
        let n = nodes.iter().find(|n| n.id == at).unwrap();
        for p in n.down_revisions.iter().chain(&n.depends_on) {
            if out.insert(p.clone()) {
                stack.push(p.clone());
            }
        }
    }
    out
}

fn direct(nodes: &[RevisionNode], id: &str) -> Vec<String> {
    let n = nodes.iter().find(|n| n.id == id).unwrap();
    n.down_revisions
        .iter()
        .chain(&n.depends_on)
        .cloned()
        .collect()
}

fn check_chain(plan: &[PlanStep], start: &[String]) -> Vec<String> {
    let mut rows = start.to_vec();
    for step in plan {
        assert_eq!(step.heads_before, rows, "rows chain at {}", step.id);
        rows = step.heads_after.clone();
    }
    rows
}

proptest! {
    #[test]
    fn full_upgrade_then_full_downgrade(nodes in arb_dag()) {
        let m = RevisionMap::new(nodes.clone()).unwrap();
        let all: BTreeSet<String> = nodes.iter().map(|n| n.id.clone()).collect();

        let up = m.plan_upgrade(&[], "heads").unwrap();
        let seen: Vec<String> = up.iter().map(|s| s.id.clone()).collect();
        prop_assert_eq!(seen.len(), all.len());
        prop_assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), all.clone());
        let mut applied = BTreeSet::new();
        for step in &up {
            prop_assert_eq!(step.direction, Up);
            // Everything it needs is applied before it.
            prop_assert!(needs(&nodes, &step.id).is_subset(&applied));
            // Its direct parents and dependencies that were rows are replaced by it.
            let mut expected: BTreeSet<String> = step.heads_before.iter().cloned().collect();
            for p in direct(&nodes, &step.id) {
                expected.remove(&p);
            }
            expected.insert(step.id.clone());
            prop_assert_eq!(step.heads_after.iter().cloned().collect::<BTreeSet<_>>(), expected);
            applied.insert(step.id.clone());
        }
        let top = check_chain(&up, &[]);
        // At the end, the rows are exactly the revisions nothing else needs.
        let needed: BTreeSet<String> = all.iter().flat_map(|id| direct(&nodes, id)).collect();
        let expected_top: Vec<String> = all.difference(&needed).cloned().collect();
        prop_assert_eq!(&top, &expected_top);
        prop_assert!(m.plan_upgrade(&top, "heads").unwrap().is_empty());

        let down = m.plan_downgrade(&top, "base").unwrap();
        prop_assert_eq!(down.len(), all.len());
        prop_assert_eq!(down.iter().map(|s| s.id.clone()).collect::<BTreeSet<_>>(), all.clone());
        let mut remaining = all.clone();
        for step in &down {
            prop_assert_eq!(step.direction, Down);
            remaining.remove(&step.id);
            // Nothing still applied needs it.
            for other in &remaining {
                prop_assert!(!needs(&nodes, other).contains(&step.id));
            }
            // Rows: it goes; its direct needs come back unless another remaining row needs them.
            let mut expected: BTreeSet<String> = step.heads_before.iter().cloned().collect();
            expected.remove(&step.id);
            let candidates: BTreeSet<String> =
                expected.iter().cloned().chain(direct(&nodes, &step.id)).collect();
            for p in direct(&nodes, &step.id) {
                let covered = candidates.iter().any(|r| needs(&nodes, r).contains(&p));
                if !covered {
                    expected.insert(p);
                }
            }
            prop_assert_eq!(step.heads_after.iter().cloned().collect::<BTreeSet<_>>(), expected);
        }
        prop_assert!(check_chain(&down, &top).is_empty());
    }

    #[test]
    fn partial_upgrade_and_downgrade_agree(nodes in arb_dag(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let m = RevisionMap::new(nodes.clone()).unwrap();
        let first = &nodes[a.index(nodes.len())].id;
        let up = m.plan_upgrade(&[], first).unwrap();
        let rows = check_chain(&up, &[]);
        // Exactly the target and what it needs.
        let mut expected = needs(&nodes, first);
        expected.insert(first.clone());
        prop_assert_eq!(up.iter().map(|s| s.id.clone()).collect::<BTreeSet<_>>(), expected.clone());
        prop_assert_eq!(m.applied(&rows).unwrap().into_iter().map(str::to_owned).collect::<BTreeSet<_>>(), expected.clone());

        // Downgrade to any applied revision keeps exactly what does not need it.
        let applied: Vec<String> = expected.iter().cloned().collect();
        let keep = &applied[b.index(applied.len())];
        let down = m.plan_downgrade(&rows, keep).unwrap();
        let after = check_chain(&down, &rows);
        let left: BTreeSet<String> = m.applied(&after).unwrap().into_iter().map(str::to_owned).collect();
        let gone: BTreeSet<String> = down.iter().map(|s| s.id.clone()).collect();
        prop_assert!(left.contains(keep));
        for id in &expected {
            let needs_keep = needs(&nodes, id).contains(keep);
            prop_assert_eq!(gone.contains(id), needs_keep, "{}", id);
            prop_assert_eq!(left.contains(id), !needs_keep);
        }
        // Upgrading again to the same target redoes exactly what was removed.
        let again = m.plan_upgrade(&after, first).unwrap();
        prop_assert_eq!(again.iter().map(|s| s.id.clone()).collect::<BTreeSet<_>>(), gone);
        prop_assert_eq!(check_chain(&again, &after), rows);
    }
}

#[test]
fn branch_downgrade_takes_dependents_on_other_branches() {
    // a <- b1 <- b2 (label bee); a <- c1 <- c2, where c2 depends on b2.
    let m = map(vec![
        node("a", &[]),
        node("b1", &["a"]).branch_labels(["bee"]),
        node("b2", &["b1"]),
        node("c1", &["a"]),
        node("c2", &["c1"]).depends_on(["b2"]),
    ]);
    let up = m.plan_upgrade(&[], "c2").unwrap();
    assert_eq!(ids(&up), ["a", "b1", "b2", "c1", "c2"]);
    assert_eq!(up.last().unwrap().heads_after, s(&["c2"]));
    // Removing b2 from branch bee must take c2 along; c1 stays.
    let down = m.plan_downgrade(&s(&["c2"]), "bee@-1").unwrap();
    assert_eq!(
        steps(&down),
        [
            ("c2", Down, vec!["c2"], vec!["b2", "c1"]),
            ("b2", Down, vec!["b2", "c1"], vec!["b1", "c1"]),
        ]
    );
    // bee@b1 means the same thing.
    assert_eq!(m.plan_downgrade(&s(&["c2"]), "bee@b1").unwrap(), down);
    // And bee@-2 removes the whole branch, but not the shared base.
    let down = m.plan_downgrade(&s(&["c2"]), "bee@-2").unwrap();
    assert_eq!(ids(&down), ["c2", "b2", "b1"]);
    assert_eq!(down.last().unwrap().heads_after, s(&["c1"]));
}

#[test]
fn revision_at_head_and_prefix_targets_in_plans() {
    let m = map(vec![
        node("ae1027a6acf", &[]),
        node("ae2b", &["ae1027a6acf"]),
        node("c3", &["ae2b"]),
    ]);
    assert_eq!(
        ids(&m.plan_upgrade(&[], "ae10@head").unwrap()),
        ["ae1027a6acf", "ae2b", "c3"]
    );
    assert_eq!(
        ids(&m.plan_upgrade(&[], "ae10+1").unwrap()),
        ["ae1027a6acf", "ae2b"]
    );
    assert!(matches!(
        m.plan_upgrade(&[], "ae"),
        Err(GraphError::AmbiguousPrefix { .. })
    ));
    assert!(matches!(
        m.plan_downgrade(&s(&["c3"]), "zz"),
        Err(GraphError::UnknownRevision { .. })
    ));
    assert_eq!(
        ids(&m.plan_downgrade(&s(&["c3"]), "c3-2").unwrap()),
        ["c3", "ae2b"]
    );
    assert_eq!(m.heads_for_stamp(&s(&["c3"]), "-1").unwrap(), ["ae2b"]);
    assert_eq!(m.heads_for_stamp(&[], "ae2").unwrap(), ["ae2b"]);
}

#[test]
fn error_messages_name_the_way_out() {
    let msg = GraphError::RelativeOutOfRange {
        target: "-5".into(),
        requested: 5,
        available: 3,
    }
    .to_string();
    assert_eq!(
        msg,
        "\"-5\" asks for 5 step(s) but only 3 are possible from there; use a smaller number"
    );
    let msg = GraphError::AmbiguousPrefix {
        prefix: "ae".into(),
        candidates: s(&["ae1", "ae2"]),
    }
    .to_string();
    assert_eq!(
        msg,
        "\"ae\" matches several revisions (ae1, ae2); give more characters"
    );
    let msg = GraphError::AmbiguousCurrentHeads {
        target: "+1".into(),
        current: s(&["a", "b"]),
    }
    .to_string();
    assert!(
        msg.contains("(a, b)") && msg.contains("label@+N") && msg.contains("<revision>-N"),
        "{msg}"
    );
    let msg = GraphError::NotApplied {
        target: "x".into(),
        id: "x1".into(),
        current: vec![],
    }
    .to_string();
    assert!(msg.contains("current heads: (none)"), "{msg}");
}

proptest! {
    #[test]
    fn target_display_round_trips(text in "(head|heads|base|[0-9a-f]{1,12}|[+-][1-9][0-9]{0,3}|[a-z]{1,6}@(head|[+-][1-9]|[0-9a-f]{2,6})|[0-9a-f]{3,8}[+-][1-9])") {
        let target = Target::parse(&text).unwrap();
        prop_assert_eq!(target.to_string(), text.clone());
        prop_assert_eq!(Target::parse(&target.to_string()).unwrap(), target);
    }
}

#[test]
fn label_that_looks_relative_is_a_label() {
    let m = map(vec![
        node("a1", &[]),
        node("b1", &["a1"]).branch_labels(["release-2"]),
        node("c1", &["b1"]),
    ]);
    assert_eq!(m.resolve_str("release-2", &[]).unwrap(), ["b1"]);
    assert_eq!(m.resolve_str("release-2@head", &[]).unwrap(), ["c1"]);
    assert_eq!(m.resolve_str("c1-2", &[]).unwrap(), ["a1"]);
}

proptest! {
    #[test]
    fn stamp_keeps_unrelated_rows_and_lands_on_target(
        nodes in arb_dag(),
        a in any::<prop::sample::Index>(),
        t in any::<prop::sample::Index>(),
    ) {
        let m = RevisionMap::new(nodes.clone()).unwrap();
        let first = &nodes[a.index(nodes.len())].id;
        let rows = check_chain(&m.plan_upgrade(&[], first).unwrap(), &[]);
        let target = &nodes[t.index(nodes.len())].id;
        let stamped = m.heads_for_stamp(&rows, target).unwrap();
        // The rows are valid version rows and the target is among them.
        prop_assert!(m.applied(&stamped).is_ok());
        prop_assert!(stamped.contains(target));
        let related = |x: &String| {
            x == target || needs(&nodes, x).contains(target) || needs(&nodes, target).contains(x)
        };
        for row in &stamped {
            prop_assert!(row == target || !related(row), "{} is related to {}", row, target);
        }
        // Every old row unrelated to the target survives.
        for row in rows.iter().filter(|r| !related(r)) {
            prop_assert!(stamped.contains(row), "{} was dropped", row);
        }
    }
}

/// `heads_for_stamp` as it was before it used `maximal`: each kept row is
/// checked against every other one. Kept to check the faster version against.
fn heads_for_stamp_pairwise(
    m: &RevisionMap,
    current_heads: &[String],
    target: &str,
) -> Result<Vec<String>, GraphError> {
    let parsed = Target::parse(target)?;
    let current = m.current_indexes(current_heads)?;
    let targets = m.resolve_indexes(&parsed, current_heads)?;
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let above = m.ancestor_set(&targets);
    let below = m.descendant_set(&targets);
    let mut keep: Vec<usize> = current
        .into_iter()
        .filter(|&c| !above[c] && !below[c])
        .chain(targets)
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let rows: Vec<usize> = keep
        .iter()
        .copied()
        .filter(|&r| {
            !keep
                .iter()
                .any(|&other| other != r && m.ancestor_set(&[other])[r])
        })
        .collect();
    let mut rows = m.owned_ids(&rows);
    rows.sort();
    Ok(rows)
}

proptest! {
    #[test]
    fn stamp_rows_match_the_pairwise_check(
        nodes in arb_dag(),
        picked in proptest::collection::vec(any::<prop::sample::Index>(), 0..5),
        consistent in any::<bool>(),
        t in any::<prop::sample::Index>(),
        word in 0usize..6,
    ) {
        let m = RevisionMap::new(nodes.clone()).unwrap();
        // Current rows: a random subset, usually without members that others need.
        let mut current: Vec<String> =
            picked.iter().map(|p| nodes[p.index(nodes.len())].id.clone()).collect();
        if consistent {
            let all = current.clone();
            current.retain(|c| !all.iter().any(|o| needs(&nodes, o).contains(c)));
        }
        let target = match word {
            0 => "heads".to_owned(),
            1 => "head".to_owned(),
            2 => "base".to_owned(),
            3 => "-1".to_owned(),
            _ => nodes[t.index(nodes.len())].id.clone(),
        };
        prop_assert_eq!(
            m.heads_for_stamp(&current, &target),
            heads_for_stamp_pairwise(&m, &current, &target)
        );
    }
}

#[test]
fn head_minus_n_counts_down_from_the_single_head() {
    let m = linear();
    assert_eq!(m.resolve_str("head-1", &[]).unwrap(), ["002"]);
    assert_eq!(m.resolve_str("head-2", &s(&["003"])).unwrap(), ["001"]);
    assert!(m.resolve_str("head-3", &[]).unwrap().is_empty(), "base");
    assert_eq!(
        m.resolve_str("head-4", &[]).unwrap_err(),
        GraphError::RelativeOutOfRange {
            target: "head-4".into(),
            requested: 4,
            available: 3,
        }
    );
    assert!(matches!(
        m.resolve_str("head+1", &[]),
        Err(GraphError::RelativeOutOfRange { .. })
    ));
    assert_eq!(m.resolve_str("base+2", &s(&["003"])).unwrap(), ["002"]);
    // The downgrade it plans removes exactly the head.
    let down = m.plan_downgrade(&s(&["003"]), "head-1").unwrap();
    assert_eq!(
        steps(&down),
        [("003", Direction::Down, vec!["003"], vec!["002"])]
    );
    // With several heads, `head-1` is ambiguous and says so.
    assert!(matches!(
        branched().resolve_str("head-1", &[]),
        Err(GraphError::MultipleHeads { .. })
    ));
}

#[test]
fn rev_at_minus_n_with_a_revision_id_is_refused_naming_what_to_write() {
    let m = linear();
    // Whatever the database's current revision, `003@-1` never resolves: it
    // would count from the current revision, not from 003.
    for current in [&[][..], &["002"], &["003"]] {
        let err = m.resolve_str("003@-1", &s(current)).unwrap_err();
        let GraphError::InvalidTarget { target, reason } = &err else {
            panic!("expected a refusal, got {err:?}");
        };
        assert_eq!(target, "003@-1");
        assert!(reason.contains("`003-1`"), "{reason}");
        assert!(reason.contains("not a branch label"), "{reason}");
        assert!(m.plan_downgrade(&s(current), "003@-1").is_err());
    }
    // `003-1` is the revision before 003, wherever the database is.
    assert_eq!(m.resolve_str("003-1", &s(&["002"])).unwrap(), ["002"]);
    // An unknown name is reported as unknown, not as a label question.
    assert!(matches!(
        m.resolve_str("zzz@-1", &[]),
        Err(GraphError::UnknownRevision { .. })
    ));
    // With a branch label it keeps Alembic's meaning: from the branch's current
    // revision.
    let b = branched();
    assert_eq!(b.resolve_str("bee@-1", &s(&["b1", "c2"])).unwrap(), ["a"]);
    assert!(b.resolve_str("b2@-1", &s(&["b2", "c2"])).is_err());
}

#[test]
fn a_range_is_not_a_target() {
    let err = linear().resolve_str("001:003", &[]).unwrap_err();
    assert!(err.to_string().contains("only with `--sql`"), "{err}");
}

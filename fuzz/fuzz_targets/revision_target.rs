//! Revision targets as typed after `upgrade`, `downgrade`, `stamp`, `history -r`
//! and `verify`/`lint`: `head`, `+2`, `head-1`, `rev@-1`, `label@head`, id
//! prefixes and `START:END` ranges, parsed and resolved against a fixed graph
//! with branches, a merge, a second root, labels and an ambiguous prefix.
//!
//! The first byte picks the database's current version rows (any subset of the
//! graph, consistent or not); the rest is the target text.
//!
//! Properties: nothing panics; a parsed target prints as text that parses back
//! to the same target; every resolved id exists; an upgrade plan only adds
//! revisions that are not applied, a downgrade plan only removes applied ones,
//! each once, and each step's rows before are the previous step's rows after.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use stratum::prelude::{Ops, Revision};
use stratum::script::{EmbeddedRevision, Script};
use stratum_core::revision::{Direction, PlanStep, RevisionMap, Target};

fn nothing(_: &mut Ops) {}

const fn rev(revision: Revision, file_name: &'static str) -> EmbeddedRevision {
    EmbeddedRevision {
        revision,
        upgrade: nothing,
        downgrade: nothing,
        file_name,
        source: "",
    }
}

//   a1 ─ b2 ─ c3 ──────── f6        g7 ─ g8
//          └─ d4 ─ e5 ──┘            (label other, x-1)
static REVISIONS: &[EmbeddedRevision] = &[
    rev(Revision::new("a1"), "2026_01_01_0000-a1_first.rs"),
    rev(
        Revision::new("b2").revises(&["a1"]),
        "2026_01_01_0001-b2_second.rs",
    ),
    rev(
        Revision::new("c3")
            .revises(&["b2"])
            .branch_labels(&["main"]),
        "2026_01_01_0002-c3_main.rs",
    ),
    rev(
        Revision::new("d4")
            .revises(&["b2"])
            .branch_labels(&["notes"]),
        "2026_01_01_0003-d4_notes.rs",
    ),
    rev(Revision::new("e5").revises(&["d4"]), "e5.rs"),
    rev(Revision::new("f6").revises(&["c3", "e5"]), "f6.rs"),
    rev(
        Revision::new("g7")
            .branch_labels(&["other"])
            .depends_on(&["b2"]),
        "g7.rs",
    ),
    rev(
        Revision::new("g8").revises(&["g7"]).branch_labels(&["x-1"]),
        "g8.rs",
    ),
];

fn check_steps(map: &RevisionMap, applied: &BTreeSet<String>, steps: &[PlanStep], up: bool) {
    let mut seen = BTreeSet::new();
    for (i, step) in steps.iter().enumerate() {
        assert!(
            map.contains(&step.id),
            "planned unknown revision {}",
            step.id
        );
        assert!(seen.insert(step.id.clone()), "{} planned twice", step.id);
        if up {
            assert_eq!(step.direction, Direction::Up);
            assert!(
                !applied.contains(&step.id),
                "{} is already applied",
                step.id
            );
        } else {
            assert_eq!(step.direction, Direction::Down);
            assert!(applied.contains(&step.id), "{} is not applied", step.id);
        }
        if i > 0 {
            assert_eq!(step.heads_before, steps[i - 1].heads_after);
        }
    }
}

/// A message, and no Rust debug text (`Some(...)`) unless the input held it.
fn check_error(error: &dyn std::error::Error, input: &str) {
    let text = error.to_string();
    assert!(!text.is_empty());
    if !input.contains("Some") {
        assert!(!text.contains("Some("), "debug text in a message: {text}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let text = text.as_ref();
    let script = Script::load(REVISIONS).expect("the fixed graph loads");
    let map = script.map();
    let current: Vec<String> = REVISIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| pick & (1 << i) != 0)
        .map(|(_, r)| r.revision.id.to_owned())
        .collect();

    match Target::parse(text) {
        Ok(target) => {
            let shown = target.to_string();
            let again = Target::parse(&shown)
                .unwrap_or_else(|e| panic!("{text:?} printed as {shown:?}, which fails: {e}"));
            assert_eq!(again, target, "{text:?} printed as {shown:?}");
        }
        Err(e) => check_error(&e, text),
    }

    match map.resolve_str(text, &current) {
        Ok(ids) => {
            for id in ids {
                assert!(map.contains(id), "resolved to unknown {id}");
            }
        }
        Err(e) => check_error(&e, text),
    }

    let applied: Option<BTreeSet<String>> = map
        .applied(&current)
        .ok()
        .map(|ids| ids.into_iter().map(str::to_owned).collect());
    match map.plan_upgrade(&current, text) {
        Ok(steps) => check_steps(map, applied.as_ref().expect("rows are valid"), &steps, true),
        Err(e) => check_error(&e, text),
    }
    match map.plan_downgrade(&current, text) {
        Ok(steps) => check_steps(
            map,
            applied.as_ref().expect("rows are valid"),
            &steps,
            false,
        ),
        Err(e) => check_error(&e, text),
    }
    match map.heads_for_stamp(&current, text) {
        Ok(rows) => {
            for id in rows {
                assert!(map.contains(&id), "stamp row {id} is unknown");
            }
        }
        Err(e) => check_error(&e, text),
    }
    // `verify` and `lint` ranges: `START:END` or one revision.
    match stratum::verify::select_revisions(&script, Some(text)) {
        Ok(selected) => assert!(!selected.is_empty()),
        Err(e) => check_error(&e, text),
    }
});

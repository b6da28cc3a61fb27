//! The application test kit (`stratum::testing`) catches what it is for: each
//! check fails on a history with that fault, on SQLite and on the PostgreSQL
//! server of `TEST_DATABASE_URL`.

use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::script::EmbeddedRevision;
use stratum::testing::MigrationTests;

fn create_note(op: &mut Ops) {
    op.create_table("note")
        .column(col("id", integer()).primary_key())
        .column(col("body", varchar_n(100)).not_null());
}
fn drop_note(op: &mut Ops) {
    op.drop_table("note");
}
fn index_note(op: &mut Ops) {
    op.create_index("idx_note_body", "note", ["body"]);
}
fn forget_index(_op: &mut Ops) {}
fn drop_index(op: &mut Ops) {
    op.drop_index("idx_note_body").table("note");
}
fn create_tag(op: &mut Ops) {
    op.create_table("tag")
        .column(col("id", integer()).primary_key());
}
fn add_title(op: &mut Ops) {
    op.add_column("note", col("title", varchar_n(50)));
}
fn drop_title(op: &mut Ops) {
    op.drop_column("note", "title");
}

const fn rev(
    revision: Revision,
    upgrade: fn(&mut Ops),
    downgrade: fn(&mut Ops),
) -> EmbeddedRevision {
    EmbeddedRevision {
        revision,
        upgrade,
        downgrade,
        file_name: "inline.rs",
        source: "inline",
    }
}

static GOOD: &[EmbeddedRevision] = &[
    rev(Revision::new("a1"), create_note, drop_note),
    rev(Revision::new("b2").revises(&["a1"]), index_note, drop_index),
];

/// The downgrade of b2 forgets its index.
static LEAKY: &[EmbeddedRevision] = &[
    rev(Revision::new("a1"), create_note, drop_note),
    rev(
        Revision::new("b2").revises(&["a1"]),
        index_note,
        forget_index,
    ),
];

/// The downgrade of b2 forgets its table.
static LEFTOVER: &[EmbeddedRevision] = &[
    rev(Revision::new("a1"), create_note, drop_note),
    rev(
        Revision::new("b2").revises(&["a1"]),
        create_tag,
        forget_index,
    ),
];

/// Two revisions on a1: two heads.
static FORKED: &[EmbeddedRevision] = &[
    rev(Revision::new("a1"), create_note, drop_note),
    rev(Revision::new("b2").revises(&["a1"]), index_note, drop_index),
    rev(Revision::new("c3").revises(&["a1"]), add_title, drop_title),
];

fn good_models() -> Schema {
    let mut s = Schema::default();
    for op in stratum::script::Script::load(GOOD)
        .unwrap()
        .upgrade_ops("a1")
        .unwrap()
    {
        stratum::simulate::apply(&mut s, &op).unwrap();
    }
    for op in stratum::script::Script::load(GOOD)
        .unwrap()
        .upgrade_ops("b2")
        .unwrap()
    {
        stratum::simulate::apply(&mut s, &op).unwrap();
    }
    s
}

/// The kit on `TEST_DATABASE_URL`'s server; without one (SQLite instead),
/// `CI=true` fails the test.
fn on_server(revisions: &'static [EmbeddedRevision]) -> MigrationTests {
    let server = std::env::var(stratum_testkit::DATABASE_URL_ENV).unwrap_or_default();
    if server.trim().is_empty() {
        assert!(
            !stratum_testkit::is_ci(),
            "{}: CI=true requires a PostgreSQL server",
            stratum_testkit::SKIP_MESSAGE
        );
    }
    MigrationTests::new(revisions)
}

fn kits(revisions: &'static [EmbeddedRevision]) -> [MigrationTests; 2] {
    [
        on_server(revisions),
        MigrationTests::new(revisions).sqlite(),
    ]
}

#[test]
fn a_sound_history_passes_every_check() {
    for k in kits(GOOD) {
        let k = k.models(good_models);
        k.assert_single_head();
        k.assert_upgrade();
        k.assert_models_match_head();
        k.assert_stairway();
        k.assert_downgrade_leaves_no_trace();
    }
}

#[test]
#[should_panic(expected = "2 heads (b2, c3)")]
fn two_heads_fail_single_head() {
    MigrationTests::new(FORKED).assert_single_head();
}

#[test]
#[should_panic(expected = "stairway failed at revision b2")]
fn a_downgrade_that_forgets_an_index_fails_the_stairway_on_sqlite() {
    MigrationTests::new(LEAKY).sqlite().assert_stairway();
}

#[test]
#[should_panic(expected = "stairway failed at revision b2")]
fn a_downgrade_that_forgets_an_index_fails_the_stairway_on_the_server() {
    on_server(LEAKY).assert_stairway();
}

#[test]
#[should_panic(expected = "the database differs from the empty database it started as")]
fn a_downgrade_that_forgets_a_table_leaves_a_trace() {
    MigrationTests::new(LEFTOVER).assert_downgrade_leaves_no_trace();
}

#[test]
#[should_panic(expected = "the models differ from the revisions at head")]
fn models_ahead_of_the_revisions_are_drift() {
    fn with_title() -> Schema {
        let mut s = good_models();
        stratum::simulate::apply(
            &mut s,
            &stratum::script::Script::load(FORKED)
                .unwrap()
                .upgrade_ops("c3")
                .unwrap()[0],
        )
        .unwrap();
        s
    }
    MigrationTests::new(GOOD)
        .models(with_title)
        .assert_models_match_head();
}

#[tokio::test]
async fn data_steps_work_inside_an_async_test_too() {
    let mut db = MigrationTests::new(GOOD).database();
    assert!(db.migrate_to_before("b2") == ["a1"]);
    db.execute("INSERT INTO note (id, body) VALUES (1, 'kept')");
    assert_eq!(db.step_up(), ["b2"]);
    assert_eq!(
        db.query("SELECT body FROM note"),
        [[Some("kept".to_string())]]
    );
    assert_eq!(db.step_down(), ["a1"]);
    assert!(db.downgrade("base").is_empty());
}

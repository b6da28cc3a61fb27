//! The linter over a versions directory: one deliberately hazardous revision per
//! rule (each on top of one base revision with existing tables), linted through
//! `verify::lint_script` and recorded as snapshots: rule, severity, the op, why it
//! is risky and the safer way. Acknowledged findings and a safe revision too; and
//! the MariaDB/MySQL rules, linted for that dialect.

use stratum::dialect::Dialect;
use stratum::prelude::*;
use stratum::script::{EmbeddedRevision, Script};
use stratum::verify::{LintReport, lint_script, lint_script_for};
use stratum_core::lint::{Rule, Severity};

fn base_up(op: &mut Ops) {
    op.create_enum("status", ["new", "done"]);
    op.create_table("parent")
        .column(col("id", integer()).primary_key());
    op.create_table("item")
        .column(col("id", integer()).primary_key())
        .column(col("name", varchar_n(10)).nullable())
        .column(col("parent_id", integer()).nullable())
        .column(col("state", enum_type("status")).nullable());
}
fn base_down(op: &mut Ops) {
    op.drop_table("item");
    op.drop_table("parent");
    op.drop_enum("status");
}
fn undo(op: &mut Ops) {
    op.execute("SELECT 1");
}
fn nothing(_: &mut Ops) {}

fn not_null_up(op: &mut Ops) {
    op.add_column("item", col("qty", integer()).not_null());
}
fn set_not_null_up(op: &mut Ops) {
    op.alter_column("item", "name").set_not_null();
}
fn fk_up(op: &mut Ops) {
    op.create_foreign_key("item_parent_fk", "item", "parent", ["parent_id"], ["id"]);
}
fn index_up(op: &mut Ops) {
    op.create_index("ix_item_name", "item", ["name"]);
}
fn concurrently_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.create_index("ix_item_name_c", "item", ["name"])
        .concurrently();
}
fn type_up(op: &mut Ops) {
    op.alter_column("item", "name").set_type(integer());
}
fn enum_up(op: &mut Ops) {
    op.add_enum_value("status", "archived");
    op.execute("UPDATE item SET state = 'archived' WHERE id < 0");
}
fn drop_up(op: &mut Ops) {
    op.drop_column("item", "parent_id");
}
fn rename_up(op: &mut Ops) {
    op.rename_table("parent", "owner");
}
fn mixed_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.bulk_insert("parent", json!([{"id": 1}]));
}
fn no_down_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
}
fn safe_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.create_table("tag")
        .column(col("id", integer()).primary_key());
    op.create_index("ix_tag_id", "tag", ["id"]);
}
fn safe_down(op: &mut Ops) {
    op.drop_table("tag");
    op.drop_column("item", "note");
}

const fn on_base(id: &'static str) -> Revision {
    Revision::new(id).revises(&["base0"])
}

macro_rules! rev {
    ($revision:expr, $up:expr, $down:expr, $source:expr) => {
        EmbeddedRevision {
            revision: $revision,
            upgrade: $up,
            downgrade: $down,
            file_name: "",
            source: $source,
        }
    };
}

static HAZARDS: [EmbeddedRevision; 13] = [
    rev!(Revision::new("base0"), base_up, base_down, ""),
    rev!(on_base("notnull"), not_null_up, undo, ""),
    rev!(on_base("setnotnull"), set_not_null_up, undo, ""),
    rev!(on_base("fk"), fk_up, undo, ""),
    rev!(on_base("index"), index_up, undo, ""),
    rev!(on_base("concurrently"), concurrently_up, undo, ""),
    rev!(on_base("typechange"), type_up, undo, ""),
    rev!(on_base("enumvalue"), enum_up, undo, ""),
    rev!(on_base("drop"), drop_up, undo, ""),
    rev!(on_base("rename"), rename_up, undo, ""),
    rev!(on_base("mixed"), mixed_up, undo, ""),
    rev!(on_base("nodown"), no_down_up, nothing, ""),
    rev!(on_base("safe"), safe_up, safe_down, ""),
];

static ACKNOWLEDGED: [EmbeddedRevision; 3] = [
    rev!(Revision::new("base0"), base_up, base_down, ""),
    rev!(
        on_base("drop"),
        drop_up,
        undo,
        "// lint: allow(drop-data)\n// the column was unused since release 4\n"
    ),
    rev!(
        on_base("notnull"),
        not_null_up,
        undo,
        "// lint: allow(add-not-null-column-without-default)\n// the table is empty in every deployment\n"
    ),
];

fn findings(report: &LintReport, id: &str) -> Vec<(Rule, Severity, bool)> {
    report
        .revisions
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("revision {id} not linted"))
        .findings
        .iter()
        .map(|e| (e.finding.rule, e.finding.severity, e.finding.acknowledged))
        .collect()
}

#[test]
fn each_hazard_is_named_with_its_op_reason_and_fix() {
    let script = Script::load(&HAZARDS).unwrap();
    let report = lint_script(&script, None).unwrap();
    assert_eq!(report.revisions.len(), HAZARDS.len());
    let expected: &[(&str, Rule)] = &[
        ("notnull", Rule::AddNotNullColumnWithoutDefault),
        ("setnotnull", Rule::SetNotNull),
        ("fk", Rule::ForeignKeyWithoutNotValid),
        ("index", Rule::CreateIndexNotConcurrently),
        ("concurrently", Rule::ConcurrentlyInTransaction),
        ("typechange", Rule::ChangeColumnType),
        ("enumvalue", Rule::EnumValueUsedInSameRevision),
        ("drop", Rule::DropData),
        ("rename", Rule::Rename),
        ("mixed", Rule::MixedStructureAndData),
        ("nodown", Rule::NoDowngrade),
    ];
    for (id, rule) in expected {
        let got = findings(&report, id);
        assert!(
            got.iter().any(|(r, _, ack)| r == rule && !ack),
            "{id}: expected {rule:?}, got {got:?}"
        );
    }
    assert_eq!(findings(&report, "safe"), []);
    assert_eq!(findings(&report, "base0"), []);
    assert!(report.has_unacknowledged_errors());
    for (id, _) in expected {
        let one = lint_script(&script, Some(id)).unwrap();
        insta::assert_yaml_snapshot!(format!("hazard_{id}"), one.revisions);
    }
}

#[test]
fn acknowledged_findings_do_not_fail_the_run() {
    let script = Script::load(&ACKNOWLEDGED).unwrap();
    let report = lint_script(&script, None).unwrap();
    assert_eq!(
        findings(&report, "drop"),
        [(Rule::DropData, Severity::Warning, true)]
    );
    assert_eq!(
        findings(&report, "notnull"),
        [(Rule::AddNotNullColumnWithoutDefault, Severity::Error, true)]
    );
    assert!(!report.has_unacknowledged_errors());
    assert_eq!(report.counts(), (0, 0, 2));
}

#[test]
fn ranges_select_revisions_and_bad_ranges_are_refused() {
    let script = Script::load(&HAZARDS).unwrap();
    let ids = |range: &str| -> Vec<String> {
        lint_script(&script, Some(range))
            .unwrap()
            .revisions
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids("base:base0"), ["base0"]);
    assert_eq!(ids("fk"), ["fk"]);
    assert_eq!(ids("base0:fk"), ["base0", "fk"]);
    assert_eq!(ids("base0:").len(), HAZARDS.len());
    let err = lint_script(&script, Some("nope")).unwrap_err().to_string();
    assert!(err.contains("nope"), "{err}");
    let err = lint_script(&script, Some("fk:index"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no revision"), "{err}");
}

// MariaDB/MySQL: the same base, linted for the `mysql` dialect.

fn enum_reorder_up(op: &mut Ops) {
    op.create_enum("status_by_rank", ["done", "new"]);
    op.alter_column("item", "state")
        .set_type(enum_type("status_by_rank"));
}
fn enum_remove_up(op: &mut Ops) {
    op.create_enum("status_open", ["new"]);
    op.alter_column("item", "state")
        .set_type(enum_type("status_open"));
}
fn enum_append_up(op: &mut Ops) {
    op.create_enum("status_more", ["new", "done", "archived"]);
    op.alter_column("item", "state")
        .set_type(enum_type("status_more"));
}
fn enum_label_first_up(op: &mut Ops) {
    op.add_enum_value("status", "draft").before("new");
}
fn enum_rename_up(op: &mut Ops) {
    op.rename_enum_value("status", "done", "finished");
}
fn drop_pk_up(op: &mut Ops) {
    op.drop_constraint_of_kind(
        "item_pkey",
        "item",
        stratum_core::schema::ConstraintKind::PrimaryKey,
    );
}
fn widen_up(op: &mut Ops) {
    op.alter_column("item", "name").set_type(varchar_n(60));
    op.create_index("ix_item_name", "item", ["name"]);
}
fn widen_past_prefix_up(op: &mut Ops) {
    op.alter_column("item", "name").set_type(varchar_n(100));
}
fn charset_up(op: &mut Ops) {
    op.execute("SELECT 1").variant(
        Dialect::Mysql,
        "ALTER TABLE item CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
    );
}
fn new_table_up(op: &mut Ops) {
    op.create_table("tag")
        .column(col("id", integer()).primary_key())
        .column(col("n", integer()).not_null());
    op.add_column("tag", col("m", integer()).not_null());
    op.create_foreign_key("tag_item_fk", "tag", "item", ["n"], ["id"]);
}

/// A column added nullable to an existing table, then made NOT NULL: every
/// existing row holds NULL in it by then.
fn set_not_null_added_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.alter_column("item", "note").set_not_null();
}
/// A column of a table created by the revision made NOT NULL: no row yet.
fn set_not_null_new_table_up(op: &mut Ops) {
    op.create_table("tag")
        .column(col("id", integer()).primary_key())
        .column(col("n", integer()).nullable());
    op.alter_column("tag", "n").set_not_null();
}

static MYSQL_HAZARDS: [EmbeddedRevision; 21] = [
    rev!(Revision::new("base0"), base_up, base_down, ""),
    rev!(on_base("notnull"), not_null_up, undo, ""),
    rev!(on_base("enumreorder"), enum_reorder_up, undo, ""),
    rev!(on_base("enumremove"), enum_remove_up, undo, ""),
    rev!(on_base("enumappend"), enum_append_up, undo, ""),
    rev!(on_base("enumfirst"), enum_label_first_up, undo, ""),
    rev!(on_base("enumrename"), enum_rename_up, undo, ""),
    rev!(on_base("typechange"), type_up, undo, ""),
    rev!(on_base("fk"), fk_up, undo, ""),
    rev!(on_base("droppk"), drop_pk_up, undo, ""),
    rev!(on_base("widen"), widen_up, undo, ""),
    rev!(on_base("widenfar"), widen_past_prefix_up, undo, ""),
    rev!(on_base("charset"), charset_up, undo, ""),
    rev!(on_base("mixed"), mixed_up, undo, ""),
    rev!(on_base("newtable"), new_table_up, undo, ""),
    rev!(on_base("setnotnull"), set_not_null_up, undo, ""),
    rev!(on_base("setnotnulladded"), set_not_null_added_up, undo, ""),
    rev!(
        on_base("setnotnulltag"),
        set_not_null_new_table_up,
        undo,
        ""
    ),
    rev!(on_base("concurrently"), concurrently_up, undo, ""),
    rev!(on_base("drop"), drop_up, undo, ""),
    rev!(
        on_base("acknowledged"),
        enum_remove_up,
        undo,
        "// lint: allow(enum-values-removed-or-reordered)\n// no row is done yet\n"
    ),
];

/// A finding's rule, severity and acknowledgement.
type Found = (Rule, Severity, bool);

fn mysql_findings(id: &str) -> Vec<Found> {
    let script = Script::load(&MYSQL_HAZARDS).unwrap();
    let report = lint_script_for(&script, Some(id), Dialect::Mysql).unwrap();
    findings(&report, id)
}

#[test]
fn mysql_hazards_have_their_own_rules_and_postgres_only_rules_are_left_out() {
    use Rule::*;
    use Severity::{Error, Warning};
    let cases: &[(&str, &[Found])] = &[
        ("notnull", &[(NotNullColumnImplicitDefault, Error, false)]),
        (
            "enumreorder",
            &[(EnumValuesRemovedOrReordered, Error, false)],
        ),
        (
            "enumremove",
            &[(EnumValuesRemovedOrReordered, Error, false)],
        ),
        ("enumappend", &[]),
        ("enumfirst", &[(TableCopy, Warning, false)]),
        ("enumrename", &[(TableCopy, Warning, false)]),
        ("typechange", &[(TableCopy, Warning, false)]),
        ("fk", &[(TableCopy, Warning, false)]),
        ("droppk", &[(TableCopy, Warning, false)]),
        ("widen", &[]),
        ("widenfar", &[(TableCopy, Warning, false)]),
        ("charset", &[(TableCopy, Warning, false)]),
        ("mixed", &[(DdlCommitsImplicitly, Warning, false)]),
        ("newtable", &[]),
        ("setnotnull", &[(SetNotNullImplicitDefault, Warning, false)]),
        (
            "setnotnulladded",
            &[(SetNotNullImplicitDefault, Warning, false)],
        ),
        ("setnotnulltag", &[]),
        ("concurrently", &[]),
        ("drop", &[(DropData, Warning, false)]),
        (
            "acknowledged",
            &[(EnumValuesRemovedOrReordered, Error, true)],
        ),
    ];
    for (id, expected) in cases {
        assert_eq!(&mysql_findings(id), expected, "{id}");
    }
    // The same revisions for PostgreSQL keep the generic rules.
    let script = Script::load(&MYSQL_HAZARDS).unwrap();
    let pg = lint_script_for(&script, Some("notnull"), Dialect::Postgres).unwrap();
    assert_eq!(
        findings(&pg, "notnull"),
        [(AddNotNullColumnWithoutDefault, Error, false)]
    );
    let pg = lint_script_for(&script, Some("mixed"), Dialect::Postgres).unwrap();
    assert_eq!(
        findings(&pg, "mixed"),
        [(MixedStructureAndData, Warning, false)]
    );
}

#[test]
fn mysql_hazard_messages() {
    let script = Script::load(&MYSQL_HAZARDS).unwrap();
    for id in [
        "notnull",
        "enumreorder",
        "enumremove",
        "enumfirst",
        "enumrename",
        "typechange",
        "fk",
        "droppk",
        "widenfar",
        "charset",
        "mixed",
        "setnotnull",
    ] {
        let one = lint_script_for(&script, Some(id), Dialect::Mysql).unwrap();
        insta::assert_yaml_snapshot!(format!("mysql_hazard_{id}"), one.revisions);
    }
}

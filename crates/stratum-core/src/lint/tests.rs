use super::*;
use crate::prelude::*;

const REV: Revision = Revision::new("r1");

fn existing() -> Schema {
    let mut s = Schema::new();
    let mut op = Ops::new();
    op.create_table("t")
        .column(col("id", integer()).primary_key())
        .column(col("name", varchar_n(10)));
    if let Op::CreateTable(t) = &op.as_slice()[0] {
        s.insert_table(t.clone());
    }
    s
}

fn rules(up: Ops, down: Ops, source: &str) -> Vec<(Rule, bool)> {
    lint_revision(&REV, up.as_slice(), down.as_slice(), &existing(), source)
        .into_iter()
        .map(|f| (f.rule, f.acknowledged))
        .collect()
}

fn down() -> Ops {
    let mut d = Ops::new();
    d.execute("SELECT 1");
    d
}

#[test]
fn index_on_existing_table_needs_concurrently_but_not_on_new_one() {
    let mut up = Ops::new();
    up.create_index("ix_t_name", "t", ["name"]);
    assert_eq!(
        rules(up, down(), ""),
        [(Rule::CreateIndexNotConcurrently, false)]
    );
    let mut up = Ops::new();
    up.create_table("u").column(col("x", integer()));
    up.create_index("ix_u_x", "u", ["x"]);
    assert_eq!(rules(up, down(), ""), []);
}

#[test]
fn concurrently_in_transaction_is_an_error() {
    let mut up = Ops::new();
    up.create_index("ix_t_name", "t", ["name"]).concurrently();
    let f = lint_revision(&REV, up.as_slice(), down().as_slice(), &existing(), "");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, Rule::ConcurrentlyInTransaction);
    assert_eq!(f[0].severity, Severity::Error);
    let nt = REV.non_transactional();
    assert!(lint_revision(&nt, up.as_slice(), down().as_slice(), &existing(), "").is_empty());
}

#[test]
fn acknowledgement_marks_the_finding() {
    let mut up = Ops::new();
    up.drop_column("t", "name");
    let src = "// lint: allow(drop-data)\n";
    assert_eq!(rules(up, down(), src), [(Rule::DropData, true)]);
}

#[test]
fn not_null_without_default_and_widening() {
    let mut up = Ops::new();
    up.add_column("t", col("n", integer()).not_null());
    up.alter_column("t", "name").set_type(varchar_n(20));
    assert_eq!(
        rules(up, down(), ""),
        [(Rule::AddNotNullColumnWithoutDefault, false)]
    );
    let mut up = Ops::new();
    up.alter_column("t", "name").set_type(integer());
    assert_eq!(rules(up, down(), ""), [(Rule::ChangeColumnType, false)]);
}

#[test]
fn missing_downgrade_and_mixed_changes() {
    let mut up = Ops::new();
    up.add_column("t", col("n", integer()));
    up.bulk_insert("t", json!([{"id": 1}]));
    let got = rules(up, Ops::new(), "");
    assert_eq!(
        got,
        [
            (Rule::MixedStructureAndData, false),
            (Rule::NoDowngrade, false)
        ]
    );
}

#[test]
fn raw_sql_is_classified_by_its_first_word() {
    let mut up = Ops::new();
    up.add_column("t", col("n", integer()));
    up.execute("CREATE VIEW v AS SELECT 1");
    up.execute("SELECT pg_sleep(0)");
    assert_eq!(rules(up, down(), ""), []);
    let mut up = Ops::new();
    up.execute("ALTER TABLE t ADD COLUMN m integer");
    up.execute("update t set name = 'x'");
    assert_eq!(
        rules(up, down(), ""),
        [(Rule::MixedStructureAndData, false)]
    );
}

#[test]
fn enum_value_used_in_same_revision() {
    let mut s = existing();
    s.insert_enum(crate::schema::EnumType {
        name: "st".into(),
        values: vec!["A".into()],
    });
    let mut up = Ops::new();
    up.add_enum_value("st", "B");
    up.add_column("t", col("s", enum_type("st")).default_text("B"));
    let f = lint_revision(&REV, up.as_slice(), down().as_slice(), &s, "");
    assert!(
        f.iter()
            .any(|f| f.rule == Rule::EnumValueUsedInSameRevision)
    );
}

#[test]
fn acknowledged_rules_are_parsed() {
    assert_eq!(
        acknowledged_rules("x\n  // lint: allow(drop-data, rename)\n"),
        ["drop-data", "rename"]
    );
}

#[test]
fn rule_names_are_their_json_names() {
    for rule in [
        Rule::AddNotNullColumnWithoutDefault,
        Rule::NoDowngrade,
        Rule::NotNullColumnImplicitDefault,
        Rule::EnumValuesRemovedOrReordered,
        Rule::SetNotNullImplicitDefault,
        Rule::TableCopy,
        Rule::DdlCommitsImplicitly,
    ] {
        assert_eq!(serde_json::to_value(rule).unwrap(), rule.name());
    }
}

#[test]
fn mysql_keeps_its_rules_and_leaves_out_postgres_locks() {
    use crate::dialect::Dialect;
    let mut up = Ops::new();
    up.create_index("ix_t_name", "t", ["name"]);
    up.add_column("t", col("n", boolean()).not_null());
    up.alter_column("t", "name").set_type(text());
    up.drop_column("t", "name");
    let found = |d: Dialect| -> Vec<(Rule, Option<usize>)> {
        lint_revision_for(d, &REV, up.as_slice(), down().as_slice(), &existing(), "")
            .into_iter()
            .map(|f| (f.rule, f.op_index))
            .collect()
    };
    assert_eq!(
        found(Dialect::Mysql),
        [
            (Rule::NotNullColumnImplicitDefault, Some(1)),
            (Rule::TableCopy, Some(2)),
            (Rule::DropData, Some(3)),
        ]
    );
    assert_eq!(
        found(Dialect::Postgres),
        [
            (Rule::CreateIndexNotConcurrently, Some(0)),
            (Rule::AddNotNullColumnWithoutDefault, Some(1)),
            // varchar to text is no rewrite on PostgreSQL; on MariaDB it copies.
            (Rule::DropData, Some(3)),
        ]
    );
    let f = lint_revision_for(
        Dialect::Mysql,
        &REV,
        up.as_slice(),
        down().as_slice(),
        &existing(),
        "",
    );
    assert_eq!(
        f[0].why,
        "MariaDB and MySQL do not refuse it (PostgreSQL does when the table has rows): every existing row silently gets 0 (false)"
    );
}

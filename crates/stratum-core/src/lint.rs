//! The linter: PostgreSQL hazards and the team's migration practices, checked on a
//! revision's ops without a database.
//!
//! Linting for one database ([`lint_revision_for`]) asks its dialect
//! ([`crate::dialect::SqlDialect::lint_hazards`]) for the hazards only that
//! database has, and leaves out the generic rules the dialect says do not hold
//! there ([`crate::dialect::SqlDialect::lint_rules_left_out`]).
//!
//! Each finding names the op, why it is risky (which lock, what rewrite) and the safer
//! way. A finding is acknowledged in the revision file itself with a comment line
//! `// lint: allow(<rule>)`, after which it is reported as acknowledged and does not
//! fail the run.

use crate::dialect::Dialect;
use crate::ops::{ColumnChange, Op};
use crate::revision::Revision;
use crate::schema::{ColumnType, DefaultValue, Schema};
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Risky: review, then fix or acknowledge.
    Warning,
    /// Will fail or do damage: must be fixed or acknowledged.
    Error,
}

/// The rules, each with a stable name used to acknowledge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// NOT NULL column without a default added to an existing table.
    AddNotNullColumnWithoutDefault,
    /// `SET NOT NULL` on an existing column without a validated CHECK first.
    SetNotNull,
    /// Foreign key added to an existing table without `NOT VALID`.
    ForeignKeyWithoutNotValid,
    /// Index created on an existing table without `CONCURRENTLY`.
    CreateIndexNotConcurrently,
    /// `CONCURRENTLY` in a revision that runs in a transaction.
    ConcurrentlyInTransaction,
    /// Column type change (rewrites the table under an exclusive lock).
    ChangeColumnType,
    /// Enum value added and used in the same revision.
    EnumValueUsedInSameRevision,
    /// Column or table dropped.
    DropData,
    /// Column or table renamed.
    Rename,
    /// Structure and data changes in one revision.
    MixedStructureAndData,
    /// A revision whose downgrade does nothing.
    NoDowngrade,
    /// MariaDB/MySQL: a NOT NULL column without a default added to an existing
    /// table, which fills the existing rows with the type's implicit default.
    NotNullColumnImplicitDefault,
    /// MariaDB/MySQL: enum labels removed or reordered on a column of an existing
    /// table.
    EnumValuesRemovedOrReordered,
    /// MariaDB/MySQL: a nullable column of an existing table made NOT NULL, which
    /// fails on a NULL in strict mode and fills it with the type's implicit
    /// default otherwise.
    SetNotNullImplicitDefault,
    /// MariaDB/MySQL: an `ALTER TABLE` that copies the table (`ALGORITHM=COPY`).
    TableCopy,
    /// MariaDB/MySQL: structure and data changes in one revision, where every DDL
    /// statement commits.
    DdlCommitsImplicitly,
}

impl Rule {
    /// The name used in `// lint: allow(<name>)`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::AddNotNullColumnWithoutDefault => "add-not-null-column-without-default",
            Rule::SetNotNull => "set-not-null",
            Rule::ForeignKeyWithoutNotValid => "foreign-key-without-not-valid",
            Rule::CreateIndexNotConcurrently => "create-index-not-concurrently",
            Rule::ConcurrentlyInTransaction => "concurrently-in-transaction",
            Rule::ChangeColumnType => "change-column-type",
            Rule::EnumValueUsedInSameRevision => "enum-value-used-in-same-revision",
            Rule::DropData => "drop-data",
            Rule::Rename => "rename",
            Rule::MixedStructureAndData => "mixed-structure-and-data",
            Rule::NoDowngrade => "no-downgrade",
            Rule::NotNullColumnImplicitDefault => "not-null-column-implicit-default",
            Rule::EnumValuesRemovedOrReordered => "enum-values-removed-or-reordered",
            Rule::SetNotNullImplicitDefault => "set-not-null-implicit-default",
            Rule::TableCopy => "table-copy",
            Rule::DdlCommitsImplicitly => "ddl-commits-implicitly",
        }
    }

    /// The rule's default severity.
    pub fn severity(self) -> Severity {
        match self {
            Rule::AddNotNullColumnWithoutDefault | Rule::ConcurrentlyInTransaction => {
                Severity::Error
            }
            Rule::EnumValueUsedInSameRevision
            | Rule::NotNullColumnImplicitDefault
            | Rule::EnumValuesRemovedOrReordered => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Revision id.
    pub revision: String,
    /// Index of the op in the revision's upgrade (None: the revision as a whole).
    pub op_index: Option<usize>,
    /// The rule.
    pub rule: Rule,
    /// Severity.
    pub severity: Severity,
    /// What was found, naming the table or column.
    pub message: String,
    /// Why it is risky.
    pub why: String,
    /// The safer way.
    pub fix: String,
    /// Acknowledged in the revision file.
    pub acknowledged: bool,
}

/// A hazard a dialect finds in a revision's ops: a [`Finding`] before the revision
/// and its acknowledgements are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hazard {
    /// Index of the op in the revision's upgrade (None: the revision as a whole).
    pub op_index: Option<usize>,
    /// The rule.
    pub rule: Rule,
    /// What was found, naming the table or column.
    pub message: String,
    /// Why it is risky.
    pub why: String,
    /// The safer way.
    pub fix: String,
}

/// The rules acknowledged in a revision's source by `// lint: allow(a, b)` lines.
pub fn acknowledged_rules(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("//"))
        .filter_map(|l| l.trim().strip_prefix("lint:"))
        .filter_map(|l| l.trim().strip_prefix("allow("))
        .filter_map(|l| l.split_once(')').map(|(inner, _)| inner))
        .flat_map(|inner| inner.split(',').map(|r| r.trim().to_string()))
        .filter(|r| !r.is_empty())
        .collect()
}

/// Checks one revision with the generic rules. `before` is the schema before the
/// revision (so that a table created in the same revision does not count as
/// existing); `source` is the file's text, for acknowledgements.
pub fn lint_revision(
    revision: &Revision,
    upgrade: &[Op],
    downgrade: &[Op],
    before: &Schema,
    source: &str,
) -> Vec<Finding> {
    let mut out = generic_findings(revision, upgrade, downgrade, before);
    acknowledge(&mut out, source);
    out
}

/// Checks one revision for `dialect`: the generic rules that hold on that database,
/// then the dialect's own hazards (see [`lint_revision`] for the arguments).
pub fn lint_revision_for(
    dialect: Dialect,
    revision: &Revision,
    upgrade: &[Op],
    downgrade: &[Op],
    before: &Schema,
    source: &str,
) -> Vec<Finding> {
    let sql = dialect.sql();
    let left_out = sql.lint_rules_left_out();
    let mut out = generic_findings(revision, upgrade, downgrade, before);
    out.retain(|f| !left_out.contains(&f.rule));
    out.extend(
        sql.lint_hazards(upgrade, before)
            .into_iter()
            .map(|h| Finding {
                revision: revision.id.to_string(),
                op_index: h.op_index,
                rule: h.rule,
                severity: h.rule.severity(),
                message: h.message,
                why: h.why,
                fix: h.fix,
                acknowledged: false,
            }),
    );
    // Op findings in op order, then those of the revision as a whole.
    out.sort_by_key(|f| f.op_index.unwrap_or(usize::MAX));
    acknowledge(&mut out, source);
    out
}

fn acknowledge(findings: &mut [Finding], source: &str) {
    let acks = acknowledged_rules(source);
    for f in findings {
        f.acknowledged = acks.iter().any(|a| a == f.rule.name());
    }
}

fn generic_findings(
    revision: &Revision,
    upgrade: &[Op],
    downgrade: &[Op],
    before: &Schema,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |op_index: Option<usize>, rule: Rule, message: String, why: &str, fix: &str| {
        out.push(Finding {
            revision: revision.id.to_string(),
            op_index,
            rule,
            severity: rule.severity(),
            message,
            why: why.to_string(),
            fix: fix.to_string(),
            acknowledged: false,
        });
    };
    let existing = |t: &str| before.tables.contains_key(t);
    let mut added_enum_values: Vec<(String, String)> = Vec::new();
    let mut validated_checks_on: Vec<String> = Vec::new();
    for (i, op) in upgrade.iter().enumerate() {
        let at = Some(i);
        match op {
            Op::AddColumn { table, column }
                if existing(table)
                    && !column.nullable
                    && column.default.is_none()
                    && column.auto_increment.is_none() =>
            {
                push(
                    at,
                    Rule::AddNotNullColumnWithoutDefault,
                    format!(
                        "column {table}.{} is added NOT NULL without a default",
                        column.name
                    ),
                    "fails on a table that has rows",
                    "add it nullable, backfill, then SET NOT NULL in a later revision; or give it a server default",
                );
            }
            Op::AlterColumn {
                table,
                column,
                change,
            } if existing(table) => {
                lint_alter(
                    &mut push,
                    at,
                    table,
                    column,
                    change,
                    &validated_checks_on,
                    before,
                );
            }
            Op::AddForeignKey {
                table,
                foreign_key,
                not_valid: false,
            } if existing(table) => push(
                at,
                Rule::ForeignKeyWithoutNotValid,
                format!(
                    "foreign key {} is added to existing table {table} and validated at once",
                    foreign_key.name
                ),
                "validating scans the whole table while holding a SHARE ROW EXCLUSIVE lock on both tables",
                "add it with .not_valid(), then op.validate_constraint(...) in a later revision",
            ),
            Op::CreateIndex {
                table,
                index,
                concurrently: false,
            } if existing(table) => push(
                at,
                Rule::CreateIndexNotConcurrently,
                format!(
                    "index {} is built on existing table {table} without CONCURRENTLY",
                    index.name
                ),
                "CREATE INDEX blocks writes to the table (SHARE lock) for the whole build",
                "use .concurrently() in a non-transactional revision (Revision::non_transactional())",
            ),
            Op::AddCheck {
                table,
                check,
                not_valid: false,
            } => validated_checks_on.push(format!("{table}:{}", check.expression)),
            Op::ValidateConstraint { table, .. } => validated_checks_on.push(format!("{table}:*")),
            Op::AddEnumValue {
                enum_name, value, ..
            } => added_enum_values.push((enum_name.clone(), value.clone())),
            Op::DropColumn { table, column } => push(
                at,
                Rule::DropData,
                format!("column {table}.{column} is dropped"),
                "its data is lost, and running code that still reads it breaks",
                "stop using the column in the application first; keep a backup; acknowledge when intended",
            ),
            Op::DropTable { name } => push(
                at,
                Rule::DropData,
                format!("table {name} is dropped"),
                "its data is lost, and running code that still reads it breaks",
                "stop using the table in the application first; keep a backup; acknowledge when intended",
            ),
            Op::RenameTable { from, to } => push(
                at,
                Rule::Rename,
                format!("table {from} is renamed to {to}"),
                "application instances still running use the old name and fail until redeployed",
                "add the new table or a view first and switch the code over, or deploy code and migration together",
            ),
            _ => {}
        }
        if op.requires_no_transaction() && revision.transactional {
            push(
                at,
                Rule::ConcurrentlyInTransaction,
                format!(
                    "{} uses CONCURRENTLY in a transactional revision",
                    op.kind_name()
                ),
                "PostgreSQL refuses CONCURRENTLY inside a transaction block: the revision would fail",
                "mark the revision with .non_transactional() and keep it to the concurrent statements",
            );
        }
        for (enum_name, value) in &added_enum_values {
            if op_uses_enum_value(op, enum_name, value, before) {
                push(
                    at,
                    Rule::EnumValueUsedInSameRevision,
                    format!("enum value {enum_name}.{value} is used in the revision that adds it"),
                    "PostgreSQL cannot use a value added by ALTER TYPE ... ADD VALUE before the transaction commits",
                    "add the value in one revision and use it in a later one",
                );
            }
        }
    }
    if mixes_structure_and_data(upgrade) {
        push(
            None,
            Rule::MixedStructureAndData,
            "the revision changes both structure and data".to_string(),
            "a failure or a rollback is harder to reason about, and data steps may need different timing",
            "split it into a structure revision and a data revision",
        );
    }
    if !upgrade.is_empty() && downgrade.is_empty() {
        push(
            None,
            Rule::NoDowngrade,
            "the revision has no downgrade".to_string(),
            "it cannot be rolled back",
            "write the downgrade, or mark the revision .irreversible() if it truly cannot be undone",
        );
    }
    out
}

/// Whether `upgrade` changes both structure and data.
pub(crate) fn mixes_structure_and_data(upgrade: &[Op]) -> bool {
    let has = |kind| upgrade.iter().any(|o| change_kind(o) == Some(kind));
    has(ChangeKind::Data) && has(ChangeKind::Structure)
}

/// What an op changes, for keeping structure and data apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    /// Tables, columns, constraints, indexes, types.
    Structure,
    /// Rows.
    Data,
}

/// Raw SQL is classified by its first word: DML is data, `SELECT` (e.g. a
/// function call) is neither, anything else is structure.
fn change_kind(op: &Op) -> Option<ChangeKind> {
    match op {
        Op::BulkInsert { .. } | Op::BulkDelete { .. } | Op::ChangeRows(_) => Some(ChangeKind::Data),
        Op::Execute(raw) => {
            let texts: Vec<&str> = raw.texts().collect();
            let first = texts
                .first()
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or("")
                .to_ascii_uppercase();
            match first.as_str() {
                "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "COPY" | "WITH" => {
                    Some(ChangeKind::Data)
                }
                "SELECT" | "" => None,
                _ => Some(ChangeKind::Structure),
            }
        }
        _ => Some(ChangeKind::Structure),
    }
}

fn lint_alter(
    push: &mut impl FnMut(Option<usize>, Rule, String, &str, &str),
    at: Option<usize>,
    table: &str,
    column: &str,
    change: &ColumnChange,
    validated_checks_on: &[String],
    before: &Schema,
) {
    if change.nullable == Some(false) {
        let has_check = validated_checks_on
            .iter()
            .any(|c| c.starts_with(&format!("{table}:")))
            || before.tables.get(table).is_some_and(|t| {
                t.checks
                    .values()
                    .any(|c| c.expression.contains(column) && c.expression.contains("IS NOT NULL"))
            });
        if !has_check {
            push(
                at,
                Rule::SetNotNull,
                format!("{table}.{column} is set NOT NULL"),
                "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                "add CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL (PostgreSQL 12+ skips the scan)",
            );
        }
    }
    if let Some(ty) = &change.ty {
        let old = before
            .tables
            .get(table)
            .and_then(|t| t.column(column))
            .map(|c| c.ty.clone());
        if !is_cheap_type_change(old.as_ref(), ty) {
            push(
                at,
                Rule::ChangeColumnType,
                format!("{table}.{column} changes type to {ty}"),
                "most type changes rewrite the table and its indexes under an ACCESS EXCLUSIVE lock",
                "add a new column, backfill in batches, switch the code, then drop the old column",
            );
        }
    }
    if let Some(new) = &change.rename {
        push(
            at,
            Rule::Rename,
            format!("column {table}.{column} is renamed to {new}"),
            "application instances still running use the old name and fail until redeployed",
            "add the new column and backfill, switch the code over, then drop the old column",
        );
    }
}

/// Type changes PostgreSQL does without a rewrite: widening a varchar or dropping its
/// limit, varchar to text.
fn is_cheap_type_change(old: Option<&ColumnType>, new: &ColumnType) -> bool {
    match (old, new) {
        (Some(ColumnType::Varchar(Some(a))), ColumnType::Varchar(Some(b))) => b >= a,
        (Some(ColumnType::Varchar(_)), ColumnType::Varchar(None) | ColumnType::Text) => true,
        _ => false,
    }
}

fn op_uses_enum_value(op: &Op, enum_name: &str, value: &str, before: &Schema) -> bool {
    let is_label =
        |d: &Option<DefaultValue>| d.as_ref() == Some(&DefaultValue::Text(value.to_string()));
    let enum_col = |table: &str, column: &str| {
        before
            .tables
            .get(table)
            .and_then(|t| t.column(column))
            .is_some_and(|c| c.ty == ColumnType::Enum(enum_name.to_string()))
    };
    match op {
        Op::AddColumn { column, .. } => {
            column.ty == ColumnType::Enum(enum_name.to_string()) && is_label(&column.default)
        }
        Op::CreateTable(t) => t
            .columns
            .iter()
            .any(|c| c.ty == ColumnType::Enum(enum_name.to_string()) && is_label(&c.default)),
        Op::AlterColumn {
            table,
            column,
            change,
        } => enum_col(table, column) && change.default.as_ref().is_some_and(is_label),
        Op::BulkInsert { table, rows } => rows.iter().any(|r| {
            r.iter()
                .any(|(k, v)| v.as_str() == Some(value) && enum_col(table, k))
        }),
        // Only a dialect with enum types of its own keeps a new label unusable until
        // its transaction commits.
        Op::Execute(raw) => raw
            .any
            .iter()
            .map(String::as_str)
            .chain(
                raw.variants
                    .iter()
                    .filter(|(d, _)| d.capabilities().native_enums)
                    .map(|(_, sql)| sql.as_str()),
            )
            .any(|sql| sql.contains(&format!("'{value}'"))),
        _ => false,
    }
}

#[cfg(test)]
mod tests;

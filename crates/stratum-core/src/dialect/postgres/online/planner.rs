//! Planning a revision's ops into online steps, given the schema before it.

use super::ack::is_blocking_ack;
use super::catalog;
use super::not_null::not_null_steps;
use super::refusal::{Refusal, expand_contract};
use super::row_batches::RowBatches;
use super::step::{Backfill, OnlineStep, StepKind};
use crate::dialect::{Dialect, RenderError, quote_ident, render};
use crate::ops::{ColumnChange, Op, RowAction, RowChange};
use crate::schema::{Column, ColumnType, DefaultValue, Index, Schema};
use crate::simulate::apply;
use std::collections::BTreeSet;
use thiserror::Error;

/// Columns (table, column) whose default the server cannot store without
/// rewriting the table: found by probing (see [`probe_candidates`]).
pub type VolatileDefaults = BTreeSet<(String, String)>;

/// Why a revision cannot be planned online.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OnlinePlanError {
    /// An op with no online form, not acknowledged.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// An op could not be rendered or simulated.
    #[error("revision {revision}: op {op_number} ({op}) cannot be planned: {message}")]
    Invalid {
        /// Revision id.
        revision: String,
        /// 1-based position of the op.
        op_number: usize,
        /// The op, described.
        op: String,
        /// What went wrong.
        message: String,
    },
}

/// New columns of existing tables whose default must be probed for volatility
/// before planning: `(table, column)` as the op adds it.
pub fn probe_candidates(ops: &[Op], before: &Schema) -> Vec<(String, Column)> {
    ops.iter()
        .filter_map(|op| match op {
            Op::AddColumn { table, column }
                if before.table(table).is_some()
                    && column.auto_increment.is_none()
                    && column
                        .default
                        .as_ref()
                        .is_some_and(|d| *d != DefaultValue::Null) =>
            {
                Some((table.clone(), column.clone()))
            }
            _ => None,
        })
        .collect()
}

/// How to find out whether the server fills a new column's default without
/// rewriting the table: on an empty temporary copy of the table, compare the
/// copy's file before and after adding the column (a volatile default makes
/// the server rewrite, which gives the table a new file). Run inside a
/// transaction that is rolled back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultProbe {
    /// Creates the empty copy (without the column, should it exist already).
    pub setup: Vec<String>,
    /// Returns the copy's file number as text.
    pub file_node: String,
    /// Adds the column, with its default, to the copy.
    pub add_column: String,
}

/// The probe for `column` (as an op adds it to `table`).
pub fn probe_sql(table: &str, column: &Column) -> Result<DefaultProbe, RenderError> {
    let probe = "stratum_online_probe";
    let mut col = column.clone();
    col.nullable = true;
    let add = render(
        Dialect::Postgres,
        &Op::AddColumn {
            table: probe.to_string(),
            column: col,
        },
        &Schema::default(),
    )?;
    Ok(DefaultProbe {
        setup: vec![
            format!("CREATE TEMP TABLE {probe} (LIKE {})", quote_ident(table)),
            format!(
                "ALTER TABLE {probe} DROP COLUMN IF EXISTS {}",
                quote_ident(&column.name)
            ),
        ],
        file_node: format!(
            "SELECT CAST(relfilenode AS TEXT) FROM pg_class WHERE oid = CAST('{probe}' AS regclass)"
        ),
        add_column: add
            .into_iter()
            .map(|s| s.sql)
            .collect::<Vec<_>>()
            .join("; "),
    })
}

/// Plans one revision's ops (`before`: the schema before the revision) into
/// online steps. Ops on tables the revision creates run as written; ops on
/// existing tables take their lock-friendly form; an op with none is refused
/// unless the revision calls [`Ops::allow_blocking_online`](crate::ops::Ops::allow_blocking_online).
pub fn plan_online(
    revision: &str,
    ops: &[Op],
    before: &Schema,
    volatile: &VolatileDefaults,
) -> Result<Vec<OnlineStep>, OnlinePlanError> {
    let acknowledged = ops.iter().any(is_blocking_ack);
    let mut schema = before.clone();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let invalid = |message: String| OnlinePlanError::Invalid {
            revision: revision.to_string(),
            op_number: i + 1,
            op: op.to_string(),
            message,
        };
        if !is_blocking_ack(op) {
            let ctx = OpContext {
                before,
                schema: &schema,
                volatile,
                acknowledged,
            };
            match ctx.steps(op).map_err(invalid)? {
                Planned::Steps(steps) => out.extend(steps),
                Planned::Refused { why, proposal } => {
                    return Err(Refusal {
                        revision: revision.to_string(),
                        op_number: i + 1,
                        op: op.to_string(),
                        why,
                        proposal,
                    }
                    .into());
                }
            }
        }
        apply(&mut schema, op).map_err(|e| invalid(e.to_string()))?;
    }
    Ok(out)
}

enum Planned {
    Steps(Vec<OnlineStep>),
    Refused { why: String, proposal: Vec<String> },
}

struct OpContext<'a> {
    /// The schema before the revision: tables not in it are new.
    before: &'a Schema,
    /// The schema before the op.
    schema: &'a Schema,
    volatile: &'a VolatileDefaults,
    acknowledged: bool,
}

impl OpContext<'_> {
    fn existing(&self, table: &str) -> bool {
        self.before.table(table).is_some()
    }

    fn plain(&self, op: &Op) -> Result<OnlineStep, String> {
        let statements = render(Dialect::Postgres, op, self.schema).map_err(|e| e.to_string())?;
        let transactional = statements.iter().all(|s| s.transactional);
        let mut step = OnlineStep::tx(
            StepKind::Plain,
            op.to_string(),
            statements.into_iter().map(|s| s.sql).collect(),
        );
        step.transactional = transactional;
        Ok(step)
    }

    fn refuse_or_plain(
        &self,
        op: &Op,
        why: String,
        proposal: Vec<String>,
    ) -> Result<Planned, String> {
        if self.acknowledged {
            Ok(Planned::Steps(vec![self.plain(op)?]))
        } else {
            Ok(Planned::Refused { why, proposal })
        }
    }

    fn steps(&self, op: &Op) -> Result<Planned, String> {
        let steps = match op {
            Op::CreateIndex { table, index, .. } if self.existing(table) => {
                vec![self.build_index(table, index)?]
            }
            Op::DropIndex { table, name, .. }
                if table.as_deref().is_none_or(|t| self.existing(t)) =>
            {
                let op = Op::DropIndex {
                    table: table.clone(),
                    name: name.clone(),
                    concurrently: true,
                };
                let mut step = self.plain(&op)?;
                step.kind = StepKind::DropIndex;
                step.description = format!("drop index {} concurrently", quote_ident(name));
                vec![step.done_when(catalog::index_absent(name))]
            }
            Op::AddForeignKey {
                table,
                foreign_key,
                not_valid: false,
            } if self.existing(table) => self.not_valid_then_validate(
                table,
                &foreign_key.name,
                &Op::AddForeignKey {
                    table: table.clone(),
                    foreign_key: foreign_key.clone(),
                    not_valid: true,
                },
            )?,
            Op::AddCheck {
                table,
                check,
                not_valid: false,
            } if self.existing(table) => self.not_valid_then_validate(
                table,
                &check.name,
                &Op::AddCheck {
                    table: table.clone(),
                    check: check.clone(),
                    not_valid: true,
                },
            )?,
            Op::AddUnique { table, unique } if self.existing(table) => {
                self.index_then_attach(table, &unique.name, &unique.columns, "UNIQUE")?
            }
            Op::AddPrimaryKey { table, primary_key } if self.existing(table) => {
                let mut steps = Vec::new();
                let current = self.schema.table(table);
                for c in &primary_key.columns {
                    if current
                        .and_then(|t| t.column(c))
                        .is_some_and(|col| col.nullable)
                    {
                        steps.extend(not_null_steps(table, c));
                    }
                }
                steps.extend(self.index_then_attach(
                    table,
                    &primary_key.name,
                    &primary_key.columns,
                    "PRIMARY KEY",
                )?);
                steps
            }
            Op::AlterColumn {
                table,
                column,
                change,
            } if self.existing(table) => return self.alter_column(op, table, column, change),
            Op::AddColumn { table, column } if self.existing(table) => {
                return self.add_column(op, table, column);
            }
            Op::ChangeRows(change) if self.existing(&change.table) => {
                return self.change_rows(op, change);
            }
            _ => vec![self.plain(op)?],
        };
        Ok(Planned::Steps(steps))
    }

    fn build_index(&self, table: &str, index: &Index) -> Result<OnlineStep, String> {
        let op = Op::CreateIndex {
            table: table.to_string(),
            index: index.clone(),
            concurrently: true,
        };
        let mut step = self.plain(&op)?;
        step.kind = StepKind::BuildIndex;
        step.description = format!(
            "build {}index {} on {} concurrently",
            if index.unique { "unique " } else { "" },
            quote_ident(&index.name),
            quote_ident(table)
        );
        step.invalid_index = Some(index.name.clone());
        Ok(step.done_when(catalog::index_valid(&index.name)))
    }

    fn not_valid_then_validate(
        &self,
        table: &str,
        name: &str,
        not_valid: &Op,
    ) -> Result<Vec<OnlineStep>, String> {
        let mut add = self.plain(not_valid)?;
        add.kind = StepKind::AddNotValid;
        add.description = not_valid.to_string();
        let validate = Op::ValidateConstraint {
            table: table.to_string(),
            name: name.to_string(),
        };
        let mut check = self.plain(&validate)?;
        check.kind = StepKind::Validate;
        Ok(vec![
            add.done_when(catalog::constraint_exists(table, name)),
            check.done_when(catalog::constraint_validated(table, name)),
        ])
    }

    fn index_then_attach(
        &self,
        table: &str,
        name: &str,
        columns: &[String],
        kind: &str,
    ) -> Result<Vec<OnlineStep>, String> {
        let index = Index {
            name: name.to_string(),
            columns: columns.to_vec(),
            unique: true,
            method: None,
            predicate: None,
        };
        let t = quote_ident(table);
        let n = quote_ident(name);
        Ok(vec![
            self.build_index(table, &index)?,
            OnlineStep::tx(
                StepKind::AttachIndex,
                format!("add {kind} constraint {n} on {t} using index {n}"),
                vec![format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {n} {kind} USING INDEX {n}"
                )],
            )
            .done_when(catalog::constraint_exists(table, name)),
        ])
    }

    fn alter_column(
        &self,
        op: &Op,
        table: &str,
        column: &str,
        change: &ColumnChange,
    ) -> Result<Planned, String> {
        let current = self.schema.table(table).and_then(|t| t.column(column));
        if let Some(ty) = &change.ty
            && !current.is_some_and(|c| keeps_storage(&c.ty, ty))
        {
            return self.refuse_or_plain(
                op,
                format!(
                    "changing the type of \"{table}\".\"{column}\" to {ty} rewrites the table under an ACCESS EXCLUSIVE lock"
                ),
                expand_contract(table, column, &format!("type {ty}")),
            );
        }
        let sets_not_null = change.nullable == Some(false) && current.is_some_and(|c| c.nullable);
        if !sets_not_null {
            return Ok(Planned::Steps(vec![self.plain(op)?]));
        }
        let mut steps = Vec::new();
        let rest = ColumnChange {
            nullable: None,
            rename: None,
            ..change.clone()
        };
        if !rest.is_empty() {
            steps.push(self.plain(&alter(table, column, rest))?);
        }
        steps.extend(not_null_steps(table, column));
        if let Some(to) = &change.rename {
            steps.push(self.plain(&alter(
                table,
                column,
                ColumnChange {
                    rename: Some(to.clone()),
                    ..ColumnChange::default()
                },
            ))?);
        }
        Ok(Planned::Steps(steps))
    }

    /// An update or delete of existing rows: batches by the single-column
    /// primary key; without one, a single statement would lock every row it
    /// changes until it ends, so it is refused unless acknowledged.
    fn change_rows(&self, op: &Op, change: &RowChange) -> Result<Planned, String> {
        // Rendering checks the table and the columns it sets.
        self.plain(op)?;
        let table = &change.table;
        let key = match self
            .schema
            .table(table)
            .and_then(|t| t.primary_key.as_ref())
        {
            Some(pk) if pk.columns.len() == 1 => pk.columns[0].clone(),
            _ => {
                return self.refuse_or_plain(
                    op,
                    format!(
                        "\"{table}\" has no single-column primary key, so its rows cannot be changed in batches; one statement locks every row it changes until it ends"
                    ),
                    vec![
                        format!("add a single-column primary key to \"{table}\""),
                        "or acknowledge the blocking statement with allow_blocking_online".to_string(),
                    ],
                );
            }
        };
        if let RowAction::Update(set) = &change.action
            && set.iter().any(|(c, _)| *c == key)
        {
            return self.refuse_or_plain(
                op,
                format!(
                    "the update sets \"{table}\".\"{key}\", the key its batches walk, so a batch could meet a row twice; one statement locks every row it changes until it ends"
                ),
                vec![
                    "change the key in a revision of its own that allows blocking".to_string(),
                ],
            );
        }
        let batches = RowBatches {
            key,
            change: change.clone(),
        };
        let mut step = OnlineStep::tx(
            StepKind::RowBatches,
            format!(
                "{} rows of {} in batches by {}",
                batches.action_word(),
                quote_ident(table),
                quote_ident(&batches.key)
            ),
            Vec::new(),
        );
        step.rows = Some(batches);
        Ok(Planned::Steps(vec![step]))
    }

    fn add_column(&self, op: &Op, table: &str, column: &Column) -> Result<Planned, String> {
        if column.auto_increment.is_some() {
            return self.refuse_or_plain(
                op,
                format!(
                    "adding the generated column \"{table}\".\"{}\" fills every row under an ACCESS EXCLUSIVE lock",
                    column.name
                ),
                vec![
                    format!("add \"{}\" nullable, without a default", column.name),
                    "create its sequence and set the default to its next value".to_string(),
                    "backfill existing rows in batches".to_string(),
                    "set NOT NULL through a validated check".to_string(),
                ],
            );
        }
        let volatile = self
            .volatile
            .contains(&(table.to_string(), column.name.clone()));
        let Some(default) = column.default.as_ref().filter(|_| volatile) else {
            return Ok(Planned::Steps(vec![self.plain(op)?]));
        };
        let key = match self
            .schema
            .table(table)
            .and_then(|t| t.primary_key.as_ref())
        {
            Some(pk) if pk.columns.len() == 1 => pk.columns[0].clone(),
            _ => {
                return self.refuse_or_plain(
                    op,
                    format!(
                        "filling \"{table}\".\"{}\" with a volatile default rewrites the table, and without a single-column primary key it cannot be backfilled in batches",
                        column.name
                    ),
                    expand_contract(table, &column.name, "no default"),
                );
            }
        };
        let mut bare = column.clone();
        bare.nullable = true;
        bare.default = None;
        let mut add = self.plain(&Op::AddColumn {
            table: table.to_string(),
            column: bare,
        })?;
        add = add.done_when(catalog::column_exists(table, &column.name));
        let mut set_default = self.plain(&alter(
            table,
            &column.name,
            ColumnChange {
                default: Some(Some(default.clone())),
                ..ColumnChange::default()
            },
        ))?;
        set_default = set_default.done_when(catalog::column_has_default(table, &column.name));
        let value = crate::dialect::postgres::default_sql(&column.name, default)
            .map_err(|e| e.to_string())?;
        let fill = Backfill {
            table: table.to_string(),
            column: column.name.clone(),
            key,
            value,
        };
        let mut backfill = OnlineStep::tx(
            StepKind::Backfill,
            format!(
                "backfill {}.{} in batches by {}",
                quote_ident(table),
                quote_ident(&column.name),
                quote_ident(&fill.key)
            ),
            Vec::new(),
        );
        backfill.backfill = Some(fill);
        let mut steps = vec![add, set_default, backfill];
        if !column.nullable {
            steps.extend(not_null_steps(table, &column.name));
        }
        Ok(Planned::Steps(steps))
    }
}

fn alter(table: &str, column: &str, change: ColumnChange) -> Op {
    Op::AlterColumn {
        table: table.to_string(),
        column: column.to_string(),
        change,
    }
}

/// Whether PostgreSQL changes `from` to `to` without rewriting or scanning the
/// table (a longer or unbounded text type).
fn keeps_storage(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    match (from, to) {
        (Varchar(_), Text) | (Text, Text) => true,
        (Varchar(Some(a)), Varchar(b)) => b.is_none_or(|b| b >= *a),
        (Varchar(None), Varchar(None)) => true,
        _ => false,
    }
}

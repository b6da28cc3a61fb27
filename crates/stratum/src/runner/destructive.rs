//! Destructive statements in printed SQL. Every SQL text the tool prints for a
//! person to read or run (`upgrade --sql`, `downgrade --sql`, `diff --sql`)
//! puts a comment line `-- destructive: ...` before the statements of an op
//! that loses data: a dropped table, column, type or sequence, a column type
//! change, deleted rows. The statements themselves are unchanged; the notes are
//! also returned so that the CLI can summarize them on stderr.

use stratum_core::dialect::{RenderError, SqlDialect, Statement};
use stratum_core::ops::Op;
use stratum_core::schema::{ColumnType, Schema};

/// The prefix of the comment line that marks a destructive statement.
pub const DESTRUCTIVE_MARK: &str = "-- destructive: ";

/// What `op` destroys, in words (`drops table "user_notes" and its rows`), or
/// `None` when it keeps every row and value. `before` is the schema the op
/// applies to (for the column's current type).
pub fn destructive_note(op: &Op, before: &Schema) -> Option<String> {
    match op {
        Op::DropTable { name } => Some(format!("drops table \"{name}\" and its rows")),
        Op::DropColumn { table, column } => Some(format!(
            "drops column \"{table}\".\"{column}\" and its values"
        )),
        Op::DropEnum { name } => Some(format!("drops type \"{name}\"")),
        Op::DropSequence { name } => {
            Some(format!("drops sequence \"{name}\" and its current value"))
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => {
            let to = change.ty.as_ref()?;
            let current = before
                .table(table)
                .and_then(|t| t.columns.iter().find(|c| c.name == *column))
                .map(|c| &c.ty);
            if current.is_some_and(|from| widens(from, to)) {
                return None;
            }
            let from = current.map(|t| format!(" from {t}")).unwrap_or_default();
            Some(format!(
                "changes the type of column \"{table}\".\"{column}\"{from} to {to}; values that do not convert are changed or lost"
            ))
        }
        Op::BulkDelete { table, rows } => {
            Some(format!("deletes {} row(s) from \"{table}\"", rows.len()))
        }
        _ => None,
    }
}

/// Whether every value of `from` is kept exactly by `to` (a wider integer or
/// float, a longer or unbounded text).
fn widens(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    match (from, to) {
        (SmallInt, Integer | BigInt) | (Integer, BigInt) | (Real, Double) => true,
        (Varchar(_), Text) => true,
        (Varchar(Some(a)), Varchar(b)) => b.is_none_or(|b| b >= *a),
        (Varchar(None), Varchar(None)) => true,
        _ => from == to,
    }
}

/// The comment line for a note.
pub fn destructive_comment(note: &str) -> String {
    format!("{DESTRUCTIVE_MARK}{note}")
}

/// The statements of one op, with its destructive note.
#[derive(Debug, Clone)]
pub struct MarkedOp {
    /// What the op destroys, if anything.
    pub note: Option<String>,
    /// Its statements.
    pub statements: Vec<Statement>,
}

impl MarkedOp {
    /// The op as script text: the comment line (if any), then each statement
    /// as `psql` reads it.
    pub fn script_lines(&self) -> Vec<String> {
        self.note
            .iter()
            .map(|n| destructive_comment(n))
            .chain(self.statements.iter().map(Statement::script_text))
            .collect()
    }
}

/// Renders `ops` one by one from `before` with `sql` (a dialect's
/// [`stratum_core::dialect::Dialect::sql`], or a connection's [`crate::db::Connection::sql_dialect`]),
/// each with its destructive note.
pub fn render_marked(
    sql: &dyn SqlDialect,
    ops: &[Op],
    before: &Schema,
) -> Result<Vec<MarkedOp>, RenderError> {
    let mut schema = before.clone();
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let statements = sql.render(op, &schema)?;
        out.push(MarkedOp {
            note: destructive_note(op, &schema),
            statements,
        });
        stratum_core::simulate::apply(&mut schema, op).map_err(|source| RenderError::Simulate {
            op: op.kind_name(),
            source: Box::new(source),
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::dialect::Dialect;
    use stratum_core::ops::ColumnChange;
    use stratum_core::schema::{Column, Table};

    fn schema() -> Schema {
        let mut s = Schema::new();
        let mut t = Table::new("user_notes");
        t.columns.push(Column {
            name: "body".into(),
            ty: ColumnType::Text,
            nullable: true,
            default: None,
            auto_increment: None,
        });
        s.tables.insert("user_notes".into(), t);
        s
    }

    #[test]
    fn data_losing_ops_are_named_and_others_are_not() {
        let s = schema();
        let drop = Op::DropTable {
            name: "user_notes".into(),
        };
        assert_eq!(
            destructive_note(&drop, &s).unwrap(),
            "drops table \"user_notes\" and its rows"
        );
        let col = Op::DropColumn {
            table: "user_notes".into(),
            column: "body".into(),
        };
        assert!(
            destructive_note(&col, &s)
                .unwrap()
                .contains("\"user_notes\".\"body\"")
        );
        let retype = Op::AlterColumn {
            table: "user_notes".into(),
            column: "body".into(),
            change: ColumnChange {
                ty: Some(ColumnType::Integer),
                ..Default::default()
            },
        };
        let note = destructive_note(&retype, &s).unwrap();
        assert!(
            note.contains("from TEXT") || note.contains("from text"),
            "{note}"
        );
        let nullable = Op::AlterColumn {
            table: "user_notes".into(),
            column: "body".into(),
            change: ColumnChange {
                nullable: Some(true),
                ..Default::default()
            },
        };
        assert_eq!(destructive_note(&nullable, &s), None);
        let widen = Op::AlterColumn {
            table: "user_notes".into(),
            column: "body".into(),
            change: ColumnChange {
                ty: Some(ColumnType::Text),
                ..Default::default()
            },
        };
        assert_eq!(
            destructive_note(&widen, &s),
            None,
            "text to text keeps values"
        );
        assert!(widens(
            &ColumnType::Varchar(Some(40)),
            &ColumnType::Varchar(Some(80))
        ));
        assert!(!widens(
            &ColumnType::Varchar(Some(80)),
            &ColumnType::Varchar(Some(40))
        ));
        assert!(widens(&ColumnType::Integer, &ColumnType::BigInt));
        assert!(!widens(&ColumnType::BigInt, &ColumnType::Integer));
        assert_eq!(
            destructive_note(&Op::CreateTable(Table::new("x")), &s),
            None
        );
    }

    #[test]
    fn marked_rendering_puts_the_comment_before_the_statements_it_marks() {
        let ops = [
            Op::CreateTable(Table::new("kept")),
            Op::DropTable {
                name: "user_notes".into(),
            },
        ];
        let marked = render_marked(Dialect::Postgres.sql(), &ops, &schema()).unwrap();
        assert_eq!(marked[0].note, None);
        let lines = marked[1].script_lines();
        assert_eq!(
            lines[0],
            "-- destructive: drops table \"user_notes\" and its rows"
        );
        assert!(lines[1].starts_with("DROP TABLE"), "{lines:?}");
    }
}

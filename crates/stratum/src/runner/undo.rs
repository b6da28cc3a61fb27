//! The statements that would undo what ran of a partly applied upgrade: the
//! reverse of exactly the ops whose statements all ran, newest first. The
//! engine does not run them (a person checks the database first); a refusal
//! shows them, to be run by hand before `resolve --rolled-back`.

use stratum_core::dialect::{Dialect, render};
use stratum_core::ops::Op;
use stratum_core::reverse::reverse;
use stratum_core::schema::Schema;
use stratum_core::simulate::apply;

/// Why no undo can be written for the applied statements.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UndoError {
    /// The run stopped inside one op: some of its statements ran, not all.
    #[error("the run stopped inside a {op} op ({ran} of its {of} statements ran)")]
    InsideOp {
        /// The op's kind.
        op: &'static str,
        /// Its statements that ran.
        ran: usize,
        /// Its statements.
        of: usize,
    },
    /// An applied op has no determined reverse (raw SQL, a new enum label).
    #[error("a {op} op that ran has no reverse the engine can write")]
    Irreversible {
        /// The op's kind.
        op: &'static str,
    },
    /// The revision renders fewer statements than ran, or does not render
    /// or simulate against the schema before it.
    #[error("the revision no longer matches what ran: {0}")]
    Mismatch(String),
}

/// The SQL that undoes the first `applied` statements of an upgrade made of
/// `ops`, rendered for `dialect` from `before` (the schema before the
/// revision).
pub fn undo_applied(
    dialect: Dialect,
    before: &Schema,
    ops: &[Op],
    applied: usize,
) -> Result<Vec<String>, UndoError> {
    let mismatch = |e: &dyn std::fmt::Display| UndoError::Mismatch(e.to_string());
    let mut schema = before.clone();
    let mut ran = 0;
    let mut done: Vec<(&Op, Schema)> = Vec::new();
    for op in ops {
        if ran == applied {
            break;
        }
        let count = render(dialect, op, &schema)
            .map_err(|e| mismatch(&e))?
            .len();
        if ran + count > applied {
            return Err(UndoError::InsideOp {
                op: op.kind_name(),
                ran: applied - ran,
                of: count,
            });
        }
        done.push((op, schema.clone()));
        apply(&mut schema, op).map_err(|e| mismatch(&e))?;
        ran += count;
    }
    if ran < applied {
        return Err(UndoError::Mismatch(format!(
            "{applied} statements ran but the revision has {ran}"
        )));
    }
    let mut sql = Vec::new();
    for (op, before_op) in done.into_iter().rev() {
        let undo = reverse(op, &before_op).ok_or(UndoError::Irreversible { op: op.kind_name() })?;
        for u in &undo {
            for statement in render(dialect, u, &schema).map_err(|e| mismatch(&e))? {
                sql.push(statement.sql);
            }
            apply(&mut schema, u).map_err(|e| mismatch(&e))?;
        }
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::prelude::*;

    fn ops(build: impl FnOnce(&mut Ops)) -> Vec<Op> {
        let mut op = Ops::new();
        build(&mut op);
        op.as_slice().to_vec()
    }

    fn revision() -> Vec<Op> {
        ops(|op| {
            op.create_table("entry")
                .column(col("id", integer()).primary_key());
            op.add_column("entry", col("note", text()).nullable());
            op.execute("CREATE TABLE entry_tag (entry_id integer NOT NULL,, tag varchar(20))");
        })
    }

    #[test]
    fn the_applied_ops_are_reversed_newest_first() {
        let sql = undo_applied(Dialect::Mysql, &Schema::new(), &revision(), 2).unwrap();
        assert_eq!(
            sql,
            vec![
                "ALTER TABLE `entry` DROP COLUMN `note`".to_string(),
                "DROP TABLE `entry`".to_string()
            ]
        );
        let sql = undo_applied(Dialect::Postgres, &Schema::new(), &revision(), 1).unwrap();
        assert_eq!(sql, vec!["DROP TABLE \"entry\"".to_string()]);
        assert_eq!(
            undo_applied(Dialect::Mysql, &Schema::new(), &revision(), 0),
            Ok(vec![])
        );
    }

    #[test]
    fn raw_sql_that_ran_cannot_be_undone_for_you() {
        assert_eq!(
            undo_applied(Dialect::Mysql, &Schema::new(), &revision(), 3),
            Err(UndoError::Irreversible { op: "execute" })
        );
    }

    #[test]
    fn more_statements_than_the_revision_has_is_a_mismatch() {
        assert!(matches!(
            undo_applied(Dialect::Mysql, &Schema::new(), &revision(), 4),
            Err(UndoError::Mismatch(_))
        ));
    }
}

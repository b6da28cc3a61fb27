//! Offline mode: the SQL a run would execute, as one script, without connecting.
//!
//! Each transactional revision is wrapped in `BEGIN;` ... `COMMIT;` together with
//! its version-table update; a non-transactional one has its statements outside
//! any transaction and its version update in a transaction after them. Like
//! Alembic's offline mode, the script does not write history rows: the history
//! table records what the runner itself executed.
//!
//! On PostgreSQL, as in the runner, every revision's commit but the script's last
//! is made with `synchronous_commit = off`: each revision still commits
//! atomically with its version row, and the last, durable commit flushes them
//! all (see `Commit` in the executor).

use super::errors::RunError;
use super::executor::{Commit, begin_settings, begin_sql, timeout_settings};
use super::plan::{Plan, heads_or_base};
use super::render::render_plan_marked;
use super::version_table::VersionTable;
use crate::backend::registry::for_dialect;
use std::fmt::Write as _;
use std::time::Duration;
use stratum_core::dialect::{Dialect, SqlDialect};

/// Options of an offline script.
#[derive(Debug, Clone, Default)]
pub struct OfflineOptions {
    /// The version table.
    pub version_table: VersionTable,
    /// PostgreSQL `lock_timeout` inside each revision.
    pub db_lock_timeout: Option<Duration>,
    /// PostgreSQL `statement_timeout` inside each revision.
    pub statement_timeout: Option<Duration>,
}

/// An offline script and what its destructive statements destroy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineScript {
    /// The SQL; each destructive statement is preceded by a
    /// [`DESTRUCTIVE_MARK`](super::DESTRUCTIVE_MARK) comment line.
    pub sql: String,
    /// The notes of the destructive statements, in order, each with its
    /// revision (`revision 004: drops table "x" and its rows`).
    pub destructive: Vec<String>,
}

/// The SQL script of a plan for a dialect. The version table is created (if
/// missing) when the plan starts from an empty database.
pub fn offline_script(
    dialect: Dialect,
    plan: &Plan,
    options: &OfflineOptions,
) -> Result<String, RunError> {
    offline_script_marked(dialect, plan, options).map(|s| s.sql)
}

/// [`offline_script`], with the list of destructive statements.
pub fn offline_script_marked(
    dialect: Dialect,
    plan: &Plan,
    options: &OfflineOptions,
) -> Result<OfflineScript, RunError> {
    offline_script_for(dialect.sql(), plan, options)
}

/// [`offline_script_marked`], with the statements written by `sql`: the SQL
/// of one server where its version matters (a MariaDB/MySQL URL's
/// `server_version`, [`crate::config::DatabaseUrl::sql_dialect`]).
pub fn offline_script_for(
    sql: &dyn SqlDialect,
    plan: &Plan,
    options: &OfflineOptions,
) -> Result<OfflineScript, RunError> {
    let dialect = sql.dialect();
    let rendered = render_plan_marked(sql, plan)?;
    let mut destructive = Vec::new();
    let mut out = String::new();
    let table = &options.version_table;
    let from_base = plan
        .steps
        .first()
        .is_some_and(|s| s.heads_before.is_empty());
    let preamble = for_dialect(dialect).script_preamble();
    for s in &preamble {
        let _ = writeln!(out, "{};", s.sql);
    }
    if !preamble.is_empty() {
        out.push('\n');
    }
    if from_base {
        let _ = writeln!(out, "{};\n", table.create_sql_for(dialect));
    }
    let last = plan.steps.len().saturating_sub(1);
    for (index, (step, statements)) in plan.steps.iter().zip(&rendered).enumerate() {
        let _ = writeln!(
            out,
            "-- {} {} -> {}: {} ({}){}",
            step.direction,
            heads_or_base(&step.heads_before),
            heads_or_base(&step.heads_after),
            step.message,
            step.file,
            if step.transactional {
                ""
            } else {
                " [non-transactional]"
            }
        );
        let settings = timeout_settings(
            dialect,
            step.transactional,
            options.db_lock_timeout,
            options.statement_timeout,
        );
        if step.transactional {
            let _ = writeln!(out, "{};", begin_sql(dialect));
            let commit = if index == last {
                Commit::Durable
            } else {
                Commit::Deferred
            };
            for s in begin_settings(dialect, &settings, commit) {
                let _ = writeln!(out, "{s};");
            }
        } else {
            for s in &settings {
                let _ = writeln!(out, "{s};");
            }
        }
        for op in statements {
            if let Some(note) = &op.note {
                destructive.push(format!("revision {}: {note}", step.id));
            }
            for line in op.script_lines() {
                let _ = writeln!(out, "{line}");
            }
        }
        if !step.transactional {
            if !settings.is_empty() {
                for reset in for_dialect(dialect).timeout_reset_sql() {
                    let _ = writeln!(out, "{reset};");
                }
            }
            let _ = writeln!(out, "{};", begin_sql(dialect));
        }
        for (sql, _) in table.update_statements(dialect, &step.heads_before, &step.heads_after) {
            let _ = writeln!(out, "{sql};");
        }
        out.push_str("COMMIT;\n\n");
    }
    Ok(OfflineScript {
        sql: out,
        destructive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::plan::{Direction, Step};
    use stratum_core::ops::{Op, RawSql};

    fn raw(sql: &str) -> Op {
        Op::Execute(RawSql {
            any: Some(sql.to_string()),
            ..Default::default()
        })
    }

    fn step(id: &str, before: &[&str], after: &[&str], transactional: bool, sql: &[&str]) -> Step {
        Step {
            id: id.into(),
            direction: Direction::Up,
            message: format!("message {id}"),
            file: format!("{id}.rs"),
            ops: sql.iter().map(|s| raw(s)).collect(),
            checksum: "c".into(),
            transactional,
            heads_before: before.iter().map(|s| s.to_string()).collect(),
            heads_after: after.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn upgrade_from_base_creates_the_version_table_and_wraps_each_revision() {
        let plan = Plan {
            start_schema: Default::default(),
            steps: vec![
                step("001", &[], &["001"], true, &["CREATE TABLE a (id INTEGER)"]),
                step(
                    "002",
                    &["001"],
                    &["002"],
                    false,
                    &["CREATE INDEX CONCURRENTLY i ON a (id)"],
                ),
            ],
        };
        let options = OfflineOptions {
            db_lock_timeout: Some(Duration::from_secs(3)),
            ..Default::default()
        };
        let script = offline_script(Dialect::Postgres, &plan, &options).unwrap();
        insta::assert_snapshot!(script);
    }

    #[test]
    fn sqlite_script_disables_foreign_keys_and_uses_immediate_transactions() {
        let plan = Plan {
            start_schema: Default::default(),
            steps: vec![Step {
                direction: Direction::Down,
                ..step("001", &["001"], &[], true, &["DROP TABLE a"])
            }],
        };
        let script = offline_script(Dialect::Sqlite, &plan, &OfflineOptions::default()).unwrap();
        insta::assert_snapshot!(script);
    }

    #[test]
    fn mysql_script_takes_the_sessions_sql_mode_and_backticks() {
        let plan = Plan {
            start_schema: Default::default(),
            steps: vec![
                step("001", &[], &["001"], true, &["CREATE TABLE a (id INTEGER)"]),
                step("002", &["001"], &["002"], true, &["DROP TABLE a"]),
            ],
        };
        let options = OfflineOptions {
            db_lock_timeout: Some(Duration::from_secs(3)),
            ..Default::default()
        };
        let script = offline_script(Dialect::Mysql, &plan, &options).unwrap();
        insta::assert_snapshot!(script);
    }

    #[test]
    fn destructive_ops_are_marked_in_the_script_and_listed() {
        let mut start = stratum_core::schema::Schema::new();
        start
            .tables
            .insert("notes".into(), stratum_core::schema::Table::new("notes"));
        let plan = Plan {
            start_schema: start,
            steps: vec![Step {
                ops: vec![Op::DropTable {
                    name: "notes".into(),
                }],
                ..step("002", &["001"], &["002"], true, &[])
            }],
        };
        let script =
            offline_script_marked(Dialect::Postgres, &plan, &OfflineOptions::default()).unwrap();
        let marked = script
            .sql
            .lines()
            .position(|l| l == "-- destructive: drops table \"notes\" and its rows")
            .expect("marked");
        assert!(
            script
                .sql
                .lines()
                .nth(marked + 1)
                .unwrap()
                .starts_with("DROP TABLE"),
            "{}",
            script.sql
        );
        assert_eq!(
            script.destructive,
            ["revision 002: drops table \"notes\" and its rows"]
        );
    }
}

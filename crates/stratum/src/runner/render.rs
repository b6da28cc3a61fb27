//! Rendering a whole plan before anything runs: every step's ops are rendered
//! against the simulated schema just before them, so a rendering problem or a
//! non-transactional statement inside a transactional revision is refused before
//! the database is touched.

use super::destructive::{MarkedOp, destructive_note};
use super::errors::RunError;
use super::plan::{Plan, Step};
use stratum_core::dialect::{RenderError, SqlDialect, Statement};
use stratum_core::ops::Op;
use stratum_core::schema::Schema;
use stratum_core::simulate::SimulateError;

/// The statements of each step of a plan, in order.
pub(crate) fn render_plan(
    dialect: &dyn SqlDialect,
    plan: &Plan,
) -> Result<Vec<Vec<Statement>>, RunError> {
    Ok(render_plan_marked(dialect, plan)?
        .into_iter()
        .map(|ops| ops.into_iter().flat_map(|m| m.statements).collect())
        .collect())
}

/// The statements of each op of each step of a plan, with what each op
/// destroys (for printed SQL).
pub(crate) fn render_plan_marked(
    dialect: &dyn SqlDialect,
    plan: &Plan,
) -> Result<Vec<Vec<MarkedOp>>, RunError> {
    let mut schema = plan.start_schema.clone();
    plan.steps
        .iter()
        .map(|step| render_step(dialect, step, &mut schema))
        .collect()
}

/// The statements of one step, op by op; `schema` is advanced past the step.
fn render_step(
    dialect: &dyn SqlDialect,
    step: &Step,
    schema: &mut Schema,
) -> Result<Vec<MarkedOp>, RunError> {
    let mut out = Vec::new();
    for op in &step.ops {
        let statements = render_op(dialect, op, schema).map_err(|source| RunError::Render {
            revision: step.id.clone(),
            source: Box::new(source),
        })?;
        out.push(MarkedOp {
            note: destructive_note(op, schema),
            statements,
        });
        apply_op(schema, op).map_err(|source| RunError::Simulate {
            revision: step.id.clone(),
            op: op.kind_name(),
            source: Box::new(source),
        })?;
    }
    if step.transactional
        && let Some(s) = out
            .iter()
            .flat_map(|m| &m.statements)
            .find(|s| !s.transactional)
    {
        return Err(RunError::MixedTransactional {
            revision: step.id.clone(),
            statement: s.sql.clone(),
        });
    }
    Ok(out)
}

/// Renders one op against the schema before it.
fn render_op(
    dialect: &dyn SqlDialect,
    op: &Op,
    schema: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    dialect.render(op, schema)
}

/// Advances the simulated schema past one op.
fn apply_op(schema: &mut Schema, op: &Op) -> Result<(), SimulateError> {
    stratum_core::simulate::apply(schema, op)
}

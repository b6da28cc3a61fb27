//! Plans for a database inside a range that a baseline replaces: it runs the
//! replaced revisions (whose files are still compiled in) to the end of the range,
//! is then recorded at the baseline (a step without ops), and continues from the
//! baseline like any other database.

use super::plan::{Direction, Plan, Step};
use super::script_plan::{Goal, ScriptPlanner, schema_at};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A database inside a replaced range cannot go where it asked.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReplacedRangeError(pub String);

/// The plan when the current heads are replaced revisions; `None` otherwise.
pub(super) fn plan_from_replaced(
    planner: &ScriptPlanner<'_>,
    heads: &[String],
) -> Result<Option<Plan>, BoxError> {
    let script = planner.script;
    let Some(legacy) = script.legacy() else {
        return Ok(None);
    };
    let inside: Vec<&String> = heads.iter().filter(|h| legacy.contains(h)).collect();
    if inside.is_empty() {
        return Ok(None);
    }
    let baseline = script
        .replaced_by(inside[0])
        .ok_or_else(|| ReplacedRangeError(format!("{} is replaced by no baseline", inside[0])))?
        .to_string();
    if inside.len() != heads.len() {
        return Err(Box::new(ReplacedRangeError(format!(
            "the database is at {}: some inside the range baseline {baseline} replaces, some not; \
             stamp it at the revisions it really has",
            heads.join(", ")
        ))));
    }
    let start_schema = schema_at(script, heads)?;
    let graph_steps = match &planner.goal {
        Goal::Downgrade(target) => {
            if target != "base" && legacy.resolve_str(target, heads).is_err() {
                return Err(Box::new(ReplacedRangeError(format!(
                    "the database is at {}, inside the range baseline {baseline} replaces; \
                     it can only be downgraded within that range (or to base), not to {target}",
                    heads.join(", ")
                ))));
            }
            legacy.plan_downgrade(heads, target)?
        }
        Goal::Upgrade(target) if script.map().resolve_str(target, &[]).is_err() => {
            // A target inside the range: the old files only.
            legacy.plan_upgrade(heads, target)?
        }
        Goal::Upgrade(target) => {
            let mut steps = planner.steps(legacy.plan_upgrade(heads, "heads")?)?;
            let end: Vec<String> = legacy.heads().into_iter().map(str::to_string).collect();
            let revision = script.revision(&baseline)?;
            steps.push(Step {
                id: baseline.clone(),
                direction: Direction::Up,
                message: format!(
                    "record the end of the replaced range ({}) at baseline {baseline}",
                    end.join(", ")
                ),
                file: script.file_name(&baseline)?.to_string(),
                ops: Vec::new(),
                checksum: script.checksum(&baseline)?,
                transactional: revision.transactional,
                heads_before: end,
                heads_after: vec![baseline.clone()],
            });
            let rest = script
                .map()
                .plan_upgrade(std::slice::from_ref(&baseline), target)?;
            steps.extend(planner.steps(rest)?);
            return Ok(Some(Plan {
                start_schema,
                steps,
            }));
        }
    };
    Ok(Some(Plan {
        start_schema,
        steps: planner.steps(graph_steps)?,
    }))
}

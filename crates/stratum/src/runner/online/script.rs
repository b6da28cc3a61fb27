//! The online steps as text, without a database: `upgrade --online --sql` and
//! `show REV --online`. Without a server to probe, a new column's default is
//! shown backfilled when it is a random UUID or an expression (the run itself
//! probes the server and may find the default stable).

use crate::runner::errors::RunError;
use crate::runner::plan::Plan;
use std::fmt::Write as _;
use stratum_core::dialect::quote_ident;
use stratum_core::online::{
    OnlinePlanError, OnlineStep, VolatileDefaults, plan_online, probe_candidates,
};
use stratum_core::ops::Op;
use stratum_core::schema::{DefaultValue, Schema};

/// The defaults shown backfilled when there is no server to probe.
fn assumed_volatile(ops: &[Op], before: &Schema) -> VolatileDefaults {
    probe_candidates(ops, before)
        .into_iter()
        .filter(|(_, c)| {
            matches!(
                c.default,
                Some(DefaultValue::RandomUuid | DefaultValue::Expr(_))
            )
        })
        .map(|(t, c)| (t, c.name))
        .collect()
}

/// What the offline plan assumed about each new column's default it could
/// not probe, one line per column:
/// `"t"."c": default not probed (no server), assumed volatile: backfilled in batches`.
pub fn unprobed_defaults(ops: &[Op], before: &Schema) -> Vec<String> {
    let volatile = assumed_volatile(ops, before);
    probe_candidates(ops, before)
        .into_iter()
        .map(|(t, c)| {
            let assumed = if volatile.contains(&(t.clone(), c.name.clone())) {
                "assumed volatile: backfilled in batches"
            } else {
                "assumed stable: added with its default"
            };
            format!(
                "{}.{}: default not probed (no server), {assumed}",
                quote_ident(&t),
                quote_ident(&c.name)
            )
        })
        .collect()
}

/// The online steps of one revision's ops, planned without a database.
pub fn offline_steps(
    revision: &str,
    ops: &[Op],
    before: &Schema,
) -> Result<Vec<OnlineStep>, OnlinePlanError> {
    plan_online(revision, ops, before, &assumed_volatile(ops, before))
}

/// The online script of a plan: each revision's steps with their SQL, each
/// marked when it runs outside a transaction.
pub fn online_script(plan: &Plan) -> Result<String, RunError> {
    let befores = super::schemas_before(plan)?;
    let mut out = String::from(
        "-- online script: each step commits on its own under a short lock_timeout;\n\
         -- new columns' defaults are probed when run, shown here as assumed\n",
    );
    for (step, before) in plan.steps.iter().zip(&befores) {
        let steps = offline_steps(&step.id, &step.ops, before)
            .map_err(|e| RunError::from(super::OnlineError::from(e)))?;
        let _ = writeln!(out, "\n-- revision {}: {}", step.id, step.message);
        for note in unprobed_defaults(&step.ops, before) {
            let _ = writeln!(out, "-- {note}");
        }
        for s in &steps {
            out.push_str(&s.script_text());
        }
        let _ = writeln!(
            out,
            "-- then the version table moves to {} in the transaction that records the revision",
            crate::runner::heads_or_base(&step.heads_after)
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::ops::Ops;
    use stratum_core::prelude::*;

    #[test]
    fn unprobed_defaults_say_what_was_assumed() {
        let mut ops = Ops::new();
        ops.create_table("t")
            .column(col("id", integer()).primary_key());
        let mut before = Schema::default();
        stratum_core::simulate::apply_all(&mut before, ops.as_slice()).unwrap();
        let mut ops = Ops::new();
        ops.add_column("t", col("uid", uuid()).default_random_uuid());
        ops.add_column("t", col("n", integer()).default_int(0));
        ops.add_column("t", col("plain", integer()));
        assert_eq!(
            unprobed_defaults(ops.as_slice(), &before),
            [
                r#""t"."uid": default not probed (no server), assumed volatile: backfilled in batches"#,
                r#""t"."n": default not probed (no server), assumed stable: added with its default"#,
            ]
        );
    }
}

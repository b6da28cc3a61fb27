//! The part of `verify` that concerns squash baselines: while the replaced files
//! are still compiled in, the baseline's simulated schema must equal the one the
//! replaced chain builds.

use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::lineage::squash::check_baseline;
use crate::script::Script;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Each baseline compared with the chain it replaces.
pub(super) struct Baselines {
    results: Vec<(String, Vec<String>)>,
}

impl Baselines {
    /// Whether every baseline equals its replaced chain.
    pub fn ok(&self) -> bool {
        self.results.iter().all(|(_, d)| d.is_empty())
    }

    /// The results as JSON.
    pub fn json(&self) -> Value {
        Value::Array(
            self.results
                .iter()
                .map(|(id, d)| json!({ "id": id, "equal": d.is_empty(), "differences": d }))
                .collect(),
        )
    }
}

/// Compares every baseline whose replaced files are still present, printing one
/// line each (text output).
pub(super) fn check_baselines(ctx: &Ctx<'_>, script: &Script) -> Result<Baselines, CliError> {
    let ids: BTreeSet<&str> = script.replacements().values().map(String::as_str).collect();
    let mut results = Vec::new();
    for id in ids {
        let found =
            check_baseline(script, id).map_err(|e| CliError::new(Exit::Drift, e.to_string()))?;
        let Some(found) = found else { continue };
        let lines: Vec<String> = found
            .iter()
            .map(|d| d.describe("replaced chain", "baseline"))
            .collect();
        if !ctx.json() {
            if lines.is_empty() {
                ctx.printer.out(format!(
                    "ok   baseline {id}: its schema equals the chain it replaces"
                ));
            } else {
                ctx.printer.out(format!(
                    "FAIL baseline {id}: its schema differs from the chain it replaces"
                ));
                for l in &lines {
                    ctx.printer.out(format!("  - {l}"));
                }
            }
        }
        results.push((id.to_string(), lines));
    }
    Ok(Baselines { results })
}

//! Finding out, on the server, whether a new column's default would make
//! PostgreSQL rewrite the table: the engine does not guess volatility.

use super::OnlineOptions;
use super::attempt::{Attempt, StepRef, with_retries};
use super::events::OnlineEvent;
use crate::db::Connection;
use crate::runner::errors::RunError;
use crate::runner::events::{Event, EventSink};
use stratum_core::online::{VolatileDefaults, probe_candidates, probe_sql};
use stratum_core::ops::Op;
use stratum_core::schema::Schema;

/// Probes every new column of an existing table that has a default, on an
/// empty temporary copy of its table, in a transaction that is rolled back.
pub(crate) async fn volatile_defaults(
    conn: &mut Connection,
    options: &OnlineOptions,
    sink: &dyn EventSink,
    revision: &str,
    ops: &[Op],
    before: &Schema,
) -> Result<VolatileDefaults, RunError> {
    let mut out = VolatileDefaults::new();
    for (table, column) in probe_candidates(ops, before) {
        let description = format!("probe the default of {table}.{}", column.name);
        let probe = probe_sql(&table, &column).map_err(|message| RunError::Render {
            revision: revision.to_string(),
            message,
        })?;
        let at = StepRef {
            revision,
            step: 0,
            description: &description,
        };
        let rows = with_retries(conn, options, sink, &at, Attempt::Probe(&probe)).await?;
        let volatile = rows
            .first()
            .and_then(|r| r.first())
            .and_then(|c| c.as_deref())
            == Some("true");
        sink.emit(&Event::Online(OnlineEvent::DefaultProbed {
            table: table.clone(),
            column: column.name.clone(),
            volatile,
        }));
        if volatile {
            out.insert((table, column.name));
        }
    }
    Ok(out)
}

//! Online plans for PostgreSQL: a revision's ops turned into steps that change a
//! table while it is being written to, without holding a lock that stops the
//! writers for longer than a moment.
//!
//! | op on an existing table | online steps |
//! |---|---|
//! | create / drop index | `CONCURRENTLY`, outside a transaction |
//! | foreign key, check | added `NOT VALID`, validated in a later transaction |
//! | `SET NOT NULL` | `CHECK (c IS NOT NULL) NOT VALID`, validate, `SET NOT NULL`, drop the check |
//! | unique, primary key | unique index built concurrently, then `ADD CONSTRAINT ... USING INDEX` |
//! | column with a volatile default | added nullable, default set, batched backfill, then the `NOT NULL` steps |
//! | update or delete of existing rows | batches by primary key, one short transaction each |
//! | type change that rewrites | refused unless the revision calls [`Ops::allow_blocking_online`](crate::ops::Ops::allow_blocking_online) |
//!
//! Every other op runs as written (each in its own short transaction). Every
//! step renders to exact SQL, says whether it runs in a transaction and how to
//! tell that it already happened, so that an interrupted run can resume. Pure:
//! the runner probes default volatility and executes the steps.

mod ack;
pub mod catalog;
mod lint;
mod not_null;
mod planner;
mod refusal;
mod row_batches;
mod step;
#[cfg(test)]
mod tests;

pub use ack::{BLOCKING_ACK_MARK, is_blocking_ack};
pub use lint::resolved_by_online;
pub use not_null::{helper_check_name, not_null_steps};
pub use planner::{
    DefaultProbe, OnlinePlanError, VolatileDefaults, plan_online, probe_candidates, probe_sql,
};
pub use refusal::Refusal;
pub use row_batches::RowBatches;
pub use step::{Backfill, OnlineStep, StepKind};

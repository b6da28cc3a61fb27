//! Changes to existing rows ([`Op::ChangeRows`](crate::ops::Op::ChangeRows)) as
//! one plain statement: `UPDATE t SET ... [WHERE ...]` or `DELETE FROM t [WHERE ...]`.

use super::{RenderError, SqlDialect, Statement, column, table};
use crate::ops::{RowAction, RowChange};
use crate::schema::Schema;

/// The single statement of a row change, checked against the schema before it.
pub(crate) fn change_rows(
    d: &dyn SqlDialect,
    change: &RowChange,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let t = table(before, &change.table)?;
    let name = d.quote_ident(&change.table);
    let filter = change
        .filter
        .as_deref()
        .map(|f| format!(" WHERE {f}"))
        .unwrap_or_default();
    let sql = match &change.action {
        RowAction::Update(set) => {
            if set.is_empty() {
                return Err(RenderError::InvalidOp {
                    op: "change_rows",
                    reason: format!("the update of {:?} sets no column", change.table),
                });
            }
            let mut assignments = Vec::with_capacity(set.len());
            for (c, expr) in set {
                column(t, c)?;
                assignments.push(format!("{} = {expr}", d.quote_ident(c)));
            }
            format!("UPDATE {name} SET {}{filter}", assignments.join(", "))
        }
        RowAction::Delete => format!("DELETE FROM {name}{filter}"),
    };
    Ok(vec![Statement::new(sql)])
}

//! Which CHECK constraints the server takes: none before MariaDB 10.2.1 and
//! MySQL 8.0.16 (older servers parse and ignore them), none over an
//! `AUTO_INCREMENT` column, and none over a column that a foreign key's
//! `CASCADE`/`SET NULL`/`SET DEFAULT` action writes.

use super::Mysql;
use super::render::unsupported;
use crate::dialect::RenderError;
use crate::schema::Table;

/// Refuses `check` on table `t` (when known) where the server would not
/// enforce or would not take it.
pub(super) fn check_supported(
    m: &Mysql,
    op: &'static str,
    t: Option<&Table>,
    check: &crate::schema::CheckConstraint,
) -> Result<(), RenderError> {
    let name = &check.name;
    if !m.server.check_constraints() {
        return Err(unsupported(
            m,
            op,
            &format!(
                "CHECK constraint {name:?} would be parsed and ignored (CHECK needs MariaDB \
                 10.2.1 or MySQL 8.0.16); enforce it with a trigger or in the application"
            ),
        ));
    }
    let auto = t
        .into_iter()
        .flat_map(|t| &t.columns)
        .find(|c| c.auto_increment.is_some() && crate::expr::mentions(&check.expression, &c.name));
    if let Some(c) = auto {
        return Err(unsupported(
            m,
            op,
            &format!(
                "CHECK constraint {name:?} mentions the AUTO_INCREMENT column {:?}, which \
                 the server refuses; check the value in the application",
                c.name
            ),
        ));
    }
    for fk in t.into_iter().flat_map(|t| t.foreign_keys.values()) {
        check_and_fk_actions(m, op, check, fk)?;
    }
    Ok(())
}

/// The server refuses a CHECK over a column of a foreign key with a
/// referential action that writes the column (`CASCADE`, `SET NULL`, `SET
/// DEFAULT`).
pub(super) fn check_and_fk_actions(
    m: &Mysql,
    op: &'static str,
    check: &crate::schema::CheckConstraint,
    fk: &crate::schema::ForeignKey,
) -> Result<(), RenderError> {
    use crate::schema::FkAction::{Cascade, SetDefault, SetNull};
    let writes = [fk.on_delete, fk.on_update]
        .iter()
        .any(|a| matches!(a, Cascade | SetNull | SetDefault));
    match fk
        .columns
        .iter()
        .find(|c| writes && crate::expr::mentions(&check.expression, c))
    {
        Some(c) => Err(unsupported(
            m,
            op,
            &format!(
                "CHECK constraint {:?} mentions {c:?}, a column of foreign key {:?} whose \
                 ON DELETE/ON UPDATE action writes it, which the server refuses",
                check.name, fk.name
            ),
        )),
        None => Ok(()),
    }
}

/// The server refuses a foreign key whose `SET NULL` action would write NULL
/// into a `NOT NULL` column of `t`.
pub(super) fn set_null_needs_nullable(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    fk: &crate::schema::ForeignKey,
) -> Result<(), RenderError> {
    use crate::schema::FkAction::SetNull;
    if fk.on_delete != SetNull && fk.on_update != SetNull {
        return Ok(());
    }
    match fk
        .columns
        .iter()
        .find(|c| t.column(c).is_some_and(|col| !col.nullable))
    {
        Some(c) => Err(unsupported(
            m,
            op,
            &format!(
                "column {}.{c} is NOT NULL and foreign key {:?} would set it to NULL (ON \
                 DELETE/ON UPDATE SET NULL), which the server refuses",
                t.name, fk.name
            ),
        )),
        None => Ok(()),
    }
}

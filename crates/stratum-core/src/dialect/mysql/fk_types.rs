//! The types a foreign key may join: InnoDB wants the columns of a key and of
//! the key it references to be of the same type, integers and decimals of the
//! same size and sign; strings may differ in length. A key between other types
//! is refused by the server (errno 150, "foreign key constraint is incorrectly
//! formed"), so it is refused here, before anything runs.

use super::Mysql;
use super::render::unsupported;
use super::types::type_sql;
use crate::dialect::RenderError;
use crate::schema::{ColumnType, ForeignKey, Schema, Table};

/// What must be equal between the two columns of a key: the type as the
/// server spells it, without the length of a string or the display width of
/// an integer. `None` where the model cannot tell (enums, whose labels may
/// differ freely).
fn key_type(m: &Mysql, ty: &ColumnType, schema: &Schema) -> Option<String> {
    let text = match ty {
        ColumnType::Enum(_) => return None,
        ColumnType::Varchar(_) => return Some("string".into()),
        ColumnType::Custom(t) => t.to_ascii_lowercase(),
        other => type_sql(m.server, other, Some(schema)),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let base_end = text.find(['(', ' ']).unwrap_or(text.len());
    let base = match &text[..base_end] {
        "integer" => "int",
        "char" | "varchar" | "character" => return Some("string".into()),
        b => b,
    };
    // What follows the base and its arguments: `unsigned`, `zerofill`.
    let tail = match text[base_end..].trim_start().strip_prefix('(') {
        Some(rest) => rest.split_once(')').map_or("", |(_, t)| t).trim(),
        None => text[base_end..].trim(),
    };
    let integer = matches!(
        base,
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint"
    );
    Some(if integer {
        format!("{base} {tail}").trim().to_string()
    } else {
        text.replacen(&text[..base_end], base, 1)
    })
}

/// Refuses `fk` of table `t` when a column and the column it references are
/// of types the server does not join. A referenced table the schema does not
/// know (made by raw SQL) is not checked.
pub(super) fn check_types(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    fk: &ForeignKey,
    schema: &Schema,
) -> Result<(), RenderError> {
    let referenced = if fk.ref_table == t.name {
        Some(t)
    } else {
        schema.table(&fk.ref_table)
    };
    let Some(referenced) = referenced else {
        return Ok(());
    };
    for (name, ref_name) in fk.columns.iter().zip(&fk.ref_columns) {
        let (Some(col), Some(ref_col)) = (t.column(name), referenced.column(ref_name)) else {
            continue;
        };
        let (a, b) = (
            key_type(m, &col.ty, schema),
            key_type(m, &ref_col.ty, schema),
        );
        if let (Some(a), Some(b)) = (a, b)
            && a != b
        {
            return Err(unsupported(
                m,
                op,
                &format!(
                    "foreign key {} joins {}.{} ({}) to {}.{} ({}), and a foreign key needs \
                     columns of the same type, size and sign; make both columns the same type",
                    fk.name,
                    t.name,
                    name,
                    spelled(m, &col.ty, schema),
                    referenced.name,
                    ref_name,
                    spelled(m, &ref_col.ty, schema),
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a change of the type of `column` of `table` (as `after` has it)
/// that leaves a foreign key over the column, at either end, joining columns
/// of different types: the key could not be added back after the change.
pub(super) fn check_keys_over(
    m: &Mysql,
    op: &'static str,
    after: &Schema,
    table: &str,
    column: &str,
) -> Result<(), RenderError> {
    for t in after.tables.values() {
        for fk in t.foreign_keys.values() {
            let here = t.name == table && fk.columns.iter().any(|c| c == column);
            let there = fk.ref_table == table && fk.ref_columns.iter().any(|c| c == column);
            if here || there {
                check_types(m, op, t, fk, after)?;
            }
        }
    }
    Ok(())
}

/// A type as the server spells it, for messages.
fn spelled(m: &Mysql, ty: &ColumnType, schema: &Schema) -> String {
    match ty {
        ColumnType::Custom(t) => t.clone(),
        other => type_sql(m.server, other, Some(schema)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_types_ignore_lengths_and_widths_but_not_sizes_or_signs() {
        let m = super::super::DEFAULT;
        let s = Schema::new();
        let k = |ty: ColumnType| key_type(&m, &ty, &s);
        let c = |t: &str| ColumnType::Custom(t.into());
        assert_eq!(k(ColumnType::Integer), k(c("int(11)")));
        assert_eq!(k(ColumnType::Integer), k(c("INTEGER")));
        assert_ne!(k(ColumnType::Integer), k(ColumnType::BigInt));
        assert_ne!(k(ColumnType::Integer), k(c("int unsigned")));
        assert_eq!(k(c("int(10) unsigned")), k(c("int unsigned")));
        assert_eq!(
            k(ColumnType::Varchar(Some(20))),
            k(ColumnType::Varchar(Some(40)))
        );
        assert_eq!(k(ColumnType::Varchar(Some(20))), k(c("char(10)")));
        assert_ne!(
            k(ColumnType::Numeric {
                precision: Some(10),
                scale: Some(2)
            }),
            k(c("decimal(12,2)"))
        );
        assert_eq!(k(ColumnType::Enum("e".into())), None);
    }
}

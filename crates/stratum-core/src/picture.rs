//! Pictures of a schema: entity-relationship diagrams as Mermaid `erDiagram` text or
//! Graphviz DOT. Pure functions of a [`Schema`].

use crate::schema::{Column, ColumnType, Schema, Table};
use std::fmt::Write;

/// What to draw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiagramOptions {
    /// Draw every column, not just key columns (primary, foreign and unique keys).
    pub all_columns: bool,
}

/// Key roles of a column within its table.
fn keys(table: &Table, col: &Column) -> Vec<&'static str> {
    let mut k = Vec::new();
    if table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&col.name))
    {
        k.push("PK");
    }
    if table
        .foreign_keys
        .values()
        .any(|fk| fk.columns.contains(&col.name))
    {
        k.push("FK");
    }
    let unique = table
        .uniques
        .values()
        .any(|u| u.columns == [col.name.clone()])
        || table
            .indexes
            .values()
            .any(|i| i.unique && i.columns == [col.name.clone()]);
    if unique {
        k.push("UK");
    }
    k
}

/// A type name that is a single word, as diagram grammars want (`varchar_255`).
fn type_word(ty: &ColumnType) -> String {
    let s = ty.to_string();
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// An identifier safe for both grammars (letters, digits, `_` and `-`).
fn entity(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn shown_columns(table: &Table, opts: DiagramOptions) -> Vec<(&Column, Vec<&'static str>)> {
    table
        .columns
        .iter()
        .map(|c| (c, keys(table, c)))
        .filter(|(_, k)| opts.all_columns || !k.is_empty())
        .collect()
}

/// The schema as a Mermaid `erDiagram`.
pub fn mermaid(schema: &Schema, opts: DiagramOptions) -> String {
    let mut out = String::from("erDiagram\n");
    for table in schema.tables.values() {
        let cols = shown_columns(table, opts);
        if cols.is_empty() {
            let _ = writeln!(out, "    {} {{\n    }}", entity(&table.name));
            continue;
        }
        let _ = writeln!(out, "    {} {{", entity(&table.name));
        for (c, k) in cols {
            let _ = write!(out, "        {} {}", type_word(&c.ty), entity(&c.name));
            if !k.is_empty() {
                let _ = write!(out, " {}", k.join(", "));
            }
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for table in schema.tables.values() {
        for fk in table.foreign_keys.values() {
            let optional = fk
                .columns
                .iter()
                .any(|c| table.column(c).is_none_or(|c| c.nullable));
            let parent_side = if optional { "|o" } else { "||" };
            let _ = writeln!(
                out,
                "    {} {}--o{{ {} : \"{}\"",
                entity(&fk.ref_table),
                parent_side,
                entity(&table.name),
                fk.columns.join(", ").replace('"', "'")
            );
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The schema as a Graphviz DOT digraph (one record-like node per table, one edge per
/// foreign key, from the referencing table to the referenced one).
pub fn dot(schema: &Schema, opts: DiagramOptions) -> String {
    let mut out = String::from(
        "digraph schema {\n    rankdir=LR;\n    node [shape=plaintext, fontname=\"Helvetica\"];\n    edge [arrowhead=crow, arrowtail=none];\n",
    );
    for table in schema.tables.values() {
        let _ = write!(
            out,
            "    \"{}\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\"><tr><td bgcolor=\"lightgrey\"><b>{}</b></td></tr>",
            table.name.replace('"', "\\\""),
            html_escape(&table.name)
        );
        for (c, k) in shown_columns(table, opts) {
            let key = if k.is_empty() {
                String::new()
            } else {
                format!(" [{}]", k.join(","))
            };
            let _ = write!(
                out,
                "<tr><td align=\"left\" port=\"{}\">{} : {}{}</td></tr>",
                html_escape(&entity(&c.name)),
                html_escape(&c.name),
                html_escape(&c.ty.to_string()),
                key
            );
        }
        out.push_str("</table>>];\n");
    }
    for table in schema.tables.values() {
        for fk in table.foreign_keys.values() {
            let _ = writeln!(
                out,
                "    \"{}\" -> \"{}\" [label=\"{}\"];",
                table.name.replace('"', "\\\""),
                fk.ref_table.replace('"', "\\\""),
                html_escape(&fk.columns.join(", "))
            );
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn sample() -> Schema {
        let mut op = Ops::new();
        op.create_table("grid")
            .column(col("uuid", varchar()).primary_key())
            .column(col("name", varchar_n(40)).not_null());
        op.create_table("gridsquare")
            .column(col("uuid", varchar()).primary_key())
            .column(col("grid_uuid", varchar()).references("grid.uuid"))
            .column(col("size", double()));
        let mut s = Schema::new();
        for o in op.as_slice() {
            if let Op::CreateTable(t) = o {
                s.insert_table(t.clone());
            }
        }
        s
    }

    #[test]
    fn mermaid_shows_keys_and_relations() {
        let text = mermaid(&sample(), DiagramOptions::default());
        assert_eq!(
            text,
            "erDiagram\n    grid {\n        varchar uuid PK\n    }\n    gridsquare {\n        varchar uuid PK\n        varchar grid_uuid FK\n    }\n    grid |o--o{ gridsquare : \"grid_uuid\"\n"
        );
        let all = mermaid(&sample(), DiagramOptions { all_columns: true });
        assert!(all.contains("varchar_40 name\n"));
        assert!(all.contains("double_precision size\n"));
    }

    #[test]
    fn dot_has_a_node_per_table_and_an_edge_per_key() {
        let text = dot(&sample(), DiagramOptions::default());
        assert_eq!(text.matches("[label=<").count(), 2);
        assert!(text.contains("\"gridsquare\" -> \"grid\" [label=\"grid_uuid\"];"));
    }
}

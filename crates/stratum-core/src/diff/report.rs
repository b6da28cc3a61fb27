//! Differences for people: what differs between two schemas, object by object
//! (`account.email: default differs: database 'x', models 'y'`), as `check` and
//! `diff` report them. [`super::diff`] says how to get from one to the other; this
//! says what is not the same.

use super::same_default;
use crate::schema::{Column, DefaultValue, ForeignKey, Index, Schema, Table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Display;

/// How an object differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// Present only on the first side.
    OnlyInFrom,
    /// Present only on the second side.
    OnlyInTo,
    /// Present on both sides; one aspect differs.
    Differs {
        /// What differs (`type`, `default`, `nullability`, `labels`, ...).
        aspect: String,
        /// The first side's value.
        from: String,
        /// The second side's value.
        to: String,
    },
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The object: `table account`, `column account.email`, `index ix_a on account`,
    /// `enum type mood`, ...
    pub object: String,
    /// How it differs.
    pub kind: DifferenceKind,
}

impl Difference {
    /// One line, naming the sides (`database`, `models`, `revisions at head`).
    pub fn describe(&self, from: &str, to: &str) -> String {
        match &self.kind {
            DifferenceKind::OnlyInFrom => format!("{}: only in the {from}", self.object),
            DifferenceKind::OnlyInTo => format!("{}: only in the {to}", self.object),
            DifferenceKind::Differs {
                aspect,
                from: a,
                to: b,
            } => format!("{}: {aspect} differs: {from} {a}, {to} {b}", self.object),
        }
    }
}

struct Out(Vec<Difference>);

impl Out {
    fn only<K: Ord + Display, V>(
        &mut self,
        what: impl Fn(&K) -> String,
        a: &BTreeMap<K, V>,
        b: &BTreeMap<K, V>,
    ) {
        for k in a.keys().filter(|k| !b.contains_key(*k)) {
            self.push(what(k), DifferenceKind::OnlyInFrom);
        }
        for k in b.keys().filter(|k| !a.contains_key(*k)) {
            self.push(what(k), DifferenceKind::OnlyInTo);
        }
    }

    fn push(&mut self, object: String, kind: DifferenceKind) {
        self.0.push(Difference { object, kind });
    }

    fn differs(&mut self, object: &str, aspect: &str, from: String, to: String) {
        if from != to {
            self.push(
                object.to_string(),
                DifferenceKind::Differs {
                    aspect: aspect.to_string(),
                    from,
                    to,
                },
            );
        }
    }
}

fn quoted(d: Option<&DefaultValue>) -> String {
    match d {
        None => "none".to_string(),
        Some(DefaultValue::Text(s)) => format!("'{s}'"),
        Some(d) => format!("'{d}'"),
    }
}

fn index_text(i: &Index) -> String {
    let mut s = format!(
        "{}({})",
        if i.unique { "unique " } else { "" },
        i.columns.join(", ")
    );
    if let Some(m) = &i.method {
        s.push_str(&format!(" using {m}"));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" where {p}"));
    }
    s
}

fn fk_text(fk: &ForeignKey) -> String {
    format!(
        "({}) -> {}({}) on delete {} on update {}",
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", "),
        fk.on_delete.sql(),
        fk.on_update.sql()
    )
}

fn column(out: &mut Out, table: &str, a: &Column, b: &Column) {
    let object = format!("column {table}.{}", a.name);
    out.differs(&object, "type", a.ty.to_string(), b.ty.to_string());
    let null = |c: &Column| if c.nullable { "NULL" } else { "NOT NULL" }.to_string();
    out.differs(&object, "nullability", null(a), null(b));
    if !same_default(a.default.as_ref(), b.default.as_ref()) {
        out.push(
            object.clone(),
            DifferenceKind::Differs {
                aspect: "default".into(),
                from: quoted(a.default.as_ref()),
                to: quoted(b.default.as_ref()),
            },
        );
    }
    let auto = |c: &Column| match c.auto_increment {
        None => "none".to_string(),
        Some(k) => format!("{k:?}").to_lowercase(),
    };
    out.differs(&object, "autoincrement", auto(a), auto(b));
}

fn table(out: &mut Out, a: &Table, b: &Table) {
    let t = &a.name;
    for c in &a.columns {
        match b.column(&c.name) {
            Some(other) => column(out, t, c, other),
            None => out.push(format!("column {t}.{}", c.name), DifferenceKind::OnlyInFrom),
        }
    }
    for c in b.columns.iter().filter(|c| a.column(&c.name).is_none()) {
        out.push(format!("column {t}.{}", c.name), DifferenceKind::OnlyInTo);
    }
    let pk = |t: &Table| match &t.primary_key {
        None => "none".to_string(),
        Some(pk) => format!("{} ({})", pk.name, pk.columns.join(", ")),
    };
    out.differs(&format!("table {t}"), "primary key", pk(a), pk(b));
    out.only(|k| format!("index {k} on {t}"), &a.indexes, &b.indexes);
    for (name, i) in &a.indexes {
        if let Some(j) = b.indexes.get(name) {
            out.differs(
                &format!("index {name} on {t}"),
                "definition",
                index_text(i),
                index_text(j),
            );
        }
    }
    out.only(
        |k| format!("foreign key {k} on {t}"),
        &a.foreign_keys,
        &b.foreign_keys,
    );
    for (name, fk) in &a.foreign_keys {
        if let Some(other) = b.foreign_keys.get(name) {
            out.differs(
                &format!("foreign key {name} on {t}"),
                "definition",
                fk_text(fk),
                fk_text(other),
            );
        }
    }
    out.only(
        |k| format!("unique constraint {k} on {t}"),
        &a.uniques,
        &b.uniques,
    );
    for (name, u) in &a.uniques {
        if let Some(v) = b.uniques.get(name) {
            out.differs(
                &format!("unique constraint {name} on {t}"),
                "columns",
                format!("({})", u.columns.join(", ")),
                format!("({})", v.columns.join(", ")),
            );
        }
    }
    out.only(
        |k| format!("check constraint {k} on {t}"),
        &a.checks,
        &b.checks,
    );
    for (name, c) in &a.checks {
        if let Some(d) = b.checks.get(name) {
            out.differs(
                &format!("check constraint {name} on {t}"),
                "expression",
                format!("'{}'", c.expression),
                format!("'{}'", d.expression),
            );
        }
    }
}

/// Every difference between `from` and `to` (both compared in normal form), enum
/// types and sequences first, then tables by name. Column order is not compared.
pub fn differences(from: &Schema, to: &Schema) -> Vec<Difference> {
    let (a, b) = (from.normalized(), to.normalized());
    let mut out = Out(Vec::new());
    out.only(|k| format!("enum type {k}"), &a.enums, &b.enums);
    for (name, e) in &a.enums {
        if let Some(f) = b.enums.get(name) {
            out.differs(
                &format!("enum type {name}"),
                "labels",
                format!("({})", e.values.join(", ")),
                format!("({})", f.values.join(", ")),
            );
        }
    }
    out.only(|k| format!("sequence {k}"), &a.sequences, &b.sequences);
    for (name, s) in &a.sequences {
        if let Some(t) = b.sequences.get(name) {
            let text = |s: &crate::schema::Sequence| {
                format!("start {} increment {}", s.start, s.increment)
            };
            out.differs(&format!("sequence {name}"), "definition", text(s), text(t));
        }
    }
    out.only(|k| format!("table {k}"), &a.tables, &b.tables);
    for (name, t) in &a.tables {
        if let Some(u) = b.tables.get(name) {
            table(&mut out, t, u);
        }
    }
    out.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use crate::simulate::apply_all;

    fn build(f: impl FnOnce(&mut Ops)) -> Schema {
        let mut op = Ops::new();
        f(&mut op);
        let mut s = Schema::new();
        apply_all(&mut s, op.as_slice()).unwrap();
        s
    }

    #[test]
    fn names_each_difference() {
        let a = build(|op| {
            op.create_table("account")
                .column(col("id", integer()).primary_key())
                .column(col("name", text()).default_text("x"))
                .column(col("extra", text()))
                .index(index("ix_account_name", ["name"]));
        });
        let b = build(|op| {
            op.create_table("account")
                .column(col("id", integer()).primary_key())
                .column(col("name", text()).not_null().default_text("y"));
        });
        let lines: Vec<String> = differences(&a, &b)
            .iter()
            .map(|d| d.describe("database", "models"))
            .collect();
        assert_eq!(
            lines,
            [
                "column account.name: nullability differs: database NULL, models NOT NULL",
                "column account.name: default differs: database 'x', models 'y'",
                "column account.extra: only in the database",
                "index ix_account_name on account: only in the database",
            ]
        );
    }

    #[test]
    fn defaults_are_compared_by_meaning() {
        let e = |s: &str| Some(DefaultValue::Expr(s.into()));
        assert!(same_default(
            e("CURRENT_TIMESTAMP").as_ref(),
            Some(&DefaultValue::Now)
        ));
        assert!(same_default(e("(0)").as_ref(), Some(&DefaultValue::Int(0))));
        assert!(same_default(
            e("'it''s'::character varying").as_ref(),
            Some(&DefaultValue::Text("it's".into()))
        ));
        assert!(same_default(e("NULL").as_ref(), None));
        assert!(same_default(
            e("a  ||  'b'").as_ref(),
            e("(a || 'b')").as_ref()
        ));
        assert!(!same_default(
            e("1 + 1").as_ref(),
            Some(&DefaultValue::Int(2))
        ));
    }
}

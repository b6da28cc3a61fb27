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

    /// [`Out::only`], then `aspect` of each object present on both sides, as `text`
    /// spells it.
    fn compare<K: Ord + Display, V>(
        &mut self,
        what: impl Fn(&K) -> String,
        aspect: &str,
        text: impl Fn(&V) -> String,
        a: &BTreeMap<K, V>,
        b: &BTreeMap<K, V>,
    ) {
        self.only(&what, a, b);
        for (k, x) in a {
            if let Some(y) = b.get(k) {
                self.differs(&what(k), aspect, text(x), text(y));
            }
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
    out.compare(
        |k| format!("index {k} on {t}"),
        "definition",
        index_text,
        &a.indexes,
        &b.indexes,
    );
    out.compare(
        |k| format!("foreign key {k} on {t}"),
        "definition",
        fk_text,
        &a.foreign_keys,
        &b.foreign_keys,
    );
    out.compare(
        |k| format!("unique constraint {k} on {t}"),
        "columns",
        |u| format!("({})", u.columns.join(", ")),
        &a.uniques,
        &b.uniques,
    );
    out.compare(
        |k| format!("check constraint {k} on {t}"),
        "expression",
        |c| format!("'{}'", c.expression),
        &a.checks,
        &b.checks,
    );
}

/// Every difference between `from` and `to` (both compared in normal form), enum
/// types and sequences first, then tables by name. Column order is not compared.
pub fn differences(from: &Schema, to: &Schema) -> Vec<Difference> {
    let (a, b) = (from.normalized(), to.normalized());
    let mut out = Out(Vec::new());
    out.compare(
        |k| format!("enum type {k}"),
        "labels",
        |e| format!("({})", e.values.join(", ")),
        &a.enums,
        &b.enums,
    );
    out.compare(
        |k| format!("sequence {k}"),
        "definition",
        |s| format!("start {} increment {}", s.start, s.increment),
        &a.sequences,
        &b.sequences,
    );
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
    use crate::simulate::tests::schema_from_ops;

    #[test]
    fn names_each_difference() {
        let a = schema_from_ops(|op| {
            op.create_table("account")
                .column(col("id", integer()).primary_key())
                .column(col("name", text()).default_text("x"))
                .column(col("extra", text()))
                .index(index("ix_account_name", ["name"]));
        });
        let b = schema_from_ops(|op| {
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

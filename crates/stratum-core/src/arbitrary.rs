//! proptest strategies for schemas and ops, for property tests here and in other
//! crates (feature `arbitrary`).
//!
//! Generated schemas are portable: PostgreSQL and SQLite can both execute them.
//! Names are lowercase identifiers with a digit (never reserved words); defaults fit
//! their column's type; primary keys, unique keys and indexes use indexable types;
//! a foreign key references a primary key, unique constraint or unique index of the
//! referenced table with columns of the same types; autoincrement is only on a
//! single `integer` primary key column. [`ColumnType::Custom`] is never generated
//! (it is not portable). [`arb_op`] generates ops that apply to the given schema.

mod build;
mod ops;
#[cfg(test)]
mod tests;

pub use ops::arb_op;

use crate::ops::Op;
use crate::schema::{ColumnType, EnumType, Schema, Sequence};
use build::{add_extra_fk, build_table, table_seed};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;

/// A lowercase word of 2 to 5 letters (combined with digits into names).
pub(crate) fn word() -> impl Strategy<Value = String> {
    "[a-z]{2,5}"
}

/// The portable column types other than enums.
pub(crate) fn base_types() -> Vec<ColumnType> {
    use ColumnType as T;
    vec![
        T::SmallInt,
        T::Integer,
        T::BigInt,
        T::Real,
        T::Double,
        T::Numeric {
            precision: Some(10),
            scale: Some(2),
        },
        T::Text,
        T::Varchar(None),
        T::Varchar(Some(40)),
        T::Boolean,
        T::Date,
        T::Time,
        T::Timestamp { tz: false },
        T::Timestamp { tz: true },
        T::Uuid,
        T::Json,
        T::Jsonb,
        T::Bytes,
    ]
}

/// Every portable type available in `schema`: [`base_types`] and its enums.
pub(crate) fn all_types(schema: &Schema) -> Vec<ColumnType> {
    let mut types = base_types();
    types.extend(schema.enums.keys().map(|e| ColumnType::Enum(e.clone())));
    types
}

/// An enum type named `name` with 1 to 4 distinct labels.
pub(crate) fn arb_enum(name: String) -> impl Strategy<Value = EnumType> {
    btree_set(word(), 1..=4).prop_map(move |labels| EnumType {
        name: name.clone(),
        values: labels.into_iter().collect(),
    })
}

/// A standalone sequence named `name`.
pub(crate) fn arb_sequence(name: String) -> impl Strategy<Value = Sequence> {
    (1i64..1000, 1i64..5).prop_map(move |(start, increment)| Sequence {
        name: name.clone(),
        start,
        increment,
    })
}

/// A table named `name` that fits into `schema`: its column types use the schema's
/// enums, its foreign keys reference the schema's tables (or itself).
pub fn arb_table(
    schema: &Schema,
    name: String,
) -> impl Strategy<Value = crate::schema::Table> + use<> {
    let schema = schema.clone();
    table_seed().prop_map(move |seed| build_table(&schema, &name, &seed))
}

/// A schema of 0 to 2 enum types, 0 or 1 sequences and 1 to 4 tables, with primary
/// keys, foreign keys between the tables (forward references and cycles included),
/// indexes, unique and check constraints.
pub fn arb_schema() -> impl Strategy<Value = Schema> {
    let enums = vec(word(), 0..=2);
    let seqs = vec(word(), 0..=1);
    (enums, seqs, 1usize..=4)
        .prop_flat_map(|(enum_words, seq_words, tables)| {
            let enums: Vec<_> = enum_words
                .into_iter()
                .enumerate()
                .map(|(i, w)| arb_enum(format!("{w}_enum{i}")))
                .collect();
            let mut base = Schema::new();
            for (i, w) in seq_words.into_iter().enumerate() {
                base.sequences.insert(
                    format!("{w}_seq{i}"),
                    Sequence {
                        name: format!("{w}_seq{i}"),
                        start: 1,
                        increment: 1,
                    },
                );
            }
            enums.prop_flat_map(move |enums| {
                let mut s = base.clone();
                enums.into_iter().for_each(|e| s.insert_enum(e));
                grow(s, tables)
            })
        })
        .prop_flat_map(|s| {
            vec(
                any::<(prop::sample::Index, prop::sample::Index, u8)>(),
                0..=1,
            )
            .prop_map(move |extras| {
                let mut s = s.clone();
                for (src, key, action) in extras {
                    add_extra_fk(&mut s, src, key, action);
                }
                s.normalized()
            })
        })
}

/// Adds `remaining` generated tables to `schema`, each able to reference the ones
/// before it.
fn grow(schema: Schema, remaining: usize) -> BoxedStrategy<Schema> {
    if remaining == 0 {
        return Just(schema).boxed();
    }
    let i = schema.tables.len();
    word()
        .prop_flat_map(move |w| {
            arb_table(&schema, format!("{w}{i}")).prop_map({
                let schema = schema.clone();
                move |t| {
                    let mut s = schema.clone();
                    s.insert_table(t);
                    s
                }
            })
        })
        .prop_flat_map(move |s| grow(s, remaining - 1))
        .boxed()
}

/// `n` ops that apply one after another starting from `schema`, with the schema
/// they lead to: a generated history, e.g. to derive a second schema from a first.
pub fn arb_history(schema: &Schema, n: usize) -> impl Strategy<Value = (Vec<Op>, Schema)> + use<> {
    history(schema.clone(), Vec::new(), n)
}

fn history(schema: Schema, ops: Vec<Op>, remaining: usize) -> BoxedStrategy<(Vec<Op>, Schema)> {
    if remaining == 0 {
        return Just((ops, schema)).boxed();
    }
    arb_op(&schema)
        .prop_flat_map(move |op| {
            let mut next = schema.clone();
            let mut ops = ops.clone();
            if crate::simulate::apply(&mut next, &op).is_ok() {
                ops.push(op);
            }
            history(next, ops, remaining - 1)
        })
        .boxed()
}

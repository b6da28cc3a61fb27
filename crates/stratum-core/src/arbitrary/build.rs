//! Deterministic construction of tables from random seeds: the strategies draw
//! plain choices (indexes into candidate lists), these functions turn them into a
//! valid, portable table.

use super::all_types;
use crate::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index,
    PrimaryKey, Schema, Table, UniqueConstraint,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index as Pick;

/// Random choices for one column.
#[derive(Debug, Clone)]
pub(crate) struct ColSeed {
    word: String,
    ty: Pick,
    nullable: bool,
    default: Option<Pick>,
}

/// Random choices for one table.
#[derive(Debug, Clone)]
pub(crate) struct TableSeed {
    cols: Vec<ColSeed>,
    /// 0: no primary key; 1–2: on the first column; 3: on the first two.
    pk: u8,
    pk_ty: Pick,
    serial: bool,
    /// (referenced key, ON DELETE choice, nullable)
    fks: Vec<(Pick, u8, bool)>,
    self_fk: Option<u8>,
    /// (first column, second column, two columns, unique, partial)
    indexes: Vec<(Pick, Pick, bool, bool, bool)>,
    unique: Option<(Pick, Pick, bool)>,
    check: Option<Pick>,
}

fn col_seed() -> impl Strategy<Value = ColSeed> {
    (
        super::word(),
        any::<Pick>(),
        any::<bool>(),
        any::<Option<Pick>>(),
    )
        .prop_map(|(word, ty, nullable, default)| ColSeed {
            word,
            ty,
            nullable,
            default,
        })
}

/// The random choices behind one generated table.
pub(crate) fn table_seed() -> impl Strategy<Value = TableSeed> {
    (
        vec(col_seed(), 1..=5),
        (0u8..4, any::<Pick>(), any::<bool>()),
        vec(any::<(Pick, u8, bool)>(), 0..=2),
        prop::option::weighted(0.25, any::<u8>()),
        vec(any::<(Pick, Pick, bool, bool, bool)>(), 0..=2),
        prop::option::weighted(0.3, any::<(Pick, Pick, bool)>()),
        prop::option::weighted(0.3, any::<Pick>()),
    )
        .prop_map(
            |(cols, (pk, pk_ty, serial), fks, self_fk, indexes, unique, check)| TableSeed {
                cols,
                pk,
                pk_ty,
                serial,
                fks,
                self_fk,
                indexes,
                unique,
                check,
            },
        )
}

/// Types that both databases can put in a primary key, unique key or btree index.
pub(crate) fn indexable(ty: &ColumnType) -> bool {
    use ColumnType as T;
    matches!(
        ty,
        T::SmallInt
            | T::Integer
            | T::BigInt
            | T::Numeric { .. }
            | T::Text
            | T::Varchar(_)
            | T::Boolean
            | T::Date
            | T::Time
            | T::Timestamp { .. }
            | T::Uuid
            | T::Enum(_)
    )
}

/// Defaults that fit `ty` (an empty list where no portable default is generated).
/// With `literal_only`, no `now()` or random UUID.
pub(crate) fn defaults_for(
    schema: &Schema,
    ty: &ColumnType,
    literal_only: bool,
) -> Vec<DefaultValue> {
    use ColumnType as T;
    use DefaultValue as D;
    let mut out = match ty {
        T::SmallInt | T::Integer | T::BigInt => vec![D::Int(0), D::Int(7), D::Int(42)],
        T::Real | T::Double | T::Numeric { .. } => {
            vec![D::Decimal("1.5".into()), D::Decimal("0.25".into())]
        }
        T::Text | T::Varchar(_) => vec![D::Text("abc".into()), D::Text("o'k".into())],
        T::Boolean => vec![D::Bool(true), D::Bool(false)],
        T::Timestamp { .. } => vec![D::Now],
        T::Uuid => vec![D::RandomUuid],
        T::Enum(e) => schema
            .enums
            .get(e)
            .map(|e| e.values.iter().map(|v| D::Text(v.clone())).collect())
            .unwrap_or_default(),
        _ => vec![],
    };
    if literal_only {
        out.retain(|d| !matches!(d, D::Now | D::RandomUuid));
    }
    out
}

/// A key that a foreign key may reference.
#[derive(Debug, Clone)]
pub(crate) struct KeyRef {
    pub table: String,
    pub columns: Vec<String>,
    pub types: Vec<ColumnType>,
}

/// The primary keys, unique constraints and non-partial unique indexes of `schema`
/// whose columns all have indexable types.
pub(crate) fn key_candidates(schema: &Schema) -> Vec<KeyRef> {
    let mut out = Vec::new();
    for t in schema.tables.values() {
        let mut keys: Vec<&Vec<String>> = t.primary_key.iter().map(|pk| &pk.columns).collect();
        keys.extend(t.uniques.values().map(|u| &u.columns));
        keys.extend(
            t.indexes
                .values()
                .filter(|i| i.unique && i.predicate.is_none())
                .map(|i| &i.columns),
        );
        for cols in keys {
            let types: Option<Vec<ColumnType>> = cols
                .iter()
                .map(|c| t.column(c).map(|c| c.ty.clone()))
                .collect();
            if let Some(types) = types
                && types.iter().all(indexable)
            {
                out.push(KeyRef {
                    table: t.name.clone(),
                    columns: cols.clone(),
                    types,
                });
            }
        }
    }
    out
}

pub(crate) fn fk_action(choice: u8, nullable: bool) -> FkAction {
    match choice % 4 {
        0 => FkAction::NoAction,
        1 => FkAction::Cascade,
        2 => FkAction::Restrict,
        _ if nullable => FkAction::SetNull,
        _ => FkAction::NoAction,
    }
}

const PK_TYPES: [ColumnType; 5] = [
    ColumnType::Integer,
    ColumnType::BigInt,
    ColumnType::Uuid,
    ColumnType::Varchar(None),
    ColumnType::Text,
];

/// Builds the table `name` from `seed`, fitting it into `schema`.
pub(crate) fn build_table(schema: &Schema, name: &str, seed: &TableSeed) -> Table {
    let mut t = Table::new(name);
    let types = all_types(schema);
    for (j, cs) in seed.cols.iter().enumerate() {
        let ty = cs.ty.get(&types).clone();
        let defaults = defaults_for(schema, &ty, false);
        let default = cs
            .default
            .filter(|_| !defaults.is_empty())
            .map(|d| d.get(&defaults).clone());
        t.columns.push(Column {
            name: format!("{}{j}", cs.word),
            ty,
            nullable: cs.nullable,
            default,
            auto_increment: None,
        });
    }
    add_primary_key(&mut t, seed);
    let keys = key_candidates(schema);
    for (k, (key, action, nullable)) in seed.fks.iter().enumerate() {
        if !keys.is_empty() {
            let key = key.get(&keys).clone();
            add_fk(
                &mut t,
                &format!("{name}_fk{k}"),
                &format!("fk{k}c"),
                &key,
                *action,
                *nullable,
            );
        }
    }
    if let (Some(action), Some(pk)) = (seed.self_fk, t.primary_key.clone()) {
        let types = pk
            .columns
            .iter()
            .filter_map(|c| t.column(c).map(|c| c.ty.clone()))
            .collect();
        let key = KeyRef {
            table: name.to_string(),
            columns: pk.columns.clone(),
            types,
        };
        add_fk(&mut t, &format!("{name}_fk_self"), "up", &key, action, true);
    }
    add_indexes_and_constraints(&mut t, seed);
    t.normalize();
    t
}

fn add_primary_key(t: &mut Table, seed: &TableSeed) {
    if seed.pk == 0 {
        return;
    }
    let ty = seed.pk_ty.get(&PK_TYPES).clone();
    let first = &mut t.columns[0];
    first.nullable = false;
    first.default = (ty == ColumnType::Uuid).then_some(DefaultValue::RandomUuid);
    let mut columns = vec![first.name.clone()];
    let composite = seed.pk == 3 && t.columns.len() > 1 && indexable(&t.columns[1].ty);
    if composite {
        t.columns[0].ty = ty;
        t.columns[1].nullable = false;
        columns.push(t.columns[1].name.clone());
    } else {
        if seed.serial && ty == ColumnType::Integer {
            t.columns[0].auto_increment = Some(AutoIncrement::Serial);
        }
        t.columns[0].ty = ty;
    }
    t.primary_key = Some(PrimaryKey {
        name: format!("{}_pkey", t.name),
        columns,
    });
}

/// Adds columns `<prefix><j>` of the key's types and a foreign key `name` from them
/// to the key.
pub(crate) fn add_fk(
    t: &mut Table,
    name: &str,
    prefix: &str,
    key: &KeyRef,
    action: u8,
    nullable: bool,
) {
    let mut columns = Vec::new();
    for (j, ty) in key.types.iter().enumerate() {
        let mut col = format!("{prefix}{j}");
        while t.column(&col).is_some() {
            col.push('x');
        }
        let mut c = Column::new(col.clone(), ty.clone());
        c.nullable = nullable;
        t.columns.push(c);
        columns.push(col);
    }
    t.foreign_keys.insert(
        name.to_string(),
        ForeignKey {
            name: name.to_string(),
            columns,
            ref_table: key.table.clone(),
            ref_columns: key.columns.clone(),
            on_delete: fk_action(action, nullable),
            on_update: FkAction::NoAction,
        },
    );
}

fn add_indexes_and_constraints(t: &mut Table, seed: &TableSeed) {
    let cols: Vec<String> = t
        .columns
        .iter()
        .filter(|c| indexable(&c.ty))
        .map(|c| c.name.clone())
        .collect();
    if cols.is_empty() {
        return;
    }
    let pair = |a: &Pick, b: &Pick, two: bool| {
        let (a, b) = (a.get(&cols).clone(), b.get(&cols).clone());
        if two && a != b { vec![a, b] } else { vec![a] }
    };
    // No second key over the same columns: PostgreSQL leaves such a unique
    // constraint out of CREATE TABLE, and which key backs a foreign key would be
    // ambiguous.
    if let Some((a, b, two)) = &seed.unique {
        let name = format!("{}_uq0", t.name);
        let columns = pair(a, b, *two);
        if !t.has_key(&columns, None) {
            t.uniques
                .insert(name.clone(), UniqueConstraint { name, columns });
        }
    }
    for (k, (a, b, two, unique, partial)) in seed.indexes.iter().enumerate() {
        let columns = pair(a, b, *two);
        let predicate = partial.then(|| format!("{} IS NOT NULL", columns[0]));
        let unique = *unique && (predicate.is_some() || !t.has_key(&columns, None));
        let name = format!("ix_{}_{k}", t.name);
        t.indexes.insert(
            name.clone(),
            Index {
                name,
                columns,
                unique,
                method: None,
                predicate,
            },
        );
    }
    let ints: Vec<String> = t
        .columns
        .iter()
        .filter(|c| c.ty.is_integer())
        .map(|c| c.name.clone())
        .collect();
    if let (Some(pick), false) = (&seed.check, ints.is_empty()) {
        let name = format!("{}_ck0", t.name);
        let expression = format!("{} >= 0", pick.get(&ints));
        t.checks
            .insert(name.clone(), CheckConstraint { name, expression });
    }
}

/// Adds a foreign key from a generated table to any key of the schema (possibly a
/// later table, making forward references and cycles), with new nullable columns.
pub(crate) fn add_extra_fk(s: &mut Schema, src: Pick, key: Pick, action: u8) {
    let keys = key_candidates(s);
    if keys.is_empty() || s.tables.is_empty() {
        return;
    }
    let key = key.get(&keys).clone();
    let names: Vec<String> = s.tables.keys().cloned().collect();
    let src = src.get(&names).clone();
    let Some(t) = s.table_mut(&src) else { return };
    let n = t.foreign_keys.len();
    let name = format!("{src}_xfk{n}");
    if !t.foreign_keys.contains_key(&name) {
        add_fk(t, &name, &format!("xfk{n}c"), &key, action, true);
    }
}

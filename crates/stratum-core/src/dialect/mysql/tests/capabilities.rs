//! What each server version can do, and what old servers refuse.

use super::{MARIADB, MYSQL, alter, fixture};
use crate::dialect::mysql::{Flavour, Mysql, ServerVersion};
use crate::dialect::{RenderError, SqlDialect};
use crate::ops::{ColumnChange, Op};
use crate::schema::{CheckConstraint, Column, ColumnType, EnumType, Schema, Sequence};

#[test]
fn capabilities_follow_the_server_version() {
    let maria = |minor_major: (u32, u32), patch| {
        Mysql::new(
            Flavour::MariaDb,
            ServerVersion::new(minor_major.0, minor_major.1, patch),
        )
        .server
    };
    let mysql = |patch| Mysql::mysql_at(8, 0, patch).server;

    assert!(!maria((10, 1), 40).check_constraints());
    assert!(maria((10, 2), 1).check_constraints());
    assert!(!mysql(15).check_constraints());
    assert!(mysql(16).check_constraints());

    assert!(!maria((10, 4), 30).rename_column());
    assert!(maria((10, 5), 2).rename_column());
    assert!(mysql(0).rename_column());

    assert!(!maria((10, 1), 40).expression_defaults());
    assert!(maria((10, 2), 1).expression_defaults());
    assert!(!mysql(12).expression_defaults());
    assert!(mysql(13).expression_defaults());

    assert!(!maria((11, 4), 0).functional_indexes());
    assert!(!mysql(12).functional_indexes());
    assert!(mysql(13).functional_indexes());

    assert!(mysql(36).drop_check_keyword());
    assert!(!maria((10, 11), 0).drop_check_keyword());

    assert!(maria((10, 11), 0).if_exists());
    assert!(!mysql(36).if_exists());

    assert!(!maria((10, 2), 44).sequences());
    assert!(maria((10, 3), 0).sequences());
    assert!(!mysql(36).sequences());

    assert!(!maria((10, 6), 0).uuid_type());
    assert!(maria((10, 7), 0).uuid_type());
    assert!(maria((11, 4), 0).uuid_type());
    assert!(!mysql(36).uuid_type());

    for m in [MARIADB, MYSQL, Mysql::mariadb_at(10, 1)] {
        let caps = m.capabilities();
        assert!(!caps.transactional_ddl);
        assert!(!caps.native_enums);
        assert_eq!(caps.max_identifier_length, Some(64));
        assert!(!caps.table_rebuilds.any());
        assert_eq!(caps.rename_column, m.server.rename_column());
        assert_eq!(caps.check_constraints, m.server.check_constraints());
        assert_eq!(caps.sequences, m.server.sequences());
        assert_eq!(caps.if_exists, m.server.if_exists());
    }
}

#[test]
fn old_servers_refuse_what_they_cannot_do() {
    let old = Mysql::mariadb_at(10, 1);
    let check = Op::AddCheck {
        table: "group".into(),
        check: CheckConstraint {
            name: "ck".into(),
            expression: "owner_id > 0".into(),
        },
        not_valid: false,
    };
    let err = old.render(&check, &fixture()).unwrap_err();
    assert!(err.to_string().contains("MariaDB 10.1.0"), "{err}");
    // No expression defaults: the random UUID of `user.uid` cannot be written.
    let user = Op::CreateTable(fixture().table("user").unwrap().clone());
    let err = old.render(&user, &Schema::new()).unwrap_err();
    assert!(matches!(err, RenderError::InvalidDefault { .. }), "{err}");
    // No RENAME COLUMN before MariaDB 10.5.2: a rename restates the column.
    let rename = alter(
        "name",
        ColumnChange {
            rename: Some("title".into()),
            ..Default::default()
        },
    );
    let sql = &Mysql::mariadb_at(10, 4)
        .render(&rename, &fixture())
        .unwrap()[0]
        .sql;
    assert!(
        sql.contains("CHANGE COLUMN `name` `title` varchar(255) NOT NULL"),
        "{sql}"
    );
    // MariaDB 10.7 has a uuid type.
    assert_eq!(Mysql::mariadb_at(10, 7).type_sql(&ColumnType::Uuid), "uuid");
    assert_eq!(MARIADB.type_sql(&ColumnType::Uuid), "uuid");
    assert_eq!(
        Mysql::mariadb_at(10, 6).type_sql(&ColumnType::Uuid),
        "char(36)"
    );
    assert_eq!(MYSQL.type_sql(&ColumnType::Uuid), "char(36)");
}

#[test]
fn autoincrement_needs_an_integer() {
    let op = Op::AddColumn {
        table: "group".into(),
        column: Column {
            auto_increment: Some(crate::schema::AutoIncrement::Serial),
            ..Column::new("n", ColumnType::Text)
        },
    };
    let err = MARIADB.render(&op, &fixture()).unwrap_err();
    assert!(err.to_string().contains("AUTO_INCREMENT"), "{err}");
}

#[test]
fn normalize_keeps_what_the_server_keeps() {
    let mut s = fixture();
    s.insert_enum(EnumType {
        name: "unused".into(),
        values: vec!["x".into()],
    });
    s.sequences.insert(
        "seq".into(),
        Sequence {
            name: "seq".into(),
            start: 1,
            increment: 1,
        },
    );
    // Whatever the model calls it, the server keeps a primary key without a
    // name: it is read back under the default one.
    s.tables
        .get_mut("group")
        .unwrap()
        .primary_key
        .as_mut()
        .unwrap()
        .name = "pk_g".into();
    let mut on_mysql = s.clone();
    MYSQL.normalize_stored(&mut on_mysql);
    assert!(on_mysql.sequences.is_empty());
    // The enum type is the column's own, named as introspection names it.
    assert_eq!(on_mysql.enums.keys().collect::<Vec<_>>(), ["group_status"]);
    let group = on_mysql.table("group").unwrap();
    assert_eq!(
        group.column("status").unwrap().ty,
        ColumnType::Enum("group_status".into())
    );
    assert_eq!(group.primary_key.as_ref().unwrap().name, "group_pkey");
    assert_eq!(group.column("data").unwrap().ty, ColumnType::Json);
    let mut on_mariadb = s;
    MARIADB.normalize_stored(&mut on_mariadb);
    assert_eq!(on_mariadb.sequences.len(), 1);
}

/// An unbounded varchar can be a key there only with a length: it is
/// `varchar(255)` in the SQL and once stored, while text stays `longtext`.
#[test]
fn an_unbounded_varchar_is_varchar_255() {
    for server in [MARIADB, MYSQL] {
        assert_eq!(server.type_sql(&ColumnType::Varchar(None)), "varchar(255)");
        assert_eq!(server.type_sql(&ColumnType::Text), "longtext");
    }
    let mut s = Schema::new();
    let mut t = crate::schema::Table::new("t");
    t.columns.push(Column::new("v", ColumnType::Varchar(None)));
    t.columns
        .push(Column::new("n", ColumnType::Varchar(Some(255))));
    t.columns.push(Column::new("x", ColumnType::Text));
    s.tables.insert("t".into(), t);
    MARIADB.normalize_stored(&mut s);
    let types: Vec<&ColumnType> = s.tables["t"].columns.iter().map(|c| &c.ty).collect();
    assert_eq!(
        types,
        [
            &ColumnType::Varchar(Some(255)),
            &ColumnType::Varchar(Some(255)),
            &ColumnType::Text
        ]
    );
}

/// A unique index is stored as a unique key and a `RESTRICT` foreign key as
/// `NO ACTION`: the normalized model says so, as introspection reads them.
#[test]
fn normalize_reads_unique_indexes_and_restrict_as_the_server_keeps_them() {
    let mut s = fixture();
    let op = Op::CreateIndex {
        table: "group".into(),
        index: crate::schema::Index {
            name: "ux_group_label".into(),
            columns: vec!["name".into()],
            unique: true,
            method: None,
            predicate: None,
        },
        concurrently: false,
    };
    crate::simulate::apply(&mut s, &op).unwrap();
    let fk = s.tables.get_mut("group").unwrap().foreign_keys.values_mut();
    fk.for_each(|fk| fk.on_update = crate::schema::FkAction::Restrict);
    MARIADB.normalize_stored(&mut s);
    let group = s.table("group").unwrap();
    assert!(!group.indexes.contains_key("ux_group_label"));
    assert_eq!(group.uniques["ux_group_label"].columns, ["name"]);
    let fk = group.foreign_keys.values().next().unwrap();
    assert_eq!(fk.on_delete, crate::schema::FkAction::Cascade);
    assert_eq!(fk.on_update, crate::schema::FkAction::NoAction);
}

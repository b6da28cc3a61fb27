//! Snapshots of what the servers' own rules add to the statements: the index a
//! foreign key needs, text columns in keys, checks the servers refuse, and the
//! `ALGORITHM=`/`LOCK=` a column change asks for; on MariaDB 10.11 and MySQL
//! 8.0, and for the older servers that lack a feature.

use super::{MARIADB, MYSQL, alter, fixture, snapshot, write_statements};
use crate::dialect::SqlDialect;
use crate::dialect::mysql::{MysqlAlgorithm, MysqlAlter, MysqlLock};
use crate::ops::{ColumnChange, Op};
use crate::schema::{
    CheckConstraint, Column, ColumnType, ConstraintKind, Index, PrimaryKey, Schema, Table,
    UniqueConstraint,
};
use std::fmt::Write as _;

fn plain_index(name: &str, columns: &[&str]) -> Index {
    Index {
        name: name.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique: false,
        method: None,
        predicate: None,
    }
}

/// The fixture with an index on `group.owner_id` (the one its foreign key uses)
/// and a unique key over `(owner_id, name)`.
fn served() -> Schema {
    let mut s = fixture();
    let g = s.table_mut("group").unwrap();
    g.indexes.insert(
        "ix_group_owner".into(),
        plain_index("ix_group_owner", &["owner_id"]),
    );
    s
}

fn drop_constraint(name: &str, kind: ConstraintKind) -> Op {
    Op::DropConstraint {
        table: "group".into(),
        name: name.into(),
        kind: Some(kind),
    }
}

#[test]
fn the_index_a_foreign_key_needs() {
    let mut by_unique = fixture();
    by_unique.table_mut("group").unwrap().uniques.insert(
        "uq_group_owner_name".into(),
        UniqueConstraint {
            name: "uq_group_owner_name".into(),
            columns: vec!["owner_id".into(), "name".into()],
        },
    );
    let drop_index = |name: &str| Op::DropIndex {
        table: Some("group".into()),
        name: name.into(),
        concurrently: false,
    };
    let drop_column = |c: &str| Op::DropColumn {
        table: "group".into(),
        column: c.into(),
    };
    snapshot(
        "fk_index_served",
        &served(),
        &[
            ("drop the index the key uses", drop_index("ix_group_owner")),
            (
                "drop an index the key does not use",
                drop_index("ix_group_name"),
            ),
            (
                "drop the key, its index is the model's",
                drop_constraint("group_owner_id_fkey", ConstraintKind::ForeignKey),
            ),
            ("drop a column of the key", drop_column("owner_id")),
        ],
    );
    snapshot(
        "fk_index_own",
        &by_unique,
        &[
            (
                "drop the unique key the foreign key uses",
                drop_constraint("uq_group_owner_name", ConstraintKind::Unique),
            ),
            (
                "drop a column with an index, a unique key and a check",
                drop_column("name"),
            ),
        ],
    );
}

#[test]
fn text_columns_in_keys() {
    let text_table = |pk: bool| {
        let mut t = Table::new("doc");
        t.columns.push(Column {
            name: "slug".into(),
            ty: ColumnType::Text,
            nullable: false,
            default: None,
            auto_increment: None,
        });
        if pk {
            t.primary_key = Some(PrimaryKey {
                name: "doc_pkey".into(),
                columns: vec!["slug".into()],
            });
        }
        t
    };
    let mut unique_text = text_table(false);
    unique_text.uniques.insert(
        "uq_doc_slug".into(),
        UniqueConstraint {
            name: "uq_doc_slug".into(),
            columns: vec!["slug".into()],
        },
    );
    let mut indexed = served();
    indexed.table_mut("group").unwrap().indexes.insert(
        "ix_group_name_data".into(),
        plain_index("ix_group_name_data", &["name", "timestamp"]),
    );
    snapshot(
        "text_keys",
        &indexed,
        &[
            (
                "index over a text column",
                Op::CreateIndex {
                    table: "group".into(),
                    index: plain_index("ix_group_weird", &["we`ird", "name"]),
                    concurrently: false,
                },
            ),
            (
                "unique index over a text column",
                Op::CreateIndex {
                    table: "group".into(),
                    index: Index {
                        unique: true,
                        ..plain_index("ux_group_weird", &["we`ird"])
                    },
                    concurrently: false,
                },
            ),
            (
                "unique key over text and the AUTO_INCREMENT column",
                Op::AddUnique {
                    table: "group".into(),
                    unique: UniqueConstraint {
                        name: "uq_group_weird_id".into(),
                        columns: vec!["we`ird".into(), "id".into()],
                    },
                },
            ),
            ("primary key over text", Op::CreateTable(text_table(true))),
            ("unique key over text", Op::CreateTable(unique_text)),
            (
                "varchar to text restates its indexes",
                alter(
                    "name",
                    ColumnChange {
                        ty: Some(ColumnType::Text),
                        ..ColumnChange::default()
                    },
                ),
            ),
        ],
    );
}

#[test]
fn checks_the_servers_refuse() {
    let check = |name: &str, expression: &str| Op::AddCheck {
        table: "group".into(),
        check: CheckConstraint {
            name: name.into(),
            expression: expression.into(),
        },
        not_valid: false,
    };
    snapshot(
        "refused_checks",
        &fixture(),
        &[
            (
                "over the AUTO_INCREMENT column",
                check("ck_group_id", "id > 0"),
            ),
            (
                "over a column of a cascading foreign key",
                check("ck_group_owner", "owner_id is not null"),
            ),
            (
                "over other columns",
                check("ck_group_status", "status <> 'x'"),
            ),
        ],
    );
}

fn with_options(
    change: ColumnChange,
    algorithm: Option<MysqlAlgorithm>,
    lock: Option<MysqlLock>,
) -> Op {
    alter(
        "name",
        ColumnChange {
            mysql: Some(MysqlAlter { algorithm, lock }),
            ..change
        },
    )
}

#[test]
fn algorithm_and_lock_only_when_asked() {
    let widen = ColumnChange {
        ty: Some(ColumnType::Varchar(Some(300))),
        ..ColumnChange::default()
    };
    let rename = ColumnChange {
        rename: Some("title".into()),
        ..ColumnChange::default()
    };
    snapshot(
        "alter_options",
        &fixture(),
        &[
            ("not asked", alter("name", widen.clone())),
            (
                "inplace, no lock",
                with_options(
                    widen.clone(),
                    Some(MysqlAlgorithm::Inplace),
                    Some(MysqlLock::None),
                ),
            ),
            (
                "instant",
                with_options(rename, Some(MysqlAlgorithm::Instant), None),
            ),
            (
                "nocopy",
                with_options(widen.clone(), Some(MysqlAlgorithm::Nocopy), None),
            ),
            (
                "copy, shared lock",
                with_options(widen, Some(MysqlAlgorithm::Copy), Some(MysqlLock::Shared)),
            ),
        ],
    );
}

/// The same ops on servers older than a feature each needs.
#[test]
fn older_servers() {
    use crate::dialect::mysql::Mysql;
    let rename = alter(
        "name",
        ColumnChange {
            rename: Some("title".into()),
            ..ColumnChange::default()
        },
    );
    let instant = with_options(
        ColumnChange {
            nullable: Some(true),
            ..ColumnChange::default()
        },
        Some(MysqlAlgorithm::Instant),
        None,
    );
    let servers = [
        Mysql::mariadb_at(10, 4),
        Mysql::mariadb_at(10, 2),
        Mysql::mysql_at(8, 0, 11),
    ];
    let mut text = String::new();
    for m in servers {
        for (label, op) in [("rename", &rename), ("instant", &instant)] {
            let _ = writeln!(text, "-- {label} [{} {}]", m.name(), m.server.version);
            write_statements(&mut text, m.render(op, &fixture()));
            text.push('\n');
        }
    }
    // The current servers, for comparison.
    for m in [MARIADB, MYSQL] {
        let _ = writeln!(text, "-- instant [{} {}]", m.name(), m.server.version);
        write_statements(&mut text, m.render(&instant, &fixture()));
    }
    insta::assert_snapshot!("older_servers", text);
}

/// A row of defaults only: there is no `DEFAULT VALUES` on these servers.
#[test]
fn a_row_of_defaults() {
    snapshot(
        "row_of_defaults",
        &fixture(),
        &[(
            "insert two empty rows",
            Op::BulkInsert {
                table: "user".into(),
                rows: super::rows(serde_json::json!([{}, {}])),
            },
        )],
    );
}

/// An index column in parentheses is an expression key part: MySQL 8.0.13+
/// only.
#[test]
fn functional_indexes() {
    use crate::dialect::mysql::Mysql;
    let op = Op::CreateIndex {
        table: "group".into(),
        index: plain_index("ix_group_lower_name", &["(lower(`name`))", "owner_id"]),
        concurrently: false,
    };
    let mut text = String::new();
    for m in [MARIADB, MYSQL, Mysql::mysql_at(8, 0, 12)] {
        let _ = writeln!(text, "-- [{} {}]", m.name(), m.server.version);
        write_statements(&mut text, m.render(&op, &fixture()));
    }
    insta::assert_snapshot!("functional_indexes", text);
}

/// A connection's renderer: one per distinct server, the default one for the
/// version the tests run on.
#[test]
fn one_renderer_per_server() {
    use crate::dialect::mysql::{DEFAULT, Mysql, for_server};
    let mysql = Mysql::mysql_at(8, 0, 36).server;
    let a = for_server(mysql);
    let b = for_server(mysql);
    assert!(std::ptr::eq(a, b));
    assert_eq!(a.server, mysql);
    assert_eq!(a.name(), "mysql");
    assert!(std::ptr::eq(for_server(DEFAULT.server), &DEFAULT));
    let older = for_server(Mysql::mariadb_at(10, 4).server);
    assert!(!older.capabilities().rename_column);
}

/// InnoDB refuses to change the type of a column a foreign key uses: the keys
/// over it are dropped first and added back after. A nullability change alone
/// needs no such care; a `SET NULL` key refuses a `NOT NULL` column.
#[test]
fn type_change_of_a_key_column() {
    let mut set_null = fixture();
    set_null
        .table_mut("group")
        .unwrap()
        .foreign_keys
        .values_mut()
        .for_each(|fk| fk.on_delete = crate::schema::FkAction::SetNull);
    let retype = alter(
        "owner_id",
        ColumnChange {
            ty: Some(ColumnType::Integer),
            ..ColumnChange::default()
        },
    );
    let not_null = alter(
        "owner_id",
        ColumnChange {
            nullable: Some(false),
            ..ColumnChange::default()
        },
    );
    let mut text = super::render_cases(
        "type_change_of_a_key_column",
        &fixture(),
        &[("type", retype), ("not null", not_null.clone())],
    );
    text.push_str(&super::render_cases(
        "type_change_of_a_key_column",
        &set_null,
        &[("not null, SET NULL key", not_null)],
    ));
    // Strings of different lengths join: the key is dropped and added back.
    let mut strings = fixture();
    for (table, column) in [("group", "owner_id"), ("user", "id")] {
        let t = strings.table_mut(table).unwrap();
        t.columns
            .iter_mut()
            .filter(|c| c.name == column)
            .for_each(|c| {
                c.ty = ColumnType::Varchar(Some(20));
                c.auto_increment = None;
            });
    }
    let widen = alter(
        "owner_id",
        ColumnChange {
            ty: Some(ColumnType::Varchar(Some(40))),
            ..ColumnChange::default()
        },
    );
    text.push_str(&super::render_cases(
        "type_change_of_a_key_column",
        &strings,
        &[("varchar key widened", widen)],
    ));
    insta::assert_snapshot!("type_change_of_a_key_column", text);
}

/// A foreign key joins columns of one type (strings may differ in length):
/// InnoDB refuses others with errno 150, so they are refused when rendered,
/// naming both columns and their types. PostgreSQL joins `int` to `bigint`.
#[test]
fn foreign_keys_between_different_types() {
    use crate::schema::{FkAction, ForeignKey};
    let key = |name: &str, column: &str| ForeignKey {
        name: name.into(),
        columns: vec![column.into()],
        ref_table: "user".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
    };
    let mut pet = Table::new("pet");
    pet.columns = vec![
        Column::new("id", ColumnType::Integer),
        Column::new("owner_id", ColumnType::Integer),
        Column::new("keeper", ColumnType::Custom("bigint unsigned".into())),
        Column::new("sitter", ColumnType::Custom("BIGINT(20)".into())),
    ];
    let with_fk = |column: &str| {
        let mut t = pet.clone();
        let fk = key(&format!("fk_pet_{column}"), column);
        t.foreign_keys.insert(fk.name.clone(), fk);
        Op::CreateTable(t)
    };
    let mut before = fixture();
    before.insert_table(pet.clone());
    let add = |column: &str| Op::AddForeignKey {
        table: "pet".into(),
        foreign_key: key(&format!("fk_pet_{column}"), column),
        not_valid: false,
    };
    let text = super::render_cases(
        "foreign_keys_between_different_types",
        &fixture(),
        &[
            ("create_table, int to bigint", with_fk("owner_id")),
            ("create_table, bigint(20) to bigint", with_fk("sitter")),
        ],
    ) + &super::render_cases(
        "foreign_keys_between_different_types",
        &before,
        &[
            ("add_foreign_key, int to bigint", add("owner_id")),
            ("add_foreign_key, unsigned to signed", add("keeper")),
        ],
    );
    insta::assert_snapshot!("foreign_keys_between_different_types", text);
    let pg = crate::dialect::render(crate::dialect::Dialect::Postgres, &add("owner_id"), &before)
        .unwrap();
    assert_eq!(
        pg[0].sql,
        "ALTER TABLE \"pet\" ADD CONSTRAINT \"fk_pet_owner_id\" FOREIGN KEY (\"owner_id\") \
         REFERENCES \"user\" (\"id\")"
    );
}

/// A key made without a name (`<table>_ibfk_<n>`) has its own index named after
/// its first column, which goes with it; unless an index of the model has that
/// name (the server then named its own otherwise).
#[test]
fn an_unnamed_key_goes_with_its_index() {
    let mut s = fixture();
    let g = s.table_mut("group").unwrap();
    let mut fk = g.foreign_keys.values().next().unwrap().clone();
    g.foreign_keys.clear();
    fk.name = "group_ibfk_1".into();
    g.foreign_keys.insert(fk.name.clone(), fk);
    let mut taken = s.clone();
    taken.table_mut("group").unwrap().indexes.insert(
        "owner_id".into(),
        plain_index("owner_id", &["name", "owner_id"]),
    );
    let drop = drop_constraint("group_ibfk_1", ConstraintKind::ForeignKey);
    let text = super::render_cases("unnamed_key", &s, &[("unnamed key", drop.clone())])
        + &super::render_cases("unnamed_key", &taken, &[("its index name taken", drop)]);
    insta::assert_snapshot!("an_unnamed_key_goes_with_its_index", text);
}

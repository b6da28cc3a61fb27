//! The driver connection under a [`Connection`], for tests that read what the
//! engine wrote through the driver's own typed queries.

use crate::backend::{mysql, postgres, sqlite};
use crate::db::Connection;

/// The PostgreSQL driver connection (`None` for another database's).
pub fn postgres(conn: &mut Connection) -> Option<&mut sqlx::PgConnection> {
    postgres::driver(conn)
}

/// The SQLite driver connection (`None` for another database's).
pub fn sqlite(conn: &mut Connection) -> Option<&mut sqlx::SqliteConnection> {
    sqlite::driver(conn)
}

/// The MariaDB/MySQL driver connection (`None` for another database's).
pub fn mysql(conn: &mut Connection) -> Option<&mut sqlx::MySqlConnection> {
    mysql::driver(conn)
}

/// The PostgreSQL driver connection, by value.
pub fn into_postgres(conn: Connection) -> Option<sqlx::PgConnection> {
    conn.into_driver()
}

/// The SQLite driver connection, by value.
pub fn into_sqlite(conn: Connection) -> Option<sqlx::SqliteConnection> {
    conn.into_driver()
}

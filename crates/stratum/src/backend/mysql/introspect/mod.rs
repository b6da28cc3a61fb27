//! MariaDB/MySQL introspection: the server's version, then four schema-wide
//! `information_schema` queries (columns, keys, indexes, checks) for the
//! connection's current database, whatever its number of tables, assembled in
//! memory; MariaDB's sequences take one query more, two when there are any.
//! Defaults are read the way the server's flavour writes them.
//!
//! Read as the model has it: base tables (not views); `tinyint(1)` is a boolean;
//! a MariaDB `longtext` column with a `json_valid` column check is JSON; an
//! inline `enum(..)` becomes an enum type named `<table>_<column>` (the server
//! keeps no type name); every `AUTO_INCREMENT` is `Serial`; unique keys are
//! unique constraints; the indexes the server creates for foreign keys, and those
//! of primary and unique keys, are not reported; an index over a prefix of a
//! text column reads as an index on the column. Not represented: generated
//! columns' expressions (such a column reads as a plain column without a
//! default), charsets and collations (the database's defaults are assumed).
//!
//! Each query reads every `information_schema` table it needs in a derived table
//! of its own, filtered to the current database, and joins those. A `LIMIT` no
//! table reaches keeps the optimizer from merging the derived table back into a
//! join between `information_schema` tables: MariaDB then scans the inner table
//! over every database of the server, again for each block of outer rows,
//! which took seconds per query at 1,000 tables where the derived tables take
//! about a tenth of a second.

mod checks;
mod columns;
mod defaults;
mod indexes;
mod keys;
mod sequences;
mod types;

pub(crate) use defaults::parse_default;
pub(crate) use types::parse_type;

use crate::introspect::catalog_row::{CatalogRow, decode_rows};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use sqlx::MySqlConnection;
use sqlx::mysql::MySqlRow;
use stratum_core::schema::Schema;

/// Runs the catalog query of `R`, counting it, and decodes its rows.
async fn read<R: CatalogRow<MySqlRow>>(
    conn: &mut MySqlConnection,
    stats: &mut IntrospectStats,
) -> Result<Vec<R>, IntrospectError> {
    stats.queries += 1;
    decode_rows(sqlx::query(R::SQL).fetch_all(conn).await)
}

/// A text column of a catalog row (every catalog query casts its columns to
/// text).
fn text(row: &MySqlRow, query: &'static str, col: &str) -> Result<Option<String>, IntrospectError> {
    crate::introspect::get::<Option<String>, _>(row, query, col)
}

/// Reads the current database of a MariaDB/MySQL connection.
pub(crate) async fn introspect(
    conn: &mut MySqlConnection,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<Schema, IntrospectError> {
    stats.queries += 1;
    let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
        .fetch_one(&mut *conn)
        .await
        .map_err(|source| IntrospectError::Query {
            query: "server version",
            source,
        })?;
    let server = super::session::parse_version(&version);
    let flavour = server.flavour;
    let column_rows: Vec<columns::ColumnRow> = read(conn, stats).await?;
    let key_rows: Vec<keys::KeyRow> = read(conn, stats).await?;
    let index_rows: Vec<indexes::IndexRow> = if server.functional_indexes() {
        let rows: Vec<indexes::MysqlIndexRow> = read(conn, stats).await?;
        rows.into_iter().map(|r| r.0).collect()
    } else {
        read(conn, stats).await?
    };
    let check_rows: Vec<checks::CheckRow> = read(conn, stats).await?;

    let mut schema = Schema::new();
    let json_columns = checks::json_columns(&check_rows);
    columns::add(&mut schema, flavour, column_rows, ignored, &json_columns);
    keys::add(&mut schema, key_rows, ignored);
    indexes::add(&mut schema, index_rows, ignored);
    checks::add(&mut schema, flavour, check_rows, ignored);
    sequences::add(conn, flavour, &mut schema, ignored, stats).await?;
    Ok(schema)
}

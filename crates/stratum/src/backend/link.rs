//! The driver connection under a [`crate::db::Connection`], as a trait object
//! each backend implements for its own driver type.

use crate::db::{DbError, TextRow};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use std::any::Any;

/// One item of a streamed message: a statement's completion (rows affected) or
/// a row.
pub(crate) type LinkItem = sqlx::Either<u64, TextRow>;

/// An open driver connection.
pub(crate) trait Link: Send + Sync + std::fmt::Debug {
    /// Sends `sql` (one or more statements) as one simple-protocol message and
    /// streams each statement's completion and rows.
    fn stream(&mut self, sql: String) -> BoxStream<'_, Result<LinkItem, sqlx::Error>>;

    /// Runs one query and returns all its rows as text.
    fn fetch_text(&mut self, sql: String) -> BoxFuture<'_, Result<Vec<TextRow>, sqlx::Error>>;

    /// Streams `data` into a `COPY ... FROM STDIN` statement.
    fn copy_in<'a>(
        &'a mut self,
        sql: &'a str,
        data: &'a str,
    ) -> BoxFuture<'a, Result<u64, DbError>>;

    /// Closes the connection cleanly.
    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), sqlx::Error>>;

    /// The driver connection, for the backend that made it.
    fn as_any(&mut self) -> &mut dyn Any;

    /// The driver connection, by value, for the backend that made it.
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

/// Column `i` decoded as `T` and formatted, or `None` when it is NULL or not a `T`.
pub(crate) fn text_cell<T, R>(row: &R, i: usize) -> Option<String>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    T: ToString + for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<Option<T>, _>(i)
        .ok()
        .flatten()
        .map(|v| v.to_string())
}

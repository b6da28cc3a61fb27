//! The rows of one catalog query, decoded, for every database.

use super::IntrospectError;

/// The decoded row of one catalog query of a database whose rows are `Row`.
pub(crate) trait CatalogRow<Row>: Sized {
    /// The query's name, for errors.
    const NAME: &'static str;
    /// The query.
    const SQL: &'static str;
    /// Decodes one row of the query.
    fn decode(row: &Row) -> Result<Self, IntrospectError>;
}

/// Decodes the rows of the catalog query of `R`, as fetched; a failure names the
/// query.
pub(crate) fn decode_rows<Row, R: CatalogRow<Row>>(
    fetched: Result<Vec<Row>, sqlx::Error>,
) -> Result<Vec<R>, IntrospectError> {
    let rows = fetched.map_err(|source| IntrospectError::Query {
        query: R::NAME,
        source,
    })?;
    rows.iter().map(R::decode).collect()
}

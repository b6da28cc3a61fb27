//! Connection failures are sorted into distinct, password-free errors.

use stratum::config::{ConnectError, DatabaseUrl, connect};
use stratum_testkit::TestDb;

const NASTY: &str = "p@ss:w%rd/x";

fn assert_no_password(err: &ConnectError) {
    eprintln!("{err}");
    let shown = format!("{err} || {err:?}");
    assert!(!shown.contains(NASTY), "{shown}");
    assert!(!shown.contains("p%40ss"), "{shown}");
    assert!(!shown.contains('\n'), "one line expected: {shown}");
}

#[tokio::test]
async fn refused_connection_is_unreachable() {
    // Port 1 on the loopback address: nothing listens there.
    let url =
        DatabaseUrl::from_postgres_parts("u", Some(NASTY), "127.0.0.1", Some(1), "db").unwrap();
    let err = connect(&url).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::Unreachable { target, .. } if target == "127.0.0.1:1"),
        "{err}"
    );
    assert_no_password(&err);
}

#[tokio::test]
async fn missing_database_and_unknown_user_are_told_apart() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let base = url::Url::parse(db.url()).unwrap();
    let host = base.host_str().unwrap().to_string();
    let port = base.port();
    let user = if base.username().is_empty() {
        "postgres"
    } else {
        base.username()
    };

    let missing =
        DatabaseUrl::from_postgres_parts(user, Some(NASTY), &host, port, "stratum_no_such_db")
            .unwrap();
    let err = connect(&missing).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::DatabaseMissing { database, .. } if database == "stratum_no_such_db"),
        "{err}"
    );
    assert_no_password(&err);

    let nobody = DatabaseUrl::from_postgres_parts(
        "stratum_no_such_role",
        Some(NASTY),
        &host,
        port,
        db.name(),
    )
    .unwrap();
    let err = connect(&nobody).await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::AuthenticationFailed { user, .. } if user == "stratum_no_such_role"),
        "{err}"
    );
    assert_no_password(&err);

    // The right credentials work, whatever the password characters (trust
    // authentication ignores them, but the URL must still parse and connect).
    let ok = DatabaseUrl::from_postgres_parts(user, Some(NASTY), &host, port, db.name()).unwrap();
    connect(&ok).await.unwrap().close().await.unwrap();
}

#[tokio::test]
async fn sqlite_in_a_missing_directory_cannot_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::sqlite_file(&dir.path().join("no/such/dir/x.db"));
    let err = connect(&url).await.unwrap_err();
    assert!(matches!(&err, ConnectError::FileOpen { .. }), "{err}");
}

#[tokio::test]
async fn tls_failure_is_a_tls_error() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut base = url::Url::parse(db.url()).unwrap();
    base.set_password(Some("p%40ss%3Aw%25rd%2Fx")).unwrap();
    // Without TLS on the server, `require` fails; with it, the test server's
    // certificate is not signed by a public authority, so `verify-full` fails.
    let ssl_on = {
        let mut c = stratum::db::Connection::connect(db.url()).await.unwrap();
        let Some(pg) = stratum::testing::driver::postgres(&mut c) else {
            unreachable!()
        };
        let row: (String,) = sqlx::query_as("SHOW ssl").fetch_one(pg).await.unwrap();
        row.0 == "on"
    };
    let mode = if ssl_on { "verify-full" } else { "require" };
    let url = DatabaseUrl::parse(&format!("{base}?sslmode={mode}")).unwrap();
    let err = connect(&url).await.unwrap_err();
    assert!(matches!(&err, ConnectError::Tls { .. }), "{err}");
    assert!(err.to_string().contains("sslmode"), "{err}");
    assert_no_password(&err);
}

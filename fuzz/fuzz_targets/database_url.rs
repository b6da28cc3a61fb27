//! Database URLs as given by `--url`, `DATABASE_URL`, the configuration file and
//! the `POSTGRES_*` variables: parsing, the accessors the engine uses, and the
//! redaction that keeps passwords out of every message.
//!
//! Properties: nothing panics; a password put into a URL (in its user
//! information, or with `with_password`) never shows in the URL's `Display` or
//! `Debug`, in `redacted()`, or in the error for a URL that does not parse.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stratum::config::DatabaseUrl;

/// A password no input is expected to hold by chance.
const SECRET: &str = "Zq9Xk7WvSecret";
/// A password with every character a URL treats specially.
const NASTY: &str = "Zq9Xk7Wv@:%/?#&=+ é";

fn assert_hidden(shown: &str, context: &str) {
    assert!(
        !shown.contains(SECRET),
        "password shown by {context}: {shown}"
    );
    assert!(
        !shown.contains("Zq9Xk7Wv"),
        "password shown by {context}: {shown}"
    );
}

fn exercise(url: &DatabaseUrl) {
    let _ = (url.user(), url.target(), url.database(), url.dialect());
    let _ = url.expose();
    if let Ok(with) = url.with_password(NASTY)
        && with.dialect() == stratum::core::dialect::Dialect::Postgres
    {
        let shown = format!("{with} {with:?} {}", with.redacted());
        assert_hidden(&shown, "with_password");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains("Zq9Xk7Wv") {
        return;
    }

    // The text as a whole URL.
    match DatabaseUrl::parse(text) {
        Ok(url) => exercise(&url),
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    // The text as what follows a password in the user information.
    for scheme in ["postgresql", "postgres"] {
        let raw = format!("{scheme}://smartem:{SECRET}@{text}");
        match DatabaseUrl::parse(&raw) {
            Ok(url) => {
                assert_hidden(&format!("{url} {url:?} {}", url.redacted()), "a parsed URL");
                exercise(&url);
            }
            Err(e) => assert_hidden(&format!("{e} {e:?}"), "a URL error"),
        }
    }

    // The text split into parts, as from POSTGRES_USER, _HOST, _DB.
    let mut parts = text.splitn(3, '\n');
    let (user, host, database) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if let Ok(url) =
        DatabaseUrl::from_postgres_parts(user, Some(SECRET), host, Some(5432), database)
    {
        assert_hidden(&format!("{url} {url:?}"), "a URL from parts");
        exercise(&url);
    }
});

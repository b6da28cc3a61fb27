//! The configuration file (`smartem-migrate.toml`): TOML environments, `${VAR}`
//! interpolation of URLs and password file paths (values in a URL's user
//! information percent-encoded), and the duration settings; and `.env` files
//! (`NAME=value` lines with quotes, escapes, `$VAR` substitution, comments,
//! `export`), added to the environment without overriding it.
//!
//! The input is read as a whole configuration file, as one setting's text to
//! interpolate, and as a `.env` file.
//!
//! Properties: nothing panics; errors are typed and name the file or the
//! setting; text without `$` interpolates to itself; a value interpolated into
//! a URL's user information is percent-encoded, so the URL keeps its host; a
//! `.env` file never overrides variables already set, and its errors never show
//! the text of the line they stopped at (it may hold a password), wherever a
//! secret sits in or around the bad line.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use stratum_cli::config::{
    ConfigError, ConfigFile, DatabaseUrl, Env, LoadDotenv, interpolate, interpolate_url,
};

fn env() -> Env {
    Env::from_pairs([
        ("SMARTEM_DB_PASSWORD", "p@ss:w%rd/x?#"),
        ("DB_HOST", "db.internal"),
        ("USER", "smartem"),
        ("EMPTY", ""),
        ("DOLLAR", "$HOME ${USER}"),
    ])
}

const SECRET: &str = "Zq9Xk7WvSecret";

fn load(text: &str) {
    let mut env = Env::from_pairs([("DATABASE_URL", "sqlite:kept.db"), ("HOME", "/root")]);
    let path = Path::new("/srv/app/.env");
    match env.load_dotenv_text(path, text) {
        Ok(added) => {
            assert_eq!(env.get("DATABASE_URL"), Some("sqlite:kept.db"));
            assert_eq!(env.get("HOME"), Some("/root"));
            for name in added {
                assert!(
                    name != "DATABASE_URL" && name != "HOME",
                    "{name} was overridden"
                );
            }
        }
        Err(e) => {
            assert!(matches!(e, ConfigError::DotEnv { .. }), "{e:?}");
            let shown = format!("{e} {e:?}");
            assert!(shown.contains("/srv/app/.env"), "{shown}");
            assert!(!shown.contains("Zq9Xk7Wv"), "a secret in an error: {shown}");
        }
    }
}

fn check(result: Result<String, ConfigError>, text: &str) {
    match result {
        Ok(out) => {
            if !text.contains('$') {
                assert_eq!(out, text);
            }
            // A value is substituted once: `${USER}` inside a value stays as it is.
            if text == "${DOLLAR}" {
                assert_eq!(out, "$HOME ${USER}");
            }
        }
        Err(e) => {
            assert!(
                matches!(
                    e,
                    ConfigError::MissingVariable { .. } | ConfigError::MalformedVariable { .. }
                ),
                "{e:?}"
            );
            assert!(e.to_string().contains("fuzz.setting"), "{e}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if !text.contains("Zq9Xk7Wv") {
        load(text);
        load(&format!("PASSWORD={SECRET}\n{text}"));
        load(&format!("{text}{SECRET}"));
        load(&format!("{SECRET}{text}"));
        load(&format!("{text}\nPASSWORD='{SECRET}"));
    }
    let env = env();

    check(interpolate(text, &env, "fuzz.setting"), text);
    check(interpolate_url(text, &env, "fuzz.setting"), text);

    // A URL whose password comes from a variable keeps its host.
    let url = format!("postgresql://${{USER}}:${{SMARTEM_DB_PASSWORD}}@db.internal:5432/{text}");
    if let Ok(out) = interpolate_url(&url, &env, "fuzz.setting")
        && !text.contains(['@', '/', '?', '#', '\\'])
        && let Ok(parsed) = DatabaseUrl::parse(&out)
    {
        assert_eq!(parsed.target(), "db.internal:5432", "{out}");
        assert_eq!(parsed.user().as_deref(), Some("smartem"));
    }

    let path = Path::new("smartem-migrate.toml");
    match ConfigFile::parse(text, path) {
        Ok(file) => {
            assert_eq!(file.path, path);
            for (name, section) in &file.environments {
                let context = format!("environments.{name}.url");
                if let Some(url) = &section.url
                    && let Ok(out) = interpolate_url(url, &env, &context)
                {
                    let _ = DatabaseUrl::parse(&out);
                }
                if let Some(file) = &section.password_file {
                    let _ = interpolate(file, &env, "password_file");
                }
                for setting in [&section.lock_timeout, &section.statement_timeout]
                    .into_iter()
                    .flatten()
                {
                    if let Err(e) = setting.to_duration("lock_timeout") {
                        assert!(e.to_string().contains("lock_timeout"), "{e}");
                    }
                }
            }
        }
        Err(e) => {
            assert!(matches!(e, ConfigError::Parse { .. }), "{e:?}");
            assert!(e.to_string().contains("smartem-migrate.toml"), "{e}");
        }
    }
});

//! Environment variables as a plain map (so resolution is testable without
//! touching the process environment), `.env` loading that never overrides the
//! real environment, and `${VAR}` interpolation.

use super::errors::ConfigError;
use super::url::encode_component;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the dotenv file looked for.
pub const DOTENV_FILE: &str = ".env";

/// A snapshot of environment variables.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: show names only.
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Env {
    /// The process environment (variables whose names and values are UTF-8).
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An environment of exactly these variables.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; empty values count as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Sets a variable (in this map only).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    /// Adds the variables of a dotenv file that are not already set; returns the
    /// names added. Variables already in the map (the real environment) win.
    pub fn load_dotenv(&mut self, path: &Path) -> Result<Vec<String>, ConfigError> {
        let iter = dotenvy::from_path_iter(path).map_err(|e| ConfigError::DotEnv {
            path: path.to_path_buf(),
            message: dotenv_message(&e),
        })?;
        self.add_dotenv(path, iter)
    }

    /// Like [`Env::load_dotenv`], for dotenv text already read; `path` names it
    /// in errors.
    pub fn load_dotenv_text(
        &mut self,
        path: &Path,
        text: &str,
    ) -> Result<Vec<String>, ConfigError> {
        self.add_dotenv(path, dotenvy::from_read_iter(text.as_bytes()))
    }

    fn add_dotenv<R: std::io::Read>(
        &mut self,
        path: &Path,
        iter: dotenvy::Iter<R>,
    ) -> Result<Vec<String>, ConfigError> {
        let mut added = Vec::new();
        for item in iter {
            let (k, v) = item.map_err(|e| ConfigError::DotEnv {
                path: path.to_path_buf(),
                message: dotenv_message(&e),
            })?;
            if !self.vars.contains_key(&k) {
                self.vars.insert(k.clone(), v);
                added.push(k);
            }
        }
        Ok(added)
    }
}

/// A dotenv error without the offending line (it may hold a secret).
fn dotenv_message(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, index) => format!("cannot parse it at character {index}"),
        dotenvy::Error::Io(io) => io.to_string(),
        dotenvy::Error::EnvVar(v) => v.to_string(),
        _ => "cannot parse it".to_string(),
    }
}

/// The first `.env` found in `start` or one of its parents.
pub fn find_dotenv(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(DOTENV_FILE))
        .find(|p| p.is_file())
}

/// Replaces `${NAME}` with the variable's value (`$$` is a literal `$`).
/// `context` names the setting in error messages.
pub fn interpolate(text: &str, env: &Env, context: &str) -> Result<String, ConfigError> {
    interpolate_with(text, env, context, |_, v| v.to_string())
}

/// Interpolates a URL: values substituted into the user information (between
/// `://` and the `@` before the host) are percent-encoded, so a password with
/// `@ : % /` can come from a variable as it is.
pub fn interpolate_url(text: &str, env: &Env, context: &str) -> Result<String, ConfigError> {
    let userinfo = text.find("://").and_then(|start| {
        let from = start + 3;
        text[from..].rfind('@').map(|at| from..from + at)
    });
    interpolate_with(text, env, context, |pos, v| match &userinfo {
        Some(range) if range.contains(&pos) => encode_component(v),
        _ => v.to_string(),
    })
}

fn interpolate_with(
    text: &str,
    env: &Env,
    context: &str,
    encode: impl Fn(usize, &str) -> String,
) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            offset += i + 2;
            rest = stripped;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body
                .find('}')
                .ok_or_else(|| ConfigError::MalformedVariable {
                    context: context.to_string(),
                })?;
            let name = &body[..end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(ConfigError::MalformedVariable {
                    context: context.to_string(),
                });
            }
            let value = env.get(name).ok_or_else(|| ConfigError::MissingVariable {
                name: name.to_string(),
                context: context.to_string(),
            })?;
            out.push_str(&encode(offset + i, value));
            let consumed = i + 2 + end + 1;
            offset += consumed;
            rest = &rest[consumed..];
        } else {
            out.push('$');
            offset += i + 1;
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::from_pairs([
            ("USER_X", "smartem"),
            ("PW", "p@ss:w%rd/x"),
            ("HOST", "db"),
            ("EMPTY", ""),
        ])
    }

    #[test]
    fn interpolates_and_escapes_dollars() {
        assert_eq!(
            interpolate("a ${HOST} $$ $x", &env(), "t").unwrap(),
            "a db $ $x"
        );
    }

    #[test]
    fn missing_and_empty_variables_name_the_variable() {
        for name in ["NOPE", "EMPTY"] {
            let err = interpolate(&format!("x ${{{name}}}"), &env(), "environments.prod.url")
                .unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains(name) && text.contains("environments.prod.url"),
                "{text}"
            );
        }
        assert!(matches!(
            interpolate("${oops", &env(), "t"),
            Err(ConfigError::MalformedVariable { .. })
        ));
        assert!(matches!(
            interpolate("${a-b}", &env(), "t"),
            Err(ConfigError::MalformedVariable { .. })
        ));
    }

    #[test]
    fn url_userinfo_values_are_percent_encoded() {
        let url = interpolate_url(
            "postgresql://${USER_X}:${PW}@${HOST}:5432/smartem",
            &env(),
            "t",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgresql://smartem:p%40ss%3Aw%25rd%2Fx@db:5432/smartem"
        );
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(parsed.host_str(), Some("db"));
    }

    #[test]
    fn dotenv_does_not_override_the_real_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, "HOST=from-file\nNEW_ONE=added\n# comment\n").unwrap();
        let mut e = env();
        let added = e.load_dotenv(&path).unwrap();
        assert_eq!(added, vec!["NEW_ONE".to_string()]);
        assert_eq!(e.get("HOST"), Some("db"));
        assert_eq!(e.get("NEW_ONE"), Some("added"));
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(find_dotenv(&nested), Some(path));
    }

    #[test]
    fn dotenv_text_reads_like_a_file_and_hides_the_bad_line() {
        let path = Path::new("/srv/app/.env");
        let mut e = env();
        let added = e
            .load_dotenv_text(path, "HOST=from-text\nNEW_ONE=added\n")
            .unwrap();
        assert_eq!(added, ["NEW_ONE"]);
        assert_eq!(e.get("HOST"), Some("db"));
        let err = e.load_dotenv_text(path, "PASSWORD='s3cret\n").unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("/srv/app/.env"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn debug_shows_names_not_values() {
        let shown = format!("{:?}", env());
        assert!(shown.contains("PW") && !shown.contains("p@ss"), "{shown}");
    }
}

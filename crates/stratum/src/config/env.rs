//! Environment variables as a plain map (so resolution is testable without
//! touching the process environment) and `${VAR}` interpolation.

use super::errors::ConfigError;
use super::url::encode_component;
use std::collections::BTreeMap;

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

    /// Whether a variable is set, even to an empty value.
    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
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
    fn debug_shows_names_not_values() {
        let shown = format!("{:?}", env());
        assert!(shown.contains("PW") && !shown.contains("p@ss"), "{shown}");
    }
}

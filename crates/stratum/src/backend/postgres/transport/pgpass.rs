//! Passwords from libpq's password file (`PGPASSFILE`, else `~/.pgpass`):
//! `host:port:database:user:password` lines, `*` matching anything, `\:` and
//! `\\` escaping, the first match winning, and the file ignored when others
//! may read it.

use std::path::{Path, PathBuf};

/// What looking in the password file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A matching line's password.
    Found(String),
    /// No file, or no matching line.
    None,
    /// The file exists but was ignored because group or others may read it.
    Ignored(PathBuf),
}

/// The password file's path: `PGPASSFILE`, else `~/.pgpass`.
pub fn path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))
}

/// Splits a line into its fields, undoing `\:` and `\\`.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut().expect("one field").push(next);
                }
            }
            ':' => out.push(String::new()),
            _ => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

/// The password of the first line of `text` that matches.
pub fn find(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let f = fields(line);
            if f.len() < 5 {
                return None;
            }
            let wanted = [host, port.as_str(), database, user];
            let matches = f[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value);
            matches.then(|| f[4..].join(":"))
        })
}

/// Looks up the password for a TCP connection.
pub fn lookup(host: &str, port: u16, database: &str, user: &str) -> Lookup {
    let Some(path) = path() else {
        return Lookup::None;
    };
    let Ok(meta) = std::fs::metadata(&path) else {
        return Lookup::None;
    };
    use std::os::unix::fs::PermissionsExt as _;
    if !meta.is_file() {
        return Lookup::None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Lookup::Ignored(path);
    }
    match std::fs::read_to_string(&path) {
        Ok(text) => match find(&text, host, port, database, user) {
            Some(p) => Lookup::Found(p),
            None => Lookup::None,
        },
        Err(_) => Lookup::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    other:5432:*:app:nope\n\
                    db.example:5432:smartem:app:p\\:w\\\\d\n\
                    *:*:*:app:fallback\n";
        assert_eq!(
            find(text, "db.example", 5432, "smartem", "app").as_deref(),
            Some("p:w\\d")
        );
        assert_eq!(
            find(text, "db.example", 5433, "smartem", "app").as_deref(),
            Some("fallback")
        );
        assert_eq!(find(text, "db.example", 5432, "smartem", "bob"), None);
        assert_eq!(find("h:1:d", "h", 1, "d", "u"), None);
    }
}

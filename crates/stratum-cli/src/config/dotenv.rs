//! `.env` loading that never overrides the real environment.

use std::path::{Path, PathBuf};
use stratum::config::{ConfigError, Env};

/// The name of the dotenv file looked for.
pub const DOTENV_FILE: &str = ".env";

/// Adds the variables of dotenv files to an [`Env`].
pub trait LoadDotenv {
    /// Adds the variables of a dotenv file that are not already set; returns the
    /// names added. Variables already in the map (the real environment) win.
    fn load_dotenv(&mut self, path: &Path) -> Result<Vec<String>, ConfigError>;

    /// Like [`LoadDotenv::load_dotenv`], for dotenv text already read; `path`
    /// names it in errors.
    fn load_dotenv_text(&mut self, path: &Path, text: &str) -> Result<Vec<String>, ConfigError>;
}

impl LoadDotenv for Env {
    fn load_dotenv(&mut self, path: &Path) -> Result<Vec<String>, ConfigError> {
        let iter = dotenvy::from_path_iter(path).map_err(|e| ConfigError::DotEnv {
            path: path.to_path_buf(),
            message: dotenv_message(&e),
        })?;
        add_dotenv(self, path, iter)
    }

    fn load_dotenv_text(&mut self, path: &Path, text: &str) -> Result<Vec<String>, ConfigError> {
        add_dotenv(self, path, dotenvy::from_read_iter(text.as_bytes()))
    }
}

fn add_dotenv<R: std::io::Read>(
    env: &mut Env,
    path: &Path,
    iter: dotenvy::Iter<R>,
) -> Result<Vec<String>, ConfigError> {
    let mut added = Vec::new();
    for item in iter {
        let (k, v) = item.map_err(|e| ConfigError::DotEnv {
            path: path.to_path_buf(),
            message: dotenv_message(&e),
        })?;
        if !env.contains(&k) {
            env.set(k.clone(), v);
            added.push(k);
        }
    }
    Ok(added)
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
}

//! SQLAlchemy metadata as a source of models: `python:MODULE:ATTR` names a
//! `MetaData` (or a declarative base / SQLModel class whose `.metadata` is used) in
//! a Python module. The engine runs a small exporter it carries ([`EXPORTER`]) with
//! the chosen interpreter; the exporter prints the metadata as JSON and
//! [`schema_from_json`] turns that into the engine's [`Schema`], so that `check`,
//! `diff` and `revision --autogenerate` compare it as they compare declared models.

mod convert;

pub use convert::schema_from_json;

use std::fmt;
use std::io::ErrorKind;
use std::process::{Command, Stdio};
use stratum_core::schema::Schema;

/// The exporter, run as `python -c EXPORTER MODULE ATTR`.
pub const EXPORTER: &str = include_str!("exporter.py");

/// The prefix that marks a Python model source.
pub const PREFIX: &str = "python:";

/// A Python model source: the module to import and the (dotted) attribute in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonSource {
    /// Module path, e.g. `smartem_backend.model.database`.
    pub module: String,
    /// Attribute path in the module, e.g. `SQLModel.metadata`.
    pub attr: String,
}

impl PythonSource {
    /// Whether `spec` is meant as a Python source (starts with `python:`).
    pub fn is_python(spec: &str) -> bool {
        spec.starts_with(PREFIX)
    }

    /// Parses `python:MODULE:ATTR`.
    pub fn parse(spec: &str) -> Result<Self, PythonError> {
        let bad = || PythonError::BadSource {
            spec: spec.to_string(),
        };
        let rest = spec.strip_prefix(PREFIX).ok_or_else(bad)?;
        let (module, attr) = rest.split_once(':').ok_or_else(bad)?;
        let dotted = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|p| {
                    !p.is_empty()
                        && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                        && !p.starts_with(|c: char| c.is_ascii_digit())
                })
        };
        if !dotted(module) || !dotted(attr) {
            return Err(bad());
        }
        Ok(Self {
            module: module.to_string(),
            attr: attr.to_string(),
        })
    }
}

impl fmt::Display for PythonSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}:{}", self.module, self.attr)
    }
}

/// Why a Python model source could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PythonError {
    /// The source is not spelled `python:MODULE:ATTR`.
    #[error(
        "`{spec}` is not a Python model source: write python:MODULE:ATTR, \
         e.g. python:app.models:SQLModel.metadata"
    )]
    BadSource {
        /// What was given.
        spec: String,
    },
    /// The interpreter could not be started.
    #[error("no Python interpreter `{python}` could be run: {reason}")]
    NoPython {
        /// The interpreter asked for.
        python: String,
        /// Why it did not start.
        reason: String,
    },
    /// The interpreter ran but did not answer as the exporter does.
    #[error("the Python interpreter `{python}` failed: {detail}")]
    Interpreter {
        /// The interpreter.
        python: String,
        /// Its exit status and last line of error output.
        detail: String,
    },
    /// SQLAlchemy cannot be imported by that interpreter.
    #[error("the Python interpreter `{python}` cannot import SQLAlchemy: {message}")]
    NoSqlAlchemy {
        /// The interpreter.
        python: String,
        /// The last line of the traceback.
        message: String,
    },
    /// The module failed to import.
    #[error("cannot import the module `{module}`: {message}")]
    Import {
        /// The module.
        module: String,
        /// The last line of the traceback.
        message: String,
    },
    /// The attribute does not exist.
    #[error("{message}")]
    Attribute {
        /// What is missing.
        message: String,
    },
    /// The attribute is not a MetaData, a declarative base or a SQLModel class.
    #[error("{message}")]
    NotMetadata {
        /// What it is instead.
        message: String,
    },
    /// A column's type has no counterpart in the engine's types.
    #[error(
        "column {table}.{column} has the type {python_type}, which has no counterpart \
         in stratum's column types"
    )]
    UnmappedType {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// The Python class of the type.
        python_type: String,
    },
    /// The metadata holds something the engine's schema model cannot express.
    #[error("{0}")]
    Unsupported(String),
    /// The exporter's output could not be read.
    #[error("cannot read the exporter's output: {0}")]
    BadOutput(String),
}

/// Runs the exporter with `python` and returns its JSON document (`{"schema": ..}`
/// or `{"error": ..}`), as printed.
pub fn export_json(python: &str, source: &PythonSource) -> Result<String, PythonError> {
    let output = Command::new(python)
        .arg("-c")
        .arg(EXPORTER)
        .arg(&source.module)
        .arg(&source.attr)
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| PythonError::NoPython {
            python: python.to_string(),
            reason: if e.kind() == ErrorKind::NotFound && python.contains('/') {
                "no such file".to_string()
            } else if e.kind() == ErrorKind::NotFound {
                "not found on PATH".to_string()
            } else {
                e.to_string()
            },
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() && stdout.trim_start().starts_with('{') {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no error output")
        .trim()
        .to_string();
    Err(PythonError::Interpreter {
        python: python.to_string(),
        detail: format!("{} ({last})", output.status),
    })
}

/// Reads the schema of a Python model source with the interpreter `python`.
pub fn load_schema(python: &str, source: &PythonSource) -> Result<Schema, PythonError> {
    let json = export_json(python, source)?;
    schema_from_json(&json, python, &source.module)
}

//! `--models python:MODULE:ATTR` (`check`, `revision --autogenerate`), the
//! `python:MODULE:ATTR` sides of `diff`, and `--python PATH`: SQLAlchemy or SQLModel
//! metadata read through the interpreter, in place of the application's models.

use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::python::{PythonError, PythonSource, load_schema};
use clap::Args;
use stratum_core::schema::Schema;

/// `--python PATH`.
#[derive(Debug, Clone, Args)]
pub struct PythonArg {
    /// The Python interpreter that reads `python:MODULE:ATTR` sources (it runs with
    /// the current directory and PYTHONPATH, and needs SQLAlchemy).
    #[arg(long, value_name = "PATH", default_value = "python3")]
    pub python: String,
}

/// `--models` and `--python`.
#[derive(Debug, Clone, Args)]
pub struct ModelsArgs {
    /// Compare with SQLAlchemy/SQLModel metadata instead of the application's
    /// models: `python:MODULE:ATTR`, ATTR a MetaData, a declarative base or a
    /// SQLModel class (e.g. `python:app.models:SQLModel.metadata`).
    #[arg(long, value_name = "python:MODULE:ATTR")]
    pub models: Option<String>,
    /// The interpreter for `--models`.
    #[command(flatten)]
    pub python: PythonArg,
}

/// The schema of a `python:MODULE:ATTR` source, read with `python`.
pub fn python_schema(spec: &str, python: &str) -> Result<Schema, CliError> {
    let source = PythonSource::parse(spec).map_err(python_error)?;
    load_schema(python, &source).map_err(python_error)
}

/// The models to compare with and what to call them: the Python source when
/// `--models` names one, otherwise the application's models (if it declares any).
pub fn chosen_models(
    ctx: &Ctx<'_>,
    args: &ModelsArgs,
) -> Result<Option<(String, Schema)>, CliError> {
    match &args.models {
        Some(spec) => Ok(Some((
            spec.clone(),
            python_schema(spec, &args.python.python)?,
        ))),
        None => Ok(ctx.app.target_schema.map(|m| ("models".to_string(), m()))),
    }
}

/// [`chosen_models`], or a usage error when there are none.
pub fn required_models(ctx: &Ctx<'_>, args: &ModelsArgs) -> Result<Schema, CliError> {
    match chosen_models(ctx, args)? {
        Some((_, schema)) => Ok(schema),
        None => Err(CliError::new(
            Exit::Usage,
            format!("{} declares no models to compare with", ctx.app.name),
        )
        .hint("pass `--models python:MODULE:ATTR`, or `target_schema: Some(..)` in the application's `App`")),
    }
}

fn python_error(e: PythonError) -> CliError {
    let hint = match &e {
        PythonError::NoPython { .. } => Some("install Python 3, or pass `--python PATH`"),
        PythonError::NoSqlAlchemy { .. } => Some(
            "install SQLAlchemy (and SQLModel if the models use it) for that interpreter, \
             or pass `--python` with the project's virtual environment's python",
        ),
        PythonError::Import { .. } => Some(
            "run from the directory the module is imported from, or set PYTHONPATH; \
             `--python` selects the interpreter",
        ),
        PythonError::Attribute { .. } | PythonError::NotMetadata { .. } => {
            Some("ATTR names a MetaData, a declarative base or a SQLModel class")
        }
        PythonError::UnmappedType { .. } => Some(
            "use a SQLAlchemy type with a database counterpart, or a TypeDecorator whose \
             impl has one",
        ),
        _ => None,
    };
    let err = CliError::new(Exit::Usage, e.to_string());
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

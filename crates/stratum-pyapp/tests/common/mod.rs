//! The Python side of the tests: a virtual environment with the packages of
//! `tests/python/requirements.txt` (SQLAlchemy, SQLModel) from PyPI, made once under
//! the target directory and reused, and the `pyapp-migrate` command wired to it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The model source of the fixture: SQLModel classes and a plain SQLAlchemy table.
pub const SOURCE: &str = "python:pyfixture.models:SQLModel.metadata";

/// The directory that holds the `pyfixture` package.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn make_venv() -> Result<PathBuf, String> {
    let requirements = fixture_dir().join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| e.to_string())?;
    let venv = target_dir().join("python-venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("stratum-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && python.exists() {
        return Ok(python);
    }
    let base = std::env::var("STRATUM_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    run(Command::new(&base)
        .args(["-m", "venv", "--clear"])
        .arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// The venv's interpreter, or `None` (the test skips) when Python or the packages
/// cannot be had. Under `CI=true` that is a failure instead.
pub fn venv_python() -> Option<PathBuf> {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(make_venv) {
        Ok(p) => Some(p.clone()),
        Err(e) if stratum_testkit::is_ci() => {
            panic!("CI=true requires Python with SQLAlchemy and SQLModel: {e}")
        }
        Err(e) => {
            eprintln!("skipped: no Python environment with SQLAlchemy and SQLModel: {e}");
            None
        }
    }
}

/// `pyapp-migrate` run in `dir`, importing the fixture, with `--python` the venv's
/// interpreter appended by the caller through [`with_python`].
pub fn pyapp(dir: &Path) -> Command {
    let mut cmd = stratum_testkit::migrate_command(env!("CARGO_BIN_EXE_pyapp-migrate"), dir);
    cmd.env("PYTHONPATH", fixture_dir())
        .env_remove("PYFIXTURE_CHANGE");
    cmd
}

/// What a finished command printed, and its exit code.
pub struct Ran {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `cmd` to the end.
pub fn ran(cmd: &mut Command) -> Ran {
    let out = cmd.output().expect("the binary runs");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

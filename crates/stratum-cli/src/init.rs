//! `init`: scaffolds a new application crate that versions its database with
//! stratum: `Cargo.toml`, `build.rs` (embedding `migrations/versions/`),
//! `src/main.rs` (the migration CLI), `src/models.rs` (one example model), a first
//! revision that creates that model's table, a configuration file with
//! development, staging and production environments, and `tests/migrations.rs`
//! with the test kit's checks of the revision history.

use super::args::InitArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::script::{NewRevision, RevisionOptions, write_revision};
use std::path::{Path, PathBuf};
use stratum_core::revision::RevisionMap;

/// How the new crate depends on the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StratumSource {
    /// Path dependencies on the `stratum`, `stratum-cli` and `stratum-build`
    /// crate directories.
    Path {
        /// The `stratum` crate directory.
        stratum: PathBuf,
        /// The `stratum-build` crate directory.
        build: PathBuf,
        /// The `stratum-cli` crate directory.
        cli: PathBuf,
    },
    /// Registry dependencies at this version requirement.
    Version(String),
}

impl StratumSource {
    fn dependency(&self, krate: &str) -> String {
        match self {
            StratumSource::Path {
                stratum,
                build,
                cli,
            } => {
                let dir = match krate {
                    "stratum" => stratum,
                    "stratum-cli" => cli,
                    _ => build,
                };
                format!("{{ path = {} }}", toml_string(&dir.display().to_string()))
            }
            StratumSource::Version(v) => toml_string(v),
        }
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The engine's crate directories given `--stratum-path`: a checkout of the
/// repository (with `crates/stratum`) or the `stratum` crate directory itself.
fn source_from_path(dir: &Path) -> Result<StratumSource, CliError> {
    let dir = std::fs::canonicalize(dir).map_err(|e| {
        CliError::new(
            Exit::Usage,
            format!("--stratum-path {}: {e}", dir.display()),
        )
        .hint("give the repository's root or its crates/stratum directory")
    })?;
    let candidates = [
        (
            dir.join("crates/stratum"),
            dir.join("crates/stratum-build"),
            dir.join("crates/stratum-cli"),
        ),
        (
            dir.clone(),
            dir.with_file_name("stratum-build"),
            dir.with_file_name("stratum-cli"),
        ),
    ];
    for (stratum, build, cli) in candidates {
        if [&stratum, &build, &cli]
            .iter()
            .all(|d| d.join("Cargo.toml").is_file())
        {
            return Ok(StratumSource::Path {
                stratum,
                build,
                cli,
            });
        }
    }
    Err(CliError::new(
        Exit::Usage,
        format!(
            "--stratum-path {}: neither it nor its crates/ holds the stratum, stratum-build and stratum-cli crates",
            dir.display()
        ),
    )
    .hint("give the repository's root or its crates/stratum directory"))
}

/// The default: the source checkout this binary was built from when it is still
/// there, otherwise this binary's version from the registry.
fn default_source() -> StratumSource {
    let cli = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let stratum = cli.with_file_name("stratum");
    let build = cli.with_file_name("stratum-build");
    if [&stratum, &build, &cli]
        .iter()
        .all(|d| d.join("Cargo.toml").is_file())
    {
        StratumSource::Path {
            stratum,
            build,
            cli,
        }
    } else {
        StratumSource::Version(env!("CARGO_PKG_VERSION").to_string())
    }
}

/// Whether `name` can be a crate (and binary) name.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The files of a new application, as (relative path, contents), without the
/// first revision (written through the engine's own revision writer).
pub fn scaffold_files(name: &str, source: &StratumSource) -> Vec<(String, String)> {
    let selector = format!("{}_ENV", name.to_ascii_uppercase().replace('-', "_"));
    let db_name = name.replace('-', "_");
    let cargo = format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
stratum = {stratum}
stratum-cli = {cli}

[build-dependencies]
stratum-build = {build}

# A workspace of its own, so the crate builds wherever it is put.
[workspace]
"#,
        stratum = source.dependency("stratum"),
        cli = source.dependency("stratum-cli"),
        build = source.dependency("stratum-build"),
    );
    let build_rs =
        r#"//! Compiles every revision file of `migrations/versions/` into the binary: adding a
//! file there is all it takes to add a revision.

fn main() {
    stratum_build::embed_versions_or_panic("migrations/versions");
}
"#
        .to_string();
    let main_rs = format!(
        r#"//! `{name}`: versions the application's database.
//!
//! With nothing configured it works on `{db_name}.db` (SQLite) in the working
//! directory; `{name}.toml`, `DATABASE_URL` or `--url` point it elsewhere.
//!
//!     cargo run -- upgrade head

// The revisions of migrations/versions/, embedded by build.rs.
include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));

mod models;

fn main() -> std::process::ExitCode {{
    stratum_cli::run(stratum_cli::App {{
        name: "{name}",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: Some(models::target_schema),
        names: stratum_cli::config::AppNames {{
            config_file: "{name}.toml",
            env_selector: "{selector}",
            default_sqlite_file: "{db_name}.db",
        }},
    }})
}}
"#
    );
    let models_rs = r#"//! The tables the application declares. Change a struct, then run
//! `cargo run -- revision --autogenerate -m "what changed"` and review the file.

use stratum::model::{SchemaBuilder, Table};
use stratum::schema::Schema;

/// An example table: replace it with your own.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "item", index(name = "idx_item_name", columns("name")))]
pub struct Item {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// A name.
    #[column(ty = "varchar(200)")]
    pub name: String,
    /// Free text.
    pub note: Option<String>,
}

/// Every model: the schema the head revision must build.
pub fn target_schema() -> Schema {
    SchemaBuilder::new().model::<Item>().build()
}
"#
    .to_string();
    let config = format!(
        r#"# Where `{name}` migrates. Pick an environment with --env NAME or {selector};
# DATABASE_URL, the POSTGRES_* variables and --url override the URL.
default_environment = "development"

[environments.development]
url = "sqlite:{db_name}.db"

[environments.staging]
url = "postgresql://{db_name}:${{DB_PASSWORD}}@staging-db:5432/{db_name}"
lock_timeout = "30s"

[environments.production]
url = "postgresql://{db_name}:${{DB_PASSWORD}}@db:5432/{db_name}?sslmode=require"
lock_timeout = "30s"
statement_timeout = "10m"
"#
    );
    let gitignore = "/target\n*.db\n.env\n".to_string();
    let tests_rs = super::init_tests::migration_tests(name);
    vec![
        ("Cargo.toml".into(), cargo),
        ("build.rs".into(), build_rs),
        ("src/main.rs".into(), main_rs),
        ("src/models.rs".into(), models_rs),
        (format!("{name}.toml"), config),
        (".gitignore".into(), gitignore),
        ("tests/migrations.rs".into(), tests_rs),
    ]
}

/// The first revision: creates the example table of `src/models.rs`.
fn first_revision() -> Result<NewRevision, CliError> {
    let map = RevisionMap::new(Vec::new())?;
    let now = chrono::Local::now().naive_local();
    let created = chrono::NaiveDateTime::parse_from_str(
        &now.format("%Y-%m-%d %H:%M:%S").to_string(),
        "%Y-%m-%d %H:%M:%S",
    )
    .unwrap_or(now);
    let mut opts = RevisionOptions::new("Create the item table", created);
    opts.upgrade_body = Some(
        r#"op.create_table("item")
    .column(col("id", integer()).primary_key().autoincrement())
    .column(col("name", varchar_n(200)).not_null())
    .column(col("note", varchar()));
op.create_index("idx_item_name", "item", ["name"]);"#
            .to_string(),
    );
    opts.downgrade_body = Some(
        r#"op.drop_index("idx_item_name").table("item");
op.drop_table("item");"#
            .to_string(),
    );
    Ok(NewRevision::plan(&map, &opts)?)
}

/// `init`.
pub fn init(ctx: &Ctx<'_>, args: &InitArgs) -> Result<Exit, CliError> {
    let dir = ctx.cwd.join(&args.dir);
    let name = match &args.name {
        Some(n) => n.clone(),
        None => std::fs::canonicalize(&dir)
            .unwrap_or_else(|_| dir.clone())
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    if dir.exists() {
        let occupied = std::fs::read_dir(&dir)
            .map_err(|e| CliError::new(Exit::Usage, format!("{}: {e}", dir.display())))?
            .next()
            .is_some();
        if occupied {
            return Err(
                CliError::new(Exit::Usage, format!("{} is not empty", dir.display()))
                    .hint("run init in an empty directory, or give a new one: init my-app"),
            );
        }
    }
    if !valid_name(&name) {
        return Err(
            CliError::new(Exit::Usage, format!("{name:?} cannot be a crate name"))
                .hint("start with a letter and use letters, digits, '-' and '_'; or pass --name"),
        );
    }
    let source = match (&args.stratum_path, &args.stratum_version) {
        (Some(path), _) => source_from_path(&ctx.cwd.join(path))?,
        (None, Some(version)) => StratumSource::Version(version.clone()),
        (None, None) => default_source(),
    };
    let io = |path: &Path, e: std::io::Error| {
        CliError::new(Exit::Usage, format!("cannot write {}: {e}", path.display()))
    };
    for (relative, contents) in scaffold_files(&name, &source) {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, contents).map_err(|e| io(&path, e))?;
    }
    let versions = dir.join("migrations/versions");
    std::fs::create_dir_all(&versions).map_err(|e| io(&versions, e))?;
    let revision = write_revision(&versions, &first_revision()?)?;
    let shown = match &source {
        StratumSource::Path { stratum, .. } => format!("stratum at {}", stratum.display()),
        StratumSource::Version(v) => format!("stratum {v} from the registry"),
    };
    ctx.printer
        .out(format!("Created {name} in {} ({shown})", dir.display()));
    ctx.printer
        .out(format!("  first revision: {}", revision.display()));
    ctx.printer.out(format!(
        "next: cd {} && cargo run -- upgrade head",
        args.dir.display()
    ));
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("inventory-migrate"));
        assert!(valid_name("a_1"));
        assert!(!valid_name("1abc"));
        assert!(!valid_name(""));
        assert!(!valid_name("a b"));
    }

    #[test]
    fn path_dependencies_are_quoted() {
        let files = scaffold_files(
            "inv",
            &StratumSource::Path {
                stratum: PathBuf::from("/src/x\"y/crates/stratum"),
                build: PathBuf::from("/src/crates/stratum-build"),
                cli: PathBuf::from("/src/crates/stratum-cli"),
            },
        );
        let cargo = &files[0].1;
        assert!(
            cargo.contains(r#"stratum = { path = "/src/x\"y/crates/stratum" }"#),
            "{cargo}"
        );
        let toml: toml::Value = toml::from_str(cargo).expect("valid TOML");
        let tests = files
            .iter()
            .find(|(path, _)| path == "tests/migrations.rs")
            .map(|(_, text)| text)
            .expect("the scaffold has migration tests");
        for check in [
            "assert_single_head()",
            "assert_upgrade()",
            "assert_models_match_head()",
            "assert_stairway()",
            "assert_downgrade_leaves_no_trace()",
            "migrate_to_before(",
        ] {
            assert!(tests.contains(check), "{check} missing from {tests}");
        }
        assert_eq!(toml["package"]["name"].as_str(), Some("inv"));
    }
}

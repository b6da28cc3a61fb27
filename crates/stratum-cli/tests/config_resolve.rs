//! Configuration resolution: precedence, environments, interpolation, `.env`,
//! redaction. Pure: environments are maps and files live in temporary directories.

use std::path::Path;
use std::time::Duration;
use stratum::core::dialect::Dialect;
use stratum_cli::config::{
    AppNames, ConfigError, ConfigFile, Env, EnvironmentSelector, LoadOptions, ResolveInput,
    UrlSource, load, resolve,
};

/// An application's names, as SmartEM gives them.
const SMARTEM: AppNames = AppNames {
    config_file: "smartem-migrate.toml",
    env_selector: "SMARTEM_ENV",
    default_sqlite_file: "smartem.db",
};

const NASTY: &str = "p@ss:w%rd/x";

const FILE: &str = r#"
default_environment = "development"

[environments.development]
url = "sqlite:dev.db"

[environments.production]
url = "postgresql://smartem:${PROD_PW}@prod-db:5432/smartem?sslmode=require"
version_table = "smartem_version"
lock_timeout = "30s"
statement_timeout = "10m"
backup = true
"#;

fn config() -> ConfigFile {
    ConfigFile::parse(FILE, Path::new("/srv/app/smartem-migrate.toml")).unwrap()
}

fn input<'a>(
    env: &'a Env,
    config: Option<&'a ConfigFile>,
    url: Option<&'a str>,
    environment: Option<&'a str>,
) -> ResolveInput<'a> {
    ResolveInput {
        names: SMARTEM,
        url,
        environment,
        config,
        env,
        working_dir: Path::new("/srv/app"),
    }
}

fn postgres_vars() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POSTGRES_USER", "smartem"),
        ("POSTGRES_PASSWORD", NASTY),
        ("POSTGRES_HOST", "pg-host"),
        ("POSTGRES_PORT", "5433"),
        ("POSTGRES_DB", "smartem_db"),
    ]
}

#[test]
fn precedence_is_url_then_database_url_then_postgres_vars_then_file_then_default() {
    let cfg = config();
    let mut vars = postgres_vars();
    vars.push(("DATABASE_URL", "postgresql://a@from-env/db"));
    vars.push(("PROD_PW", "x"));
    let env = Env::from_pairs(vars.clone());

    let t = resolve(&input(
        &env,
        Some(&cfg),
        Some("sqlite:cli.db"),
        Some("production"),
    ))
    .unwrap();
    assert_eq!(t.source, UrlSource::CommandLine);
    assert_eq!(t.url.expose(), "sqlite:cli.db");
    // The environment's other settings still apply.
    assert_eq!(t.settings.lock_timeout, Some(Duration::from_secs(30)));

    let t = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap();
    assert_eq!(t.source, UrlSource::DatabaseUrlVariable);
    assert_eq!(t.url.expose(), "postgresql://a@from-env/db");

    let env = Env::from_pairs(vars.iter().filter(|(k, _)| *k != "DATABASE_URL").cloned());
    let t = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap();
    assert_eq!(t.source, UrlSource::PostgresVariables);
    assert_eq!(t.url.target(), "pg-host:5433");
    assert_eq!(t.url.database().as_deref(), Some("smartem_db"));

    let env = Env::from_pairs([("PROD_PW", "secret")]);
    let t = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap();
    assert_eq!(
        t.source,
        UrlSource::ConfigEnvironment {
            name: "production".into(),
            file: "/srv/app/smartem-migrate.toml".into()
        }
    );
    assert_eq!(t.url.dialect(), Dialect::Postgres);
    assert_eq!(
        t.settings.version_table.as_ref().unwrap().name(),
        "smartem_version"
    );
    assert_eq!(t.settings.statement_timeout, Some(Duration::from_secs(600)));
    assert!(t.settings.backup);

    let empty = Env::default();
    let t = resolve(&input(&empty, None, None, None)).unwrap();
    assert_eq!(t.source, UrlSource::EmbeddedDefault);
    assert_eq!(t.url.expose(), "sqlite:/srv/app/smartem.db");
    assert_eq!(
        t.describe(),
        "using the embedded default sqlite:/srv/app/smartem.db"
    );
    assert!(t.environment.is_none());
}

#[test]
fn environment_selection_order() {
    let cfg = config();
    let env = Env::from_pairs([("SMARTEM_ENV", "production"), ("PROD_PW", "x")]);
    let t = resolve(&input(&env, Some(&cfg), None, None)).unwrap();
    assert_eq!(
        t.environment,
        Some((
            "production".to_string(),
            EnvironmentSelector::Variable("SMARTEM_ENV")
        ))
    );
    let t = resolve(&input(&env, Some(&cfg), None, Some("development"))).unwrap();
    assert_eq!(
        t.environment.as_ref().unwrap().1,
        EnvironmentSelector::CommandLine
    );
    assert_eq!(t.url.expose(), "sqlite:dev.db");
    let none = Env::default();
    let t = resolve(&input(&none, Some(&cfg), None, None)).unwrap();
    assert_eq!(
        t.environment,
        Some(("development".to_string(), EnvironmentSelector::FileDefault))
    );
}

#[test]
fn unknown_environment_and_missing_file_are_errors() {
    let cfg = config();
    let env = Env::default();
    let err = resolve(&input(&env, Some(&cfg), None, Some("staging"))).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ConfigError::UnknownEnvironment { .. }));
    assert!(
        text.contains("staging") && text.contains("development, production"),
        "{text}"
    );
    let err = resolve(&input(&env, None, None, Some("staging"))).unwrap_err();
    assert!(err.to_string().contains("smartem-migrate.toml"), "{err}");
}

#[test]
fn missing_interpolated_variable_is_named() {
    let cfg = config();
    let env = Env::default();
    let err = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap_err();
    match &err {
        ConfigError::MissingVariable { name, context } => {
            assert_eq!(name, "PROD_PW");
            assert!(context.contains("environments.production.url"), "{context}");
        }
        other => panic!("unexpected: {other}"),
    }
}

#[test]
fn incomplete_postgres_vars_name_what_is_missing() {
    let env = Env::from_pairs([("POSTGRES_HOST", "h")]);
    let err = resolve(&input(&env, None, None, None)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("POSTGRES_USER") && text.contains("POSTGRES_DB"),
        "{text}"
    );
    let env = Env::from_pairs(postgres_vars().into_iter().map(|(k, v)| {
        if k == "POSTGRES_PORT" {
            (k, "fivefour")
        } else {
            (k, v)
        }
    }));
    assert!(matches!(
        resolve(&input(&env, None, None, None)),
        Err(ConfigError::InvalidPort { .. })
    ));
}

#[test]
fn passwords_with_special_characters_never_show() {
    // From POSTGRES_* variables.
    let env = Env::from_pairs(postgres_vars());
    let t = resolve(&input(&env, None, None, None)).unwrap();
    let parsed = url::Url::parse(t.url.expose()).unwrap();
    assert_eq!(parsed.host_str(), Some("pg-host"));
    // From the file, through interpolation.
    let cfg = config();
    let env = Env::from_pairs([("PROD_PW", NASTY)]);
    let t2 = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap();
    assert_eq!(
        url::Url::parse(t2.url.expose()).unwrap().host_str(),
        Some("prod-db")
    );
    for target in [&t, &t2] {
        for shown in [
            target.describe(),
            format!("{target:?}"),
            target.url.to_string(),
            format!("{:?}", target.url),
        ] {
            assert!(!shown.contains(NASTY), "{shown}");
            assert!(!shown.contains("p%40ss"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
    }
    // A bad URL given directly: the error does not show it either.
    let env = Env::default();
    let raw = format!("postgresql://u:{NASTY}@h/db");
    let err = resolve(&input(&env, None, Some(&raw), None)).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("p@ss") && !shown.contains("w%rd"),
        "{shown}"
    );
}

#[test]
fn load_reads_dotenv_without_overriding_and_finds_the_file_upwards() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("smartem-migrate.toml"), FILE).unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "SMARTEM_ENV=production\nPROD_PW=from-dotenv\n",
    )
    .unwrap();
    let nested = dir.path().join("deploy/scripts");
    std::fs::create_dir_all(&nested).unwrap();
    let options = LoadOptions {
        names: SMARTEM,
        working_dir: nested.clone(),
        load_dotenv: true,
        ..Default::default()
    };
    // The real environment wins over .env for PROD_PW.
    let t = load(&options, Env::from_pairs([("PROD_PW", "from-process")])).unwrap();
    assert_eq!(t.environment.as_ref().unwrap().0, "production");
    assert!(t.url.expose().contains("from-process"));
    assert_eq!(
        t.dotenv_file.as_deref(),
        Some(dir.path().join(".env").as_path())
    );
    assert_eq!(
        t.config_file.as_deref(),
        Some(dir.path().join("smartem-migrate.toml").as_path())
    );
    // Without the process value, .env supplies it.
    let t = load(&options, Env::default()).unwrap();
    assert!(t.url.expose().contains("from-dotenv"));
    // Without .env loading, the default environment applies.
    let t = load(
        &LoadOptions {
            load_dotenv: false,
            ..options.clone()
        },
        Env::default(),
    )
    .unwrap();
    assert_eq!(t.environment.as_ref().unwrap().0, "development");
    // An explicit file that does not exist is an error naming it.
    let err = load(
        &LoadOptions {
            config_file: Some("nope.toml".into()),
            ..options
        },
        Env::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn selected_environment_without_url_does_not_fall_back_to_the_default() {
    let text = "[environments.production]\nlock_timeout = \"5s\"\n";
    let cfg = ConfigFile::parse(text, Path::new("/srv/app/smartem-migrate.toml")).unwrap();
    let env = Env::default();
    let err = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap_err();
    assert!(
        matches!(err, ConfigError::EnvironmentWithoutUrl { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("DATABASE_URL"), "{err}");
    // A higher source still wins.
    let env = Env::from_pairs([("DATABASE_URL", "sqlite:x.db")]);
    let t = resolve(&input(&env, Some(&cfg), None, Some("production"))).unwrap();
    assert_eq!(t.source, UrlSource::DatabaseUrlVariable);
    assert_eq!(t.settings.lock_timeout, Some(Duration::from_secs(5)));
    // No environment selected at all: the embedded default.
    let env = Env::default();
    let t = resolve(&input(&env, Some(&cfg), None, None)).unwrap();
    assert_eq!(t.source, UrlSource::EmbeddedDefault);
}

//! The databases of a fleet: from a targets file, or from every environment of
//! the configuration file.
//!
//! ```toml
//! [targets.site-a]
//! url = "postgresql://smartem:${SITE_A_PASSWORD}@site-a.internal/smartem"
//! group = "canary"
//!
//! [targets.site-b]
//! url = "postgresql://smartem@site-b.internal/smartem"
//! password_file = "/run/secrets/site_b"
//! lock_timeout = "30s"
//! ```
//!
//! Each table takes the settings of a configuration environment (`url`,
//! `version_table`, `lock_timeout`, `statement_timeout`, `password_file`,
//! `group`, `ignore`); `${VAR}` is interpolated as in the configuration file.
//! A top-level `[ignore]` table holds rules for every target, to which each
//! target's own `ignore` adds, as the configuration file's global `[ignore]`
//! and an environment's do.

use crate::config::Env;
use crate::config::{
    ConfigError, ConfigFile, DatabaseUrl, EnvironmentSection, EnvironmentSettings, IgnoreRules,
    interpolate, interpolate_url,
};
use crate::runner::VersionTable;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use stratum::fleet::{FleetError, FleetTarget};

/// The targets file's contents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    #[serde(default)]
    targets: BTreeMap<String, EnvironmentSection>,
    /// Rules for every target.
    #[serde(default)]
    ignore: Option<IgnoreRules>,
}

/// Reads a targets file: one `[targets.NAME]` table per database, in name order.
pub fn targets_from_file(path: &Path, env: &Env) -> Result<Vec<FleetTarget>, FleetError> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        FleetError::Config(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })
    })?;
    let file: TargetsFile = toml::from_str(&text).map_err(|e| {
        FleetError::Config(ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    })?;
    if file.targets.is_empty() {
        return Err(FleetError::NoTargets {
            source_name: path.display().to_string(),
            hint: "add one table per database: [targets.NAME] with url = \"...\"",
        });
    }
    let shown = path.display();
    if let Some(rules) = &file.ignore {
        rules.validate(&format!("[ignore] of {shown}"))?;
    }
    for (name, section) in &file.targets {
        if let Some(rules) = &section.ignore {
            rules.validate(&format!("[targets.{name}.ignore] of {shown}"))?;
        }
    }
    file.targets
        .iter()
        .map(|(name, section)| {
            target_from_section(name, section, file.ignore.as_ref(), "targets", path, env)
        })
        .collect()
}

/// Every environment of the configuration file, in name order.
pub fn targets_from_config(config: &ConfigFile, env: &Env) -> Result<Vec<FleetTarget>, FleetError> {
    if config.environments.is_empty() {
        return Err(FleetError::NoTargets {
            source_name: config.path.display().to_string(),
            hint: "define [environments.NAME] tables with a url, or pass --targets FILE",
        });
    }
    config
        .environments
        .iter()
        .map(|(name, section)| {
            target_from_section(
                name,
                section,
                config.ignore.as_ref(),
                "environments",
                &config.path,
                env,
            )
        })
        .collect()
}

fn target_from_section(
    name: &str,
    section: &EnvironmentSection,
    global_ignore: Option<&IgnoreRules>,
    table: &str,
    file: &Path,
    env: &Env,
) -> Result<FleetTarget, FleetError> {
    let key = format!("{table}.{name}");
    let Some(template) = &section.url else {
        return Err(FleetError::MissingUrl {
            key,
            file: file.to_path_buf(),
        });
    };
    let context = format!("{key}.url in {}", file.display());
    let mut url = DatabaseUrl::parse(&interpolate_url(template, env, &context)?)?;
    if let Some(template) = &section.password_file {
        let origin = format!("{key}.password_file in {}", file.display());
        let relative = PathBuf::from(interpolate(template, env, &origin)?);
        let path = file.parent().unwrap_or(Path::new(".")).join(relative);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::PasswordFile {
            path: path.clone(),
            origin,
            source,
        })?;
        let text = text.strip_suffix('\n').unwrap_or(&text);
        url = url.with_password(text.strip_suffix('\r').unwrap_or(text))?;
    }
    let mut settings = EnvironmentSettings::default();
    if let Some(rules) = global_ignore {
        settings.ignore = rules.clone();
    }
    if let Some(rules) = &section.ignore {
        settings.ignore = std::mem::take(&mut settings.ignore).merged(rules);
    }
    if let Some(t) = &section.version_table {
        settings.version_table = Some(VersionTable::new(t.clone()).map_err(ConfigError::from)?);
    }
    let duration = |value: &crate::config::DurationSetting, field: &str| {
        value.to_duration(&format!("{key}.{field}"))
    };
    if let Some(d) = &section.lock_timeout {
        settings.lock_timeout = Some(duration(d, "lock_timeout")?);
    }
    if let Some(d) = &section.statement_timeout {
        settings.statement_timeout = Some(duration(d, "statement_timeout")?);
    }
    Ok(FleetTarget {
        name: name.to_string(),
        url,
        group: section.group.clone(),
        settings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("targets.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn reads_targets_with_groups_variables_and_password_files() {
        let (dir, path) = write(
            r#"
[targets.b-site]
url = "postgresql://app:${PW}@db-b/app"
lock_timeout = "5s"

[targets.a-site]
url = "postgresql://app@db-a/app"
group = "canary"
password_file = "secret.txt"
"#,
        );
        std::fs::write(dir.path().join("secret.txt"), "s3cr@t\n").unwrap();
        let env = Env::from_pairs([("PW", "p@ss")]);
        let targets = targets_from_file(&path, &env).unwrap();
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].name, "a-site");
        assert!(targets[0].is_canary());
        assert_eq!(
            targets[0].url.expose(),
            "postgresql://app:s3cr%40t@db-a/app"
        );
        assert_eq!(targets[1].url.expose(), "postgresql://app:p%40ss@db-b/app");
        assert!(!targets[1].url.to_string().contains("p%40ss"));
        assert_eq!(
            targets[1].settings.lock_timeout,
            Some(std::time::Duration::from_secs(5))
        );
    }

    #[test]
    fn errors_name_what_to_fix() {
        let (_d, path) = write("[targets.x]\ngroup = \"canary\"\n");
        let err = targets_from_file(&path, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("targets.x"), "{err}");
        let (_d, path) = write("[targets.x]\nurl = \"postgresql://u:${NOPE}@h/d\"\n");
        let err = targets_from_file(&path, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("NOPE"), "{err}");
        let (_d, path) = write("[targets.x]\nurll = \"sqlite:a.db\"\n");
        let err = targets_from_file(&path, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("urll"), "{err}");
        let (_d, path) = write("");
        let err = targets_from_file(&path, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("no database"), "{err}");
    }

    #[test]
    fn every_environment_of_the_configuration_is_a_target() {
        let config = ConfigFile::parse(
            "[environments.dev]\nurl = \"sqlite:dev.db\"\n[environments.prod]\nurl = \"sqlite:prod.db\"\ngroup = \"canary\"\n",
            Path::new("app.toml"),
        )
        .unwrap();
        let targets = targets_from_config(&config, &Env::default()).unwrap();
        let names: Vec<_> = targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["dev", "prod"]);
        assert!(targets[1].is_canary());
    }

    #[test]
    fn targets_carry_the_global_ignore_rules_then_their_own() {
        let config = ConfigFile::parse(
            "[ignore]\ntables = [\"notes\"]\n[environments.dev]\nurl = \"sqlite:dev.db\"\n[environments.prod]\nurl = \"sqlite:prod.db\"\n[environments.prod.ignore]\ntables = [\"tmp_*\"]\n",
            Path::new("app.toml"),
        )
        .unwrap();
        let targets = targets_from_config(&config, &Env::default()).unwrap();
        assert_eq!(targets[0].settings.ignore.tables, ["notes"]);
        assert_eq!(targets[1].settings.ignore.tables, ["notes", "tmp_*"]);
        let (_d, path) = write(
            "[ignore]\ntables = [\"a\"]\n[targets.x]\nurl = \"sqlite:x.db\"\nignore = { tables = [\"b\"] }\n",
        );
        let targets = targets_from_file(&path, &Env::default()).unwrap();
        assert_eq!(targets[0].settings.ignore.tables, ["a", "b"]);
        let (_d, path) =
            write("[targets.x]\nurl = \"sqlite:x.db\"\nignore = { columns = [\"c\"] }\n");
        let err = targets_from_file(&path, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("targets.x.ignore"), "{err}");
    }
}

//! The `smartem-migrate` command as the command-line tests run it.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

/// `smartem-migrate` in `dir` against `url`, with the environment cleared of
/// what would redirect it, and a ten-minute limit.
pub fn bin(dir: &Path, url: &str) -> Command {
    let mut cmd = Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        dir,
    ));
    cmd.args(["--url", url]).timeout(Duration::from_secs(600));
    cmd
}

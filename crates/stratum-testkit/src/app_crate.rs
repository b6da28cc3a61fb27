//! A copy of an application crate, built on its own: the end-to-end tests of
//! autogenerate write revisions into the copy and rebuild it.

use std::path::Path;
use std::process::Command;

/// What a copy of an application crate is made of, besides the application's
/// files.
pub struct AppCrate<'a> {
    /// The application's crate directory (its `CARGO_MANIFEST_DIR`), under the
    /// workspace's `crates/`.
    pub app: &'a Path,
    /// The copy's package name.
    pub package: &'a str,
    /// The copy's binary name.
    pub bin: &'a str,
    /// The `debug` setting of the copy's own code in the dev profile, as TOML.
    pub debug: &'a str,
}

impl AppCrate<'_> {
    /// Writes the copy to `root`: the application's sources, migrations and build
    /// script, the workspace's lock file, and a manifest that depends on the
    /// workspace's engine crates by path.
    pub fn write(&self, root: &Path) {
        let crates = self.app.parent().unwrap();
        let workspace = crates.parent().unwrap();
        copy_dir(&self.app.join("src"), &root.join("src"));
        copy_dir(&self.app.join("migrations"), &root.join("migrations"));
        std::fs::copy(self.app.join("build.rs"), root.join("build.rs")).unwrap();
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
             publish = false\n\n[[bin]]\nname = \"{}\"\npath = \"src/main.rs\"\n\n\
             [dependencies]\nstratum = {{ path = {:?} }}\n\n\
             [build-dependencies]\nstratum-build = {{ path = {:?} }}\n\n[workspace]\n\n\
             [profile.dev]\ndebug = {}\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 1\ndebug = false\n",
            self.package,
            self.bin,
            crates.join("stratum"),
            crates.join("stratum-build"),
            self.debug,
        );
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    }
}

/// Builds the crate at `root` offline into `target_dir`; panics if it does not
/// build.
pub fn build_crate(root: &Path, target_dir: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--offline"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the temporary crate does not build");
}

/// Copies the directory tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_application_and_a_manifest_on_the_engine_crates() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let app = crates.join("stratum-testapp");
        let root = tempfile::tempdir().unwrap();
        AppCrate {
            app: &app,
            package: "copy",
            bin: "copy-migrate",
            debug: "false",
        }
        .write(root.path());
        for file in ["src/main.rs", "build.rs", "Cargo.lock"] {
            assert!(root.path().join(file).is_file(), "{file}");
        }
        assert!(root.path().join("migrations").is_dir());
        let manifest = std::fs::read_to_string(root.path().join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"copy\"\n"), "{manifest}");
        assert!(manifest.contains("name = \"copy-migrate\"\n"), "{manifest}");
        assert!(
            manifest.contains(&format!(
                "stratum = {{ path = {:?} }}",
                crates.join("stratum")
            )),
            "{manifest}"
        );
        assert!(
            manifest.contains("[profile.dev]\ndebug = false\n"),
            "{manifest}"
        );
    }
}

//! Embeds two versions directories: `migrations/versions` (the chain as it should
//! be) and `migrations/broken` (the same chain whose fifth revision has an invalid
//! second statement), each into its own subdirectory of `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for (dir, sub) in [
        ("migrations/versions", "good"),
        ("migrations/broken", "broken"),
    ] {
        let dir = manifest.join(dir);
        let target = out.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        std::fs::create_dir_all(&target).expect("create the output directory");
        let scan = stratum_build::embed_versions_into(&dir, &target)
            .unwrap_or_else(|e| panic!("cannot embed {}: {e}", dir.display()));
        for line in stratum_build::rerun_lines(&scan) {
            println!("{line}");
        }
    }
}

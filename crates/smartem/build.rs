//! Compiles every revision file of `migrations/versions/` into the crate; see
//! `src/migrations.rs`. A misnamed or stray file in that directory fails the build.

fn main() {
    stratum_build::embed_versions_or_panic("migrations/versions");
}

fn main() {
    stratum_build::embed_versions_or_panic("migrations/versions");
}

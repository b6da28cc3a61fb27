#!/usr/bin/env python3
"""Writes a throwaway application crate with a long linear revision history.

    gen_chain.py --revisions N --workspace ROOT OUT

OUT becomes a Cargo package (its own workspace, so it never joins the project's)
with migrations/versions/ holding N revision files: r00000 creates table t0000
(id bigint primary key, c0 integer), each later revision rNNNNN adds one nullable
integer column cNNNNN to it. src/main.rs runs the engine's CLI over them, as any
application would. Dependencies point at ROOT/crates by path, and the workspace's
Cargo.lock and release profile are copied so that the same dependency builds are
reused.

`--add K` writes only revision K (the next one after the chain's head), to time an
incremental rebuild; `--remove K` deletes it again.
"""
import argparse
import os
import re
import shutil

REV0 = '''//! Create table t0000
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("r00000")
    .message("Create table t0000")
    .created("2026-01-01 00:00:00");

pub fn upgrade(op: &mut Ops) {{
    op.create_table("t0000")
        .column(col("id", big_integer()).primary_key())
        .column(col("c0", integer()));
}}

pub fn downgrade(op: &mut Ops) {{
    op.drop_table("t0000");
}}
'''

REV = '''//! Revision {i}
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("{rev}")
    .revises(&["{down}"])
    .message("Revision {i}")
    .created("{created}");

pub fn upgrade(op: &mut Ops) {{
    op.add_column("t0000", col("c{i}", integer()));
}}

pub fn downgrade(op: &mut Ops) {{
    op.drop_column("t0000", "c{i}");
}}
'''

MAIN = '''//! The engine's CLI over a generated linear history.

include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "chain-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "chain-migrate.toml",
            env_selector: "CHAIN_ENV",
            default_sqlite_file: "chain.db",
        },
    })
}
'''

BUILD = '''fn main() {
    stratum_build::embed_versions_or_panic("migrations/versions");
}
'''


def file_name(i):
    day, minute = divmod(i, 24 * 60)
    hh, mm = divmod(minute, 60)
    return f"2026_01_{day + 1:02d}_{hh:02d}{mm:02d}-r{i:05d}_revision_{i}.rs"


def created(i):
    day, minute = divmod(i, 24 * 60)
    hh, mm = divmod(minute, 60)
    return f"2026-01-{day + 1:02d} {hh:02d}:{mm:02d}:00"


def revision_source(i):
    if i == 0:
        return REV0.format()
    return REV.format(i=i, rev=f"r{i:05d}", down=f"r{i - 1:05d}", created=created(i))


def release_profile(root):
    text = open(os.path.join(root, "Cargo.toml")).read()
    m = re.search(r"^\[profile\.release\]\n(?:[^\[].*\n?)*", text, re.M)
    return m.group(0) if m else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--revisions", type=int, default=1000)
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--add", type=int)
    ap.add_argument("--remove", type=int)
    ap.add_argument("out")
    a = ap.parse_args()
    versions = os.path.join(a.out, "migrations", "versions")
    if a.add is not None:
        open(os.path.join(versions, file_name(a.add)), "w").write(revision_source(a.add))
        return
    if a.remove is not None:
        path = os.path.join(versions, file_name(a.remove))
        if os.path.exists(path):
            os.remove(path)
        return
    root = os.path.abspath(a.workspace)
    if os.path.isdir(versions):
        shutil.rmtree(versions)
    os.makedirs(versions)
    os.makedirs(os.path.join(a.out, "src"), exist_ok=True)
    crates = os.path.join(root, "crates")
    cargo = f'''[package]
name = "chain-migrate"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
stratum = {{ path = "{crates}/stratum" }}
stratum-cli = {{ path = "{crates}/stratum-cli" }}

[build-dependencies]
stratum-build = {{ path = "{crates}/stratum-build" }}

[workspace]

{release_profile(root)}'''
    open(os.path.join(a.out, "Cargo.toml"), "w").write(cargo)
    shutil.copy(os.path.join(root, "Cargo.lock"), os.path.join(a.out, "Cargo.lock"))
    open(os.path.join(a.out, "build.rs"), "w").write(BUILD)
    open(os.path.join(a.out, "src", "main.rs"), "w").write(MAIN)
    for i in range(a.revisions):
        open(os.path.join(versions, file_name(i)), "w").write(revision_source(i))


if __name__ == "__main__":
    main()

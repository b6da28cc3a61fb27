//! The README's commands, run in order on a fresh directory: the README cannot rot.

mod docs_support;

use docs_support::{Step, run_markdown, steps};

#[test]
fn readme_commands_run_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_markdown("README.md", dir.path());
    assert!(ran >= 10, "only {ran} commands ran");
    assert!(dir.path().join("smartem.db").is_file());
}

#[test]
fn readme_starts_with_the_two_commands() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let first = text.find("```sh\n").expect("an sh block");
    let block = &text[first..];
    assert!(
        block
            .starts_with("```sh\ncargo run --release -- upgrade head\ncargo test --workspace\n```"),
        "{}",
        &block[..block.len().min(120)]
    );
}

#[test]
fn the_block_parser_follows_its_conventions() {
    let md = "text\n```sh\n# a comment\nFOO=1 smartem-migrate current --verbose  # trailing\n# prints: x y\n# exit: 3\ncargo test --workspace\n```\n```console\nrm -rf /\n```\n```toml file=a.toml\nk = 1\n```\n";
    let s = steps(md).unwrap();
    assert_eq!(
        s,
        [
            Step::Run {
                line: 4,
                env: vec![("FOO".into(), "1".into())],
                args: vec!["current".into(), "--verbose".into()],
                prints: vec!["x y".into()],
                exit: 3,
            },
            Step::File {
                name: "a.toml".into(),
                contents: "k = 1\n".into()
            },
        ]
    );
    assert!(steps("```sh\nrm -rf /\n```\n").is_err());
    assert!(steps("```sh\nsmartem-migrate revision -m x\n```\n").is_err());
    assert!(steps("```sh\nsmartem-migrate current\n").is_err());
    assert_eq!(
        docs_support::words(r#"a "b c" 'd e' "f\"g""#).unwrap(),
        ["a", "b c", "d e", "f\"g"]
    );
}

//! Relative targets mean what the guide says or are refused (case 33), and the
//! repair a message suggests for a version table holding a revision and its
//! ancestor works as written (case 35). Run through `faultapp-migrate`.

mod common;

use common::*;
use stratum_testkit::each_database;

const USAGE: i32 = 2;
const REFUSED: i32 = 5;

#[tokio::test]
async fn case_33_relative_targets_do_what_the_guide_says_or_are_refused() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(Bin::Good, &["upgrade", F5]).assert_code(0);
        let at_f5 = f.schema().await;
        assert!(at_f5.tables.contains_key("entry"));

        // `REV@-1` with a revision id would count from the current revision (F5),
        // not from F6: refused, naming what to write; nothing runs.
        let rev_at = format!("{F6}@-1");
        f.run(Bin::Good, &["downgrade", &rev_at])
            .assert_code(USAGE)
            .assert_mentions("not a branch label")
            .assert_mentions(&format!("`{F6}-1`"));
        assert_eq!(f.version_rows().await, [F5]);
        assert_eq!(
            f.schema().await,
            at_f5,
            "a refused target changed the schema"
        );

        // `REV-1` is the revision before REV: F5, where the database already is.
        f.run(Bin::Good, &["downgrade", &format!("{F6}-1")])
            .assert_code(0);
        assert_eq!(f.version_rows().await, [F5]);
        assert_eq!(f.schema().await, at_f5);
        // `head-1` likewise.
        f.run(Bin::Good, &["downgrade", "head-1"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F5]);

        // One more step down removes exactly F5's tables.
        f.run(Bin::Good, &["downgrade", "head-2"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F4]);
        let at_f4 = f.schema().await;
        assert!(!at_f4.tables.contains_key("entry"));
        assert!(at_f4.tables.contains_key("ledger"));

        // A range outside `--sql` is refused, not read as a revision name.
        f.run(Bin::Good, &["upgrade", &format!("{F4}:{F5}")])
            .assert_code(USAGE)
            .assert_mentions("only with `--sql`");
        assert_eq!(f.version_rows().await, [F4]);

        f.run(Bin::Good, &["upgrade", "head-1"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F5]);
    })
    .await;
}

/// The command a message suggests between backticks after `with `.
fn suggested(output: &str) -> Vec<String> {
    let start = output
        .find("with `stamp")
        .unwrap_or_else(|| panic!("no stamp suggested:\n{output}"))
        + "with `".len();
    let end = start + output[start..].find('`').expect("closing backtick");
    output[start..end]
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn case_35_a_revision_and_its_ancestor_are_repaired_as_the_message_says() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(Bin::Good, &["upgrade", F3]).assert_code(0);
        let mut conn = f.connect().await;
        conn.execute(&format!(
            "INSERT INTO alembic_version (version_num) VALUES ('{F2}')"
        ))
        .await
        .unwrap();
        conn.close().await.ok();

        for args in [&["current"][..], &["upgrade", "head"], &["stamp", F3]] {
            let run = f.run(Bin::Good, args);
            run.assert_code(REFUSED)
                .assert_mentions(&format!("both {F3} and its ancestor {F2}"));
            assert_eq!(
                suggested(&run.all()),
                ["stamp", "--purge", F3],
                "{}",
                run.all()
            );
        }
        assert_eq!(f.version_rows().await, [F2, F3]);

        // The suggestion, run as written.
        let words = suggested(&f.run(Bin::Good, &["current"]).all());
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        f.run(Bin::Good, &words).assert_code(0);
        assert_eq!(f.version_rows().await, [F3]);
        f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F6]);
    })
    .await;
}

//! `bench-introspect-diff [--once] URL [URL]`: introspects the first database,
//! then the second (the first again when only one is given), diffs the two
//! schemas and prints the number of tables, of differences and of catalog
//! queries sent. The timing of a drift check over a schema that has no models.
//! With `--once`, introspects the one database once and diffs nothing.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let once = args.first().is_some_and(|a| a == "--once");
    if once {
        args.remove(0);
    }
    let urls = match (args.as_slice(), once) {
        ([a], true) => vec![a.clone()],
        ([a], false) => vec![a.clone(), a.clone()],
        ([a, b], false) => vec![a.clone(), b.clone()],
        _ => {
            eprintln!("usage: bench-introspect-diff URL [URL] | bench-introspect-diff --once URL");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(&urls)) {
        Ok((tables, ops, queries)) => {
            match ops {
                Some(ops) => {
                    println!("{tables} tables, {ops} differences, {queries} catalog queries")
                }
                None => println!("{tables} tables, {queries} catalog queries"),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Tables of the first schema, differences (when two were read) and catalog
/// queries in all.
async fn run(urls: &[String]) -> Result<(usize, Option<usize>, usize), Box<dyn std::error::Error>> {
    let mut schemas = Vec::new();
    let mut queries = 0;
    for url in urls {
        let mut conn = stratum::db::Connection::connect(url).await?;
        let (schema, stats) = stratum::introspect::introspect_with_stats(&mut conn, &[]).await?;
        conn.close().await?;
        queries += stats.queries;
        schemas.push(schema);
    }
    let ops = match schemas.as_slice() {
        [left, right] => Some(stratum_core::diff::diff(left, right).len()),
        _ => None,
    };
    Ok((schemas[0].tables.len(), ops, queries))
}

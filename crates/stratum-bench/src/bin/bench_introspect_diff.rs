//! `bench-introspect-diff URL [URL]`: introspects the first database, then the
//! second (the first again when only one is given), diffs the two schemas and
//! prints the number of tables and of differences. The timing of a drift check
//! over a schema that has no models.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (from, to) = match args.as_slice() {
        [a] => (a.clone(), a.clone()),
        [a, b] => (a.clone(), b.clone()),
        _ => {
            eprintln!("usage: bench-introspect-diff URL [URL]");
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
    match rt.block_on(run(&from, &to)) {
        Ok((tables, ops)) => {
            println!("{tables} tables, {ops} differences");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(from: &str, to: &str) -> Result<(usize, usize), Box<dyn std::error::Error>> {
    let mut a = stratum::db::Connection::connect(from).await?;
    let left = stratum::introspect::introspect(&mut a, &[]).await?;
    a.close().await?;
    let mut b = stratum::db::Connection::connect(to).await?;
    let right = stratum::introspect::introspect(&mut b, &[]).await?;
    b.close().await?;
    let ops = stratum_core::diff::diff(&left, &right);
    Ok((left.tables.len(), ops.len()))
}

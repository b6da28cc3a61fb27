//! Revision-graph timings on large histories: building the map, `heads`,
//! `history`, and planning an upgrade from base to head, on a linear chain and on
//! a graph with branches and merges, 10,000 revisions each.
//!
//! `cargo bench -p stratum-bench --bench revision_map` prints, for each case, the
//! median and the range of several repetitions. (A plain timing loop: no
//! statistics crate, to keep the build small.)

use std::hint::black_box;
use std::time::{Duration, Instant};
use stratum_core::revision::{RevisionMap, RevisionNode};

/// A linear chain `r00000 <- r00001 <- ...`.
fn linear(n: usize) -> Vec<RevisionNode> {
    (0..n)
        .map(|i| {
            let node = RevisionNode::new(format!("r{i:05}"));
            if i == 0 {
                node
            } else {
                node.revises([format!("r{:05}", i - 1)])
            }
        })
        .collect()
}

/// Every 10 revisions the chain forks into two branches of 4, merged again.
fn branchy(n: usize) -> Vec<RevisionNode> {
    let mut nodes = Vec::with_capacity(n);
    let mut tip = String::new();
    let mut i = 0;
    let id = |i: usize| format!("r{i:05}");
    while nodes.len() < n {
        let root = id(i);
        nodes.push(if tip.is_empty() {
            RevisionNode::new(root.clone())
        } else {
            RevisionNode::new(root.clone()).revises([tip.clone()])
        });
        i += 1;
        let mut ends = Vec::new();
        for _branch in 0..2 {
            let mut prev = root.clone();
            for _ in 0..4 {
                let me = id(i);
                nodes.push(RevisionNode::new(me.clone()).revises([prev]));
                prev = me;
                i += 1;
            }
            ends.push(prev);
        }
        let merge = id(i);
        nodes.push(RevisionNode::new(merge.clone()).revises(ends));
        i += 1;
        tip = merge;
    }
    nodes
}

fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    let mut samples: Vec<Duration> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[0], samples[reps / 2], samples[reps - 1])
}

fn report(name: &str, (min, median, max): (Duration, Duration, Duration)) {
    println!(
        "{name:<44} median {:>10.3} ms   (min {:.3}, max {:.3})",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let n: usize = std::env::var("BENCH_REVISIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let reps = 11;
    for (shape, nodes) in [("linear", linear(n)), ("branches", branchy(n))] {
        let count = nodes.len();
        report(
            &format!("{shape} {count}: build"),
            time(reps, || {
                RevisionMap::new(nodes.clone()).expect("valid graph")
            }),
        );
        let map = RevisionMap::new(nodes.clone()).expect("valid graph");
        report(
            &format!("{shape} {count}: heads"),
            time(reps, || map.heads().len()),
        );
        report(
            &format!("{shape} {count}: history"),
            time(reps, || map.history().len()),
        );
        report(
            &format!("{shape} {count}: plan_upgrade base -> head"),
            time(reps, || map.plan_upgrade(&[], "head").expect("plan").len()),
        );
        let head: Vec<String> = map.heads().iter().map(|h| h.to_string()).collect();
        report(
            &format!("{shape} {count}: plan_downgrade head -> base"),
            time(reps, || {
                map.plan_downgrade(&head, "base").expect("plan").len()
            }),
        );
    }
}

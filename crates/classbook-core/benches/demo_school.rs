//! Generating and importing the default demo school (seed 7, 30 classes,
//! 800 students, ≈ 380 000 ops) into a new journal file, as `classbook demo`
//! does. Target: < 20 s.
//!
//! Not a criterion benchmark: one run takes ~20 s, so criterion's minimum of
//! 10 samples would take minutes. This is a plain main that makes
//! `CLASSBOOK_BENCH_RUNS` (default 3) runs, each into a new file, and prints
//! each run and the min / median:
//!
//! * generate — `demo::generate` alone (includes two argon2 hashes);
//! * create_demo — `Journal::open` + `Journal::create_demo` (generate and
//!   import in one transaction, committed with WAL + synchronous=FULL);
//! * close — dropping the journal (the final WAL checkpoint).
//!
//! cargo bench -p classbook-core --bench demo_school

mod common;

use classbook_core::demo::{self, DemoConfig};
use classbook_core::{Journal, hash_password};
use common::{Latencies, fmt};
use std::time::Instant;

fn main() {
    // `cargo test --benches` runs every bench target with `--test`: build only.
    if common::quick_mode() {
        return;
    }
    let runs = common::env_usize("CLASSBOOK_BENCH_RUNS", 3);
    let config = DemoConfig::default();
    let mut generate = Latencies::new("generate", runs);
    let mut create = Latencies::new("open + create_demo", runs);
    let mut close = Latencies::new("close (checkpoint)", runs);
    let mut total = Latencies::new("total", runs);
    for run in 1..=runs {
        let start = Instant::now();
        let school = demo::generate(&config, &hash_password);
        let generated = start.elapsed();
        generate.push(generated);
        let ops = school.ops.len();
        drop(school);

        let dir = common::scratch_dir();
        let path = dir.path().join("journal.db");
        let start_create = Instant::now();
        let mut journal = Journal::open(&path).unwrap();
        journal.create_demo(&config, |_, _| {}).unwrap();
        let created = start_create.elapsed();
        create.push(created);
        let stats = journal.stats().unwrap();
        let start_close = Instant::now();
        drop(journal);
        let closed = start_close.elapsed();
        close.push(closed);
        total.push(created + closed);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "run {run}: {ops} ops generated in {}; open + create_demo {}, close {}; \
             file {} MB ({} ops, {} marks){}",
            fmt(generated),
            fmt(created),
            fmt(closed),
            size / 1_000_000,
            stats.ops,
            stats.marks,
            if run == 1 { format!(", on {}", common::fs_type(dir.path()).unwrap_or_default()) } else { String::new() }
        );
    }
    println!();
    println!("demo_school: default demo school, {runs} runs (target: create_demo < 20 s)");
    println!("{:<28} {:>10} {:>10} {:>10}", "", "min", "median", "max");
    for l in [&generate, &create, &close, &total] {
        println!("{:<28} {:>10} {:>10} {:>10}", l.name, fmt(l.min()), fmt(l.percentile(50.0)), fmt(l.max()));
    }
}

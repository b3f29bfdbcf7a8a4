//! Shared helpers of the core's benchmarks: a scratch directory on the real
//! disk, latency percentiles, the demo school in a fresh journal file, and
//! the bits of a small school built with `Journal::import`.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use classbook_core::Journal;
use classbook_core::demo::{DemoConfig, DemoSchool};
use classbook_core::domain::entity::Entity;
use classbook_core::domain::model::Role;
use classbook_core::domain::op::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use uuid::Uuid;

/// The allocator the Classbook binaries use (see `classbook-cli`), so the
/// benchmarks measure what ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where benchmark files go: `$CLASSBOOK_BENCH_DIR`, else `/var/tmp` (a real
/// disk on Debian; `/tmp` may be a tmpfs, whose fsync costs nothing).
pub fn bench_root() -> PathBuf {
    std::env::var_os("CLASSBOOK_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/var/tmp"))
}

/// A fresh scratch directory under [`bench_root`]; refuses a memory file
/// system, since the benchmarks are about durable commits.
pub fn scratch_dir() -> TempDir {
    let root = bench_root();
    std::fs::create_dir_all(&root).expect("create the benchmark directory");
    let dir = tempfile::Builder::new().prefix("classbook-bench-").tempdir_in(&root).expect("create a scratch dir");
    let fs = fs_type(dir.path()).unwrap_or_else(|| "unknown".into());
    if matches!(fs.as_str(), "tmpfs" | "ramfs") && std::env::var_os("CLASSBOOK_BENCH_ALLOW_TMPFS").is_none() {
        panic!(
            "{} is on {fs}: fsync there costs nothing. Set CLASSBOOK_BENCH_DIR to a directory on a real disk.",
            dir.path().display()
        );
    }
    dir
}

/// The file system type holding `path`, from /proc/self/mountinfo (Linux).
pub fn fs_type(path: &Path) -> Option<String> {
    let path = path.canonicalize().ok()?;
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String)> = None;
    for line in info.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let (Some(mount), Some(dash)) = (fields.get(4), fields.iter().position(|f| *f == "-")) else { continue };
        let Some(fstype) = fields.get(dash + 1) else { continue };
        let mount = mount.replace("\\040", " ");
        if path.starts_with(&mount) && best.as_ref().is_none_or(|(len, _)| mount.len() >= *len) {
            best = Some((mount.len(), fstype.to_string()));
        }
    }
    best.map(|(_, fs)| fs)
}

/// Whether criterion runs in `--test` / `--list` mode (`cargo test --benches`):
/// then the extra measurements outside criterion are skipped.
pub fn quick_mode() -> bool {
    std::env::args().any(|a| a == "--test" || a == "--list")
}

/// A number from the environment, e.g. `CLASSBOOK_BENCH_SAMPLES=5000`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Latency samples and their percentiles (nearest rank).
pub struct Latencies {
    pub name: &'static str,
    samples: Vec<Duration>,
}

impl Latencies {
    pub fn new(name: &'static str, capacity: usize) -> Latencies {
        Latencies { name, samples: Vec::with_capacity(capacity) }
    }

    pub fn push(&mut self, d: Duration) {
        self.samples.push(d);
    }

    pub fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.samples.push(start.elapsed());
        value
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    pub fn mean(&self) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        self.samples.iter().sum::<Duration>() / self.samples.len() as u32
    }

    pub fn min(&self) -> Duration {
        self.samples.iter().min().copied().unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.samples.iter().max().copied().unwrap_or_default()
    }

    pub fn header() {
        println!(
            "{:<28} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            "latency", "n", "min", "p50", "p90", "p99", "max", "mean"
        );
    }

    pub fn print(&self) {
        println!(
            "{:<28} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            self.name,
            self.len(),
            fmt(self.min()),
            fmt(self.percentile(50.0)),
            fmt(self.percentile(90.0)),
            fmt(self.percentile(99.0)),
            fmt(self.max()),
            fmt(self.mean()),
        );
    }
}

/// A duration for a table: µs below 1 ms, ms below 1 s, else s.
pub fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

/// The demo school in a new journal file `dir/journal.db`, through the same
/// call the CLI's `classbook demo` makes. Returns the journal and how long it took.
pub fn demo_journal(dir: &Path, config: &DemoConfig) -> (Journal, DemoSchool, Duration) {
    let start = Instant::now();
    let mut journal = Journal::open(&dir.join("journal.db")).expect("open the journal");
    let school = journal.create_demo(config, |_, _| {}).expect("create the demo school");
    (journal, school, start.elapsed())
}

/// The demo's common password: the one shown for the administrator.
pub fn demo_password(school: &DemoSchool) -> String {
    school
        .accounts
        .iter()
        .find(|a| a.account_id == school.admin_account)
        .map(|a| a.password.clone())
        .expect("the demo lists its administrator")
}

/// A read-only connection to the journal file, to find benchmark targets.
pub fn peek(journal: &Journal) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(journal.path(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the journal read-only")
}

/// Local school time (UTC+3, as the demo and these fixtures set it) as UTC.
pub fn school_time(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).expect("valid time")) - chrono::Duration::hours(3)
}

pub fn record(entity: Entity, id: Uuid, fields: Value) -> OpKind {
    let fields: BTreeMap<String, Value> = serde_json::from_value(fields).expect("an object");
    OpKind::SaveRecord(SaveRecord { entity, id, fields })
}

pub fn account(account_id: Uuid, login: &str, roles: Vec<Role>, staff: Option<Uuid>, hash: &str) -> [OpKind; 2] {
    [
        OpKind::SaveAccount(SaveAccount {
            account_id,
            login: login.into(),
            roles,
            staff_id: staff,
            student_id: None,
            parent_id: None,
            blocked: false,
        }),
        OpKind::SetPassword(SetPassword { account_id, password_hash: hash.into(), must_change: false }),
    ]
}

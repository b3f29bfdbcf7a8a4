//! The sync benchmark (docs/BENCHMARKS.md, «Sync»): the real `classbook-server`
//! binary on a loopback port, real journal files, real HTTP.
//!
//! Two parts, chosen with `CLASSBOOK_BENCH_PARTS` (default `full,load`):
//!
//! - `full`: the release `classbook` CLI against the server, each command a
//!   process of its own, timed from spawn to exit. PC A creates the default
//!   demo school (`classbook demo`), founds the school on a fresh server
//!   (`sync register`) and uploads it (`sync`); then, `CLASSBOOK_BENCH_RUNS`
//!   times (default 3), a new PC B with an empty journal registers and runs
//!   its first `sync`. Then `CLASSBOOK_BENCH_ROUNDS` rounds (default 5) of
//!   `simulate --entries 1000` on A, A's `sync` (push) and B's `sync` (pull).
//!   The CLI talks to the server through a counting TCP proxy in this process,
//!   which gives the bytes on the wire of every command. The server's peak
//!   RSS is read from /proc (VmHWM, reset before each command through
//!   `clear_refs`), the CLI's from `/usr/bin/time`. The CLI keeps the device
//!   token in the OS keyring: run this inside a D-Bus session with an unlocked
//!   Secret Service (scripts/bench-sync.sh does).
//! - `load`: a small demo school (`CLASSBOOK_BENCH_CLASSES`/`_STUDENTS`,
//!   default 4/80), one PC B synced from the server, then
//!   `CLASSBOOK_BENCH_DEVICES` copies of B's journal (default 200), each a
//!   new device (its `device_id` row deleted), registered, with
//!   `CLASSBOOK_BENCH_OPS` entries (default 100) simulated as various
//!   teachers; then all devices push at once (a tokio task and a connection
//!   each, no retries), each push timed. Checked afterwards: every verdict
//!   `Accepted`, B pulls exactly the pushed ops, and the server's op log holds
//!   each op once.
//!
//! Binaries: `CLASSBOOK_SERVER_BIN` and `CLASSBOOK_CLI_BIN`, by default next to
//! this example (`target/release/`). Files go to a new directory under
//! `CLASSBOOK_BENCH_DIR` (default /var/tmp), removed at the end unless
//! `CLASSBOOK_BENCH_KEEP=1`.

use classbook_core::Journal;
use classbook_core::demo::{DEMO_PASSWORD, DemoConfig};
use classbook_core::domain::model::Role;
use classbook_domain::op::Op;
use classbook_domain::sync::Verdict;
use classbook_sync::protocol::RegisterRequest;
use classbook_sync::{RetryPolicy, SyncClient, sync_round};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

// As the binaries: what ships is what is measured.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const ADMIN: &str = "admin";
/// Entries per incremental round.
const INCREMENT: u64 = 1000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn main() -> Result<()> {
    let parts = std::env::var("CLASSBOOK_BENCH_PARTS").unwrap_or_else(|_| "full,load".to_owned());
    let base = std::env::var_os("CLASSBOOK_BENCH_DIR").map_or_else(|| PathBuf::from("/var/tmp"), PathBuf::from);
    let dir = tempfile::Builder::new().prefix("classbook-sync-bench.").tempdir_in(&base)?;
    let bins = Bins::locate()?;
    println!("# sync benchmark in {}", dir.path().display());
    println!("# server {}, cli {}", bins.server.display(), bins.cli.display());
    println!("# load average at start: {}", loadavg());
    for part in parts.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "full" => full(&bins, &dir.path().join("full"))?,
            "load" => load(&bins, &dir.path().join("load"))?,
            other => return Err(format!("unknown part «{other}» (full, load)").into()),
        }
    }
    println!("# load average at end: {}", loadavg());
    if std::env::var("CLASSBOOK_BENCH_KEEP").is_ok_and(|v| v == "1") {
        println!("# kept {}", dir.keep().display());
    }
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

struct Bins {
    server: PathBuf,
    cli: PathBuf,
}

impl Bins {
    fn locate() -> Result<Bins> {
        let exe = std::env::current_exe()?;
        // target/release/examples/sync_bench → target/release/
        let release = exe.parent().and_then(Path::parent).ok_or("where is target/release?")?.to_owned();
        let pick = |var: &str, name: &str| -> Result<PathBuf> {
            let path = std::env::var_os(var).map_or_else(|| release.join(name), PathBuf::from);
            if !path.exists() {
                return Err(format!(
                    "{} not found: build it (cargo build --release -p classbook-server -p classbook-cli) or set {var}",
                    path.display()
                )
                .into());
            }
            Ok(path)
        };
        Ok(Bins {
            server: pick("CLASSBOOK_SERVER_BIN", "classbook-server")?,
            cli: pick("CLASSBOOK_CLI_BIN", "classbook")?,
        })
    }
}

// ---------------------------------------------------------------- the server

/// The real server binary, its stderr (the request log) in a file.
struct Server {
    child: Child,
    url: String,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    fn start(bins: &Bins, data: &Path) -> Result<Server> {
        std::fs::create_dir_all(data)?;
        let log = data.with_extension("log");
        let mut child = Command::new(&bins.server)
            .args(["--data", data.to_str().ok_or("path")?, "--listen", "127.0.0.1:0"])
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?)
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("stdout")?).read_line(&mut line)?;
        let url = line.trim().strip_prefix("listening on ").ok_or_else(|| format!("server said {line:?}"))?.to_owned();
        let addr: SocketAddr = url.trim_start_matches("http://").parse()?;
        Ok(Server { child, url, addr, log })
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Reset the peak RSS (VmHWM) to the current RSS.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").is_ok()
    }

    fn peak_mib(&self) -> f64 {
        self.status_kib("VmHWM:").unwrap_or(0) as f64 / 1024.0
    }

    fn rss_mib(&self) -> f64 {
        self.status_kib("VmRSS:").unwrap_or(0) as f64 / 1024.0
    }

    fn log_len(&self) -> u64 {
        std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0)
    }

    /// The handler latencies (ms, as the server's request log gives them)
    /// logged after byte `from` of the log, by path.
    fn handled_since(&self, from: u64) -> HashMap<String, Vec<f64>> {
        let mut text = Vec::new();
        if let Ok(mut file) = std::fs::File::open(&self.log) {
            use std::io::Seek;
            let _ = file.seek(std::io::SeekFrom::Start(from));
            let _ = file.read_to_end(&mut text);
        }
        let mut by_path: HashMap<String, Vec<f64>> = HashMap::new();
        for line in String::from_utf8_lossy(&text).lines() {
            let line = strip_ansi(line);
            if !line.contains("finished processing request") {
                continue;
            }
            let Some(uri) = line.split("uri=").nth(1) else { continue };
            let path = uri.split(['?', ' ', '}']).next().unwrap_or("").to_owned();
            let Some(latency) = line.split("latency=").nth(1) else { continue };
            let mut words = latency.split_whitespace();
            let (Some(value), unit) = (words.next().and_then(|v| v.parse::<f64>().ok()), words.next()) else {
                continue;
            };
            let ms = match unit {
                Some("s") => value * 1000.0,
                Some("μs") | Some("us") => value / 1000.0,
                Some("ns") => value / 1e6,
                _ => value,
            };
            by_path.entry(path).or_default().push(ms);
        }
        by_path
    }

    fn stop(mut self) -> Result<()> {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let started = Instant::now();
        while self.child.try_wait()?.is_none() {
            if started.elapsed() > Duration::from_secs(60) {
                self.child.kill()?;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------- the proxy

/// Bytes through the counting proxy, each direction, since the last reset.
#[derive(Default)]
struct Counts {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
    zstd: AtomicU64,
    gzip: AtomicU64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Wire {
    up: u64,
    down: u64,
    connections: u64,
    zstd: u64,
    gzip: u64,
}

impl Counts {
    fn take(&self) -> Wire {
        Wire {
            up: self.up.swap(0, Ordering::SeqCst),
            down: self.down.swap(0, Ordering::SeqCst),
            connections: self.connections.swap(0, Ordering::SeqCst),
            zstd: self.zstd.swap(0, Ordering::SeqCst),
            gzip: self.gzip.swap(0, Ordering::SeqCst),
        }
    }
}

/// A loopback TCP proxy in front of the server that counts what passes:
/// the HTTP requests and responses as sent, headers and compressed bodies.
fn start_proxy(upstream: SocketAddr) -> Result<(String, Arc<Counts>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    let counts = Arc::new(Counts::default());
    let shared = counts.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(upstream) else { continue };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            shared.connections.fetch_add(1, Ordering::SeqCst);
            let (c2, s2) = (client.try_clone().expect("clone"), server.try_clone().expect("clone"));
            let up = shared.clone();
            std::thread::spawn(move || pump(client, server, &up, false));
            let down = shared.clone();
            std::thread::spawn(move || pump(s2, c2, &down, true));
        }
    });
    Ok((url, counts))
}

fn pump(mut from: TcpStream, mut to: TcpStream, counts: &Counts, downstream: bool) {
    let mut buf = vec![0u8; 256 * 1024];
    // The tail of the previous read, so a header split across reads is seen.
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        if downstream {
            counts.down.fetch_add(n as u64, Ordering::SeqCst);
            let mut window = std::mem::take(&mut tail);
            window.extend_from_slice(&buf[..n]);
            counts.zstd.fetch_add(count(&window, b"content-encoding: zstd"), Ordering::SeqCst);
            counts.gzip.fetch_add(count(&window, b"content-encoding: gzip"), Ordering::SeqCst);
            let keep = window.len().min(21);
            tail = window[window.len() - keep..].to_vec();
        } else {
            counts.up.fetch_add(n as u64, Ordering::SeqCst);
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn count(haystack: &[u8], needle: &[u8]) -> u64 {
    haystack.windows(needle.len()).filter(|w| w.eq_ignore_ascii_case(needle)).count() as u64
}

// ---------------------------------------------------------------- the CLI

struct Run {
    wall: Duration,
    stdout: String,
    /// The CLI's peak RSS, from /usr/bin/time.
    rss_mib: Option<f64>,
}

fn cli(bins: &Bins, args: &[&str], stdin: Option<&str>) -> Result<Run> {
    let time = Path::new("/usr/bin/time");
    let rss_file = std::env::temp_dir().join(format!("classbook-bench-rss.{}", std::process::id()));
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o", rss_file.to_str().ok_or("path")?]).arg(&bins.cli);
        c
    } else {
        Command::new(&bins.cli)
    };
    command.args(args).stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn()?;
    if let Some(text) = stdin {
        child.stdin.take().ok_or("stdin")?.write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    let wall = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "classbook {} failed: {}\n{stdout}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let rss_mib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse::<f64>().ok()))
        .map(|kib| kib / 1024.0);
    let _ = std::fs::remove_file(&rss_file);
    Ok(Run { wall, stdout, rss_mib })
}

/// The number after `label` in the CLI's output.
fn number_after(text: &str, label: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(label))?;
    line[label.len()..].split_whitespace().next()?.parse().ok()
}

fn db_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn remove_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    pct(&v, 50.0)
}

fn sum_ms(handled: &HashMap<String, Vec<f64>>, path: &str) -> (usize, f64) {
    handled.get(path).map_or((0, 0.0), |v| (v.len(), v.iter().sum()))
}

/// One CLI sync measured: wall time, server handler time, bytes, peak RSS.
struct Measured {
    run: Run,
    wire: Wire,
    server_peak_mib: f64,
    handled: HashMap<String, Vec<f64>>,
}

fn measured_cli(bins: &Bins, server: &Server, counts: &Counts, args: &[&str]) -> Result<Measured> {
    counts.take();
    server.reset_peak();
    let from = server.log_len();
    let run = cli(bins, args, None)?;
    let wire = counts.take();
    // The log line of the last request may land a moment after the answer.
    std::thread::sleep(Duration::from_millis(100));
    Ok(Measured { run, wire, server_peak_mib: server.peak_mib(), handled: server.handled_since(from) })
}

fn describe(label: &str, m: &Measured, ops: u64) {
    let (pushes, push_ms) = sum_ms(&m.handled, "/api/v1/push");
    let (pulls, pull_ms) = sum_ms(&m.handled, "/api/v1/pull");
    println!(
        "{label}: {:.2} s wall, {ops} ops; server handlers: {pushes} pushes {:.2} s, {pulls} pulls {:.2} s; \
         wire up {:.2} MiB ({:.1} B/op), down {:.2} MiB ({:.1} B/op), {} connection(s), responses zstd {} gzip {}; \
         server peak RSS {:.0} MiB; cli peak RSS {}",
        m.run.wall.as_secs_f64(),
        push_ms / 1000.0,
        pull_ms / 1000.0,
        mib(m.wire.up),
        m.wire.up as f64 / ops.max(1) as f64,
        mib(m.wire.down),
        m.wire.down as f64 / ops.max(1) as f64,
        m.wire.connections,
        m.wire.zstd,
        m.wire.gzip,
        m.server_peak_mib,
        m.run.rss_mib.map_or_else(|| "?".to_owned(), |r| format!("{r:.0} MiB")),
    );
}

// ---------------------------------------------------------------- part «full»

fn full(bins: &Bins, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let runs = env_usize("CLASSBOOK_BENCH_RUNS", 3).max(1);
    let rounds = env_usize("CLASSBOOK_BENCH_ROUNDS", 5);
    let password = format!("{DEMO_PASSWORD}\n");
    println!(
        "\n## full: the default demo school through the CLI ({runs} first syncs of B, {rounds} incremental rounds)"
    );

    let a = dir.join("a.db");
    // The default demo school unless told otherwise (a quick trial run).
    let mut demo_args = vec!["--db".to_owned(), db_arg(&a), "demo".to_owned()];
    for (var, flag) in [("CLASSBOOK_BENCH_FULL_CLASSES", "--classes"), ("CLASSBOOK_BENCH_FULL_STUDENTS", "--students")]
    {
        if let Ok(value) = std::env::var(var) {
            demo_args.extend([flag.to_owned(), value]);
        }
    }
    let demo = cli(bins, &demo_args.iter().map(String::as_str).collect::<Vec<_>>(), None)?;
    let (ops, teachers) = {
        let journal = Journal::open(&a)?;
        let teachers: Vec<String> = journal
            .list_accounts()?
            .into_iter()
            .filter(|acc| acc.roles.contains(&Role::Teacher) && !acc.must_change_password)
            .map(|acc| acc.login)
            .collect();
        (journal.outbox_len()?, teachers)
    };
    println!(
        "demo (A): {:.2} s, {ops} ops, file {:.0} MiB",
        demo.wall.as_secs_f64(),
        mib(std::fs::metadata(&a)?.len())
    );

    let server = Server::start(bins, &dir.join("srv"))?;
    let (proxy, counts) = start_proxy(server.addr)?;
    println!(
        "server {} (pid {}), proxy {proxy}; server RSS at start {:.0} MiB",
        server.url,
        server.child.id(),
        server.rss_mib()
    );

    // Founding and the founding upload.
    let register = |db: &Path| -> Result<Run> {
        cli(
            bins,
            &[
                "--db",
                &db_arg(db),
                "sync",
                "register",
                "--server",
                &proxy,
                "--login",
                ADMIN,
                "--password-stdin",
                "--name",
                "bench",
            ],
            Some(&password),
        )
    };
    let founded = register(&a)?;
    println!("register A (founds the school): {:.2} s", founded.wall.as_secs_f64());
    let upload = measured_cli(bins, &server, &counts, &["--db", &db_arg(&a), "sync"])?;
    let pushed = number_after(&upload.run.stdout, "Отправлено:").unwrap_or(0);
    let rejected = number_after(&upload.run.stdout, "Отклонено сервером:").unwrap_or(0);
    describe("founding upload (A: sync)", &upload, pushed);
    println!("  pushed {pushed}, rejected {rejected}");
    let server_journal_mib = std::fs::read_dir(dir.join("srv").join("schools"))?
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum::<u64>();
    println!("  server's journals on disk: {:.0} MiB", mib(server_journal_mib));

    // First full syncs of a new PC.
    let mut walls = Vec::new();
    let mut b_last = None;
    for run in 1..=runs {
        let b = dir.join(format!("b{run}.db"));
        let reg = register(&b)?;
        let first = measured_cli(bins, &server, &counts, &["--db", &db_arg(&b), "sync"])?;
        let pulled = number_after(&first.run.stdout, "Получено с сервера:").unwrap_or(0);
        describe(&format!("first sync of B, run {run} (register {:.2} s)", reg.wall.as_secs_f64()), &first, pulled);
        walls.push(first.run.wall.as_secs_f64());
        if let Some(previous) = b_last.replace(b) {
            remove_journal(&previous);
        }
    }
    let mut sorted = walls.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "FIRST SYNC of B: median {:.2} s, min {:.2}, max {:.2} ({runs} runs)",
        median(&walls),
        sorted[0],
        sorted[sorted.len() - 1]
    );
    let b = b_last.ok_or("no B")?;
    if std::env::var("CLASSBOOK_BENCH_DIGEST").map_or(true, |v| v != "0") {
        let digest = |db: &Path| -> Result<String> {
            let stats = cli(bins, &["--db", &db_arg(db), "stats"], None)?;
            Ok(stats.stdout.lines().find(|l| l.starts_with("Отпечаток состояния:")).unwrap_or("?").to_owned())
        };
        let (da, db) = (digest(&a)?, digest(&b)?);
        println!("digest A {da}; B {db}; {}", if da == db { "equal" } else { "DIFFERENT" });
    }

    // Incremental rounds.
    let mut push_walls = Vec::new();
    let mut pull_walls = Vec::new();
    let mut teacher = 0;
    for round in 1..=rounds {
        // `simulate --entries N` makes N attempts, some of which the rules
        // refuse (on the demo's last day many lessons' finals are set): it
        // runs again for what is missing until 1 000 entries wait.
        let mut queued = 0;
        let mut calls = 0;
        let mut simulate_wall = 0.0;
        while queued < INCREMENT && calls < 30 {
            let login = teachers.get(teacher).ok_or("no teacher with lessons in the last two weeks")?;
            let missing = (INCREMENT - queued).to_string();
            let seed = (round * 100 + calls).to_string();
            calls += 1;
            match cli(
                bins,
                &["--db", &db_arg(&a), "simulate", "--as", login, "--entries", &missing, "--seed", &seed],
                None,
            ) {
                Ok(run) => {
                    simulate_wall += run.wall.as_secs_f64();
                    queued = number_after(&run.stdout, "Ожидают отправки на сервер:").unwrap_or(0);
                }
                Err(e) => {
                    println!("  simulate as {login}: {e}");
                    teacher += 1;
                }
            }
        }
        let simulated =
            format!("simulate as {}: {calls} calls, {simulate_wall:.2} s, {queued} queued", teachers[teacher]);
        let push = measured_cli(bins, &server, &counts, &["--db", &db_arg(&a), "sync"])?;
        let pushed = number_after(&push.run.stdout, "Отправлено:").unwrap_or(0);
        describe(&format!("round {round}: A sync (push; {simulated})"), &push, pushed);
        let pull = measured_cli(bins, &server, &counts, &["--db", &db_arg(&b), "sync"])?;
        let pulled = number_after(&pull.run.stdout, "Получено с сервера:").unwrap_or(0);
        describe(&format!("round {round}: B sync (pull)"), &pull, pulled);
        push_walls.push(push.run.wall.as_secs_f64());
        pull_walls.push(pull.run.wall.as_secs_f64());
    }
    if rounds > 0 {
        println!(
            "INCREMENTAL: push median {:.3} s (all: {}), pull median {:.3} s (all: {})",
            median(&push_walls),
            push_walls.iter().map(|w| format!("{w:.3}")).collect::<Vec<_>>().join(", "),
            median(&pull_walls),
            pull_walls.iter().map(|w| format!("{w:.3}")).collect::<Vec<_>>().join(", "),
        );
    }
    server.stop()?;
    Ok(())
}

// ---------------------------------------------------------------- part «load»

fn set_clock(journal: &mut Journal) -> Result<()> {
    if let Some(start) = journal.demo_clock_start()? {
        journal.set_fixed_now(Some(start));
    }
    Ok(())
}

fn load(bins: &Bins, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let devices = env_usize("CLASSBOOK_BENCH_DEVICES", 200).max(1);
    let per_device = env_usize("CLASSBOOK_BENCH_OPS", 100).max(1);
    let classes = env_usize("CLASSBOOK_BENCH_CLASSES", 4);
    let students = env_usize("CLASSBOOK_BENCH_STUDENTS", 80);
    println!("\n## load: {devices} devices × {per_device} ops, demo school of {classes} classes / {students} students");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let server = Server::start(bins, &dir.join("srv"))?;
    let client = || SyncClient::new(&server.url).map(|c| c.with_retry(RetryPolicy::none()));

    // PC C founds the school and uploads it.
    let started = Instant::now();
    let mut c = Journal::open(&dir.join("c.db"))?;
    let school = c.create_demo(&DemoConfig { classes, students, ..DemoConfig::default() }, |_, _| {})?;
    set_clock(&mut c)?;
    let admin_login =
        school.accounts.iter().find(|a| a.account_id == school.admin_account).ok_or("admin")?.login.clone();
    let admin = c.login(&admin_login, DEMO_PASSWORD)?;
    let school_id = c.ensure_school_id(&admin)?;
    let request = |device_id: Uuid, school_id: Option<Uuid>, name: String| RegisterRequest {
        school_id,
        school_name: None,
        login: admin_login.clone(),
        password: DEMO_PASSWORD.to_owned(),
        device_id,
        device_name: name,
    };
    let registered = runtime.block_on(client()?.register(&request(c.device(), Some(school_id), "C".into())))?;
    let c_ops = c.outbox_len()?;
    let c = Mutex::new(c);
    let report = runtime.block_on(sync_round(&client()?.with_token(registered.device_token), &c))?;
    drop(c);
    println!(
        "C: demo + upload of {c_ops} ops ({} pushed, {} rejected) in {:.2} s",
        report.pushed,
        report.rejected,
        started.elapsed().as_secs_f64()
    );

    // PC B pulls it.
    let b_path = dir.join("b.db");
    let mut b = Journal::open(&b_path)?;
    let b_reg = runtime.block_on(client()?.register(&request(b.device(), None, "B".into())))?;
    let b_client = client()?.with_token(b_reg.device_token);
    let b_lock = Mutex::new(b);
    let report = runtime.block_on(sync_round(&b_client, &b_lock))?;
    b = b_lock.into_inner().map_err(|_| "poisoned")?;
    set_clock(&mut b)?;
    let mut sessions = Vec::new();
    for account in b.list_accounts()? {
        // Every demo account has the demo password but one, which has a
        // start password to change: that one is left out.
        if account.roles.contains(&Role::Teacher) && !account.must_change_password {
            sessions.push(b.login(&account.login, DEMO_PASSWORD)?);
        }
    }
    drop(b);
    let b_size = std::fs::metadata(&b_path)?.len();
    println!("B: pulled {} ops; file {:.1} MiB; {} teachers", report.pulled, mib(b_size), sessions.len());

    // The devices: copies of B, each a new device with its own entries.
    let started = Instant::now();
    let mut prepared: Vec<(Uuid, String, Vec<Op>)> = Vec::with_capacity(devices);
    let (mut register_time, mut simulate_time) = (Duration::ZERO, Duration::ZERO);
    let mut teacher = 0usize;
    for i in 0..devices {
        let path = dir.join(format!("d{i}.db"));
        std::fs::copy(&b_path, &path)?;
        {
            let conn = rusqlite::Connection::open(&path)?;
            conn.execute("DELETE FROM local WHERE key IN ('device_id', 'pushed_seq', 'pull_cursor')", [])?;
        }
        let mut journal = Journal::open(&path)?;
        set_clock(&mut journal)?;
        let t = Instant::now();
        let answer =
            runtime.block_on(client()?.register(&request(journal.device(), Some(school_id), format!("D{i}"))))?;
        register_time += t.elapsed();
        let t = Instant::now();
        let mut seed = i as u64 * 1000;
        let mut misses = 0;
        while (journal.outbox_len()? as usize) < per_device {
            let session = &sessions[teacher % sessions.len()];
            let missing = per_device - journal.outbox_len()? as usize;
            match journal.simulate(session, missing, seed) {
                Ok(done) if done.entered() > 0 => {}
                Ok(_) | Err(classbook_core::JournalError::Invalid(_)) => {
                    // No lessons in the last two weeks: the next teacher.
                    teacher += 1;
                    misses += 1;
                    if misses > sessions.len() {
                        return Err("no teacher has lessons to simulate".into());
                    }
                }
                Err(e) => return Err(e.into()),
            }
            seed += 1;
        }
        simulate_time += t.elapsed();
        teacher += 1;
        let ops = journal.outbox(per_device)?;
        prepared.push((journal.device(), answer.device_token, ops));
        drop(journal);
        remove_journal(&path);
    }
    println!(
        "prepared {devices} devices in {:.1} s (registering {:.1} s, simulating {:.1} s)",
        started.elapsed().as_secs_f64(),
        register_time.as_secs_f64(),
        simulate_time.as_secs_f64()
    );
    let bodies: Vec<(usize, usize)> = prepared
        .iter()
        .map(|(_, _, ops)| {
            // What SyncClient::push sends: {"ops":[…]}, zstd level 3 above 4 KiB.
            let json = serde_json::to_vec(&serde_json::json!({ "ops": ops })).expect("json");
            let packed = zstd::bulk::compress(&json, 3).expect("zstd").len();
            (json.len(), packed)
        })
        .collect();
    let (json_total, packed_total): (usize, usize) = bodies.iter().fold((0, 0), |(a, b), (j, p)| (a + j, b + p));
    let total_ops = devices * per_device;
    println!(
        "push bodies: JSON {:.0} B/op, zstd {:.0} B/op ({:.1} KiB per push of {per_device})",
        json_total as f64 / total_ops as f64,
        packed_total as f64 / total_ops as f64,
        packed_total as f64 / devices as f64 / 1024.0
    );

    // All devices push at once.
    server.reset_peak();
    let from = server.log_len();
    let results = runtime.block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(devices));
        let mut tasks = Vec::with_capacity(devices);
        for (device, token, ops) in prepared.iter().cloned() {
            let client = SyncClient::new(&server.url).map(|c| c.with_retry(RetryPolicy::none()).with_token(token));
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                let client = client.map_err(|e| e.to_string())?;
                // The connection is up before the clock starts.
                client.health().await.map_err(|e| e.to_string())?;
                barrier.wait().await;
                let start = Instant::now();
                let answer = client.push(&ops).await;
                let end = Instant::now();
                Ok::<_, String>((device, start, end, answer.map_err(|e| e.to_string())))
            }));
        }
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.map_err(|e| e.to_string()).and_then(|r| r));
        }
        out
    });
    let mut latencies = Vec::new();
    let (mut errors, mut accepted, mut other_verdicts) = (0usize, 0usize, 0usize);
    let (mut first, mut last): (Option<Instant>, Option<Instant>) = (None, None);
    for result in &results {
        match result {
            Ok((_, start, end, Ok(answer))) => {
                latencies.push(end.duration_since(*start).as_secs_f64() * 1000.0);
                first = Some(first.map_or(*start, |f| f.min(*start)));
                last = Some(last.map_or(*end, |l| l.max(*end)));
                for v in &answer.verdicts {
                    if v.verdict == Verdict::Accepted { accepted += 1 } else { other_verdicts += 1 }
                }
                if answer.server_head != per_device as u64 {
                    other_verdicts += 1;
                }
            }
            Ok((_, _, _, Err(e))) | Err(e) => {
                errors += 1;
                if errors <= 3 {
                    println!("  push error: {e}");
                }
            }
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    let peak = server.peak_mib();
    let handled = server.handled_since(from);
    latencies.sort_by(f64::total_cmp);
    let wall = match (first, last) {
        (Some(f), Some(l)) => l.duration_since(f).as_secs_f64(),
        _ => f64::NAN,
    };
    let mut server_push: Vec<f64> = handled.get("/api/v1/push").cloned().unwrap_or_default();
    server_push.sort_by(f64::total_cmp);
    println!(
        "LOAD: {devices} pushes of {per_device}: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms, min {:.0} ms; \
         all done in {wall:.2} s = {:.0} ops/s; errors {errors}; verdicts accepted {accepted}, other {other_verdicts}; \
         server peak RSS {peak:.0} MiB",
        pct(&latencies, 50.0),
        pct(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN),
        latencies.first().copied().unwrap_or(f64::NAN),
        total_ops as f64 / wall,
    );
    println!(
        "  server handler time per push (its log, includes waiting for the school's journal): p50 {:.0} ms, p99 {:.0} ms, sum {:.2} s over {} pushes",
        pct(&server_push, 50.0),
        pct(&server_push, 99.0),
        server_push.iter().sum::<f64>() / 1000.0,
        server_push.len()
    );

    // Every op once: B pulls exactly what was pushed, and the server's log agrees.
    let b = Mutex::new(Journal::open(&b_path)?);
    let t = Instant::now();
    let report = runtime.block_on(sync_round(&b_client, &b))?;
    println!(
        "B pulled {} ops after the load in {:.2} s (expected {total_ops})",
        report.pulled,
        t.elapsed().as_secs_f64()
    );
    drop(b);
    server.stop()?;
    let journal_file = dir.join("srv").join("schools").join(format!("{school_id}.journal"));
    let conn = rusqlite::Connection::open_with_flags(&journal_file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (total, distinct): (i64, i64) =
        conn.query_row("SELECT COUNT(*), COUNT(DISTINCT id) FROM op", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut whole = 0;
    let mut stmt = conn.prepare(
        "SELECT COUNT(*), COUNT(DISTINCT device_seq), MIN(device_seq), MAX(device_seq), SUM(voided) FROM op WHERE device = ?1",
    )?;
    for (device, _, _) in &prepared {
        let (n, d, lo, hi, voided): (i64, i64, i64, i64, i64) =
            stmt.query_row([device.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        if n == per_device as i64 && d == n && lo == 1 && hi == n && voided == 0 {
            whole += 1;
        }
    }
    println!(
        "server op log: {total} ops, {distinct} distinct ids ({}); {whole} of {devices} devices with exactly their {per_device} ops, none voided",
        if total == distinct { "each once" } else { "DUPLICATES" }
    );
    Ok(())
}

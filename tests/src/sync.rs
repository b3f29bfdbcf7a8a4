//! Helpers of the sync fault tests, all real: a session D-Bus with
//! gnome-keyring's Secret Service for the device tokens ([`Keyring`]), the
//! real `classbook-server` binary on a data folder that outlives its
//! process ([`Server`]), school PCs as `classbook --db …` runs with that
//! keyring's environment ([`Pc`]), a loopback HTTP proxy that can swallow
//! the server's answers ([`Proxy`]), and read-only looks into the server's
//! files ([`ServerJournal`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "demo2025";
/// Where a PC's own ops end and ops from elsewhere begin in its `op` table.
pub const FOREIGN_SEQ_BASE: i64 = 1 << 32;
/// How long a helper waits for a process to come up before it gives up
/// (a deadline against hanging, never a measurement).
const START_DEADLINE: Duration = Duration::from_secs(30);

/// Both binaries of this workspace the sync tests run, built once per test
/// process in one cargo call (a no-op when they are up to date).
fn binaries() -> &'static (PathBuf, PathBuf) {
    static BINS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BINS.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "classbook-cli", "--bin", "classbook"])
            .args(["-p", "classbook-server", "--bin", "classbook-server"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the classbook CLI and server failed");
        // target/debug/deps/<test> → target/debug/<bin>
        let exe = std::env::current_exe().expect("test executable path");
        let dir = exe.parent().and_then(|d| d.parent()).expect("target profile dir");
        let bin = |name: &str| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        (bin("classbook"), bin("classbook-server"))
    })
}

pub fn cli_bin() -> &'static Path {
    &binaries().0
}

pub fn server_bin() -> &'static Path {
    &binaries().1
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn signal(pid: u32, name: &str) {
    // `kill(1)` rather than a libc binding: the tests depend on nothing extra.
    let status = Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().expect("kill runs");
    assert!(status.success(), "kill -{name} {pid} failed");
}

// ---------------------------------------------------------------------------
// Keyring

/// A private session bus with gnome-keyring's Secret Service on it, unlocked,
/// in a temp home. Every CLI process of a test gets [`Keyring::env`]; both
/// daemons are killed when the guard drops (on panic too).
pub struct Keyring {
    dir: tempfile::TempDir,
    dbus: Child,
    keyring: Option<Child>,
    env: Vec<(String, String)>,
    _dbus_stdout: BufReader<ChildStdout>,
}

fn missing_tool(tool: &str, e: std::io::Error) -> ! {
    panic!(
        "{tool} does not start ({e}): the sync tests need the Debian packages dbus and gnome-keyring \
         (scripts/lib.sh installs them)"
    )
}

impl Keyring {
    pub fn start() -> Keyring {
        let dir = tempfile::Builder::new().prefix("classbook-keyring").tempdir().expect("temp dir");
        let (home, data, config, cache, runtime) = (
            dir.path().join("home"),
            dir.path().join("data"),
            dir.path().join("config"),
            dir.path().join("cache"),
            dir.path().join("run"),
        );
        for d in [&home, &data, &config, &cache, &runtime] {
            std::fs::create_dir_all(d).expect("keyring dirs");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).expect("chmod 0700");
        }
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| missing_tool("dbus-daemon", e));
        let mut dbus_stdout = BufReader::new(dbus.stdout.take().expect("piped"));
        let mut address = String::new();
        dbus_stdout.read_line(&mut address).expect("dbus-daemon prints its address");
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let env: Vec<(String, String)> = [
            ("DBUS_SESSION_BUS_ADDRESS", address),
            ("HOME", home.display().to_string()),
            ("XDG_DATA_HOME", data.display().to_string()),
            ("XDG_CONFIG_HOME", config.display().to_string()),
            ("XDG_CACHE_HOME", cache.display().to_string()),
            ("XDG_RUNTIME_DIR", runtime.display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let mut guard = Keyring { dir, dbus, keyring: None, env, _dbus_stdout: dbus_stdout };
        let mut keyring = Command::new("gnome-keyring-daemon");
        keyring
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        guard.apply(&mut keyring);
        let mut keyring = keyring.spawn().unwrap_or_else(|e| missing_tool("gnome-keyring-daemon", e));
        {
            let mut stdin = keyring.stdin.take().expect("piped");
            stdin.write_all(b"keyring-of-the-test").expect("password to gnome-keyring-daemon");
        }
        guard.keyring = Some(keyring);
        guard.wait_ready();
        guard
    }

    /// Wait until the daemon owns the Secret Service name (asked without
    /// activating anything) and has its default collection.
    fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            let owned = self.dbus_send(&[
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ]);
            if owned.contains("boolean true") {
                let alias = self.dbus_send(&[
                    "--dest=org.freedesktop.secrets",
                    "/org/freedesktop/secrets",
                    "org.freedesktop.Secret.Service.ReadAlias",
                    "string:default",
                ]);
                if alias.contains("object path \"/org/freedesktop/secrets/collection/") {
                    return;
                }
            }
            if let Some(status) = self.keyring.as_mut().and_then(|k| k.try_wait().expect("wait")) {
                panic!("gnome-keyring-daemon exited at start: {status}");
            }
            assert!(started.elapsed() < START_DEADLINE, "gnome-keyring-daemon did not come up on the test's bus");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn dbus_send(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("dbus-send");
        cmd.args(["--session", "--print-reply"]).args(args);
        self.apply(&mut cmd);
        let out = cmd.output().unwrap_or_else(|e| missing_tool("dbus-send", e));
        text(&out.stdout)
    }

    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    pub fn apply(&self, cmd: &mut Command) {
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        if let Some(mut keyring) = self.keyring.take() {
            let _ = keyring.kill();
            let _ = keyring.wait();
        }
        let _ = self.dbus.kill();
        let _ = self.dbus.wait();
    }
}

// ---------------------------------------------------------------------------
// Server

/// The real `classbook-server` on a data folder that outlives its process:
/// stop it, kill it, start it again on the same folder and port.
pub struct Server {
    data: PathBuf,
    log: PathBuf,
    port: u16,
    child: Option<Child>,
    _stdout: Option<BufReader<ChildStdout>>,
}

impl Server {
    /// Start on `data` on a free port of 127.0.0.1.
    pub fn start(data: &Path) -> Server {
        std::fs::create_dir_all(data).expect("server data dir");
        let log = data.with_extension("log");
        let mut server = Server { data: data.to_owned(), log, port: 0, child: None, _stdout: None };
        server.spawn(0).unwrap_or_else(|e| panic!("{e}"));
        server
    }

    fn spawn(&mut self, port: u16) -> Result<(), String> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("server log");
        let mut child = Command::new(server_bin())
            .arg("--data")
            .arg(&self.data)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("classbook-server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("server stdout");
        let Some(address) = line.trim().strip_prefix("listening on http://") else {
            let status = child.wait().expect("wait");
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            return Err(format!("classbook-server did not start ({status}): «{line}»\n{log}"));
        };
        self.port = address.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port in the address");
        self.child = Some(child);
        self._stdout = Some(stdout);
        Ok(())
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn data(&self) -> &Path {
        &self.data
    }

    /// What the server wrote to stderr so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGTERM: the server finishes the requests in flight and exits.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(child.id(), "TERM");
            let status = child.wait().expect("wait for the server");
            assert!(status.success(), "classbook-server stopped with {status}:\n{}", self.log());
        }
        self._stdout = None;
    }

    /// SIGKILL: gone at once, mid-transaction or not.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self._stdout = None;
    }

    /// Start again on the same data folder and port (the PCs keep its
    /// address); the port is retried while the old socket lets go.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "restart of a running server");
        let started = Instant::now();
        loop {
            match self.spawn(self.port) {
                Ok(()) => return,
                Err(e) if started.elapsed() > START_DEADLINE => panic!("{e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// The school journal file (the data folder holds one school here).
    pub fn journal_path(&self) -> PathBuf {
        let schools: Vec<PathBuf> = std::fs::read_dir(self.data.join("schools"))
            .expect("schools dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "journal"))
            .collect();
        assert_eq!(schools.len(), 1, "one school journal on the server: {schools:?}");
        schools.into_iter().next().unwrap()
    }

    /// The school's journal on the server, read-only (the server may run).
    pub fn journal(&self) -> ServerJournal {
        ServerJournal::open(&self.journal_path())
    }

    /// The server's registry (`server.db`), read-only.
    pub fn registry(&self) -> rusqlite::Connection {
        read_only(&self.data.join("server.db"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn read_only(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap_or_else(|e| panic!("open {} read-only: {e}", path.display()));
    conn.busy_timeout(Duration::from_secs(30)).expect("busy timeout");
    conn
}

/// An op as a chain place: (device, device_seq, id).
pub type ChainOp = (String, i64, String);

/// The op log of a journal file, read-only, as the checks need it.
pub struct ServerJournal {
    pub conn: rusqlite::Connection,
}

impl ServerJournal {
    pub fn open(path: &Path) -> ServerJournal {
        ServerJournal { conn: read_only(path) }
    }

    /// (ops, distinct op ids).
    pub fn op_count(&self) -> (i64, i64) {
        self.conn
            .query_row("SELECT COUNT(*), COUNT(DISTINCT id) FROM op", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("count ops")
    }

    /// Per device: (ops, highest device_seq, distinct device_seq).
    pub fn chains(&self) -> BTreeMap<String, (i64, i64, i64)> {
        let mut stmt = self
            .conn
            .prepare("SELECT device, COUNT(*), MAX(device_seq), COUNT(DISTINCT device_seq) FROM op GROUP BY device")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Every op of `device`, in chain order.
    pub fn chain_of(&self, device: &str) -> Vec<ChainOp> {
        let mut stmt =
            self.conn.prepare("SELECT device, device_seq, id FROM op WHERE device = ?1 ORDER BY device_seq").unwrap();
        stmt.query_map([device], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }
}

// ---------------------------------------------------------------------------
// PC

/// What one `classbook sync` round printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub pushed: u64,
    pub rejected: u64,
    pub pulled: u64,
    pub queued: u64,
}

/// One school PC: its journal file and the environment of its `classbook`
/// runs (the test's keyring, and e.g. a skewed clock).
#[derive(Clone)]
pub struct Pc {
    pub name: String,
    pub db: PathBuf,
    env: Vec<(String, String)>,
}

pub fn field(text: &str, label: &str) -> Option<String> {
    text.lines().find_map(|l| l.trim().strip_prefix(label)).map(|v| v.trim().to_owned())
}

fn number(text: &str, label: &str) -> u64 {
    field(text, label)
        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| panic!("no «{label}» in:\n{text}"))
}

impl Pc {
    pub fn new(name: &str, db: PathBuf, keyring: &Keyring) -> Pc {
        Pc { name: name.to_owned(), db, env: keyring.env().to_vec() }
    }

    /// The same PC with one more environment variable on every run.
    pub fn with_env(mut self, key: &str, value: &str) -> Pc {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(cli_bin());
        cmd.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("CLASSBOOK_ADMIN_PASSWORD")
            .env_remove("CLASSBOOK_PASSWORD")
            .env_remove("CLASSBOOK_DB")
            .env_remove("CLASSBOOK_CLOCK_SKEW_SECONDS")
            .env("RUST_LOG", "error")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("classbook runs")
    }

    /// Run, insist on success, give stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: classbook {args:?} failed ({}):\n{}{}",
            self.name,
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    pub fn demo(&self) {
        self.ok(&["demo", "--classes", "4", "--students", "80"]);
    }

    pub fn register(&self, server: &str, login: &str, password: &str) -> Output {
        let mut child = self
            .command(&[
                "sync",
                "register",
                "--server",
                server,
                "--login",
                login,
                "--password-stdin",
                "--name",
                &self.name,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("classbook runs");
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().expect("classbook runs")
    }

    pub fn register_ok(&self, server: &str) -> String {
        let out = self.register(server, "admin", DEMO_PASSWORD);
        assert!(out.status.success(), "{}: register failed:\n{}{}", self.name, text(&out.stdout), text(&out.stderr));
        text(&out.stdout)
    }

    pub fn sync(&self) -> Output {
        self.run(&["sync"])
    }

    pub fn sync_ok(&self) -> Round {
        let out = self.sync();
        assert!(out.status.success(), "{}: sync failed:\n{}{}", self.name, text(&out.stdout), text(&out.stderr));
        let text = text(&out.stdout);
        Round {
            pushed: number(&text, "Отправлено:"),
            rejected: number(&text, "Отклонено сервером:"),
            pulled: number(&text, "Получено с сервера:"),
            queued: number(&text, "Ожидают отправки:"),
        }
    }

    /// `classbook sync` as a child process (to be killed mid-round).
    pub fn spawn_sync(&self) -> Child {
        self.command(&["sync"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("classbook runs")
    }

    pub fn status(&self) -> String {
        self.ok(&["sync", "status"])
    }

    /// Entries waiting to be sent, as `sync status` shows them.
    pub fn queued(&self) -> u64 {
        number(&self.status(), "Ожидают отправки:")
    }

    pub fn device(&self) -> String {
        field(&self.status(), "Устройство:").expect("a device id")
    }

    /// The state digest `stats` prints, which also re-walks every chain and
    /// checks the file: insisted to be intact.
    pub fn stats_digest(&self) -> String {
        let text = self.ok(&["stats"]);
        assert!(text.contains("Проверка целостности: в порядке"), "{}: {text}", self.name);
        field(&text, "Отпечаток состояния:").expect("a digest")
    }

    /// The same digest read through classbook-core, without the integrity
    /// walk (seconds cheaper on a school's journal); no CLI may be writing.
    pub fn digest(&self) -> String {
        let journal = classbook_core::Journal::open(&self.db).expect("the journal opens");
        journal.digest().expect("digest")
    }

    /// Simulate `entries` entries of `teacher`; how many were made.
    pub fn simulate(&self, teacher: &str, entries: usize, seed: u64) -> u64 {
        let text =
            self.ok(&["simulate", "--as", teacher, "--entries", &entries.to_string(), "--seed", &seed.to_string()]);
        number(&text, "Смоделировано записей:")
    }

    /// Teachers who can log in with the demo password at once (no start password).
    pub fn teachers(&self) -> Vec<String> {
        self.ok(&["users", "list"])
            .lines()
            .filter(|l| l.contains("учитель") && !l.contains("стартовый пароль") && !l.contains("заблокирована"))
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect()
    }

    /// This PC's own chain, read from its file (no CLI may be writing).
    pub fn own_chain(&self) -> Vec<ChainOp> {
        let conn = read_only(&self.db);
        let mut stmt = conn.prepare("SELECT device, device_seq, id FROM op WHERE seq < ?1 ORDER BY seq").unwrap();
        stmt.query_map([FOREIGN_SEQ_BASE], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }
}

pub fn stdout(out: &Output) -> String {
    text(&out.stdout)
}

pub fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

/// Every op of every PC's chain is on the server exactly once, and the
/// server holds nothing else: its op count is the sum of the chains' heads,
/// no op id occurs twice, and each device's chain is 1..=head without gaps.
pub fn assert_server_holds_exactly(server: &ServerJournal, pcs: &[&Pc]) {
    let (ops, distinct) = server.op_count();
    assert_eq!(ops, distinct, "an op id occurs more than once on the server");
    let chains = server.chains();
    let mut expected_total = 0;
    let mut devices = 0;
    for pc in pcs {
        let own = pc.own_chain();
        let device = pc.device();
        let head = own.len() as i64;
        for (i, (d, seq, _)) in own.iter().enumerate() {
            assert_eq!(d, &device, "{}: a foreign op below 2^32", pc.name);
            assert_eq!(*seq, i as i64 + 1, "{}: its own chain has a gap", pc.name);
        }
        let on_server = chains.get(&device).copied();
        if head == 0 {
            assert_eq!(on_server, None, "{}: made no entries, yet the server has ops of it", pc.name);
            continue;
        }
        devices += 1;
        assert_eq!(
            on_server,
            Some((head, head, head)),
            "{}: (ops, max seq, distinct seqs) of its chain on the server",
            pc.name
        );
        assert!(server.chain_of(&device) == own, "{}: the server's copy of its chain differs", pc.name);
        expected_total += head;
    }
    assert_eq!(chains.len(), devices, "devices on the server: {:?}", chains.keys());
    assert_eq!(ops, expected_total, "ops on the server = the sum of the PCs' chain heads");
}

// ---------------------------------------------------------------------------
// Proxy

/// Which of the proxied push requests get their answer swallowed: the
/// server handles them (and commits), the client hears nothing but a closed
/// connection.
#[derive(Default)]
struct DropPlan {
    pushes_seen: usize,
    drop: BTreeSet<usize>,
    dropped: usize,
}

/// A loopback HTTP/1.1 proxy in front of the server, on a port of its own
/// that stays put while the server behind it restarts (possibly elsewhere).
pub struct Proxy {
    port: u16,
    upstream: Arc<AtomicU16>,
    plan: Arc<Mutex<DropPlan>>,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    pub fn start(upstream_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy binds");
        let port = listener.local_addr().unwrap().port();
        let upstream = Arc::new(AtomicU16::new(upstream_port));
        let plan = Arc::new(Mutex::new(DropPlan::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (upstream, plan, stop) = (upstream.clone(), plan.clone(), stop.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let (upstream, plan) = (upstream.clone(), plan.clone());
                    std::thread::spawn(move || {
                        let _ = relay(client, &upstream, &plan);
                    });
                }
            })
        };
        Proxy { port, upstream, plan, stop, accept: Some(accept) }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set_upstream(&self, port: u16) {
        self.upstream.store(port, Ordering::SeqCst);
    }

    /// Swallow the answers of the next `n` push requests.
    pub fn drop_next_pushes(&self, n: usize) {
        let mut plan = self.plan.lock().unwrap();
        let from = plan.pushes_seen;
        plan.drop.extend(from..from + n);
    }

    /// Swallow the answers of these push requests (0 = the first push the
    /// proxy ever sees).
    pub fn drop_pushes(&self, which: impl IntoIterator<Item = usize>) {
        self.plan.lock().unwrap().drop.extend(which);
    }

    /// Forget the pushes still planned to be dropped.
    pub fn drop_none(&self) {
        self.plan.lock().unwrap().drop.clear();
    }

    /// Answers still to be swallowed.
    pub fn planned(&self) -> usize {
        self.plan.lock().unwrap().drop.len()
    }

    /// (push requests seen, answers swallowed).
    pub fn pushes(&self) -> (usize, usize) {
        let plan = self.plan.lock().unwrap();
        (plan.pushes_seen, plan.dropped)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// An HTTP message head as read: the raw bytes, the start line and headers.
struct Head {
    raw: Vec<u8>,
    start: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn chunked(&self) -> bool {
        self.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    }

    fn length(&self) -> Option<usize> {
        self.header("content-length").and_then(|v| v.trim().parse().ok())
    }

    fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// The next message head, or `None` at a clean end of the stream.
fn read_head(r: &mut impl BufRead) -> std::io::Result<Option<Head>> {
    let mut raw = Vec::new();
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line)? == 0 {
            return if raw.is_empty() { Ok(None) } else { Err(std::io::ErrorKind::UnexpectedEof.into()) };
        }
        raw.extend_from_slice(&line);
        let line = String::from_utf8_lossy(&line).trim_end().to_owned();
        if line.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        lines.push(line);
    }
    let start = lines.remove(0);
    let headers = lines
        .into_iter()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect();
    Ok(Some(Head { raw, start, headers }))
}

/// A message body, raw as framed (Content-Length, chunked, or up to the end
/// of the stream when `to_eof`); appended to `out`.
fn read_body(r: &mut impl BufRead, head: &Head, to_eof: bool, out: &mut Vec<u8>) -> std::io::Result<()> {
    if head.chunked() {
        loop {
            let mut line = Vec::new();
            if r.read_until(b'\n', &mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            out.extend_from_slice(&line);
            let size_text = String::from_utf8_lossy(&line);
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailers up to an empty line.
                loop {
                    let mut line = Vec::new();
                    if r.read_until(b'\n', &mut line)? == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    out.extend_from_slice(&line);
                    if line == b"\r\n" || line == b"\n" {
                        return Ok(());
                    }
                }
            }
            let mut chunk = vec![0; size + 2];
            r.read_exact(&mut chunk)?;
            out.extend_from_slice(&chunk);
        }
    } else if let Some(len) = head.length() {
        let mut body = vec![0; len];
        r.read_exact(&mut body)?;
        out.extend_from_slice(&body);
        Ok(())
    } else if to_eof {
        r.read_to_end(out)?;
        Ok(())
    } else {
        Ok(())
    }
}

/// Relay one client connection, request by request, over one upstream
/// connection; swallow the answers the plan says.
fn relay(client: TcpStream, upstream_port: &AtomicU16, plan: &Mutex<DropPlan>) -> std::io::Result<()> {
    let mut from_client = BufReader::new(client.try_clone()?);
    let mut to_client = client;
    let mut upstream: Option<(BufReader<TcpStream>, TcpStream)> = None;
    while let Some(request) = read_head(&mut from_client)? {
        let mut message = request.raw.clone();
        read_body(&mut from_client, &request, false, &mut message)?;
        let is_push = {
            let mut parts = request.start.split_whitespace();
            parts.next() == Some("POST") && parts.next().is_some_and(|p| p.starts_with("/api/v1/push"))
        };
        if upstream.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", upstream_port.load(Ordering::SeqCst)))?;
            upstream = Some((BufReader::new(stream.try_clone()?), stream));
        }
        let (from_server, to_server) = upstream.as_mut().unwrap();
        to_server.write_all(&message)?;
        let Some(response) = read_head(from_server)? else {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        };
        let mut answer = response.raw.clone();
        let status: u16 = response.start.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let bodyless = (100..200).contains(&status) || status == 204 || status == 304;
        let to_eof = !bodyless && !response.chunked() && response.length().is_none();
        if !bodyless {
            read_body(from_server, &response, to_eof, &mut answer)?;
        }
        if is_push {
            let mut plan = plan.lock().unwrap();
            let index = plan.pushes_seen;
            plan.pushes_seen += 1;
            if plan.drop.remove(&index) {
                plan.dropped += 1;
                // The server has answered (and committed); the client hears
                // only the connection closing.
                let _ = to_client.shutdown(Shutdown::Both);
                let _ = to_server.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        to_client.write_all(&answer)?;
        if to_eof || response.closes() || request.closes() {
            let _ = to_client.shutdown(Shutdown::Both);
            return Ok(());
        }
    }
    Ok(())
}

//! Runs the real desktop app under WebDriver: an X server (Xvfb, unless a
//! display is already there), tauri-driver in front of Debian's
//! WebKitWebDriver, and a fantoccini client. A missing piece fails the test
//! loudly with what to install; nothing is skipped.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A display for the app's window: the caller's, or a private Xvfb.
pub struct Display {
    pub name: String,
    xvfb: Option<Child>,
}

/// The private Xvfb's screen, the size of the app's window (tauri.conf.json):
/// with no window manager the window fills it, so the screen is the window.
const SCREEN: &str = "1366x768x24";

impl Display {
    pub fn get() -> Display {
        if let Some(name) = std::env::var_os("DISPLAY").filter(|d| !d.is_empty()) {
            return Display { name: name.to_string_lossy().into_owned(), xvfb: None };
        }
        // -displayfd picks a free display number and prints it when ready.
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", SCREEN, "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb not found: install the Debian package xvfb (scripts/test.sh does)");
        let mut out = xvfb.stdout.take().expect("Xvfb stdout");
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while std::io::Read::read(&mut out, &mut byte).expect("read Xvfb display") == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        assert!(!number.is_empty(), "Xvfb did not start");
        Display { name: format!(":{number}"), xvfb: Some(xvfb) }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(xvfb) = &mut self.xvfb {
            let _ = xvfb.kill();
            let _ = xvfb.wait();
        }
    }
}

/// Two free ports, distinct: both are held while the second is picked (one
/// after the other, the system now and then handed out the same port twice,
/// and tauri-driver and WebKitWebDriver then fought over it).
fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").unwrap();
    let second = TcpListener::bind("127.0.0.1:0").unwrap();
    (first.local_addr().unwrap().port(), second.local_addr().unwrap().port())
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("CLASSBOOK_TAURI_DRIVER") {
        return path.into();
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain(std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin")))
        .map(|dir| dir.join("tauri-driver"))
        .find(|p| p.is_file());
    on_path.expect("tauri-driver not found: cargo install tauri-driver --version '^2' --locked (scripts/test.sh does)")
}

/// The desktop binary: `CLASSBOOK_DESKTOP_BIN` (the benchmark's release
/// build), else the one cargo built for these tests.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CLASSBOOK_DESKTOP_BIN") {
        return path.into();
    }
    match option_env!("CARGO_BIN_EXE_classbook-desktop") {
        Some(path) => path.into(),
        None => panic!("set CLASSBOOK_DESKTOP_BIN to the classbook-desktop binary to drive"),
    }
}

/// One run of the app: tauri-driver, the app it starts, and a WebDriver session.
pub struct App {
    pub client: Client,
    driver: Child,
    /// The private Xvfb the window is on; None on the caller's display.
    xvfb_display: Option<String>,
}

impl App {
    /// Starts the app on `journal` with extra environment variables.
    pub async fn start(display: &Display, journal: &Path, env: &[(&str, &str)]) -> App {
        assert!(
            Path::new("/usr/bin/WebKitWebDriver").exists(),
            "/usr/bin/WebKitWebDriver not found: install the Debian package webkit2gtk-driver (scripts/test.sh does)"
        );
        let (port, native_port) = free_ports();
        let mut command = Command::new(tauri_driver());
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display.name)
            .env("CLASSBOOK_DB", journal)
            .env_remove("CLASSBOOK_LOCK_SECONDS")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group: stopping it stops WebKitWebDriver and the app too.
            .process_group(0);
        for (key, value) in env {
            command.env(key, value);
        }
        let mut driver = command.spawn().expect("start tauri-driver");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > TIMEOUT {
                stop_group(&mut driver);
                panic!("tauri-driver did not listen on port {port}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert("tauri:options".into(), serde_json::json!({ "application": app_binary() }));
        // tauri-driver now and then drops the session request of an app
        // started right after another one closed (hyper: IncompleteMessage,
        // seen once in about ten runs of the restart test); a second request
        // gets the session. Anything else, or a third failure, fails the test.
        let mut attempt = 1;
        let client = loop {
            let connected = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match connected {
                Ok(client) => break client,
                Err(e) if attempt < 3 && format!("{e:?}").contains("IncompleteMessage") => {
                    eprintln!("e2e: tauri-driver dropped the session request ({e:?}); asking again");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    // No App owns the driver yet: its group goes now, not with the test process.
                    stop_group(&mut driver);
                    panic!("WebDriver session with the app: {e:?}");
                }
            }
        };
        App { client, driver, xvfb_display: display.xvfb.as_ref().map(|_| display.name.clone()) }
    }

    /// Ends the WebDriver session, which closes the app, then stops the driver.
    pub async fn stop(self) {
        let _ = tokio::time::timeout(TIMEOUT, self.client.clone().close()).await;
    }

    pub async fn find(&self, css: &str) -> Element {
        eprintln!("e2e: find {css}");
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css} within {TIMEOUT:?}: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// Waits until the element's text satisfies `ok`; returns the text.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.wait_text_within(css, what, TIMEOUT, ok).await
    }

    /// `wait_text` for work that may take longer than `TIMEOUT` (a school's
    /// first upload to its server in a debug build): a deadline, not a measurement.
    pub async fn wait_text_within(
        &self,
        css: &str,
        what: &str,
        deadline: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> String {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
                && ok(&text)
            {
                return text;
            }
            if started.elapsed() > deadline {
                let now = self.client.find(Locator::Css(css)).await.ok();
                let now = match now {
                    Some(e) => e.text().await.unwrap_or_default(),
                    None => "(no element)".into(),
                };
                panic!("{css} never showed {what} within {deadline:?}; it shows «{now}»");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets a date input. WebKitWebDriver types into `<input type="date">`
    /// field by field in the system locale's order, so the value is set the
    /// way the date picker sets it: the value, then an `input` event.
    pub async fn set_date(&self, css: &str, date: chrono::NaiveDate) {
        self.set_value(css, &date.to_string()).await;
    }

    /// Sets a field that typing cannot fill the same way everywhere (a time
    /// input) as the page's script would, with its input and change events.
    pub async fn set_value(&self, css: &str, value: &str) {
        eprintln!("e2e: set {css} = {value}");
        self.find(css).await;
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1];
                 e.dispatchEvent(new Event('input', { bubbles: true }));
                 e.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![serde_json::json!(css), serde_json::json!(value)],
            )
            .await
            .unwrap_or_else(|e| panic!("set {css}: {e}"));
    }

    /// Chooses the option with this text in a `<select>`.
    pub async fn choose(&self, css: &str, label: &str) {
        eprintln!("e2e: choose {label:?} in {css}");
        self.find(css).await.select_by_label(label).await.unwrap_or_else(|e| panic!("choose {label:?} in {css}: {e}"));
    }

    /// Types into a field (clearing what it held).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Types into the focused element, as a person at the keyboard would.
    pub async fn keys(&self, text: &str) {
        eprintln!("e2e: keys {text:?}");
        let focused = self.client.active_element().await.expect("a focused element");
        focused.send_keys(text).await.unwrap_or_else(|e| panic!("type {text:?}: {e}"));
    }

    pub async fn login(&self, login: &str, password: &str) {
        self.find("#login").await.send_keys(login).await.unwrap();
        self.find("#password").await.send_keys(password).await.unwrap();
        self.click("#login-submit").await;
    }

    /// Saves a picture of the window as docs/screenshots/NAME.png.
    ///
    /// WebDriver's own screenshot never answers under Xvfb once a user is
    /// logged in (the session then blocks for good), so the picture is taken
    /// from the X server instead: `xwd` dumps the private Xvfb's screen, which
    /// the window fills exactly, and netpbm turns it into a PNG. A capture
    /// that fails or takes too long fails the test with what went wrong. On
    /// the caller's own display (DISPLAY set) nothing is captured: that would
    /// picture their desktop, not the window.
    pub async fn screenshot(&self, name: &str) {
        let Some(display) = &self.xvfb_display else {
            return eprintln!("e2e: screenshot {name} skipped: only taken on the tests' own Xvfb (DISPLAY is set)");
        };
        eprintln!("e2e: screenshot {name}");
        // Let the last change reach the screen (a frame or two) first.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = tokio::time::timeout(SCREENSHOT_TIMEOUT, capture(display))
            .await
            .unwrap_or_else(|_| panic!("screenshot {name}: no picture of {display} within {SCREENSHOT_TIMEOUT:?}"))
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(15);

/// The X display's whole screen as PNG bytes: `xwd -root`, `xwdtopnm`, `pnmtopng`.
async fn capture(display: &str) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (xwd, ppm) = (dir.path().join("screen.xwd"), dir.path().join("screen.ppm"));
    let xwd_arg = xwd.to_str().unwrap();
    run("xwd", &["-root", "-silent", "-display", display, "-out", xwd_arg], "x11-apps").await?;
    let pnm = run("xwdtopnm", &[xwd_arg], "netpbm").await?;
    std::fs::write(&ppm, pnm).map_err(|e| e.to_string())?;
    let png = run("pnmtopng", &["-compression", "9", ppm.to_str().unwrap()], "netpbm").await?;
    if png.len() < 1000 {
        return Err(format!("pnmtopng wrote only {} bytes", png.len()));
    }
    Ok(png)
}

/// Runs a tool to the end and returns what it printed; killed if the caller gives up on it.
async fn run(tool: &str, args: &[&str], package: &str) -> Result<Vec<u8>, String> {
    let out =
        tokio::process::Command::new(tool).args(args).stdin(Stdio::null()).kill_on_drop(true).output().await.map_err(
            |e| format!("{tool} not run ({e}): install the Debian package {package} (scripts/test.sh does)"),
        )?;
    if !out.status.success() {
        return Err(format!("{tool} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(out.stdout)
}

impl Drop for App {
    /// Whatever happened (a failed assertion too), no driver, WebKit or app
    /// process outlives the test.
    fn drop(&mut self) {
        stop_group(&mut self.driver);
    }
}

/// Stops tauri-driver's process group: the driver, WebKitWebDriver, the app.
fn stop_group(driver: &mut Child) {
    let group = format!("-{}", driver.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    let _ = driver.wait();
    // WebKitWebDriver can outlive a TERM to tauri-driver; the group goes for good.
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
}

/// WebDriver key codes (the W3C spec's private-use characters).
pub mod key {
    pub const ENTER: &str = "\u{E007}";
    pub const TAB: &str = "\u{E004}";
    pub const BACKSPACE: &str = "\u{E003}";
    pub const DOWN: &str = "\u{E015}";
    #[allow(dead_code)] // the desktop benchmark's
    pub const UP: &str = "\u{E013}";
    pub const F2: &str = "\u{E032}";
    pub const F3: &str = "\u{E033}";
    pub const F4: &str = "\u{E034}";
    pub const ESCAPE: &str = "\u{E00C}";
}

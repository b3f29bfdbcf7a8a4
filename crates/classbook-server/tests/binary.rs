//! The real `classbook-server` binary: what it prints, what it refuses, how it stops.

use classbook_sync::SyncClient;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_classbook-server");

/// Kills the server if a test fails before it stopped it.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn plain_http_on_a_network_address_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let output =
        Command::new(BIN).args(["--data", data.path().to_str().unwrap(), "--listen", "0.0.0.0:0"]).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Без TLS сервер слушает только адрес этого компьютера"), "{stderr}");
    assert!(stderr.contains("--tls-cert"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing listened");
}

#[test]
fn a_certificate_without_its_key_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .args(["--data", data.path().to_str().unwrap(), "--listen", "0.0.0.0:0", "--tls-cert", "cert.pem"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--tls-key"), "{stderr}");
}

#[test]
fn the_binary_prints_its_port_serves_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let mut running = Running(
        Command::new(BIN)
            .args(["--data", data.path().to_str().unwrap(), "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let child = &mut running.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let health = runtime.block_on(SyncClient::new(&url).unwrap().health()).unwrap();
    assert_eq!(health.status, "ok");
    assert!(data.path().join("server.db").exists());

    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn over_tls_the_client_trusts_the_schools_own_certificate() {
    let data = tempfile::tempdir().unwrap();
    let issued = rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    let cert_pem = issued.cert.pem();
    let (cert, key) = (data.path().join("cert.pem"), data.path().join("key.pem"));
    std::fs::write(&cert, &cert_pem).unwrap();
    std::fs::write(&key, issued.signing_key.serialize_pem()).unwrap();
    let mut running = Running(
        Command::new(BIN)
            .args(["--data", data.path().join("server").to_str().unwrap(), "--listen", "127.0.0.1:0"])
            .arg("--tls-cert")
            .arg(&cert)
            .arg("--tls-key")
            .arg(&key)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(running.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let trusting = SyncClient::new(&url).unwrap().with_trusted_certificate(cert_pem.as_bytes()).unwrap();
    assert_eq!(runtime.block_on(trusting.health()).unwrap().status, "ok");
    // Without the school's certificate the server is not trusted, and that
    // is not mistaken for being offline.
    let error = runtime.block_on(SyncClient::new(&url).unwrap().health()).unwrap_err();
    assert_eq!(error.code(), "untrusted_server", "{error:?}");
    assert!(!error.is_offline());
    assert!(error.to_string().contains("не прошёл проверку"), "{error}");
}

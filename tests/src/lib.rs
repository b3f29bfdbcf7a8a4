//! End-to-end helpers: the real `classbook` binary on real journal files.

pub mod sync;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The `classbook` binary of this workspace, built once per test run (a
/// no-op when it is up to date) next to the test executables.
pub fn classbook_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "classbook-cli", "--bin", "classbook"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the classbook CLI failed");
        // target/debug/deps/<test> → target/debug/classbook
        let exe = std::env::current_exe().expect("test executable path");
        let dir = exe.parent().and_then(|d| d.parent()).expect("target profile dir");
        dir.join(format!("classbook{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

/// Run `classbook --db DB ARGS…` with extra environment variables.
pub fn classbook(db: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(classbook_bin());
    cmd.arg("--db").arg(db).args(args).env_remove("CLASSBOOK_ADMIN_PASSWORD").env_remove("CLASSBOOK_DB");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("classbook runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

//! `classbook-backup` — backups of a school's journal: it owns the backup
//! file format (`format`: compressed, encrypted, with a manifest signed by the
//! school's key), the school's key and its place in the OS keyring (`keys`),
//! taking a consistent copy of the live journal (`snapshot`), writing it so
//! that no failure leaves a file that looks good (`write`, with retention),
//! and verifying and restoring copies (`read`).
//!
//! Everything takes a progress callback, so the CLI draws bars and the
//! desktop app can show the same; errors are `BackupError`, in Russian,
//! with a stable `code()`. Nothing here runs an async runtime: call it from a
//! plain thread (the keyring's client runs a runtime of its own).

pub mod error;
pub mod format;
pub mod keys;
pub mod read;
pub mod snapshot;
pub mod write;

pub use error::{BackupError, Result};
pub use format::{Manifest, OpLogHead};
pub use keys::{KdfParams, SchoolKey, Secret, fingerprint_of, verify_signature};
pub use read::{RestoreOptions, Restored, Verified, restore, verify};
pub use write::{BackupDone, BackupOptions, DEFAULT_KEEP, backup, check_destination, school_of};

use classbook_core::{BackupRecord, Journal};
use std::path::Path;

/// Which part of the work a progress report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Copying the live journal (done/total: 0/1, 1/1).
    Snapshot,
    /// Compressing, encrypting and writing (bytes of the journal image).
    Write,
    /// Reading the written copy back from the medium (bytes of the file).
    ReadBack,
    /// Reading, hashing and decrypting a copy (bytes of the file).
    Verify,
    /// The journal inside the copy opened and checked.
    Check,
    /// The safety copy of the journal before a restore.
    SafetyCopy,
    /// The copy installed into the journal file.
    Install,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

/// Note a backup's outcome in the journal's log of backups (`dest`: the
/// folder, for a failure that left no file).
pub fn record(journal: &Journal, dest: &Path, outcome: &Result<BackupDone>) -> classbook_core::Result<()> {
    let record = match outcome {
        Ok(done) => BackupRecord {
            path: done.path.display().to_string(),
            created_at: done.manifest.created_at,
            sha256: Some(done.file_sha256.clone()),
            bytes: Some(done.file_bytes),
            verified: true,
            error: None,
        },
        Err(error) => BackupRecord {
            path: dest.display().to_string(),
            created_at: chrono::Utc::now(),
            sha256: None,
            bytes: None,
            verified: false,
            error: Some(error.to_string()),
        },
    };
    journal.record_backup(&record)
}

/// Folders where removable drives are mounted: `/media/<user>/<drive>`
/// (and `/media/<drive>`) and `/run/media/<user>/<drive>`.
pub fn removable_drives() -> Vec<std::path::PathBuf> {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let mut found: Vec<std::path::PathBuf> = mounts
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        // /proc/mounts escapes spaces and such as octal (\040).
        .map(unescape_mount)
        .filter(|p| p.starts_with("/media/") || p.starts_with("/run/media/"))
        .map(std::path::PathBuf::from)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn unescape_mount(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(|b| (b'0'..=b'7').contains(b)) {
            let value = (bytes[i + 1] - b'0') * 64 + (bytes[i + 2] - b'0') * 8 + (bytes[i + 3] - b'0');
            out.push(value);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mount_points_with_spaces_are_unescaped() {
        assert_eq!(super::unescape_mount("/media/admin/USB\\040DISK"), "/media/admin/USB DISK");
        assert_eq!(super::unescape_mount("/media/a"), "/media/a");
    }
}

//! Backups from the desktop app (the administrator, `Action::KeepBackups`):
//! the school's passphrase turned into its key in this PC's keyring, a copy
//! now to a folder (an external drive under /media), checking and restoring
//! a copy, the schedule — and the scheduler itself, a thread that makes the
//! scheduled copy while the app runs («last good backup» is always shown).
//!
//! The work is classbook-backup's; it runs on plain threads: the keyring's
//! client runs an async runtime of its own (see `sync`), and a copy or a
//! restore must not hold up the app's async workers.

use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use crate::sync::on_plain_thread;
use classbook_backup::keys::{check_new_passphrase, keyring_load, keyring_store};
use classbook_backup::{BackupError, BackupOptions, KdfParams, RestoreOptions, SchoolKey, Secret};
use classbook_core::{BackupRecord, BackupSchedule, Journal};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tauri::State;

type Desktop<'a> = State<'a, Arc<Desk>>;

/// How often the scheduler looks whether a copy is due
/// (`CLASSBOOK_BACKUP_CHECK_SECONDS` changes it, for tests).
const SCHEDULER_TICK: Duration = Duration::from_secs(60);

fn scheduler_tick() -> Duration {
    std::env::var("CLASSBOOK_BACKUP_CHECK_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(SCHEDULER_TICK, Duration::from_secs)
}
/// After a scheduled copy failed (the drive not plugged in), try again this much later.
const RETRY_AFTER: chrono::Duration = chrono::Duration::minutes(30);

/// What the administrator's «Резервные копии» panel shows.
#[derive(Debug, Serialize)]
pub struct BackupView {
    pub last_good: Option<BackupRecord>,
    /// The latest attempt, when it failed after the last good one.
    pub last_failure: Option<BackupRecord>,
    pub schedule: BackupSchedule,
    /// A scheduled copy is due and not made yet.
    pub due: bool,
    /// The school key's fingerprint, when this PC's keyring holds it.
    pub key_fingerprint: Option<String>,
    /// Why the keyring could not be read, in Russian.
    pub key_problem: Option<String>,
    /// Removable drives mounted under /media and /run/media.
    pub drives: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BackupMade {
    pub path: String,
    pub bytes: u64,
    pub fingerprint: String,
}

#[derive(Debug, Serialize)]
pub struct BackupChecked {
    pub school_name: String,
    pub created_at: String,
    pub fingerprint: String,
    /// What was checked, one line each.
    pub checks: Vec<String>,
}

fn backup_error(error: BackupError) -> UiError {
    UiError::new(error.code(), error.to_string())
}

/// The school's id (the key's salt and keyring entry) from the journal file.
pub(crate) fn school(desk: &Desk) -> UiResult<uuid::Uuid> {
    classbook_backup::school_of(&desk.path).map_err(backup_error)
}

/// The school key kept on this PC, or what to do without one.
pub(crate) fn stored_key(school: uuid::Uuid) -> UiResult<SchoolKey> {
    keyring_load(school).map_err(backup_error)?.ok_or_else(|| {
        UiError::new(
            "no_backup_key",
            "На этом ПК не задана парольная фраза резервных копий: введите её в разделе «Резервные копии».",
        )
    })
}

fn check_admin(desk: &Desk) -> UiResult<()> {
    desk.as_user(|journal, session| journal.check_keeps_backups(session))
}

#[tauri::command]
pub async fn backup_view(desk: Desktop<'_>) -> UiResult<BackupView> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        check_admin(&desk)?;
        let (last_good, recent, schedule, due) = desk.with(|open| {
            let journal = &open.journal;
            let last_good = journal.last_good_backup()?;
            let recent = journal.backups(1)?;
            let schedule = journal.backup_schedule()?;
            let due =
                schedule.is_due(journal.now(), journal.school_offset()?, last_good.as_ref().map(|b| b.created_at));
            Ok((last_good, recent, schedule, due))
        })?;
        let last_failure = recent.into_iter().next().filter(|r| r.error.is_some());
        let (key_fingerprint, key_problem) = match keyring_load(school(&desk)?) {
            Ok(key) => (key.map(|k| k.fingerprint()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let drives = classbook_backup::removable_drives().iter().map(|p| p.display().to_string()).collect();
        Ok(BackupView { last_good, last_failure, schedule, due, key_fingerprint, key_problem, drives })
    })
    .await
}

/// Derive the school key from its passphrase and keep it in this PC's
/// keyring: scheduled copies need nobody to type it. The same passphrase
/// gives the same key on every PC of the school.
#[tauri::command]
pub async fn backup_set_passphrase(desk: Desktop<'_>, passphrase: String, repeat: String) -> UiResult<String> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        check_admin(&desk)?;
        if passphrase != repeat {
            return Err(UiError::new("invalid", "Парольные фразы не совпадают: введите одну и ту же дважды."));
        }
        check_new_passphrase(&passphrase).map_err(backup_error)?;
        let school = school(&desk)?;
        let key = SchoolKey::derive(&passphrase, &KdfParams::for_school(school)).map_err(backup_error)?;
        keyring_store(school, &key).map_err(backup_error)?;
        Ok(key.fingerprint())
    })
    .await
}

/// A copy now into `folder`, read back and verified, logged either way.
#[tauri::command]
pub async fn backup_now(desk: Desktop<'_>, folder: String) -> UiResult<BackupMade> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        check_admin(&desk)?;
        let keep = desk.with(|open| Ok(open.journal.backup_schedule()?.keep))?;
        make_copy(&desk, Path::new(folder.trim()), keep)
    })
    .await
}

/// Verify a copy with this PC's key: signature, hashes, the journal inside.
#[tauri::command]
pub async fn backup_verify(desk: Desktop<'_>, path: String) -> UiResult<BackupChecked> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        check_admin(&desk)?;
        let key = stored_key(school(&desk)?)?;
        let fingerprint = key.fingerprint();
        let verified =
            classbook_backup::verify(Path::new(path.trim()), Some(&Secret::Key(key)), Some(&fingerprint), &mut |_| {})
                .map_err(backup_error)?;
        Ok(checked(verified))
    })
    .await
}

/// Replace the journal with a copy (verified first; the current journal kept
/// as a safety copy beside it). Everyone is signed out: the journal reopens.
#[tauri::command]
pub async fn backup_restore(desk: Desktop<'_>, path: String) -> UiResult<BackupChecked> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        check_admin(&desk)?;
        let key = stored_key(school(&desk)?)?;
        let file = PathBuf::from(path.trim());
        let restored = desk.reopen_around(|journal_path| {
            classbook_backup::restore(journal_path, &file, &Secret::Key(key), &RestoreOptions::default(), &mut |_| {})
                .map_err(backup_error)
        })?;
        let mut shown = checked(restored.verified);
        if let Some(safety) = restored.safety_copy {
            shown.checks.push(format!("Прежний журнал сохранён: {}", safety.display()));
        }
        Ok(shown)
    })
    .await
}

#[tauri::command]
pub async fn backup_set_schedule(desk: Desktop<'_>, schedule: BackupSchedule) -> UiResult<()> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || desk.as_user(|journal, session| journal.set_backup_schedule(session, &schedule))).await
}

fn checked(verified: classbook_backup::Verified) -> BackupChecked {
    BackupChecked {
        school_name: verified.manifest.school_name.clone().unwrap_or_default(),
        created_at: verified.manifest.created_at.to_rfc3339(),
        fingerprint: verified.fingerprint,
        checks: verified.checks,
    }
}

/// One copy into `folder` with this PC's key, logged in the journal's log of
/// backups whatever the outcome (a failure names what went wrong).
fn make_copy(desk: &Desk, folder: &Path, keep: usize) -> UiResult<BackupMade> {
    let outcome = school(desk).and_then(stored_key).and_then(|key| {
        let options = BackupOptions { keep, ..BackupOptions::default() };
        classbook_backup::backup(&desk.path, folder, &key, &options, &mut |_| {}).map_err(backup_error)
    });
    desk.with(|open| {
        match &outcome {
            Ok(done) => classbook_backup::record(&open.journal, folder, &Ok(done.clone()))?,
            // A missing key is no `BackupError`: logged as the message the panel shows.
            Err(e) => open.journal.record_backup(&BackupRecord {
                path: folder.display().to_string(),
                created_at: open.journal.now(),
                sha256: None,
                bytes: None,
                verified: false,
                error: Some(e.message.clone()),
            })?,
        }
        Ok(())
    })?;
    let done = outcome?;
    Ok(BackupMade {
        path: done.path.display().to_string(),
        bytes: done.file_bytes,
        fingerprint: classbook_backup::fingerprint_of(&done.manifest.signer).unwrap_or_default(),
    })
}

/// The scheduler: while the app runs, make the scheduled copy when one is
/// due (Monday and Thursday by default), on this PC's key from the keyring.
/// A failed attempt (the drive not plugged in) is logged and tried again
/// half an hour later; the administrator sees it on the panel.
pub fn start_scheduler(desk: Arc<Desk>) {
    std::thread::Builder::new()
        .name("backup-scheduler".into())
        .spawn(move || {
            let tick = scheduler_tick();
            loop {
                std::thread::sleep(tick);
                if let Ok(Some((folder, keep))) = desk.with(|open| Ok(due_copy(&open.journal)?)) {
                    let _ = make_copy(&desk, &folder, keep);
                }
            }
        })
        .expect("a thread for the backup scheduler");
}

/// The folder and retention of a copy that is due now, if one is.
fn due_copy(journal: &Journal) -> classbook_core::Result<Option<(PathBuf, usize)>> {
    let schedule = journal.backup_schedule()?;
    let now = journal.now();
    let last_good = journal.last_good_backup()?.map(|b| b.created_at);
    if !schedule.is_due(now, journal.school_offset()?, last_good) {
        return Ok(None);
    }
    let retried_lately =
        journal.backups(1)?.first().is_some_and(|b| b.error.is_some() && now - b.created_at < RETRY_AFTER);
    Ok(match (retried_lately, schedule.folder) {
        (false, Some(folder)) => Some((PathBuf::from(folder), schedule.keep)),
        _ => None,
    })
}

//! «Архив»: the yearly archive from the desktop app (administrators and
//! deputy heads, `Journal::check_makes_archive`) — a closed year's bundle
//! written to two media and entered in the archive register, the register
//! itself, and checking a bundle against it. The work is classbook-archive's.
//!
//! Making a bundle prints every class's journal (tens of seconds on a whole
//! school), so it runs on a plain thread over a journal opened for it alone:
//! the app's own journal lock is held only to read who is logged in.

use crate::backup::{school, stored_key};
use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use crate::print::save_path;
use crate::sync::on_plain_thread;
use classbook_archive::ArchiveError;
use classbook_core::{ArchiveRecord, Journal, Session};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::State;

type Desktop<'a> = State<'a, Arc<Desk>>;

#[derive(Debug, Serialize)]
pub struct ArchiveYear {
    /// «2025/2026».
    pub title: String,
    /// Every study period of the year is closed: the year can be archived.
    pub closed: bool,
}

#[derive(Debug, Serialize)]
pub struct ArchiveView {
    pub years: Vec<ArchiveYear>,
    /// The archive register, oldest first.
    pub register: Vec<ArchiveRecord>,
    /// Removable drives mounted under /media and /run/media.
    pub drives: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ArchiveMade {
    pub name: String,
    pub copies: Vec<String>,
    pub number: Option<i64>,
    pub files: usize,
    pub pages: usize,
    pub fingerprint: String,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ArchiveChecked {
    pub fingerprint: String,
    pub register_number: Option<i64>,
    pub checks: Vec<String>,
}

fn archive_error(error: ArchiveError) -> UiError {
    UiError::new(error.code(), error.to_string())
}

/// The logged-in user, if they may make archives, and the app's «now» (the
/// demo school's clock is pinned to its last day).
fn archivist(desk: &Desk) -> UiResult<(Session, chrono::DateTime<chrono::Utc>)> {
    desk.as_user(|journal, session| {
        journal.check_makes_archive(session)?;
        Ok((session.clone(), journal.now()))
    })
}

/// A journal of the app's file for one piece of archive work, its clock the app's.
fn own_journal(desk: &Desk, now: chrono::DateTime<chrono::Utc>) -> UiResult<Journal> {
    let mut journal = Journal::open(&desk.path)?;
    journal.set_fixed_now(Some(now));
    Ok(journal)
}

#[tauri::command]
pub async fn archive_view(desk: Desktop<'_>) -> UiResult<ArchiveView> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        desk.as_user(|journal, session| {
            journal.check_makes_archive(session)?;
            let periods = journal.periods()?;
            let years = journal
                .school_structure(session)?
                .years
                .into_iter()
                .map(|y| {
                    let within: Vec<_> =
                        periods.iter().filter(|p| p.starts_on >= y.starts_on && p.ends_on <= y.ends_on).collect();
                    ArchiveYear { closed: !within.is_empty() && within.iter().all(|p| p.closed), title: y.title }
                })
                .collect();
            let drives = classbook_backup::removable_drives().iter().map(|p| p.display().to_string()).collect();
            Ok(ArchiveView { years, register: journal.archives()?, drives })
        })
    })
    .await
}

/// The bundle of a closed `year` on every folder of `destinations` (two
/// media in different rooms), signed with this PC's school key.
#[tauri::command]
pub async fn archive_create(desk: Desktop<'_>, year: String, destinations: Vec<String>) -> UiResult<ArchiveMade> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        let (session, now) = archivist(&desk)?;
        let key = stored_key(school(&desk)?)?;
        let fingerprint = key.fingerprint();
        let journal = own_journal(&desk, now)?;
        let folders: Vec<PathBuf> =
            destinations.iter().map(|d| d.trim()).filter(|d| !d.is_empty()).map(PathBuf::from).collect();
        let done = classbook_archive::create_archive(&journal, &session, &year, &folders, &key, &mut |_| {})
            .map_err(archive_error)?;
        Ok(ArchiveMade {
            name: done.name,
            copies: done.copies.iter().map(|c| c.display().to_string()).collect(),
            number: done.number,
            files: done.manifest.files.len(),
            pages: done.pages,
            fingerprint,
            warnings: done.warnings,
        })
    })
    .await
}

/// Check the bundle in `dir` against the register (its registered key and manifest).
#[tauri::command]
pub async fn archive_verify(desk: Desktop<'_>, dir: String) -> UiResult<ArchiveChecked> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        let (_, now) = archivist(&desk)?;
        let journal = own_journal(&desk, now)?;
        let checked = classbook_archive::verify_registered(&journal, Path::new(dir.trim()), None, &mut |_| {})
            .map_err(archive_error)?;
        Ok(ArchiveChecked {
            fingerprint: checked.fingerprint,
            register_number: checked.register_number,
            checks: checked.checks,
        })
    })
    .await
}

/// The archive register as xlsx (or csv) at `path`, for printing.
#[tauri::command]
pub async fn archive_register_save(desk: Desktop<'_>, path: String) -> UiResult<String> {
    let desk = Arc::clone(&desk);
    on_plain_thread(move || {
        let (_, now) = archivist(&desk)?;
        let extension = if path.trim().to_lowercase().ends_with(".csv") { "csv" } else { "xlsx" };
        let path = save_path(&path, extension, "Реестр архива")?;
        let journal = own_journal(&desk, now)?;
        classbook_archive::export_register(&journal, &path).map_err(archive_error)?;
        Ok(path.display().to_string())
    })
    .await
}

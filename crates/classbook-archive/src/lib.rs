//! `classbook-archive` — the school's yearly archive (issue 7, REQUIREMENTS
//! §5): closing a school year produces an immutable bundle — the PDF
//! journals and summary sheets of finals, the journals as Excel files and the
//! archive copy of all tables, the snapshot of the whole journal (a
//! `classbook-backup` file) and a manifest signed with the school's key —
//! written to two media (`create`), entered in the archive register of the
//! journal (`classbook_core`, table `archive_register`; `register` prints
//! it) and checkable years later with one command and no passphrase (`verify`).
//!
//! The bundle on each medium, `classbook-archive-<2025-2026>-<school>/`:
//! `journals/<class>.pdf`, `summary/<class>.pdf`, `xlsx/<class>.xlsx`,
//! `xlsx/Архивная копия журнала.xlsx`, `snapshot/<…>.cbbackup`,
//! `ПРОЧТИТЕ.txt`, `SHA256SUMS`, `manifest.json`, `manifest.sig`.
//!
//! What a desktop «Архив» screen calls: `create_archive` (with a progress
//! callback; `check_year` first), `verify_archive` / `verify_registered`, `Journal::archives` and
//! `register_rows` / `export_register`. Errors are `ArchiveError`, in
//! Russian, with a stable `code()`. Nothing here runs an async runtime.

mod create;
mod disk;
pub mod error;
pub mod manifest;
mod register;
mod verify;

pub use create::{ARCHIVE_COPY, ArchiveDone, ArchiveOptions, check_year, create_archive, create_archive_with, slug};
pub use error::{ArchiveError, Result};
pub use manifest::{FileEntry, FileKind, Manifest};
pub use register::{REGISTER_COLUMNS, export_register, register_rows};
pub use verify::{ArchiveCheck, verify_archive, verify_registered};

/// Which part of the work a progress report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Who, the year, the media, the key (0/1, 1/1).
    Check,
    /// The PDF journal and summary sheet of each class (classes).
    Print,
    /// The Excel files: each class, then the archive copy (files).
    Export,
    /// Copying the live journal for the snapshot (0/1, 1/1).
    Snapshot,
    /// Compressing, encrypting, writing and reading back the snapshot (bytes).
    SnapshotWrite,
    /// Hashing the bundle for its manifest (bytes).
    Hash,
    /// Writing the copies to the media (bytes of all copies).
    Copy,
    /// Reading every copy back from its medium (bytes of all copies).
    ReadBack,
    /// Checking a bundle's files (bytes).
    Verify,
    /// Checking the snapshot's own signed structure (bytes).
    VerifySnapshot,
    Done,
}

impl Stage {
    /// For a progress bar's label.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Check => "Проверка условий",
            Stage::Print => "Печать журналов и ведомостей",
            Stage::Export => "Таблицы Excel",
            Stage::Snapshot => "Снимок журнала",
            Stage::SnapshotWrite => "Шифрование снимка",
            Stage::Hash => "Опись архива",
            Stage::Copy => "Запись на носители",
            Stage::ReadBack => "Проверка записанного",
            Stage::Verify => "Проверка файлов архива",
            Stage::VerifySnapshot => "Проверка снимка журнала",
            Stage::Done => "Готово",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
    /// What is being worked on (a class's name), when there is one.
    pub item: Option<String>,
}

impl Progress {
    pub fn new(stage: Stage, done: u64, total: u64) -> Progress {
        Progress { stage, done, total, item: None }
    }

    pub fn about(mut self, item: &str) -> Progress {
        self.item = Some(item.to_owned());
        self
    }
}

//! The bundle's manifest: what is in it, the SHA-256 of every file and how
//! long each must be kept. It is signed as stored (`manifest.sig`: the
//! ed25519 signature over the exact bytes of `manifest.json`, in hex), so the
//! check years later needs only the public key — written in the manifest and,
//! as its fingerprint, in the register and on paper.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The bundle format this program writes (and the newest it reads).
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
pub const README: &str = "ПРОЧТИТЕ.txt";
pub const CHECKSUMS: &str = "SHA256SUMS";

/// What a file of the bundle is; it decides how long it is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A class's yearly journal (PDF).
    Journal,
    /// A class's summary sheet of finals (PDF).
    Summary,
    /// A class's journal and the school's archive copy as Excel files.
    Xlsx,
    /// The whole journal, encrypted and signed (.cbbackup).
    Snapshot,
    /// ПРОЧТИТЕ.txt and SHA256SUMS: listed so that no one can change what
    /// the bundle tells its reader (the fingerprint in it above all) unseen.
    Readme,
}

impl FileKind {
    /// Years to keep (REQUIREMENTS §5): journals 5, summary sheets of finals
    /// 25; the Excel copies and the snapshot go with the journals; the readme
    /// with the longest-kept file.
    pub fn keep_years(self) -> u32 {
        match self {
            FileKind::Journal | FileKind::Xlsx | FileKind::Snapshot => 5,
            FileKind::Summary | FileKind::Readme => 25,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FileKind::Journal => "классный журнал",
            FileKind::Summary => "сводная ведомость итоговых отметок",
            FileKind::Xlsx => "таблица Excel",
            FileKind::Snapshot => "снимок журнала",
            FileKind::Readme => "описание архива",
        }
    }
}

/// One file of the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the bundle's folder, with `/`.
    pub path: String,
    pub bytes: u64,
    /// SHA-256 (hex).
    pub sha256: String,
    pub kind: FileKind,
    pub keep_years: u32,
    /// The last day it must be kept: the year's end plus `keep_years`.
    pub keep_until: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The bundle's folder name, the same on every medium.
    pub bundle: String,
    pub school_id: Uuid,
    pub school_name: String,
    /// «2025/2026».
    pub year: String,
    pub year_starts_on: NaiveDate,
    pub year_ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// «Фамилия Имя Отчество (login)».
    pub created_by: String,
    pub program_version: String,
    /// The school key's public half (hex) that signs this manifest.
    pub signer: String,
    pub key_fingerprint: String,
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }

    /// The day the whole bundle may be destroyed: its longest-kept file's.
    pub fn keep_until(&self) -> Option<NaiveDate> {
        self.files.iter().map(|f| f.keep_until).max()
    }
}

/// The year's end plus `years` (29 February → 28 February).
pub fn keep_until(year_ends_on: NaiveDate, years: u32) -> NaiveDate {
    year_ends_on.checked_add_months(chrono::Months::new(12 * years)).unwrap_or(year_ends_on)
}

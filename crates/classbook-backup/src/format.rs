//! The backup file, byte by byte (all integers little-endian):
//!
//! ```text
//! "CLASSBOOK-BACKUP\n"                 17 bytes of magic
//! u32 header length, header JSON       format, school, KDF parameters and salt,
//!                                      file salt, STREAM nonce, key check, chunk size
//! chunks: u32 length, ciphertext       XChaCha20-Poly1305 STREAM (BE32) over the
//!   … the last one sealed as last      zstd-compressed SQLite image, cut in
//!                                      `chunk_size` pieces; the header is each
//!                                      chunk's associated data
//! ── payload ends: everything above is hashed into the manifest's payload_sha256
//! manifest JSON                        see `Manifest`
//! 64 bytes                             ed25519 signature of the school's key over
//!                                      exactly the manifest bytes above
//! u32 manifest length
//! "CBBACKUP-END\n"                     13 bytes of end magic
//! ```
//!
//! The trailer can be read and its signature checked without the
//! passphrase: it says who made the copy, when, of what, and the SHA-256 of
//! everything before it. A truncated file has no end magic; a flipped byte
//! breaks the signature (in the trailer) or the payload hash (before it); a
//! wrong passphrase fails the header's key check before any chunk is opened.

use crate::error::{BackupError, Result};
use crate::keys::KdfParams;
use chrono::{DateTime, Utc};
use classbook_core::Stats;
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use uuid::Uuid;

pub const MAGIC: &[u8] = b"CLASSBOOK-BACKUP\n";
pub const END_MAGIC: &[u8] = b"CBBACKUP-END\n";
/// The format this program writes; it reads this one and older.
pub const FORMAT: u32 = 1;
pub const EXTENSION: &str = "cbbackup";
/// The zstd-compressed image is encrypted in pieces of this size: memory
/// stays flat, and each piece is authenticated before it is used.
pub const CHUNK_SIZE: usize = 1 << 20;
/// A header or manifest larger than this is not ours (a guard for a
/// damaged length field, not a limit anyone meets).
const MAX_JSON: u32 = 16 << 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub school_id: Uuid,
    pub kdf: KdfParams,
    pub cipher: String,
    pub compression: String,
    /// Hex of the 32 random bytes the file's key is derived with.
    pub file_salt: String,
    /// Hex of the 19-byte STREAM nonce prefix.
    pub nonce: String,
    /// Hex: tells a wrong passphrase from damaged data.
    pub key_check: String,
    pub chunk_size: u32,
}

/// One device's place in the op log at the time of the copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceHead {
    pub device: Uuid,
    pub seq: u64,
    /// Hex of the device's last op hash.
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpLogHead {
    pub ops: u64,
    pub devices: Vec<DeviceHead>,
}

/// What a copy holds, signed by the school's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The school (its `school_id` setting, or for a school that has never
    /// synced, its first op's id: see `snapshot::school_identity`).
    pub school_id: Uuid,
    pub school_name: Option<String>,
    /// The journal's first op: the same school before and after it got a `school_id`.
    pub first_op: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// The PC the copy was made on (the journal's device id).
    pub device_id: Option<Uuid>,
    pub program_version: String,
    /// The journal's schema (`PRAGMA user_version`).
    pub schema_version: i64,
    pub op_log: OpLogHead,
    pub counts: Stats,
    /// SHA-256 (hex) and size of the plain SQLite image.
    pub db_sha256: String,
    pub db_bytes: u64,
    /// SHA-256 (hex) and size of everything before the manifest.
    pub payload_sha256: String,
    pub payload_bytes: u64,
    /// The school's ed25519 public key (hex) the manifest is signed with.
    pub signer: String,
}

/// The parts of a backup file found without the passphrase.
#[derive(Clone, Debug)]
pub struct Layout {
    pub header: Header,
    /// The header JSON exactly as stored (the chunks' associated data).
    pub header_bytes: Vec<u8>,
    /// Where the first chunk starts.
    pub chunks_at: u64,
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub signature: [u8; 64],
    pub file_bytes: u64,
}

fn corrupt(path: &Path, detail: impl Into<String>) -> BackupError {
    BackupError::Corrupt { path: path.to_owned(), detail: detail.into() }
}

fn read_io(path: &Path, source: std::io::Error) -> BackupError {
    BackupError::Io { what: "прочитать копию", path: path.to_owned(), source }
}

/// Read the header and the trailer of `file` (no decryption, no payload hash).
pub fn read_layout(path: &Path, file: &mut std::fs::File) -> Result<Layout> {
    let file_bytes = file.metadata().map_err(|e| read_io(path, e))?.len();
    let mut magic = vec![0u8; MAGIC.len()];
    if file_bytes < MAGIC.len() as u64 || file.read_exact(&mut magic).is_err() || magic != MAGIC {
        return Err(BackupError::NotABackup { path: path.to_owned() });
    }
    let header_len = read_u32(file).map_err(|_| BackupError::Truncated { path: path.to_owned() })?;
    if header_len > MAX_JSON {
        return Err(corrupt(path, "неверная длина заголовка"));
    }
    let mut header_bytes = vec![0u8; header_len as usize];
    file.read_exact(&mut header_bytes).map_err(|_| BackupError::Truncated { path: path.to_owned() })?;
    let chunks_at = (MAGIC.len() + 4) as u64 + header_len as u64;
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version =
        serde_json::from_slice(&header_bytes).map_err(|e| corrupt(path, format!("заголовок не читается ({e})")))?;
    if version.format > FORMAT {
        return Err(BackupError::NewerFormat { path: path.to_owned(), found: version.format });
    }
    let header: Header =
        serde_json::from_slice(&header_bytes).map_err(|e| corrupt(path, format!("заголовок не читается ({e})")))?;

    // The trailer, from the end.
    let tail = (64 + 4 + END_MAGIC.len()) as u64;
    if file_bytes < chunks_at + tail {
        return Err(BackupError::Truncated { path: path.to_owned() });
    }
    file.seek(SeekFrom::Start(file_bytes - END_MAGIC.len() as u64 - 4)).map_err(|e| read_io(path, e))?;
    let manifest_len = read_u32(file).map_err(|e| read_io(path, e))?;
    let mut end = vec![0u8; END_MAGIC.len()];
    file.read_exact(&mut end).map_err(|e| read_io(path, e))?;
    if end != END_MAGIC {
        return Err(BackupError::Truncated { path: path.to_owned() });
    }
    if manifest_len > MAX_JSON || (manifest_len as u64) + tail + chunks_at > file_bytes {
        return Err(corrupt(path, "неверная длина описи копии"));
    }
    let manifest_at = file_bytes - tail - manifest_len as u64;
    file.seek(SeekFrom::Start(manifest_at)).map_err(|e| read_io(path, e))?;
    let mut manifest_bytes = vec![0u8; manifest_len as usize];
    file.read_exact(&mut manifest_bytes).map_err(|e| read_io(path, e))?;
    let mut signature = [0u8; 64];
    file.read_exact(&mut signature).map_err(|e| read_io(path, e))?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| corrupt(path, format!("опись копии не читается ({e})")))?;
    if !crate::keys::verify_signature(&manifest_bytes, &signature, &manifest.signer) {
        return Err(corrupt(path, "подпись описи копии не сходится (опись изменена)"));
    }
    if manifest.payload_bytes != manifest_at {
        // The signed manifest says how long the copy was: a file cut and
        // re-glued, or a manifest moved onto another payload.
        return Err(corrupt(
            path,
            format!("по описи данные копии занимают {} байт, а в файле {manifest_at}", manifest.payload_bytes),
        ));
    }
    if manifest.school_id != header.school_id {
        return Err(corrupt(path, "заголовок и опись копии — от разных школ"));
    }
    Ok(Layout { header, header_bytes, chunks_at, manifest, manifest_bytes, signature, file_bytes })
}

pub(crate) fn read_u32(reader: &mut impl Read) -> std::io::Result<u32> {
    let mut bytes = [0u8; 4];
    reader.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

/// `classbook-<first 8 of the school id>-<YYYYMMDD-HHMMSS, UTC>[-N].cbbackup`:
/// sorts by time (the same on PCs in any time zone), and retention deletes only names of this shape.
pub fn file_name(school: Uuid, at: DateTime<Utc>, n: u32) -> String {
    let short = &school.simple().to_string()[..8];
    let time = at.format("%Y%m%d-%H%M%S");
    if n == 0 {
        format!("classbook-{short}-{time}.{EXTENSION}")
    } else {
        format!("classbook-{short}-{time}-{n}.{EXTENSION}")
    }
}

/// The (time, number) of a name made by `file_name` for `school`, else None.
pub fn parse_file_name(school: Uuid, name: &str) -> Option<(String, u32)> {
    let short = &school.simple().to_string()[..8];
    let rest = name.strip_prefix("classbook-")?.strip_prefix(short)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(&format!(".{EXTENSION}"))?;
    let (time, n) = match rest.get(15..) {
        Some("") => (rest, 0),
        Some(suffix) => (&rest[..15], suffix.strip_prefix('-')?.parse().ok().filter(|n| *n > 0)?),
        None => return None,
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (time.len() == 15 && digits(&time[..8]) && time.as_bytes()[8] == b'-' && digits(&time[9..]))
        .then(|| (time.to_owned(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip_and_nothing_else_matches() {
        let school: Uuid = "0192f3a4-1111-7000-8000-000000000001".parse().unwrap();
        let at: DateTime<Utc> = "2026-05-26T10:04:05Z".parse().unwrap();
        let name = file_name(school, at, 0);
        assert_eq!(name, "classbook-0192f3a4-20260526-100405.cbbackup");
        assert_eq!(parse_file_name(school, &name), Some(("20260526-100405".into(), 0)));
        assert_eq!(parse_file_name(school, &file_name(school, at, 3)), Some(("20260526-100405".into(), 3)));
        let other: Uuid = "0292f3a4-1111-7000-8000-000000000001".parse().unwrap();
        for name in [
            file_name(other, at, 0),
            "classbook-0192f3a4-20260526-100405.cbbackup.partial".into(),
            ".classbook-0192f3a4-20260526-100405.cbbackup.partial".into(),
            "classbook-0192f3a4-2026052-1004050.cbbackup".into(),
            "classbook-0192f3a4-20260526-100405-0.cbbackup".into(),
            "classbook-0192f3a4-20260526-100405-x.cbbackup".into(),
            "notes.txt".into(),
        ] {
            assert_eq!(parse_file_name(school, &name), None, "{name}");
        }
    }
}

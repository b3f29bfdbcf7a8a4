//! Verifying a copy and restoring the journal from it.
//!
//! Without the passphrase a copy's authenticity is checked: its structure,
//! the signature of its manifest and the SHA-256 of everything the manifest
//! covers. With it the copy is also decrypted (each chunk authenticated),
//! decompressed into a temporary file, its image hashed against the
//! manifest, and opened as a journal: SQLite's `integrity_check`, every
//! device's op-log hash chain (`Journal::check_integrity`) and the counts.
//!
//! Restore verifies the copy so into a temporary folder beside the journal,
//! keeps a safety copy of the current journal, and installs the copy into the
//! live file with SQLite's backup API in one step (so SQLite's own locking
//! and WAL stay in charge of the file, as with any other write).

use crate::error::{BackupError, Result};
use crate::format::{self, Layout, Manifest};
use crate::keys::{self, Secret};
use crate::{Progress, Stage};
use chacha20poly1305::aead::stream::DecryptorBE32;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use chrono::{DateTime, Utc};
use classbook_core::{Integrity, Journal};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What was checked of a copy.
#[derive(Clone, Debug)]
pub struct Verified {
    pub manifest: Manifest,
    /// The signer's fingerprint.
    pub fingerprint: String,
    /// Decrypted and opened (with the passphrase), not only its signature and hash.
    pub decrypted: bool,
    pub integrity: Option<Integrity>,
    /// What was checked, in Russian, one line each.
    pub checks: Vec<String>,
}

fn corrupt(path: &Path, detail: impl Into<String>) -> BackupError {
    BackupError::Corrupt { path: path.to_owned(), detail: detail.into() }
}

/// Verify the copy `file`. `expected_signer`: a fingerprint (or public key)
/// the signer must have; `secret`: to decrypt and check the journal inside.
pub fn verify(
    file: &Path,
    secret: Option<&Secret>,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Verified> {
    let dir = tempfile::tempdir().map_err(|source| BackupError::Io {
        what: "создать временную папку",
        path: std::env::temp_dir(),
        source,
    })?;
    let out = secret.map(|_| dir.path().join("journal.db"));
    check(file, secret, expected_signer, out.as_deref(), progress)
}

/// The verification itself; with `out` the journal is decrypted into it.
fn check(
    path: &Path,
    secret: Option<&Secret>,
    expected_signer: Option<&str>,
    out: Option<&Path>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Verified> {
    let mut file = std::fs::File::open(path).map_err(|source| BackupError::Io {
        what: "открыть копию",
        path: path.to_owned(),
        source,
    })?;
    let layout = format::read_layout(path, &mut file)?;
    let manifest = &layout.manifest;
    let fingerprint = keys::fingerprint_of(&manifest.signer).unwrap_or_default();
    let mut checks = vec![format!("опись копии подписана ключом школы {fingerprint} (подпись верна)",)];
    if let Some(expected) = expected_signer {
        if !keys::fingerprint_matches(expected, &manifest.signer) {
            return Err(BackupError::ForeignSigner {
                path: path.to_owned(),
                expected: expected.to_owned(),
                found: fingerprint,
            });
        }
        checks.push("ключ подписи совпадает с указанным".into());
    }
    let key = match secret {
        None => None,
        Some(secret) => {
            let key = secret.key_for(&layout.header.kdf)?;
            let salt =
                decode_fixed::<32>(&layout.header.file_salt).ok_or_else(|| corrupt(path, "неверная соль файла"))?;
            let file_key = key.file_key(&salt);
            if keys::key_check(&file_key) != layout.header.key_check {
                return Err(BackupError::WrongPassphrase { path: path.to_owned() });
            }
            if key.public_hex() != manifest.signer {
                return Err(BackupError::ForeignSigner {
                    path: path.to_owned(),
                    expected: key.fingerprint(),
                    found: fingerprint,
                });
            }
            checks.push("парольная фраза подходит, подпись сделана ключом этой фразы".into());
            Some(file_key)
        }
    };

    // One pass over the file: hash everything the manifest covers and, with
    // the key, open each chunk on the way.
    file.seek(SeekFrom::Start(0)).map_err(|e| read_io(path, e))?;
    let mut payload =
        HashingReader { inner: (&mut file).take(layout.manifest.payload_bytes), sha: Sha256::new(), done: 0 };
    let mut prefix = vec![0u8; layout.chunks_at as usize];
    payload.read_exact(&mut prefix).map_err(|e| read_io(path, e))?;
    let db = match (key, out) {
        (Some(file_key), Some(out)) => Some(decrypt(path, &layout, &file_key, &mut payload, out, progress)?),
        _ => {
            let mut buf = vec![0u8; format::CHUNK_SIZE];
            loop {
                let n = payload.read(&mut buf).map_err(|e| read_io(path, e))?;
                if n == 0 {
                    break;
                }
                progress(Progress { stage: Stage::Verify, done: payload.done, total: manifest.payload_bytes });
            }
            None
        }
    };
    if payload.done != manifest.payload_bytes || hex::encode(payload.sha.finalize()) != manifest.payload_sha256 {
        return Err(corrupt(path, "данные копии изменены: SHA-256 не совпадает с описью"));
    }
    checks.push(format!("SHA-256 данных копии совпадает с описью ({} байт)", manifest.payload_bytes));

    let mut integrity = None;
    if let (Some((db_sha256, db_bytes)), Some(out)) = (db, out) {
        if db_bytes != manifest.db_bytes || db_sha256 != manifest.db_sha256 {
            return Err(corrupt(path, "журнал в копии не совпадает с описью (SHA-256 базы)"));
        }
        checks.push(format!("расшифрована; SHA-256 журнала совпадает с описью ({db_bytes} байт)"));
        progress(Progress { stage: Stage::Check, done: 0, total: 1 });
        let journal = Journal::open(out)?;
        let report = journal.check_integrity()?;
        if !report.is_ok() {
            let mut detail = vec![format!("проверка SQLite: {}", report.sqlite)];
            detail.extend(report.problems.iter().take(5).cloned());
            return Err(corrupt(path, format!("журнал в копии не цел ({})", detail.join("; "))));
        }
        checks.push(format!(
            "PRAGMA integrity_check: ok; цепочки операций целы ({} операций, устройств: {})",
            report.ops_checked, report.devices
        ));
        let counts = journal.stats()?;
        if counts != manifest.counts {
            return Err(corrupt(path, "число записей в журнале копии не совпадает с описью"));
        }
        checks.push("число записей совпадает с описью".into());
        drop(journal);
        integrity = Some(report);
        progress(Progress { stage: Stage::Check, done: 1, total: 1 });
    }
    Ok(Verified { manifest: layout.manifest.clone(), fingerprint, decrypted: integrity.is_some(), integrity, checks })
}

fn read_io(path: &Path, source: std::io::Error) -> BackupError {
    // The trailer was read whole (`read_layout`): data that ends before a
    // chunk does is a damaged length field, not a cut file.
    if source.kind() == std::io::ErrorKind::UnexpectedEof {
        return corrupt(path, "длины частей данных не сходятся с описью");
    }
    BackupError::Io { what: "прочитать копию", path: path.to_owned(), source }
}

fn decode_fixed<const N: usize>(text: &str) -> Option<[u8; N]> {
    hex::decode(text).ok().and_then(|b| <[u8; N]>::try_from(b).ok())
}

struct HashingReader<R> {
    inner: R,
    sha: Sha256,
    done: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        self.done += n as u64;
        Ok(n)
    }
}

struct HashingWriter {
    file: std::fs::File,
    sha: Sha256,
    bytes: u64,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Open each chunk and decompress into `out`; the image's (SHA-256, size).
fn decrypt(
    path: &Path,
    layout: &Layout,
    file_key: &[u8; 32],
    payload: &mut HashingReader<std::io::Take<&mut std::fs::File>>,
    out: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(String, u64)> {
    let nonce = decode_fixed::<19>(&layout.header.nonce).ok_or_else(|| corrupt(path, "неверный nonce"))?;
    let aead = XChaCha20Poly1305::new(file_key.into());
    let mut decryptor = Some(DecryptorBE32::from_aead(aead, (&nonce).into()));
    let write_io = |source| BackupError::Io {
        what: "записать временный журнал", path: out.to_owned(), source
    };
    let file = std::fs::File::create(out).map_err(write_io)?;
    let mut decoder =
        zstd::stream::write::Decoder::new(HashingWriter { file, sha: Sha256::new(), bytes: 0 }).map_err(write_io)?;
    let max_chunk = layout.header.chunk_size as u64 + 16;
    let total = layout.manifest.payload_bytes;
    let mut buf = Vec::with_capacity(max_chunk as usize);
    let mut index = 0u64;
    loop {
        let len = format::read_u32(payload).map_err(|e| read_io(path, e))? as u64;
        if len > max_chunk || len < 16 {
            return Err(corrupt(path, format!("часть {} данных: неверная длина", index + 1)));
        }
        buf.resize(len as usize, 0);
        payload.read_exact(&mut buf).map_err(|e| read_io(path, e))?;
        let last = payload.done == total;
        let opened = if last {
            decryptor
                .take()
                .expect("the stream is open until its last chunk")
                .decrypt_last_in_place(&layout.header_bytes, &mut buf)
        } else {
            decryptor.as_mut().expect("open").decrypt_next_in_place(&layout.header_bytes, &mut buf)
        };
        opened.map_err(|_| corrupt(path, format!("часть {} данных не проходит проверку подлинности", index + 1)))?;
        decoder.write_all(&buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::Other | std::io::ErrorKind::InvalidData => corrupt(path, "данные не распаковываются"),
            _ => write_io(e),
        })?;
        index += 1;
        progress(Progress { stage: Stage::Verify, done: payload.done, total });
        if last {
            break;
        }
    }
    decoder.flush().map_err(write_io)?;
    // No fsync: the temporary journal is only read (a restore installs it
    // through SQLite, whose commit into the journal syncs), then deleted.
    let writer = decoder.into_inner();
    Ok((hex::encode(writer.sha.finalize()), writer.bytes))
}

#[derive(Clone, Debug, Default)]
pub struct RestoreOptions {
    /// Restore a copy of another school's journal over this one.
    pub allow_other_school: bool,
    /// The time in the safety copy's name (tests fix it); `None`: now.
    pub now: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct Restored {
    pub verified: Verified,
    /// The journal as it was before the restore (none when there was no file).
    pub safety_copy: Option<PathBuf>,
}

/// Replace the journal at `journal` with the copy `file` (verified fully
/// first). The current journal is kept as `<journal>.before-restore-<time>.sqlite`.
/// Close the desktop app on this journal first.
pub fn restore(
    journal: &Path,
    file: &Path,
    secret: &Secret,
    options: &RestoreOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Restored> {
    let parent = match journal.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let dir = tempfile::Builder::new().prefix(".classbook-restore-").tempdir_in(&parent).map_err(|source| {
        BackupError::Io {
            what: "создать временную папку рядом с журналом", path: parent.clone(), source
        }
    })?;
    let copy = dir.path().join("journal.db");
    let verified = check(file, Some(secret), None, Some(&copy), progress)?;

    // The journal now: its school, and this PC's log of backups to carry
    // over. A journal that does not open is what restores are for: it is
    // kept as it is (its files copied) and replaced.
    let current = match journal.is_file().then(|| Journal::open(journal)) {
        None => None,
        Some(Ok(current)) => Some(current),
        Some(Err(_)) => None,
    };
    let readable = current.is_some();
    let mut log = Vec::new();
    if let Some(current) = &current {
        let conn = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        if let Some((school, first_op)) = crate::snapshot::school_identity(&conn)? {
            let m = &verified.manifest;
            let same = school == m.school_id || (first_op.is_some() && first_op == m.first_op);
            if !same && !options.allow_other_school {
                let name = current.setting("school_name")?.unwrap_or_else(|| school.to_string());
                return Err(BackupError::OtherSchool {
                    path: file.to_owned(),
                    copy_school: m.school_name.clone().unwrap_or_else(|| m.school_id.to_string()),
                    this_school: name,
                });
            }
        }
        log = current.backups(usize::MAX >> 1)?;
    }
    drop(current);

    let now = options.now.unwrap_or_else(Utc::now);
    let safety_copy = if journal.is_file() {
        progress(Progress { stage: Stage::SafetyCopy, done: 0, total: 1 });
        let mut name = journal.as_os_str().to_owned();
        name.push(format!(".before-restore-{}.sqlite", now.format("%Y%m%d-%H%M%S")));
        let safety = PathBuf::from(name);
        if readable {
            copy_database(journal, &safety)?;
        } else {
            copy_files(journal, &safety)?;
        }
        progress(Progress { stage: Stage::SafetyCopy, done: 1, total: 1 });
        Some(safety)
    } else {
        None
    };

    progress(Progress { stage: Stage::Install, done: 0, total: 1 });
    if !readable {
        // Not a database SQLite can write into: the copy goes into a new file
        // (the old one is in the safety copy).
        for suffix in ["", "-wal", "-shm"] {
            let mut name = journal.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
    {
        let source = rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut target = rusqlite::Connection::open(journal)?;
        target.busy_timeout(std::time::Duration::from_secs(10))?;
        one_step(&source, &mut target)?;
    }
    let restored = Journal::open(journal)?;
    let seen = restored.backups(usize::MAX >> 1)?;
    for record in log.iter().rev().filter(|r| !seen.contains(r)) {
        restored.record_backup(record)?;
    }
    let check: String = restored_quick_check(journal)?;
    if check != "ok" || restored.stats()? != verified.manifest.counts {
        return Err(BackupError::JournalBroken {
            path: journal.to_owned(),
            detail: format!("после восстановления: {check}; прежний журнал сохранён"),
        });
    }
    drop(restored);
    progress(Progress { stage: Stage::Install, done: 1, total: 1 });
    Ok(Restored { verified, safety_copy })
}

fn restored_quick_check(journal: &Path) -> Result<String> {
    let conn = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?)
}

/// The whole database in one backup step (see `snapshot` on why one).
fn one_step(source: &rusqlite::Connection, target: &mut rusqlite::Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(source, target)?;
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

/// A plain, fsync'd SQLite copy of the journal (the safety copy).
fn copy_database(journal: &Path, to: &Path) -> Result<()> {
    let source = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let _ = std::fs::remove_file(to);
    let mut target = rusqlite::Connection::open(to)?;
    one_step(&source, &mut target)?;
    // One file, no WAL beside it: a copy anyone can open or move.
    target.pragma_update(None, "journal_mode", "DELETE")?;
    drop(target);
    let sync = |source| BackupError::Io {
        what: "записать страховочную копию", path: to.to_owned(), source
    };
    std::fs::File::open(to).and_then(|f| f.sync_all()).map_err(sync)?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::write::sync_dir(dir).map_err(sync)?;
    }
    Ok(())
}

/// The files of a journal SQLite cannot open, copied as they are (fsync'd).
fn copy_files(journal: &Path, to: &Path) -> Result<()> {
    let fail = |source| BackupError::Io {
        what: "записать страховочную копию", path: to.to_owned(), source
    };
    for suffix in ["", "-wal"] {
        let (mut from, mut into) = (journal.as_os_str().to_owned(), to.as_os_str().to_owned());
        from.push(suffix);
        into.push(suffix);
        let (from, into) = (PathBuf::from(from), PathBuf::from(into));
        if from.is_file() {
            std::fs::copy(&from, &into).map_err(fail)?;
            std::fs::File::open(&into).and_then(|f| f.sync_all()).map_err(fail)?;
        }
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::write::sync_dir(dir).map_err(fail)?;
    }
    Ok(())
}

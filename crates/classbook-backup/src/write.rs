//! Writing a backup into a folder (a removable drive's, often) so that no
//! failure leaves a file that looks like a good backup:
//!
//! 1. the copy is written to a hidden `.<name>.partial` in the destination;
//! 2. fsync'd, then its pages are dropped from the OS cache
//!    (`POSIX_FADV_DONTNEED`) and it is read back from the medium by its path
//!    and hashed: a USB stick that acknowledged an fsync it did not perform,
//!    or a medium pulled out, shows here and not months later at a restore;
//! 3. only a copy that reads back exactly as written is renamed to its final
//!    name, and the directory is fsync'd so the rename itself survives;
//! 4. on any error the partial file is removed (best effort) and the error
//!    says what happened in Russian (full disk, medium gone, read-only).
//!
//! Then retention: of this school's copies in that folder the newest `keep`
//! stay (the one just written and verified always among them); only files
//! named as we name them, whose signed trailer reads and is this school's,
//! are ever deleted.

use crate::error::{BackupError, Result, write_error};
use crate::format::{self, CHUNK_SIZE, END_MAGIC, FORMAT, Header, MAGIC, Manifest};
use crate::keys::{self, SchoolKey};
use crate::snapshot;
use crate::{Progress, Stage};
use chacha20poly1305::aead::stream::EncryptorBE32;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many of a school's copies a folder keeps by default: four weeks at
/// two backups a week (REQUIREMENTS §5: at least twice a week).
pub const DEFAULT_KEEP: usize = 8;
/// zstd's level. On the demo school's 383 MB journal level 1 gives 67 MB in
/// 0.59 s, level 3 61 MB in 0.96 s; the fast negative levels save little
/// more time (−1: 0.50 s) for a quarter more bytes to write and read back
/// from a slow stick (docs/BENCHMARKS.md «Backups»).
pub const DEFAULT_ZSTD_LEVEL: i32 = 1;

#[derive(Clone, Debug)]
pub struct BackupOptions {
    /// Keep this many of the school's copies in the folder (at least 1).
    pub keep: usize,
    pub zstd_level: i32,
    /// The time in the manifest and the name (tests fix it); `None`: now.
    pub now: Option<DateTime<Utc>>,
}

impl Default for BackupOptions {
    fn default() -> Self {
        BackupOptions { keep: DEFAULT_KEEP, zstd_level: DEFAULT_ZSTD_LEVEL, now: None }
    }
}

/// A backup written, read back and verified.
#[derive(Clone, Debug)]
pub struct BackupDone {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// SHA-256 (hex) of the whole file as read back from the medium.
    pub file_sha256: String,
    pub file_bytes: u64,
    /// Older copies deleted by retention.
    pub removed: Vec<PathBuf>,
}

/// Refuse a destination that is not an existing folder named by an absolute
/// path without `..` (a scheduled job's working directory is anyone's guess,
/// and `..` hides where a copy really goes).
pub fn check_destination(dir: &Path) -> Result<()> {
    let bad = |reason: &str| BackupError::BadPath { path: dir.to_owned(), reason: reason.into() };
    if !dir.is_absolute() {
        return Err(bad("укажите полный путь (например, /media/admin/USB), а не относительный"));
    }
    if dir.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(bad("путь не должен содержать «..»"));
    }
    match std::fs::metadata(dir) {
        Err(_) => Err(bad("такой папки нет — носитель подключён?")),
        Ok(meta) if !meta.is_dir() => Err(bad("это файл, а не папка")),
        Ok(_) => Ok(()),
    }
}

/// The school a journal file belongs to (to pick its key before a backup).
pub fn school_of(journal: &Path) -> Result<uuid::Uuid> {
    let conn = rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    snapshot::school_identity(&conn)?
        .map(|(school, _)| school)
        .ok_or_else(|| BackupError::EmptyJournal { path: journal.to_owned() })
}

/// Back up the journal at `journal` into the folder `dest`, encrypted and
/// signed with `key` (the school's). Safe while the app keeps writing.
pub fn backup(
    journal: &Path,
    dest: &Path,
    key: &SchoolKey,
    options: &BackupOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BackupDone> {
    check_destination(dest)?;
    progress(Progress { stage: Stage::Snapshot, done: 0, total: 1 });
    let snapshot::Snapshot { source, conn, school_id: school } = snapshot::take(journal)?;
    if key.params() != &keys::KdfParams::for_school(school) {
        return Err(BackupError::KeyOfOtherSchool { path: journal.to_owned(), school: school.to_string() });
    }
    let image = conn.serialize(rusqlite::MAIN_DB)?;
    let image: &[u8] = &image;
    progress(Progress { stage: Stage::Snapshot, done: 1, total: 1 });

    let now = options.now.unwrap_or_else(Utc::now);
    let (name, final_path) = free_name(dest, school, now);
    let partial = dest.join(format!(".{name}.partial"));
    let written = Arc::new(AtomicU64::new(0));
    let result = std::thread::scope(|scope| {
        // The quick_check, the manifest's counts and the image's SHA-256 on
        // the other core while this one compresses and writes (2 cores:
        // together they took as long as zstd; docs/BENCHMARKS.md «Backups»).
        // Nothing gets its final name before they are in.
        let checker = scope.spawn(move || -> Result<(snapshot::Facts, String)> {
            let facts = snapshot::check(source, journal)?;
            Ok((facts, hex::encode(Sha256::digest(image))))
        });
        let payload = write_payload(&partial, dest, image, school, key, options, &written, progress);
        let checked = checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (facts, db_sha256) = checked?;
        let (file_sha256, file_bytes, manifest) =
            write_trailer(payload?, &partial, dest, image.len() as u64, &facts, db_sha256, key, now, &written)?;
        read_back(
            &partial,
            dest,
            &file_sha256,
            file_bytes,
            manifest.payload_bytes,
            &manifest.payload_sha256,
            progress,
        )?;
        std::fs::rename(&partial, &final_path)
            .map_err(|e| write_error(dest, "переименовать копию", &final_path, e, 0))?;
        sync_dir(dest).map_err(|e| write_error(dest, "записать папку", dest, e, 0))?;
        Ok((file_sha256, file_bytes, manifest))
    });
    let (file_sha256, file_bytes, manifest) = match result {
        Ok(done) => done,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    let removed = retention(dest, school, &final_path, options.keep.max(1));
    Ok(BackupDone { path: final_path, manifest, file_sha256, file_bytes, removed })
}

/// The first name of the copy made at `now` not yet taken in `dest`.
fn free_name(dest: &Path, school: uuid::Uuid, now: DateTime<Utc>) -> (String, PathBuf) {
    let mut n = 0;
    loop {
        let name = format::file_name(school, now, n);
        let path = dest.join(&name);
        if !path.exists() {
            return (name, path);
        }
        n += 1;
    }
}

/// The file being written, hashing everything that passes.
struct HashingFile {
    file: std::fs::File,
    sha: Sha256,
    written: Arc<AtomicU64>,
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.sha.update(&buf[..n]);
        self.written.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Cuts the compressed stream into chunks and seals each with STREAM.
struct ChunkSealer {
    out: HashingFile,
    encryptor: Option<EncryptorBE32<XChaCha20Poly1305>>,
    aad: Vec<u8>,
    buf: Vec<u8>,
}

impl ChunkSealer {
    fn seal(&mut self, last: bool) -> std::io::Result<()> {
        let sealed = if last {
            let encryptor = self.encryptor.take().ok_or_else(|| std::io::Error::other("STREAM закрыт"))?;
            encryptor.encrypt_last_in_place(&self.aad, &mut self.buf)
        } else {
            let encryptor = self.encryptor.as_mut().ok_or_else(|| std::io::Error::other("STREAM закрыт"))?;
            encryptor.encrypt_next_in_place(&self.aad, &mut self.buf)
        };
        sealed.map_err(|_| std::io::Error::other("шифрование не удалось"))?;
        self.out.write_all(&(self.buf.len() as u32).to_le_bytes())?;
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<HashingFile> {
        self.seal(true)?;
        Ok(self.out)
    }
}

impl Write for ChunkSealer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = CHUNK_SIZE - self.buf.len();
        let n = room.min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK_SIZE {
            self.seal(false)?;
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the copy will need, from how far it has come (for «нужно около N МБ»).
fn need(written: &AtomicU64, done: u64, total: u64) -> u64 {
    let so_far = written.load(Ordering::Relaxed);
    if done == 0 { total / 2 } else { so_far.saturating_mul(total) / done.max(1) }
}

/// Write the magic, the header and the encrypted chunks into `partial`.
#[allow(clippy::too_many_arguments)]
fn write_payload(
    partial: &Path,
    dest: &Path,
    image: &[u8],
    school: uuid::Uuid,
    key: &SchoolKey,
    options: &BackupOptions,
    written: &Arc<AtomicU64>,
    progress: &mut dyn FnMut(Progress),
) -> Result<HashingFile> {
    let total = image.len() as u64;
    let io = |e: std::io::Error, done: u64| write_error(dest, "записать копию", partial, e, need(written, done, total));

    let _ = std::fs::remove_file(partial);
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(partial).map_err(|e| io(e, 0))?;
    let mut out = HashingFile { file, sha: Sha256::new(), written: written.clone() };

    let mut file_salt = [0u8; 32];
    let mut nonce = [0u8; 19];
    fill_random(&mut file_salt);
    fill_random(&mut nonce);
    let file_key = key.file_key(&file_salt);
    let header = Header {
        format: FORMAT,
        school_id: school,
        kdf: key.params().clone(),
        cipher: "XChaCha20-Poly1305 STREAM-BE32".into(),
        compression: "zstd".into(),
        file_salt: hex::encode(file_salt),
        nonce: hex::encode(nonce),
        key_check: keys::key_check(&file_key),
        chunk_size: CHUNK_SIZE as u32,
    };
    let header_bytes = serde_json::to_vec(&header).expect("header serializes");
    out.write_all(MAGIC).map_err(|e| io(e, 0))?;
    out.write_all(&(header_bytes.len() as u32).to_le_bytes()).map_err(|e| io(e, 0))?;
    out.write_all(&header_bytes).map_err(|e| io(e, 0))?;

    let aead = XChaCha20Poly1305::new((&file_key).into());
    let sealer = ChunkSealer {
        out,
        encryptor: Some(EncryptorBE32::from_aead(aead, (&nonce).into())),
        aad: header_bytes,
        buf: Vec::with_capacity(CHUNK_SIZE + 16),
    };
    let mut encoder = zstd::stream::write::Encoder::new(sealer, options.zstd_level).map_err(|e| io(e, 0))?;
    let mut done = 0u64;
    for piece in image.chunks(CHUNK_SIZE) {
        encoder.write_all(piece).map_err(|e| io(e, done))?;
        done += piece.len() as u64;
        progress(Progress { stage: Stage::Write, done, total });
    }
    let sealer = encoder.finish().map_err(|e| io(e, done))?;
    sealer.finish().map_err(|e| io(e, done))
}

/// Sign and append the manifest, fsync; the file's (SHA-256, size) and the manifest.
#[allow(clippy::too_many_arguments)]
fn write_trailer(
    mut out: HashingFile,
    partial: &Path,
    dest: &Path,
    db_bytes: u64,
    facts: &snapshot::Facts,
    db_sha256: String,
    key: &SchoolKey,
    now: DateTime<Utc>,
    written: &Arc<AtomicU64>,
) -> Result<(String, u64, Manifest)> {
    let io = |e: std::io::Error| write_error(dest, "записать копию", partial, e, need(written, db_bytes, db_bytes));
    let payload_sha256 = hex::encode(out.sha.clone().finalize());
    let payload_bytes = written.load(Ordering::Relaxed);
    let manifest = Manifest {
        format: FORMAT,
        school_id: facts.school_id,
        school_name: facts.school_name.clone(),
        first_op: facts.first_op,
        created_at: now,
        device_id: facts.device_id,
        program_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: facts.schema_version,
        op_log: facts.op_log.clone(),
        counts: facts.counts.clone(),
        db_sha256,
        db_bytes,
        payload_sha256,
        payload_bytes,
        signer: key.public_hex(),
    };
    let manifest_bytes = serde_json::to_vec(&manifest).expect("manifest serializes");
    let signature = key.sign(&manifest_bytes);
    let trailer = [&manifest_bytes[..], &signature, &(manifest_bytes.len() as u32).to_le_bytes(), END_MAGIC];
    for part in trailer {
        out.write_all(part).map_err(io)?;
    }
    // Plain writes (like VACUUM INTO's) leave the data in the OS cache:
    // without this fsync a power cut or a pulled stick could keep a name
    // and lose the copy.
    out.file.sync_all().map_err(io)?;
    drop_cache(&out.file);
    let file_bytes = written.load(Ordering::Relaxed);
    Ok((hex::encode(out.sha.finalize()), file_bytes, manifest))
}

/// Read the written copy back from the medium by its path and compare.
fn read_back(
    partial: &Path,
    dest: &Path,
    file_sha256: &str,
    file_bytes: u64,
    payload_bytes: u64,
    payload_sha256: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let io = |e: std::io::Error| write_error(dest, "прочитать записанную копию", partial, e, 0);
    let mut file = std::fs::File::open(partial).map_err(io)?;
    let mut whole = Sha256::new();
    let mut payload = Sha256::new();
    let mut buf = vec![0u8; CHUNK_SIZE];
    let mut done = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        whole.update(&buf[..n]);
        let in_payload = payload_bytes.saturating_sub(done).min(n as u64) as usize;
        payload.update(&buf[..in_payload]);
        done += n as u64;
        progress(Progress { stage: Stage::ReadBack, done, total: file_bytes });
    }
    if done != file_bytes
        || hex::encode(whole.finalize()) != file_sha256
        || hex::encode(payload.finalize()) != payload_sha256
    {
        return Err(BackupError::ReadBackMismatch { path: dest.to_owned() });
    }
    Ok(())
}

/// Drop a file's clean pages from the OS cache, so the read-back reads the medium.
fn drop_cache(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain advisory call on an open descriptor we own.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// fsync a directory so a rename (or a new file) in it is durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn fill_random(bytes: &mut [u8]) {
    // getrandom through the OS, as uuid v4 does; no extra dependency.
    use chacha20poly1305::aead::rand_core::RngCore;
    chacha20poly1305::aead::OsRng.fill_bytes(bytes);
}

/// Keep the newest `keep` of the school's copies in `dir`, `just_written` always.
fn retention(dir: &Path, school: uuid::Uuid, just_written: &Path, keep: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut others: Vec<((String, u32), PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let order = format::parse_file_name(school, &name)?;
            let path = e.path();
            (path != just_written && e.file_type().ok()?.is_file()).then_some((order, path))
        })
        .filter(|(_, path)| {
            // Only a file whose signed trailer reads and names this school:
            // anything else under our name pattern is left alone.
            std::fs::File::open(path)
                .ok()
                .and_then(|mut f| format::read_layout(path, &mut f).ok())
                .is_some_and(|layout| layout.manifest.school_id == school)
        })
        .collect();
    others.sort_by(|a, b| b.0.cmp(&a.0));
    let mut removed = Vec::new();
    for (_, path) in others.into_iter().skip(keep - 1) {
        if std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    if !removed.is_empty() {
        let _ = sync_dir(dir);
    }
    removed
}

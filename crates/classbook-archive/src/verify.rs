//! Checking a bundle, years later, with one command and no passphrase: the
//! signature of the manifest (by the key expected: a fingerprint given, or
//! the one the register of this journal holds for the bundle), every listed
//! file present with its size and SHA-256, nothing unlisted, and the
//! snapshot's own signed structure (`classbook_backup::verify`).

use crate::disk;
use crate::error::{ArchiveError, Result};
use crate::manifest::{FORMAT, MANIFEST, Manifest, SIGNATURE};
use crate::{Progress, Stage};
use classbook_backup::keys::fingerprint_matches;
use classbook_core::Journal;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What was checked of a bundle.
#[derive(Clone, Debug)]
pub struct ArchiveCheck {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// The signer's fingerprint.
    pub fingerprint: String,
    /// The bundle's number in this journal's register, when it is there.
    pub register_number: Option<i64>,
    /// What was checked, in Russian, one line each.
    pub checks: Vec<String>,
}

/// Check the bundle in `dir`. `expected_signer`: a fingerprint (or public
/// key) the signer must have; without it the signer's fingerprint is
/// reported for a person to compare with the one on paper.
pub fn verify_archive(
    dir: &Path,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ArchiveCheck> {
    let (manifest, bytes) = read_manifest(dir)?;
    check(dir, manifest, &bytes, expected_signer, progress)
}

/// `verify_archive` against this journal's archive register: the key is the
/// one registered for the bundle (unless `expected_signer` is given), the
/// manifest must be the registered one, and the outcome is noted in the register.
pub fn verify_registered(
    journal: &Journal,
    dir: &Path,
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ArchiveCheck> {
    let (manifest, bytes) = read_manifest(dir)?;
    let record = journal.archive_named(&manifest.bundle)?;
    let expected = expected_signer.map(str::to_owned).or_else(|| record.as_ref().map(|r| r.bundle.signer.clone()));
    let outcome = check(dir, manifest, &bytes, expected.as_deref(), progress).and_then(|mut checked| {
        if let Some(record) = &record {
            let sha = {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(&bytes))
            };
            if sha != record.bundle.manifest_sha256 {
                return Err(ArchiveError::NotAsRegistered {
                    path: dir.to_owned(),
                    number: record.number,
                    detail: "опись архива не та, что внесена в реестр".into(),
                });
            }
            checked.register_number = Some(record.number);
            checked.checks.push(format!(
                "опись совпадает с записью № {} архивного реестра (ключ — записанный в реестре)",
                record.number
            ));
        } else {
            checked.checks.push("в архивном реестре этого журнала такого архива нет".into());
        }
        Ok(checked)
    });
    if let Some(record) = &record {
        journal.record_archive_check(record.number, journal.now(), outcome.is_ok())?;
    }
    outcome
}

fn read_manifest(dir: &Path) -> Result<(Manifest, Vec<u8>)> {
    let path = dir.join(MANIFEST);
    if !dir.is_dir() {
        return Err(ArchiveError::BadDestination {
            path: dir.to_owned(), reason: "такой папки нет".into()
        });
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ArchiveError::NotAnArchive { path: dir.to_owned() });
        }
        Err(source) => return Err(ArchiveError::Io { what: "прочитать", path, source }),
    };
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| ArchiveError::BadManifest { path: dir.to_owned(), detail: e.to_string() })?;
    if manifest.format > FORMAT {
        return Err(ArchiveError::BadManifest {
            path: dir.to_owned(),
            detail: format!("архив сделан более новой программой (формат {}): обновите Classbook", manifest.format),
        });
    }
    Ok((manifest, bytes))
}

fn check(
    dir: &Path,
    manifest: Manifest,
    bytes: &[u8],
    expected_signer: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ArchiveCheck> {
    let bad_signature = || ArchiveError::BadSignature { path: dir.to_owned() };
    let signature = std::fs::read_to_string(dir.join(SIGNATURE)).map_err(|_| bad_signature())?;
    let signature: [u8; 64] =
        hex::decode(signature.trim()).ok().and_then(|s| s.try_into().ok()).ok_or_else(bad_signature)?;
    if !classbook_backup::verify_signature(bytes, &signature, &manifest.signer) {
        return Err(bad_signature());
    }
    let fingerprint = classbook_backup::fingerprint_of(&manifest.signer).unwrap_or_default();
    let mut checks = vec![format!(
        "опись архива «{}» ({}, {} учебный год) подписана ключом {fingerprint}: подпись верна",
        manifest.bundle, manifest.school_name, manifest.year
    )];
    match expected_signer {
        Some(expected) if !fingerprint_matches(expected, &manifest.signer) => {
            let expected = classbook_backup::fingerprint_of(expected).unwrap_or_else(|| expected.to_owned());
            return Err(ArchiveError::ForeignSigner { path: dir.to_owned(), expected, found: fingerprint });
        }
        Some(_) => checks.push("ключ подписи — ключ школы (отпечаток совпадает)".into()),
        None => checks.push(format!(
            "сверьте отпечаток ключа {fingerprint} с записанным в архивном реестре школы (или укажите его в --key)"
        )),
    }

    let (found, _) =
        disk::walk(dir).map_err(|source| ArchiveError::Io {
            what: "прочитать папку", path: dir.to_owned(), source
        })?;
    let found: BTreeSet<String> = found.into_iter().filter(|f| f != MANIFEST && f != SIGNATURE).collect();
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let mut problems = Vec::new();
    let total: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    let mut done = 0u64;
    for entry in &manifest.files {
        // A listed path that climbs out of the bundle is damage, not a file to read.
        if entry.path.split('/').any(|p| p == ".." || p.is_empty()) || entry.path.starts_with('/') {
            problems.push(ArchiveError::BadManifest {
                path: dir.to_owned(), detail: format!("путь «{}»", entry.path)
            });
            continue;
        }
        if !found.contains(&entry.path) {
            problems.push(ArchiveError::Missing { file: entry.path.clone() });
            continue;
        }
        let path = dir.join(&entry.path);
        let start = done;
        let hashed = disk::hash_file(&path, &mut |n| {
            done += n;
            progress(Progress::new(Stage::Verify, done.min(total), total));
        });
        done = start + entry.bytes;
        match hashed {
            Ok((sha, bytes)) if sha == entry.sha256 && bytes == entry.bytes => {}
            Ok(_) => problems.push(ArchiveError::Changed { file: entry.path.clone() }),
            Err(source) => problems.push(ArchiveError::Io { what: "прочитать", path, source }),
        }
    }
    for extra in found.iter().filter(|f| !listed.contains(f.as_str())) {
        problems.push(ArchiveError::Extra { file: extra.clone() });
    }
    if problems.is_empty() {
        checks.push(format!(
            "все {} описи на месте, размер и SHA-256 каждого совпадают ({:.1} МБ); лишних файлов нет",
            files(manifest.files.len()),
            total as f64 / 1e6
        ));
    }

    // The snapshot's own signed manifest: the same school, the same key.
    for entry in manifest.files.iter().filter(|f| f.kind == crate::FileKind::Snapshot) {
        if problems.iter().any(
            |p| matches!(p, ArchiveError::Missing { file } | ArchiveError::Changed { file } if file == &entry.path),
        ) {
            continue;
        }
        let path = dir.join(&entry.path);
        match classbook_backup::verify(&path, None, Some(&fingerprint), &mut |p| {
            progress(Progress::new(Stage::VerifySnapshot, p.done, p.total))
        }) {
            Ok(verified) if verified.manifest.school_id == manifest.school_id => checks.push(format!(
                "снимок журнала {}: его опись подписана тем же ключом, SHA-256 совпадает (операций: {}, \
                 отметок: {})",
                entry.path, verified.manifest.op_log.ops, verified.manifest.counts.marks
            )),
            Ok(_) => problems.push(ArchiveError::BadManifest {
                path: dir.to_owned(),
                detail: format!("снимок {} — журнал другой школы", entry.path),
            }),
            Err(error) => problems.push(ArchiveError::Snapshot(error)),
        }
    }
    progress(Progress::new(Stage::Done, 1, 1));
    match problems.len() {
        0 => Ok(ArchiveCheck { dir: dir.to_owned(), manifest, fingerprint, register_number: None, checks }),
        1 => Err(problems.remove(0)),
        _ => Err(ArchiveError::Damaged { problems }),
    }
}

/// «1 файл», «3 файла», «94 файла», «25 файлов».
fn files(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (1, m) if m != 11 => "файл",
        (2..=4, m) if !(12..=14).contains(&m) => "файла",
        _ => "файлов",
    };
    format!("{n} {word}")
}

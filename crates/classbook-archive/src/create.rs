//! Making the yearly archive:
//!
//! 1. checks before anything is written: who (administrators and deputy
//!    heads, `Journal::check_makes_archive`), the year (every period of it
//!    closed), at least two different existing folders, the school's key;
//! 2. the bundle is built once in a staging folder beside the journal (it has
//!    room for the journal, so for the bundle too): per class the yearly
//!    journal and the summary sheet as PDF and the journal as xlsx, the
//!    school's archive copy of all tables, the snapshot (the whole journal,
//!    encrypted and signed, by `classbook-backup`), the readme and
//!    SHA256SUMS, then the manifest with every file's SHA-256 and its signature;
//! 3. it is copied into `.<name>.partial` on every medium, each file fsync'd
//!    and dropped from the OS cache, the folders fsync'd;
//! 4. every copy is read back from its medium and compared with the manifest
//!    (USB sticks may acknowledge an fsync they did not do);
//! 5. files become 0444 and folders 0555, and each partial folder is renamed
//!    to its name — so a folder with the bundle's name is always complete;
//! 6. the bundle is entered in the archive register.
//!
//! The archive is on all the media given or on none: a failure anywhere
//! removes this run's folders on every medium (a second copy elsewhere is the
//! point of the archive, and one copy would only look like an archive).

use crate::disk;
use crate::error::{ArchiveError, Result, write_error};
use crate::manifest::{self, CHECKSUMS, FORMAT, FileEntry, FileKind, MANIFEST, Manifest, README, SIGNATURE};
use crate::{Progress, Stage};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use classbook_backup::SchoolKey;
use classbook_core::{Journal, NewArchiveRecord, PeriodInfo, Session, translit};
use classbook_exchange::ExportFormat;
use std::path::{Path, PathBuf};

/// The name of the school's archive copy of all tables in `xlsx/`.
pub const ARCHIVE_COPY: &str = "Архивная копия журнала.xlsx";

#[derive(Clone, Debug, Default)]
pub struct ArchiveOptions {
    /// Where the bundle is built before it is copied (default: beside the journal file).
    pub staging: Option<PathBuf>,
}

/// A bundle written to every medium, read back and entered in the register.
#[derive(Clone, Debug)]
pub struct ArchiveDone {
    /// The bundle's folder name.
    pub name: String,
    /// The bundle's folder on each medium.
    pub copies: Vec<PathBuf>,
    pub manifest: Manifest,
    /// SHA-256 (hex) of `manifest.json`.
    pub manifest_sha256: String,
    /// Its number in the archive register (None: the entry failed, see warnings).
    pub number: Option<i64>,
    /// Pages of the class journals and summary sheets.
    pub pages: usize,
    /// What the administrator should know (both copies on one disk …).
    pub warnings: Vec<String>,
}

/// The study year being archived and its classes.
struct Year {
    title: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    periods: Vec<PeriodInfo>,
    classes: Vec<(uuid::Uuid, String)>,
}

/// Make the yearly archive of `year` («2025/2026») into `destinations`
/// (at least two folders on different media), signed with the school's `key`.
pub fn create_archive(
    journal: &Journal,
    session: &Session,
    year: &str,
    destinations: &[PathBuf],
    key: &SchoolKey,
    progress: &mut dyn FnMut(Progress),
) -> Result<ArchiveDone> {
    create_archive_with(journal, session, year, destinations, key, &ArchiveOptions::default(), progress)
}

/// `create_archive` with options.
pub fn create_archive_with(
    journal: &Journal,
    session: &Session,
    year: &str,
    destinations: &[PathBuf],
    key: &SchoolKey,
    options: &ArchiveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ArchiveDone> {
    progress(Progress::new(Stage::Check, 0, 1));
    journal.check_makes_archive(session)?;
    let year = find_year(journal, session, year)?;
    let mut warnings = Vec::new();
    let destinations = check_destinations(destinations, &mut warnings)?;
    let school_id = classbook_backup::school_of(journal.path())?;
    if key.params() != &classbook_backup::KdfParams::for_school(school_id) {
        return Err(ArchiveError::Snapshot(classbook_backup::BackupError::BadPath {
            path: journal.path().to_owned(),
            reason: "ключ резервных копий задан для другой школы — задайте его заново (classbook backup key)".into(),
        }));
    }
    let school_name = journal.setting("school_name")?.unwrap_or_default();
    let created_at = journal.now();
    let name = free_name(&destinations, &bundle_base(&year.title, &school_name));
    progress(Progress::new(Stage::Check, 1, 1));

    let parent = match &options.staging {
        Some(dir) => dir.clone(),
        None => journal.path().parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned(),
    };
    let parent = std::fs::canonicalize(&parent).map_err(|source| ArchiveError::Io {
        what: "открыть папку для сборки архива",
        path: parent.clone(),
        source,
    })?;
    let staging =
        tempfile::Builder::new().prefix(".classbook-archive-staging-").tempdir_in(&parent).map_err(|source| {
            ArchiveError::Io {
                what: "создать папку для сборки архива", path: parent.clone(), source
            }
        })?;
    let root = staging.path();

    let pages = build(journal, session, &year, root, key, created_at, progress)?;
    let manifest = Manifest {
        format: FORMAT,
        bundle: name.clone(),
        school_id,
        school_name,
        year: year.title.clone(),
        year_starts_on: year.starts_on,
        year_ends_on: year.ends_on,
        created_at,
        created_by: format!("{} ({})", session.name, session.login),
        program_version: env!("CARGO_PKG_VERSION").into(),
        signer: key.public_hex(),
        key_fingerprint: key.fingerprint(),
        files: Vec::new(),
    };
    let manifest = finish(root, manifest, &year, progress)?;
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    let signature = hex::encode(key.sign(&manifest_bytes));
    let write = |file: &str, bytes: &[u8]| {
        let path = root.join(file);
        std::fs::write(&path, bytes).map_err(|source| ArchiveError::Io { what: "записать", path, source })
    };
    write(MANIFEST, &manifest_bytes)?;
    write(SIGNATURE, format!("{signature}\n").as_bytes())?;
    let manifest_sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&manifest_bytes))
    };

    let copies = copy_everywhere(root, &name, &manifest, &destinations, &mut warnings, progress)?;
    drop(staging);

    let record = NewArchiveRecord {
        year: year.title.clone(),
        created_at,
        who: manifest.created_by.clone(),
        bundle: name.clone(),
        manifest_sha256: manifest_sha256.clone(),
        signer: manifest.signer.clone(),
        key_fingerprint: manifest.key_fingerprint.clone(),
        files: manifest.files.len() as u64 + 2,
        bytes: manifest.bytes(),
        destinations: copies.iter().map(|c| c.display().to_string()).collect(),
    };
    let number = match journal.record_archive(&record) {
        Ok(number) => Some(number),
        Err(error) => {
            warnings.push(format!(
                "Архив записан на носители, но не внесён в архивный реестр этого журнала: {error}. \
                 Внесите его вручную: {name}, SHA-256 описи {manifest_sha256}."
            ));
            None
        }
    };
    progress(Progress::new(Stage::Done, 1, 1));
    Ok(ArchiveDone { name, copies, manifest, manifest_sha256, number, pages, warnings })
}

/// Whether `session` may archive `year` and the year is closed: what a
/// screen checks before it asks for the key and the media.
pub fn check_year(journal: &Journal, session: &Session, year: &str) -> Result<()> {
    journal.check_makes_archive(session)?;
    find_year(journal, session, year).map(|_| ())
}

/// The year named «2025/2026» (or «2025-2026», «2025/26», «2025»), its
/// periods (all closed) and classes.
fn find_year(journal: &Journal, session: &Session, wanted: &str) -> Result<Year> {
    let structure = journal.school_structure(session)?;
    let norm = |s: &str| s.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect::<String>();
    let wanted_norm = norm(&wanted.replace(['-', '–', '—', '_'], "/"));
    let first_year: Option<i32> = wanted_norm.split('/').next().and_then(|y| y.parse().ok());
    let found = structure
        .years
        .iter()
        .find(|y| norm(&y.title) == wanted_norm)
        .or_else(|| structure.years.iter().find(|y| Some(y.starts_on.year()) == first_year));
    let Some(info) = found else {
        let known = structure.years.iter().map(|y| format!("«{}»", y.title)).collect::<Vec<_>>().join(", ");
        return Err(ArchiveError::NoSuchYear {
            wanted: wanted.to_owned(),
            known: if known.is_empty() { "учебных годов нет".into() } else { known },
        });
    };
    let periods: Vec<PeriodInfo> =
        journal.periods()?.into_iter().filter(|p| p.starts_on >= info.starts_on && p.ends_on <= info.ends_on).collect();
    let open: Vec<String> = periods.iter().filter(|p| !p.closed).map(|p| format!("«{}»", p.title)).collect();
    if !open.is_empty() || periods.is_empty() {
        return Err(ArchiveError::YearNotClosed {
            year: info.title.clone(),
            open: if open.is_empty() {
                "(в году нет учебных периодов)".into()
            } else {
                open.join(", ")
            },
        });
    }
    let classes: Vec<(uuid::Uuid, String)> =
        structure.classes.iter().filter(|c| c.year_id == Some(info.id)).map(|c| (c.id, c.name.clone())).collect();
    if classes.is_empty() {
        return Err(ArchiveError::NoClasses { year: info.title.clone() });
    }
    Ok(Year { title: info.title.clone(), starts_on: info.starts_on, ends_on: info.ends_on, periods, classes })
}

/// At least two existing folders, none the same as another; a warning when
/// two are on one file system (one disk is one medium, whatever the folders).
fn check_destinations(destinations: &[PathBuf], warnings: &mut Vec<String>) -> Result<Vec<PathBuf>> {
    if destinations.len() < 2 {
        return Err(ArchiveError::TooFewDestinations);
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    for dest in destinations {
        classbook_backup::check_destination(dest).map_err(|e| match e {
            classbook_backup::BackupError::BadPath { path, reason } => ArchiveError::BadDestination { path, reason },
            other => ArchiveError::Snapshot(other),
        })?;
        let real = std::fs::canonicalize(dest).map_err(|source| ArchiveError::Io {
            what: "открыть папку",
            path: dest.clone(),
            source,
        })?;
        if seen.contains(&real) {
            return Err(ArchiveError::SameDestination { path: dest.clone() });
        }
        seen.push(real);
    }
    let devices: Vec<Option<u64>> = seen.iter().map(|d| disk::device_of(d)).collect();
    for (i, a) in devices.iter().enumerate() {
        if let Some(j) = devices[..i].iter().position(|b| a.is_some() && b == a) {
            warnings.push(format!(
                "«{}» и «{}»: оба носителя на одном диске: храните копии на разных носителях в разных помещениях.",
                destinations[j].display(),
                destinations[i].display()
            ));
        }
    }
    Ok(destinations.to_vec())
}

/// `classbook-archive-2025-2026-<school slug>`.
fn bundle_base(year: &str, school: &str) -> String {
    let year: String = year.chars().map(|c| if c.is_ascii_digit() { c } else { '-' }).collect();
    let year = year.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    let slug = slug(school);
    match (year.is_empty(), slug.is_empty()) {
        (false, false) => format!("classbook-archive-{year}-{slug}"),
        (false, true) => format!("classbook-archive-{year}"),
        (true, _) => format!("classbook-archive-{slug}"),
    }
}

/// The school's name in lower-case Latin letters, digits and dashes (safe
/// on any medium's file system). A long name is shortened as schools shorten
/// theirs: long words to their initials, short words and numbers kept
/// («МБОУ «Средняя общеобразовательная школа № 7»» → `mbou-sosh-7`).
pub fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let full = words.iter().map(|w| translit(w)).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-");
    if full.len() <= 40 {
        return full;
    }
    let mut parts: Vec<String> = Vec::new();
    let mut initials = String::new();
    for word in &words {
        if word.chars().count() > 4 && !word.chars().all(|c| c.is_ascii_digit()) {
            initials.extend(word.chars().next());
            continue;
        }
        if !initials.is_empty() {
            parts.push(translit(&std::mem::take(&mut initials)));
        }
        parts.push(translit(word));
    }
    if !initials.is_empty() {
        parts.push(translit(&initials));
    }
    let mut slug = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    slug.truncate(40);
    slug.trim_end_matches('-').to_owned()
}

/// The first of `base`, `base-2`, … free on every medium (a year archived
/// again gets a new bundle: an archive is never overwritten).
fn free_name(destinations: &[PathBuf], base: &str) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 { base.to_owned() } else { format!("{base}-{n}") };
        if destinations.iter().all(|d| std::fs::symlink_metadata(d.join(&name)).is_err()) {
            return name;
        }
        n += 1;
    }
}

/// A class's name as a file name (a class is «5А»; nothing to escape but
/// what no file system takes).
fn file_stem(class: &str) -> String {
    class
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect()
}

/// Print, export and snapshot into `root`; the pages printed.
fn build(
    journal: &Journal,
    session: &Session,
    year: &Year,
    root: &Path,
    key: &SchoolKey,
    created_at: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<usize> {
    let mkdir = |dir: &str| {
        let path = root.join(dir);
        std::fs::create_dir(&path)
            .map_err(|source| ArchiveError::Io { what: "создать папку", path, source })?;
        Ok::<_, ArchiveError>(root.join(dir))
    };
    let (journals, summary, xlsx, snapshot) =
        (mkdir("journals")?, mkdir("summary")?, mkdir("xlsx")?, mkdir("snapshot")?);
    let today = journal.school_date(created_at)?;
    let total = year.classes.len() as u64;
    let mut pages = 0;
    // One class at a time: one document in memory at once (as `print journal --out`).
    for (i, (class_id, class)) in year.classes.iter().enumerate() {
        progress(Progress::new(Stage::Print, i as u64, total).about(class));
        let book = journal.class_book(session, *class_id, None)?;
        let printed = classbook_print::class_journal(&book, today);
        pages += printed.document.page_count();
        classbook_print::save_pdf(&journals.join(format!("{}.pdf", file_stem(class))), &printed.document.to_pdf())?;
        drop(printed);
        let sheet = classbook_print::summary_sheet(&book, today);
        pages += sheet.page_count();
        classbook_print::save_pdf(&summary.join(format!("{}.pdf", file_stem(class))), &sheet.to_pdf())?;
    }
    progress(Progress::new(Stage::Print, total, total));
    for (i, (class_id, class)) in year.classes.iter().enumerate() {
        progress(Progress::new(Stage::Export, i as u64, total + 1).about(class));
        let out = xlsx.join(format!("{}.xlsx", file_stem(class)));
        classbook_exchange::export_journal(journal, session, *class_id, &year.periods, ExportFormat::Xlsx, &out)?;
    }
    progress(Progress::new(Stage::Export, total, total + 1).about("архивная копия"));
    classbook_exchange::export_archive(journal, session, ExportFormat::Xlsx, &xlsx.join(ARCHIVE_COPY))?;
    progress(Progress::new(Stage::Export, total + 1, total + 1));

    // The snapshot in the backup format: encrypted with the school's key
    // (the journal holds children's personal data), signed, and checkable
    // without the passphrase by `classbook verify` as well as by ours.
    let options = classbook_backup::BackupOptions { keep: 1, now: Some(created_at), ..Default::default() };
    classbook_backup::backup(journal.path(), &snapshot, key, &options, &mut |p| {
        let stage = match p.stage {
            classbook_backup::Stage::Snapshot => Stage::Snapshot,
            _ => Stage::SnapshotWrite,
        };
        progress(Progress::new(stage, p.done, p.total));
    })?;
    Ok(pages)
}

/// Hash everything built, write ПРОЧТИТЕ.txt and SHA256SUMS, and list it all.
fn finish(root: &Path, mut manifest: Manifest, year: &Year, progress: &mut dyn FnMut(Progress)) -> Result<Manifest> {
    let io = |what: &'static str, path: &Path| {
        let path = path.to_owned();
        move |source| ArchiveError::Io { what, path, source }
    };
    let (files, _) = disk::walk(root).map_err(io("прочитать папку", root))?;
    let total: u64 = files.iter().filter_map(|f| std::fs::metadata(root.join(f)).ok()).map(|m| m.len()).sum();
    let mut done = 0u64;
    let mut entry = |rel: &str, kind: FileKind, done: &mut u64| -> Result<FileEntry> {
        let path = root.join(rel);
        let (sha256, bytes) = disk::hash_file(&path, &mut |n| {
            *done += n;
            progress(Progress::new(Stage::Hash, *done, total));
        })
        .map_err(io("прочитать", &path))?;
        Ok(FileEntry {
            path: rel.to_owned(),
            bytes,
            sha256,
            kind,
            keep_years: kind.keep_years(),
            keep_until: manifest::keep_until(year.ends_on, kind.keep_years()),
        })
    };
    let mut entries = Vec::new();
    for rel in &files {
        let kind = match rel.split('/').next() {
            Some("journals") => FileKind::Journal,
            Some("summary") => FileKind::Summary,
            Some("xlsx") => FileKind::Xlsx,
            _ => FileKind::Snapshot,
        };
        entries.push(entry(rel, kind, &mut done)?);
    }
    manifest.files = entries;
    let readme = readme(&manifest);
    std::fs::write(root.join(README), readme).map_err(io("записать", &root.join(README)))?;
    let readme_entry = entry(README, FileKind::Readme, &mut done)?;
    manifest.files.push(readme_entry);
    // For a check by hand with any system's tools: `sha256sum -c SHA256SUMS`.
    let sums: String = manifest.files.iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect();
    std::fs::write(root.join(CHECKSUMS), sums).map_err(io("записать", &root.join(CHECKSUMS)))?;
    let sums_entry = entry(CHECKSUMS, FileKind::Readme, &mut done)?;
    manifest.files.push(sums_entry);
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(manifest)
}

/// ПРОЧТИТЕ.txt: what the bundle is and how to check it, for whoever opens
/// the medium in 25 years (maybe without Classbook).
fn readme(m: &Manifest) -> String {
    let count = |kind: FileKind| m.files.iter().filter(|f| f.kind == kind).count();
    let until = |kind: FileKind| manifest::keep_until(m.year_ends_on, kind.keep_years()).format("%d.%m.%Y").to_string();
    format!(
        "АРХИВ ЭЛЕКТРОННОГО КЛАССНОГО ЖУРНАЛА\r\n\
         \r\n\
         Школа: {school}\r\n\
         Учебный год: {year} ({from} – {to})\r\n\
         Архив сформирован: {created} (UTC), {who}; программа Classbook {version}\r\n\
         Имя архива: {bundle}\r\n\
         \r\n\
         Состав:\r\n\
         \x20 journals/  — классные журналы за год, PDF ({journals} шт.; хранить 5 лет, до {journal_until})\r\n\
         \x20 summary/   — сводные ведомости итоговых отметок, PDF ({summaries} шт.; хранить 25 лет, до {summary_until})\r\n\
         \x20 xlsx/      — журналы классов и архивная копия всех таблиц журнала, Excel (хранить 5 лет)\r\n\
         \x20 snapshot/  — снимок всего журнала (.cbbackup): сжат, зашифрован парольной фразой резервных копий\r\n\
         \x20              школы, подписан ключом школы (хранить 5 лет)\r\n\
         \x20 manifest.json — опись: каждый файл, его размер, SHA-256 и срок хранения\r\n\
         \x20 manifest.sig  — электронная подпись описи ключом школы (Ed25519, hex)\r\n\
         \x20 SHA256SUMS    — те же SHA-256 для проверки стандартными средствами\r\n\
         \r\n\
         Отпечаток ключа школы: {fingerprint}\r\n\
         Сверьте его с записью в архивном реестре школы: совпадение отпечатка и верная подпись\r\n\
         означают, что архив сформирован школой и с тех пор не изменён.\r\n\
         \r\n\
         Как проверить архив:\r\n\
         \x20 classbook archive verify ПАПКА_АРХИВА --key \"{fingerprint}\"\r\n\
         \x20 (проверяет подпись описи, размер и SHA-256 каждого файла, отсутствие лишних файлов\r\n\
         \x20 и подпись снимка журнала; парольная фраза не нужна).\r\n\
         \r\n\
         Вручную (без Classbook), в папке архива:\r\n\
         \x20 Linux:   sha256sum -c SHA256SUMS\r\n\
         \x20 Windows: certutil -hashfile \"journals\\5А.pdf\" SHA256 — для каждого файла, сравнить с manifest.json\r\n\
         Подпись описи проверяется открытым ключом signer из manifest.json (Ed25519 над байтами\r\n\
         manifest.json в точности как они записаны).\r\n\
         \r\n\
         Архив неизменяем: файлы только для чтения, ничего не добавляйте и не удаляйте.\r\n\
         Храните не меньше двух копий на разных носителях в разных помещениях.\r\n",
        school = m.school_name,
        year = m.year,
        from = m.year_starts_on.format("%d.%m.%Y"),
        to = m.year_ends_on.format("%d.%m.%Y"),
        created = m.created_at.format("%d.%m.%Y %H:%M"),
        who = m.created_by,
        version = m.program_version,
        bundle = m.bundle,
        journals = count(FileKind::Journal),
        summaries = count(FileKind::Summary),
        journal_until = until(FileKind::Journal),
        summary_until = until(FileKind::Summary),
        fingerprint = m.key_fingerprint,
    )
}

/// Copy the staged bundle to every medium, read every copy back, make them
/// read-only and give them their names — or remove them all.
fn copy_everywhere(
    root: &Path,
    name: &str,
    manifest: &Manifest,
    destinations: &[PathBuf],
    warnings: &mut Vec<String>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<PathBuf>> {
    let partials: Vec<PathBuf> = destinations.iter().map(|d| d.join(format!(".{name}.partial"))).collect();
    let finals: Vec<PathBuf> = destinations.iter().map(|d| d.join(name)).collect();
    let mut renamed: Vec<PathBuf> = Vec::new();
    let result =
        (|| {
            let mut files: Vec<(String, String, u64)> =
                manifest.files.iter().map(|f| (f.path.clone(), f.sha256.clone(), f.bytes)).collect();
            for extra in [MANIFEST, SIGNATURE] {
                let (sha, bytes) = disk::hash_file(&root.join(extra), &mut |_| {}).map_err(|source| {
                    ArchiveError::Io { what: "прочитать", path: root.join(extra), source }
                })?;
                files.push((extra.to_owned(), sha, bytes));
            }
            let per_copy: u64 = files.iter().map(|f| f.2).sum();
            let total = per_copy * destinations.len() as u64;
            let mut done = 0u64;
            for (dest, partial) in destinations.iter().zip(&partials) {
                // A partial folder of ours left by a crash or a pulled stick.
                disk::remove_tree(partial);
                write_copy(root, dest, partial, &files, &mut |n| {
                    done += n;
                    progress(Progress::new(Stage::Copy, done, total));
                })?;
            }
            let mut done = 0u64;
            for (dest, partial) in destinations.iter().zip(&partials) {
                read_back(dest, partial, &files, &mut |n| {
                    done += n;
                    progress(Progress::new(Stage::ReadBack, done, total));
                })?;
            }
            for ((dest, partial), target) in destinations.iter().zip(&partials).zip(&finals) {
                let (_, dirs) = disk::walk(partial).map_err(|e| write_error(dest, partial, e))?;
                let mut refused = false;
                for rel in files.iter().map(|f| &f.0) {
                    refused |= disk::set_mode(&partial.join(rel), 0o444).is_err();
                }
                // Sub-folders now, the bundle's own folder after its rename.
                for dir in dirs.iter().filter(|d| *d != partial) {
                    refused |= disk::set_mode(dir, 0o555).is_err();
                }
                std::fs::rename(partial, target).map_err(|e| write_error(dest, target, e))?;
                renamed.push(target.clone());
                refused |= disk::set_mode(target, 0o555).is_err();
                disk::sync_dir(dest).map_err(|e| write_error(dest, dest, e))?;
                if refused {
                    warnings.push(format!(
                        "На «{}» файлы архива не удалось сделать только для чтения (файловая система носителя этого \
                     не хранит): берегите носитель от записи сами.",
                        dest.display()
                    ));
                }
            }
            Ok(())
        })();
    match result {
        Ok(()) => Ok(finals),
        Err(error) => {
            let mut removed = Vec::new();
            for ((dest, partial), target) in destinations.iter().zip(&partials).zip(&finals) {
                let had = partial.exists() || renamed.contains(target);
                disk::remove_tree(partial);
                if renamed.contains(target) {
                    disk::remove_tree(target);
                }
                let failed_here = match &error {
                    ArchiveError::NoSpace { path, .. }
                    | ArchiveError::DestinationGone { path, .. }
                    | ArchiveError::ReadOnly { path, .. }
                    | ArchiveError::Denied { path, .. }
                    | ArchiveError::ReadBackMismatch { path, .. } => path == dest,
                    _ => false,
                };
                if had && !failed_here {
                    removed.push(dest.clone());
                }
            }
            Err(error.with_others_removed(&removed))
        }
    }
}

/// Write one copy into `partial`, every file and folder fsync'd.
fn write_copy(
    root: &Path,
    dest: &Path,
    partial: &Path,
    files: &[(String, String, u64)],
    tick: &mut dyn FnMut(u64),
) -> Result<()> {
    let err = |path: &Path| {
        let path = path.to_owned();
        move |e: std::io::Error| write_error(dest, &path, e)
    };
    std::fs::create_dir(partial).map_err(err(partial))?;
    let mut dirs = vec![partial.to_owned()];
    for (rel, _, _) in files {
        let to = partial.join(rel);
        if let Some(parent) = to.parent()
            && !dirs.iter().any(|d| d == parent)
        {
            std::fs::create_dir_all(parent).map_err(err(parent))?;
            dirs.push(parent.to_owned());
        }
        disk::copy_durably(&root.join(rel), &to, tick).map_err(err(&to))?;
    }
    for dir in dirs.iter().rev() {
        disk::sync_dir(dir).map_err(err(dir))?;
    }
    disk::sync_dir(dest).map_err(err(dest))?;
    Ok(())
}

/// Read a copy back from its medium (the pages were dropped from the cache)
/// and compare every file with what was staged.
fn read_back(dest: &Path, partial: &Path, files: &[(String, String, u64)], tick: &mut dyn FnMut(u64)) -> Result<()> {
    for (rel, sha, bytes) in files {
        let path = partial.join(rel);
        let (found, len) = disk::hash_file(&path, tick).map_err(|e| write_error(dest, &path, e))?;
        if &found != sha || len != *bytes {
            return Err(ArchiveError::ReadBackMismatch {
                path: dest.to_owned(),
                file: rel.clone(),
                others: String::new(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_is_named_by_year_and_school() {
        assert_eq!(slug("МБОУ «Средняя общеобразовательная школа № 7»"), "mbou-sosh-7");
        assert_eq!(slug("Школа №7"), "shkola-7");
        assert_eq!(bundle_base("2025/2026", "Школа №7"), "classbook-archive-2025-2026-shkola-7");
        assert_eq!(bundle_base("2025/2026", ""), "classbook-archive-2025-2026");
        assert_eq!(file_stem("5А"), "5А");
        assert_eq!(file_stem("a/b"), "a_b");
    }
}

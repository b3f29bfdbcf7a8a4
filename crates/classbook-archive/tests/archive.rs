//! The yearly archive of a real (small) demo school, on real files: a closed
//! year is archived on two media, read-only, and verifies; pdfinfo reads its
//! journals and `sha256sum -c` its checksums; each kind of damage (a changed
//! byte, a deleted file, an added file, a changed manifest, a signature by
//! another key) fails with its own Russian message; an open period, one
//! folder given twice, a read-only medium and a full one leave no bundle
//! that looks complete; the register lists the bundle.
//!
//! The read-only and full-medium tests mount small tmpfs file systems, so
//! they need root (as CI runs); they fail rather than skip without it.

use classbook_archive::{
    ArchiveError, ArchiveOptions, FileKind, Progress, Stage, create_archive_with, register_rows, verify_archive,
    verify_registered,
};
use classbook_backup::{SchoolKey, keys::KdfParams, school_of};
use classbook_core::Journal;
use classbook_core::demo::{DEMO_PASSWORD, DemoConfig};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const PASSPHRASE: &str = "школа семь, шкаф три";
const YEAR: &str = "2025/2026";

/// One demo school per test process (4 classes, 80 students), copied for
/// each test: `closed` with every period of its year closed by the administrator.
fn template(closed: bool) -> &'static Path {
    static OPEN: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    static CLOSED: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let cell = if closed { &CLOSED } else { &OPEN };
    &cell
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("template.db");
            {
                let mut journal = Journal::open(&path).unwrap();
                let config = DemoConfig { classes: 4, students: 80, ..DemoConfig::default() };
                journal.create_demo(&config, |_, _| {}).unwrap();
                if closed {
                    close_year(&mut journal);
                }
            }
            (dir, path)
        })
        .1
}

fn close_year(journal: &mut Journal) {
    journal.set_fixed_now(journal.demo_clock_start().unwrap());
    let admin = journal.login("admin", DEMO_PASSWORD).unwrap();
    for period in journal.periods().unwrap() {
        if !period.closed {
            journal.close_period(&admin, period.id, true).unwrap();
        }
    }
}

/// A journal of its own for one test, on the demo school's clock.
fn journal(dir: &Path, closed: bool) -> Journal {
    let path = dir.join("journal.db");
    std::fs::copy(template(closed), &path).unwrap();
    let mut journal = Journal::open(&path).unwrap();
    journal.set_fixed_now(journal.demo_clock_start().unwrap());
    journal
}

fn key_of(journal: &Journal) -> SchoolKey {
    static KEY: OnceLock<SchoolKey> = OnceLock::new();
    KEY.get_or_init(|| {
        SchoolKey::derive(PASSPHRASE, &KdfParams::for_school(school_of(journal.path()).unwrap())).unwrap()
    })
    .clone()
}

fn folders(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| {
            let path = dir.join(n);
            std::fs::create_dir_all(&path).unwrap();
            path
        })
        .collect()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|e| e.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn options(dir: &Path) -> ArchiveOptions {
    let staging = dir.join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    ArchiveOptions { staging: Some(staging) }
}

/// Make the archive as the deputy head, into `dests`.
fn make(journal: &Journal, dir: &Path, dests: &[PathBuf]) -> Result<classbook_archive::ArchiveDone, ArchiveError> {
    let session = journal.check_credentials("zavuch", DEMO_PASSWORD).unwrap();
    let mut stages = Vec::new();
    let done =
        create_archive_with(journal, &session, YEAR, dests, &key_of(journal), &options(dir), &mut |p: Progress| {
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage);
            }
        });
    if done.is_ok() {
        for stage in
            [Stage::Check, Stage::Print, Stage::Export, Stage::Snapshot, Stage::Hash, Stage::Copy, Stage::ReadBack]
        {
            assert!(stages.contains(&stage), "{stage:?} reported: {stages:?}");
        }
    }
    done
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A writable copy of a bundle to damage.
fn damaged_copy(bundle: &Path, dir: &Path, name: &str) -> PathBuf {
    let target = dir.join(name);
    std::fs::create_dir_all(&target).unwrap();
    let copy = target.join(bundle.file_name().unwrap());
    let status = Command::new("cp").arg("-r").arg(bundle).arg(&target).status().unwrap();
    assert!(status.success());
    let status = Command::new("chmod").args(["-R", "u+w"]).arg(&copy).status().unwrap();
    assert!(status.success());
    copy
}

#[test]
fn a_closed_year_is_archived_on_two_media_read_only_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), true);
    let dests = folders(dir.path(), &["usb1", "usb 2"]);
    let done = make(&journal, dir.path(), &dests).unwrap();
    assert_eq!(done.name, "classbook-archive-2025-2026-mbou-sosh-7");
    assert_eq!(done.copies, dests.iter().map(|d| d.join(&done.name)).collect::<Vec<_>>());
    assert!(done.warnings.iter().any(|w| w.contains("оба носителя на одном диске")), "{:?}", done.warnings);
    assert!(done.pages > 0);
    assert_eq!(done.number, Some(1));

    let m = &done.manifest;
    let count = |kind: FileKind| m.files.iter().filter(|f| f.kind == kind).count();
    assert_eq!((count(FileKind::Journal), count(FileKind::Summary), count(FileKind::Snapshot)), (4, 4, 1));
    assert_eq!(count(FileKind::Xlsx), 5, "a journal per class and the school's archive copy");
    for f in &m.files {
        let expected = match f.kind {
            FileKind::Summary | FileKind::Readme => 25,
            _ => 5,
        };
        assert_eq!(f.keep_years, expected, "{}", f.path);
    }
    assert!(m.files.iter().any(|f| f.path == "journals/5А.pdf" || f.path.starts_with("journals/")));
    assert_eq!(m.keep_until().unwrap().to_string(), format!("2051-{}", &m.year_ends_on.to_string()[5..]));
    assert_eq!(m.year, YEAR);
    assert!(m.created_by.contains("zavuch"));

    for copy in &done.copies {
        // Read-only: every file 0444, every folder 0555.
        let mut stack = vec![copy.clone()];
        while let Some(d) = stack.pop() {
            assert_eq!(mode(&d), 0o555, "{}", d.display());
            for e in std::fs::read_dir(&d).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    assert_eq!(mode(&e.path()), 0o444, "{}", e.path().display());
                }
            }
        }
        assert!(entries(copy.parent().unwrap()).iter().all(|n| !n.contains("partial")));
        let checked = verify_archive(copy, Some(&key_of(&journal).fingerprint()), &mut |_| {}).unwrap();
        assert!(checked.checks.iter().any(|c| c.contains("лишних файлов нет")), "{:?}", checked.checks);
        assert!(checked.checks.iter().any(|c| c.contains("снимок журнала")), "{:?}", checked.checks);
        // Without a key given, the signer's fingerprint is reported to compare.
        let checked = verify_archive(copy, None, &mut |_| {}).unwrap();
        assert_eq!(checked.fingerprint, key_of(&journal).fingerprint());
        assert!(checked.checks.iter().any(|c| c.contains("сверьте отпечаток")), "{:?}", checked.checks);
        // By hand, with the system's own tool.
        let out = Command::new("sha256sum").args(["-c", "--quiet", "SHA256SUMS"]).current_dir(copy).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    let readme = std::fs::read_to_string(done.copies[0].join("ПРОЧТИТЕ.txt")).unwrap();
    assert!(readme.contains(&key_of(&journal).fingerprint()) && readme.contains("classbook archive verify"));
    assert!(readme.contains("sha256sum"));
    assert!(entries(&dir.path().join("staging")).is_empty(), "the staging folder is removed");

    // pdfinfo reads a journal of the bundle.
    let pdf = done.copies[1].join(&m.files.iter().find(|f| f.kind == FileKind::Journal).unwrap().path);
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo (poppler-utils) is installed");
    assert!(info.status.success(), "{}", String::from_utf8_lossy(&info.stderr));
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().parse().unwrap()))
        .unwrap();
    assert!(pages > 10, "{pages} pages");

    // The register lists it; a check against it is noted there.
    let rows = register_rows(&journal).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "1");
    assert_eq!(rows[0][4], done.name);
    let checked = verify_registered(&journal, &done.copies[0], None, &mut |_| {}).unwrap();
    assert_eq!(checked.register_number, Some(1));
    let record = &journal.archives().unwrap()[0];
    assert_eq!(record.verified_ok, Some(true));
    assert_eq!(record.bundle.manifest_sha256, done.manifest_sha256);
    assert_eq!(record.bundle.destinations.len(), 2);
    let xlsx = dir.path().join("реестр.xlsx");
    classbook_archive::export_register(&journal, &xlsx).unwrap();
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    let csv = dir.path().join("реестр.csv");
    classbook_archive::export_register(&journal, &csv).unwrap();
    assert!(std::fs::read_to_string(&csv).unwrap().contains(&done.name));

    // The same year again: a new bundle beside the first, never over it.
    let again = make(&journal, dir.path(), &dests).unwrap();
    assert_eq!(again.name, format!("{}-2", done.name));
    assert_eq!(again.number, Some(2));
}

#[test]
fn each_kind_of_damage_fails_with_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), true);
    let dests = folders(dir.path(), &["a", "b"]);
    let done = make(&journal, dir.path(), &dests).unwrap();
    let bundle = &done.copies[0];
    let fingerprint = key_of(&journal).fingerprint();
    let pdf = done.manifest.files.iter().find(|f| f.kind == FileKind::Summary).unwrap().path.clone();

    // A changed byte in a PDF: the file is named.
    let copy = damaged_copy(bundle, dir.path(), "byte");
    let path = copy.join(&pdf);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "changed", "{err}");
    assert!(err.to_string().contains(&pdf) && err.to_string().contains("изменён"), "{err}");

    // A deleted file.
    let copy = damaged_copy(bundle, dir.path(), "deleted");
    std::fs::remove_file(copy.join(&pdf)).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "missing", "{err}");
    assert!(err.to_string().contains(&pdf) && err.to_string().contains("нет файла"), "{err}");

    // An added file.
    let copy = damaged_copy(bundle, dir.path(), "added");
    std::fs::write(copy.join("journals").join("10Я.pdf"), b"%PDF-1.7").unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "extra", "{err}");
    assert!(err.to_string().contains("journals/10Я.pdf") && err.to_string().contains("лишний"), "{err}");

    // Two problems at once: both are said.
    std::fs::remove_file(copy.join(&pdf)).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "damaged", "{err}");
    assert!(err.to_string().contains("лишний") && err.to_string().contains("нет файла"), "{err}");

    // A changed manifest (a file's hash «corrected» to hide a change).
    let copy = damaged_copy(bundle, dir.path(), "manifest");
    let text = std::fs::read_to_string(copy.join("manifest.json")).unwrap();
    let sha = &done.manifest.files[0].sha256;
    std::fs::write(copy.join("manifest.json"), text.replace(sha.as_str(), &"0".repeat(64))).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "bad_signature", "{err}");
    assert!(err.to_string().contains("Подпись описи") && err.to_string().contains("неверна"), "{err}");

    // Signed again by another key, the school's key still named in it.
    let other = SchoolKey::derive("чужая фраза, чужой ключ", &KdfParams::for_school(uuid::Uuid::from_u128(9))).unwrap();
    let copy = damaged_copy(bundle, dir.path(), "resigned");
    let bytes = std::fs::read(copy.join("manifest.json")).unwrap();
    std::fs::write(copy.join("manifest.sig"), hex::encode(other.sign(&bytes))).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "bad_signature", "{err}");

    // A forgery signed by another key that names itself: the signature
    // holds, the key is not the school's.
    let copy = damaged_copy(bundle, dir.path(), "forged");
    let text = std::fs::read_to_string(copy.join("manifest.json")).unwrap();
    let forged = text.replace(&key_of(&journal).public_hex(), &other.public_hex());
    std::fs::write(copy.join("manifest.json"), &forged).unwrap();
    std::fs::write(copy.join("manifest.sig"), hex::encode(other.sign(forged.as_bytes()))).unwrap();
    let err = verify_archive(&copy, Some(&fingerprint), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "foreign_signer", "{err}");
    assert!(err.to_string().contains(&other.fingerprint()) && err.to_string().contains(&fingerprint), "{err}");
    // Against the register the forgery is caught without a fingerprint typed,
    // and the failed check is noted.
    let err = verify_registered(&journal, &copy, None, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "foreign_signer", "{err}");
    assert_eq!(journal.archives().unwrap()[0].verified_ok, Some(false));
    // Without any key to compare the forgery still fails: the snapshot
    // inside is signed by the school's key, not by the forger's.
    let err = verify_archive(&copy, None, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "snapshot", "{err}");
    assert!(err.to_string().contains(&fingerprint), "{err}");

    // Not a bundle at all.
    let err = verify_archive(dir.path(), None, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "not_an_archive", "{err}");
}

#[test]
fn an_open_period_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), false);
    let dests = folders(dir.path(), &["a", "b"]);
    let err = make(&journal, dir.path(), &dests).unwrap_err();
    assert_eq!(err.code(), "year_not_closed", "{err}");
    let text = err.to_string();
    assert!(text.contains("«4 четверть»") && text.contains("«Администрирование»"), "{text}");
    assert!(!text.contains("«1 четверть»"), "the demo closed Q1–Q3 itself: {text}");
    for d in &dests {
        assert!(entries(d).is_empty(), "{:?}", entries(d));
    }
    assert!(entries(&dir.path().join("staging")).is_empty());
    assert!(journal.archives().unwrap().is_empty());
}

#[test]
fn who_may_make_it_and_where_it_may_go() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), true);
    let dests = folders(dir.path(), &["a", "b"]);
    let key = key_of(&journal);
    let options = options(dir.path());
    let run = |login: &str, dests: &[PathBuf], year: &str| {
        let session = journal.check_credentials(login, DEMO_PASSWORD).unwrap();
        create_archive_with(&journal, &session, year, dests, &key, &options, &mut |_| {}).unwrap_err()
    };
    // The inspector and the secretary read every class but do not make the
    // archive; nor does the director, whom the archive copy of all tables
    // (`Journal::archive_tables`: administrators and deputy heads) refuses.
    for login in ["inspector", "secretary", "director"] {
        let err = run(login, &dests, YEAR);
        assert_eq!(err.code(), "journal", "{login}: {err}");
        assert!(err.to_string().contains("администратор или заместитель директора"), "{err}");
    }
    // The same folder twice, or under another name.
    let err = run("admin", &[dests[0].clone(), dests[0].clone()], YEAR);
    assert_eq!(err.code(), "same_destination", "{err}");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&dests[0], &link).unwrap();
    let err = run("admin", &[dests[0].clone(), link], YEAR);
    assert_eq!(err.code(), "same_destination", "{err}");
    assert!(err.to_string().contains("два разных"), "{err}");
    let err = run("admin", &dests[..1], YEAR);
    assert_eq!(err.code(), "too_few_destinations", "{err}");
    let err = run("admin", &[dests[0].clone(), dir.path().join("нет такой")], YEAR);
    assert_eq!(err.code(), "bad_destination", "{err}");
    let err = run("admin", &dests, "2024/2025");
    assert_eq!(err.code(), "no_such_year", "{err}");
    assert!(err.to_string().contains("«2025/2026»"), "{err}");
    for d in &dests {
        assert!(entries(d).is_empty(), "{:?}", entries(d));
    }
    // «2025-2026» names the same year.
    let session = journal.check_credentials("admin", DEMO_PASSWORD).unwrap();
    create_archive_with(&journal, &session, "2025-2026", &dests, &key, &options, &mut |_| {}).unwrap();
}

/// A tmpfs mounted for a test, unmounted when it ends (pass or fail).
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, options: &str) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        let status = Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(at).status().unwrap();
        assert!(status.success(), "mount tmpfs needs root (CI runs the tests as root)");
        Mount(at.to_owned())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_or_full_medium_leaves_no_bundle_on_any() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), true);
    let good = folders(dir.path(), &["good"]).remove(0);

    let ro = dir.path().join("ro");
    let _ro = Mount::new(&ro, "ro,size=64m");
    let err = make(&journal, dir.path(), &[good.clone(), ro.clone()]).unwrap_err();
    assert_eq!(err.code(), "read_only", "{err}");
    assert!(err.to_string().contains("только для чтения"), "{err}");
    assert!(err.to_string().contains("тоже удалены"), "the good medium's copy went too: {err}");
    assert!(entries(&good).is_empty(), "{:?}", entries(&good));
    assert!(entries(&ro).is_empty());

    // A medium too small for the bundle: it fills mid-copy.
    let tiny = dir.path().join("tiny");
    let _tiny = Mount::new(&tiny, "size=256k");
    let err = make(&journal, dir.path(), &[good.clone(), tiny.clone()]).unwrap_err();
    assert_eq!(err.code(), "no_space", "{err}");
    assert!(err.to_string().contains("закончилось место"), "{err}");
    assert!(entries(&good).is_empty(), "{:?}", entries(&good));
    assert!(entries(&tiny).is_empty(), "{:?}", entries(&tiny));
    assert!(entries(&dir.path().join("staging")).is_empty());
    assert!(journal.archives().unwrap().is_empty(), "nothing entered in the register");
    // The medium is usable afterwards: nothing of ours is left on it.
    let out = Command::new("df").arg("--output=used").arg(&tiny).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().parse::<u64>().unwrap() < 16);
}

#[test]
fn a_medium_pulled_out_mid_copy_leaves_no_bundle_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path(), true);
    let dests = folders(dir.path(), &["usb1", "usb2"]);
    let session = journal.check_credentials("admin", DEMO_PASSWORD).unwrap();
    let pulled = dests[1].clone();
    // The second stick is pulled out while the first copy is being written.
    let err =
        create_archive_with(&journal, &session, YEAR, &dests, &key_of(&journal), &options(dir.path()), &mut |p| {
            if p.stage == Stage::Copy && pulled.exists() {
                std::fs::remove_dir_all(&pulled).unwrap();
            }
        })
        .unwrap_err();
    assert_eq!(err.code(), "destination_gone", "{err}");
    assert!(err.to_string().contains("носитель отключён") && err.to_string().contains("тоже удалены"), "{err}");
    assert!(entries(&dests[0]).is_empty(), "{:?}", entries(&dests[0]));
    assert!(journal.archives().unwrap().is_empty());
}

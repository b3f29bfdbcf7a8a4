//! Backups of real journal files (a small demo school): a copy taken while
//! another thread keeps writing restores to exactly the state at the copy's
//! point; damaged, cut and wrongly opened copies fail with their own Russian
//! messages; a destination that vanishes, is read-only or fills up leaves no
//! file that looks like a backup; retention; restore's safety copy and its
//! refusal of another school's copy.
//!
//! The read-only and full-disk tests mount small tmpfs file systems, so they
//! need root (as CI runs); they fail rather than skip without it.

use classbook_backup::{
    BackupError, BackupOptions, Progress, RestoreOptions, SchoolKey, Secret, Stage, backup, keys::KdfParams, restore,
    school_of, verify,
};
use classbook_core::Journal;
use classbook_core::demo::{DEMO_PASSWORD, DemoConfig};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const PASSPHRASE: &str = "школа семь, шкаф три";

/// A small demo school in `dir/name`, and one of its teachers' login.
fn demo(dir: &Path, name: &str, seed: u64) -> (PathBuf, String) {
    let path = dir.join(name);
    let mut journal = Journal::open(&path).unwrap();
    let config = DemoConfig { seed, classes: 2, students: 40, ..DemoConfig::default() };
    let school = journal.create_demo(&config, |_, _| {}).unwrap();
    let teacher = school
        .accounts
        .iter()
        .find(|a| a.role.starts_with("учитель") && a.password == DEMO_PASSWORD)
        .expect("a demo teacher")
        .login
        .clone();
    (path, teacher)
}

fn key_of(journal: &Path) -> SchoolKey {
    SchoolKey::derive(PASSPHRASE, &KdfParams::for_school(school_of(journal).unwrap())).unwrap()
}

fn options(at: &str) -> BackupOptions {
    BackupOptions { now: Some(at.parse().unwrap()), ..BackupOptions::default() }
}

fn no_progress() -> impl FnMut(Progress) {
    |_| {}
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// (ops, digest) of a journal file.
fn state(path: &Path) -> (i64, String) {
    let journal = Journal::open(path).unwrap();
    (journal.stats().unwrap().ops, journal.digest().unwrap())
}

/// Some entries by `teacher`, as in the app (the demo school's clock).
fn enter(path: &Path, teacher: &str, entries: usize, seed: u64) {
    let mut journal = Journal::open(path).unwrap();
    journal.set_fixed_now(journal.demo_clock_start().unwrap());
    let session = journal.login(teacher, DEMO_PASSWORD).unwrap();
    let done = journal.simulate(&session, entries, seed).unwrap();
    assert!(done.entered() > 0);
}

#[test]
fn a_copy_taken_while_writing_restores_to_exactly_its_point() {
    let dir = tempfile::tempdir().unwrap();
    let (path, teacher) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let dest = dir.path().join("usb");
    std::fs::create_dir(&dest).unwrap();

    // A teacher keeps entering marks on another connection; after each
    // commit the writer notes the journal's state, so every state the copy
    // could have caught is in `states`.
    let states = Arc::new(Mutex::new(vec![state(&path)]));
    let commits = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, states, commits, stop) = (path.clone(), states.clone(), commits.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut journal = Journal::open(&path).unwrap();
            journal.set_fixed_now(journal.demo_clock_start().unwrap());
            let session = journal.login(&teacher, DEMO_PASSWORD).unwrap();
            let mut seed = 1;
            while !stop.load(Ordering::SeqCst) {
                journal.simulate(&session, 3, seed).unwrap();
                seed += 1;
                states.lock().unwrap().push((journal.stats().unwrap().ops, journal.digest().unwrap()));
                commits.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let wait_for_commits = |n: usize| {
        let target = commits.load(Ordering::SeqCst) + n;
        while commits.load(Ordering::SeqCst) < target {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    wait_for_commits(2);
    let mut during_write = false;
    let done = backup(&path, &dest, &key, &BackupOptions::default(), &mut |p: Progress| {
        // Entries keep landing while the copy is compressed and written.
        if p.stage == Stage::Write && !during_write {
            during_write = true;
            wait_for_commits(2);
        }
    })
    .unwrap();
    wait_for_commits(2);
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert!(during_write);

    let states = states.lock().unwrap().clone();
    let last = states.last().unwrap().0;
    let at_copy = done.manifest.op_log.ops as i64;
    assert!(at_copy > states[0].0 && at_copy < last, "the copy caught the journal mid-work: {at_copy} of {last}");

    let target = dir.path().join("restored.db");
    let restored =
        restore(&target, &done.path, &Secret::Key(key), &RestoreOptions::default(), &mut no_progress()).unwrap();
    assert!(restored.safety_copy.is_none(), "no journal was there to keep");
    let got = state(&target);
    assert_eq!(got.0, at_copy);
    assert!(states.contains(&got), "the restored journal is the state after one of the writer's commits");
    let journal = Journal::open(&target).unwrap();
    assert_eq!(journal.stats().unwrap(), done.manifest.counts);
    assert!(journal.check_integrity().unwrap().is_ok());
}

#[test]
fn damaged_cut_and_wrongly_opened_copies_fail_with_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let done = backup(&path, dir.path(), &key, &BackupOptions::default(), &mut no_progress()).unwrap();
    let bytes = std::fs::read(&done.path).unwrap();
    let good = verify(&done.path, Some(&Secret::Passphrase(PASSPHRASE.into())), None, &mut no_progress()).unwrap();
    assert!(good.decrypted && good.integrity.as_ref().unwrap().is_ok(), "{:?}", good.checks);
    assert_eq!(good.fingerprint, key.fingerprint());
    let authentic = verify(&done.path, None, Some(&key.fingerprint()), &mut no_progress()).unwrap();
    assert!(!authentic.decrypted);

    let variant = |name: &str, bytes: &[u8]| {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        file
    };
    let fails = |file: &Path, secret: Option<&Secret>| {
        let error = verify(file, secret, None, &mut no_progress()).unwrap_err();
        (error.code(), error.to_string())
    };
    let passphrase = Secret::Passphrase(PASSPHRASE.into());

    // A byte flipped in the middle of the encrypted data.
    let mut flipped = bytes.clone();
    flipped[done.manifest.payload_bytes as usize / 2] ^= 0x40;
    let flipped = variant("flipped.cbbackup", &flipped);
    for secret in [None, Some(&passphrase)] {
        let (code, message) = fails(&flipped, secret);
        assert_eq!(code, "corrupt", "{message}");
        assert!(message.starts_with("Копия «") && message.contains("повреждена"), "{message}");
    }
    // A chunk's length field damaged: not «cut», damaged.
    let header_len = u32::from_le_bytes(bytes[17..21].try_into().unwrap()) as usize;
    let mut length = bytes.clone();
    length[21 + header_len + 2] ^= 0x10;
    let length = variant("length.cbbackup", &length);
    for secret in [None, Some(&passphrase)] {
        let (code, message) = fails(&length, secret);
        assert_eq!(code, "corrupt", "{message}");
    }
    // A byte flipped in the signed manifest.
    let mut in_manifest = bytes.clone();
    in_manifest[done.manifest.payload_bytes as usize + 20] ^= 0x01;
    let (code, message) = fails(&variant("manifest.cbbackup", &in_manifest), None);
    assert_eq!(code, "corrupt");
    assert!(message.contains("повреждена"), "{message}");

    // Cut short: anywhere, the end is missing.
    for keep in [bytes.len() - 1, bytes.len() / 2, 40] {
        let (code, message) = fails(&variant("cut.cbbackup", &bytes[..keep]), None);
        assert_eq!(code, "truncated", "{keep}: {message}");
        assert!(message.contains("обрезана"), "{message}");
    }
    let (code, _) = fails(&variant("nothing.cbbackup", b"PK\x03\x04 a zip"), None);
    assert_eq!(code, "not_a_backup");

    let (code, message) = fails(&done.path, Some(&Secret::Passphrase("школа семь, шкаф 3".into())));
    assert_eq!(code, "wrong_passphrase");
    assert!(message.starts_with("Неверная парольная фраза резервной копии"), "{message}");

    let other = SchoolKey::derive("другая фраза", &KdfParams::for_school(uuid::Uuid::from_u128(5))).unwrap();
    let error = verify(&done.path, None, Some(&other.fingerprint()), &mut no_progress()).unwrap_err();
    assert_eq!(error.code(), "foreign_signer", "{error}");
}

#[test]
fn a_destination_removed_mid_backup_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let dest = dir.path().join("usb");
    std::fs::create_dir(&dest).unwrap();
    let mut pulled = false;
    let error = backup(&path, &dest, &key, &BackupOptions::default(), &mut |p: Progress| {
        if p.stage == Stage::Write && p.done > 0 && !pulled {
            pulled = true;
            std::fs::remove_dir_all(&dest).unwrap();
        }
    })
    .unwrap_err();
    assert!(pulled);
    assert_eq!(error.code(), "destination_gone", "{error}");
    assert!(error.to_string().contains("пропала во время записи"), "{error}");
    assert!(!dest.exists());
    assert_eq!(files_in(dir.path()), ["journal.db", "journal.db-shm", "journal.db-wal"]);

    // The folder comes back empty: a later backup works, and the log keeps both.
    std::fs::create_dir(&dest).unwrap();
    let journal = Journal::open(&path).unwrap();
    classbook_backup::record(&journal, &dest, &Err(error)).unwrap();
    let done = backup(&path, &dest, &key, &BackupOptions::default(), &mut no_progress());
    classbook_backup::record(&journal, &dest, &done).unwrap();
    let done = done.unwrap();
    assert_eq!(files_in(&dest), [done.path.file_name().unwrap().to_string_lossy().into_owned()]);
    let last = journal.last_good_backup().unwrap().unwrap();
    assert_eq!(last.path, done.path.display().to_string());
    assert_eq!(last.sha256.as_deref(), Some(done.file_sha256.as_str()));
    assert_eq!(journal.backups(10).unwrap().len(), 2);
}

/// A tmpfs mounted for a test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, options: &str) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        let out =
            std::process::Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(at).output().unwrap();
        assert!(out.status.success(), "mount tmpfs (needs root): {}", String::from_utf8_lossy(&out.stderr));
        Mount(at.to_owned())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_destination_is_refused_and_left_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let mount = Mount::tmpfs(&dir.path().join("ro"), "ro,size=4m");
    let error = backup(&path, &mount.0, &key, &BackupOptions::default(), &mut no_progress()).unwrap_err();
    assert_eq!(error.code(), "read_only", "{error}");
    assert!(error.to_string().contains("только для чтения"), "{error}");
    assert!(files_in(&mount.0).is_empty());
}

#[test]
fn a_full_disk_keeps_the_last_good_copy_and_leaves_no_partial() {
    let dir = tempfile::tempdir().unwrap();
    let (path, teacher) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let first = backup(&path, dir.path(), &key, &BackupOptions::default(), &mut no_progress()).unwrap();
    std::fs::remove_file(&first.path).unwrap();
    // Room for one copy and a half: the second copy runs out of space.
    let size = (first.file_bytes * 3 / 2).div_ceil(4096) * 4096;
    let mount = Mount::tmpfs(&dir.path().join("small"), &format!("size={size}"));
    let good = backup(&path, &mount.0, &key, &options("2026-05-26T10:00:00Z"), &mut no_progress()).unwrap();
    enter(&path, &teacher, 5, 1);
    let error = backup(&path, &mount.0, &key, &options("2026-05-26T11:00:00Z"), &mut no_progress()).unwrap_err();
    assert_eq!(error.code(), "no_space", "{error}");
    let message = error.to_string();
    assert!(message.contains("закончилось место (нужно около ") && message.contains(" МБ)"), "{message}");
    assert_eq!(files_in(&mount.0), [good.path.file_name().unwrap().to_string_lossy().into_owned()]);
    verify(&good.path, Some(&Secret::Key(key)), None, &mut no_progress()).unwrap();
}

#[test]
fn bad_destinations_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let inside = dir.path().join("a");
    std::fs::create_dir(&inside).unwrap();
    let cases = [
        (PathBuf::from("usb/copies"), "полный путь"),
        (inside.join("..").join("a"), "«..»"),
        (path.clone(), "это файл"),
        (dir.path().join("missing"), "такой папки нет"),
    ];
    for (dest, says) in cases {
        let error = backup(&path, &dest, &key, &BackupOptions::default(), &mut no_progress()).unwrap_err();
        assert_eq!(error.code(), "bad_path", "{}: {error}", dest.display());
        assert!(error.to_string().contains(says), "{error}");
    }
    assert_eq!(files_in(&inside), Vec::<String>::new());
}

#[test]
fn retention_keeps_the_newest_copies_and_touches_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let dest = dir.path().join("usb");
    std::fs::create_dir(&dest).unwrap();
    let school = school_of(&path).unwrap();
    let name = |at: &str| classbook_backup::format::file_name(school, at.parse().unwrap(), 0);
    // Not ours, or not a readable copy of this school: never deleted.
    std::fs::write(dest.join("notes.txt"), "список").unwrap();
    std::fs::write(dest.join(name("2026-05-01T09:00:00Z")), "not a backup").unwrap();
    let keep2 = |at: &str| BackupOptions { keep: 2, ..options(at) };
    let mut made = Vec::new();
    for at in ["2026-05-10T09:00:00Z", "2026-05-11T09:00:00Z", "2026-05-12T09:00:00Z", "2026-05-13T09:00:00Z"] {
        made.push(backup(&path, &dest, &key, &keep2(at), &mut no_progress()).unwrap());
    }
    assert_eq!(made[2].removed, [made[0].path.clone()]);
    assert_eq!(
        files_in(&dest),
        [name("2026-05-01T09:00:00Z"), name("2026-05-12T09:00:00Z"), name("2026-05-13T09:00:00Z"), "notes.txt".into()]
    );

    // A PC whose clock went back: the copy it just made is the newest
    // verified one whatever its name says, and is kept.
    let back =
        backup(&path, &dest, &key, &BackupOptions { keep: 1, ..options("2026-04-01T09:00:00Z") }, &mut no_progress())
            .unwrap();
    assert_eq!(files_in(&dest), [name("2026-04-01T09:00:00Z"), name("2026-05-01T09:00:00Z"), "notes.txt".into()]);
    assert_eq!(back.removed.len(), 2);
    // Two copies in the same second get different names.
    let a = backup(&path, &dest, &key, &options("2026-05-20T09:00:00Z"), &mut no_progress()).unwrap();
    let b = backup(&path, &dest, &key, &options("2026-05-20T09:00:00Z"), &mut no_progress()).unwrap();
    assert_ne!(a.path, b.path);
    assert!(a.path.exists() && b.path.exists());
}

#[test]
fn restore_keeps_a_safety_copy_and_brings_back_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, teacher) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let at_backup = state(&path);
    let done = backup(&path, dir.path(), &key, &BackupOptions::default(), &mut no_progress());
    classbook_backup::record(&Journal::open(&path).unwrap(), dir.path(), &done).unwrap();
    let done = done.unwrap();
    enter(&path, &teacher, 20, 3);
    let before_restore = state(&path);
    assert_ne!(before_restore, at_backup);
    let device = Journal::open(&path).unwrap().device();

    let mut stages = Vec::new();
    let restored = restore(
        &path,
        &done.path,
        &Secret::Passphrase(PASSPHRASE.into()),
        &RestoreOptions { now: Some("2026-05-26T12:00:00Z".parse().unwrap()), ..Default::default() },
        &mut |p: Progress| {
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage);
            }
        },
    )
    .unwrap();
    assert_eq!(stages, [Stage::Verify, Stage::Check, Stage::SafetyCopy, Stage::Install]);
    let safety = restored.safety_copy.unwrap();
    assert_eq!(safety, dir.path().join("journal.db.before-restore-20260526-120000.sqlite"));
    assert_eq!(state(&safety), before_restore);
    assert_eq!(state(&path), at_backup);
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.device(), device, "the PC keeps its identity");
    assert_eq!(journal.last_good_backup().unwrap().unwrap().path, done.path.display().to_string());
    assert!(journal.check_integrity().unwrap().is_ok());
    // No temporary files are left beside the journal.
    assert!(files_in(dir.path()).iter().all(|f| !f.starts_with(".classbook-restore-")), "{:?}", files_in(dir.path()));
}

#[test]
fn a_copy_of_another_school_is_refused_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, _) = demo(dir.path(), "ours.db", 7);
    let (theirs, _) = demo(dir.path(), "theirs.db", 8);
    let their_key = key_of(&theirs);
    let copy = backup(&theirs, dir.path(), &their_key, &BackupOptions::default(), &mut no_progress()).unwrap();
    let ours_before = state(&ours);
    let error =
        restore(&ours, &copy.path, &Secret::Key(their_key.clone()), &RestoreOptions::default(), &mut no_progress())
            .unwrap_err();
    assert!(matches!(error, BackupError::OtherSchool { .. }), "{error}");
    assert!(error.to_string().contains("другой школы") && error.to_string().contains("--other-school"), "{error}");
    assert_eq!(state(&ours), ours_before, "nothing changed");
    assert!(
        files_in(dir.path()).iter().all(|f| !f.contains("before-restore") && !f.starts_with(".classbook-restore-"))
    );

    let options = RestoreOptions { allow_other_school: true, ..Default::default() };
    restore(&ours, &copy.path, &Secret::Key(their_key), &options, &mut no_progress()).unwrap();
    assert_eq!(state(&ours), state(&theirs));
}

#[test]
fn a_drive_mounted_under_media_is_listed() {
    let at = PathBuf::from(format!("/media/classbook-test-{}/USB ДИСК", std::process::id()));
    assert!(!classbook_backup::removable_drives().contains(&at));
    let mount = Mount::tmpfs(&at, "size=1m");
    assert!(classbook_backup::removable_drives().contains(&at), "{:?}", classbook_backup::removable_drives());
    drop(mount);
    std::fs::remove_dir(&at).unwrap();
    std::fs::remove_dir(at.parent().unwrap()).unwrap();
    assert!(!classbook_backup::removable_drives().contains(&at));
}

#[test]
fn a_journal_that_no_longer_opens_is_kept_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo(dir.path(), "journal.db", 7);
    let key = key_of(&path);
    let at_backup = state(&path);
    let done = backup(&path, dir.path(), &key, &BackupOptions::default(), &mut no_progress()).unwrap();
    // The disk failed: the journal's first pages are garbage.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..8192].fill(0xAB);
    std::fs::write(&path, &bytes).unwrap();
    assert!(Journal::open(&path).is_err());

    let restored =
        restore(&path, &done.path, &Secret::Key(key), &RestoreOptions::default(), &mut no_progress()).unwrap();
    assert_eq!(std::fs::read(restored.safety_copy.unwrap()).unwrap(), bytes, "the broken file is kept as it was");
    assert_eq!(state(&path), at_backup);
    assert!(Journal::open(&path).unwrap().check_integrity().unwrap().is_ok());
}

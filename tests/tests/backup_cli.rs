//! `classbook backup`, `verify`, `restore` on a real demo journal: the real
//! binary, its exit codes and its Russian messages; the school's key set once
//! in a real Secret Service (gnome-keyring on a private bus) and used by
//! later backups without the passphrase; a PC of a school on a server,
//! restored from its backup, gets back by sync what it had sent since.

use classbook_tests::sync::{Keyring, Pc, Round, Server};
use classbook_tests::{classbook, stderr, stdout};
use std::path::Path;

const PHRASE: &str = "фраза школы для копий";

fn copies(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cbbackup"))
        .collect();
    found.sort();
    found
}

#[test]
fn backup_verify_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "40"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let accounts = stdout(&out);
    let teacher = accounts
        .lines()
        .find(|l| l.contains("demo2025") && l.contains("учитель"))
        .and_then(|l| l.split_whitespace().next())
        .expect("a demo teacher")
        .to_owned();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let usb_arg = usb.to_str().unwrap();
    let env = [("CLASSBOOK_BACKUP_PASSPHRASE", PHRASE)];
    let stats = |db: &Path| {
        let out = classbook(db, &["stats"], &[]);
        let text = stdout(&out);
        text.lines().find(|l| l.starts_with("Отпечаток состояния")).unwrap().to_owned()
    };
    let at_backup = stats(&db);

    let out = classbook(&db, &["backup", "--to", usb_arg], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("записана и проверена чтением с носителя"), "{}", stdout(&out));
    let copy = copies(&usb).pop().expect("a copy");
    let copy_arg = copy.to_str().unwrap();

    let out = classbook(&db, &["backup", "list"], &[]);
    assert!(stdout(&out).contains(&format!("Последняя проверенная копия: {copy_arg}")), "{}", stdout(&out));

    // Full check with the passphrase, authenticity alone without it.
    let out = classbook(&db, &["verify", copy_arg], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("PRAGMA integrity_check: ok") && said.contains("из неё можно восстановить"), "{said}");
    let fingerprint = said
        .lines()
        .find_map(|l| l.split("подписана ключом школы ").nth(1))
        .and_then(|rest| rest.split(" (").next())
        .unwrap()
        .to_owned();
    let out = classbook(&db, &["verify", copy_arg, "--key", &fingerprint], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("содержимое не расшифровано"), "{}", stdout(&out));
    let out = classbook(&db, &["verify", copy_arg, "--key", "0000 1111 2222 3333"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("подписана не ключом школы"), "{}", stderr(&out));

    let out = classbook(&db, &["verify", copy_arg], &[("CLASSBOOK_BACKUP_PASSPHRASE", "не та фраза")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Неверная парольная фраза резервной копии"), "{}", stderr(&out));

    let mut bytes = std::fs::read(&copy).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    let damaged = dir.path().join("damaged.cbbackup");
    std::fs::write(&damaged, &bytes).unwrap();
    let out = classbook(&db, &["verify", damaged.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("повреждена"), "{}", stderr(&out));
    let cut = dir.path().join("cut.cbbackup");
    std::fs::write(&cut, &bytes[..middle]).unwrap();
    let out = classbook(&db, &["verify", cut.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("обрезана"), "{}", stderr(&out));

    // Bad destinations: nothing written anywhere.
    for (to, says) in [("usb", "полный путь"), ("/nonexistent/usb", "такой папки нет")] {
        let out = classbook(&db, &["backup", "--to", to], &env);
        assert_eq!(out.status.code(), Some(1), "{to}");
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let traversal = format!("{usb_arg}/../usb");
    let out = classbook(&db, &["backup", "--to", &traversal], &env);
    assert!(stderr(&out).contains("«..»"), "{}", stderr(&out));
    assert_eq!(copies(&usb).len(), 1);

    // Entries after the copy; the restore brings back the copy's state and
    // keeps the journal as it was.
    let out = classbook(&db, &["simulate", "--as", &teacher, "--entries", "10"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before_restore = stats(&db);
    assert_ne!(before_restore, at_backup);
    let out = classbook(&db, &["restore", copy_arg], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(&db), at_backup);
    let safety = stdout(&out).lines().find_map(|l| l.strip_prefix("Прежний журнал сохранён: ")).unwrap().to_owned();
    assert_eq!(stats(Path::new(&safety)), before_restore);
}

#[test]
fn the_school_key_kept_in_the_keyring_serves_later_backups() {
    let keyring = Keyring::start();
    let env: Vec<(&str, &str)> = keyring.env().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "40"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut with_phrase = env.clone();
    with_phrase.push(("CLASSBOOK_BACKUP_PASSPHRASE", "коротко"));
    let out = classbook(&db, &["backup", "key"], &with_phrase);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("слишком короткая"), "{}", stderr(&out));
    with_phrase.pop();
    with_phrase.push(("CLASSBOOK_BACKUP_PASSPHRASE", PHRASE));
    let out = classbook(&db, &["backup", "key"], &with_phrase);
    assert!(out.status.success(), "{}", stderr(&out));
    let fingerprint = stdout(&out).lines().find_map(|l| l.strip_prefix("Отпечаток ключа школы: ")).unwrap().to_owned();

    // No passphrase anywhere now: the keyring's key makes and opens the copy.
    let out = classbook(&db, &["backup", "--to", dir.path().to_str().unwrap()], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("Подписана ключом школы {fingerprint}")), "{}", stdout(&out));
    let copy = copies(dir.path()).pop().unwrap();
    let out = classbook(&db, &["verify", copy.to_str().unwrap()], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("из неё можно восстановить"), "{}", stdout(&out));
    // The passphrase alone (another PC, years later) opens it too.
    let out = classbook(&db, &["verify", copy.to_str().unwrap()], &[("CLASSBOOK_BACKUP_PASSPHRASE", PHRASE)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("из неё можно восстановить"), "{}", stdout(&out));

    // Without a keyring and without a passphrase a backup says what to do.
    let no_keyring = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")];
    let out = classbook(&db, &["backup", "--to", dir.path().to_str().unwrap()], &no_keyring);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("classbook backup key"), "{}", stderr(&out));
}

/// A PC restored from its backup (`classbook restore`) syncs as usual and
/// loses nothing the server has: the entries made after the copy come back.
#[test]
fn a_pc_restored_from_its_backup_gets_back_by_sync_what_the_server_has() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Keyring::start();
    let server = Server::start(&dir.path().join("server"));
    let a = Pc::new("A", dir.path().join("a.db"), &keyring).with_env("CLASSBOOK_BACKUP_PASSPHRASE", PHRASE);
    a.demo();
    a.register_ok(&server.url());
    a.sync_ok();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    a.ok(&["backup", "--to", usb.to_str().unwrap()]);
    let copy = copies(&usb).pop().unwrap();

    let teacher = a.teachers()[1].clone();
    let made = a.simulate(&teacher, 60, 9);
    assert!(made > 0);
    assert_eq!(a.sync_ok().queued, 0);
    let before = a.digest();

    let said = a.ok(&["restore", copy.to_str().unwrap()]);
    assert!(said.contains("Прежний журнал сохранён"), "{said}");
    assert_ne!(a.digest(), before, "the journal is the copy's again");
    assert_eq!(a.queued(), 0, "the copy was taken with nothing queued");
    let round = a.sync_ok();
    assert_eq!(round, Round { pushed: 0, rejected: 0, pulled: made, queued: 0 }, "the PC's own entries come back");
    assert_eq!(a.stats_digest(), before);
}

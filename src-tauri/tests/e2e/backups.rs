//! Backups from the desktop app: the administrator keeps the school's
//! passphrase as a key in a real Secret Service keyring, makes a copy to a
//! folder, checks it, changes the journal, and restores the copy — which
//! signs everyone out and gives back exactly the journal at the copy's time,
//! the one before kept as a safety copy. The file on disk is checked through
//! the core and classbook-backup.

use crate::harness::{App, Display};
use crate::school::DemoJournal;
use classbook_backup::{Secret, verify};
use classbook_tests::sync::Keyring;

const PASSPHRASE: &str = "осенний лист 2025";

/// On «Администрирование»: the school's passphrase typed twice becomes the
/// key in this PC's keyring; returns the key's fingerprint as shown.
pub async fn keep_school_key(app: &App, passphrase: &str) -> String {
    app.click("#nav-admin").await;
    app.fill("#backup-passphrase", passphrase).await;
    app.fill("#backup-passphrase-repeat", passphrase).await;
    app.click("#backup-set-key").await;
    app.wait_text("#backup-message", "the key kept", |t| t.contains("Ключ школы сохранён")).await;
    app.text("#backup-fingerprint").await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_administrator_backs_up_checks_and_restores_the_journal() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    let edit_window_before = school.open().school_settings().unwrap().edit_window;
    let keyring = Keyring::start();
    let env: Vec<(&str, &str)> = keyring.env().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let folder = tempfile::tempdir().unwrap();

    let display = Display::get();
    let app = App::start(&display, &school.path, &env).await;
    app.login(&admin.login, &admin.password).await;
    app.click("#nav-admin").await;
    app.wait_text("#backup-last", "no copy yet", |t| t.contains("ещё нет")).await;
    // Two different phrases are refused; the same one twice becomes the key.
    app.fill("#backup-passphrase", PASSPHRASE).await;
    app.fill("#backup-passphrase-repeat", "другая фраза").await;
    app.click("#backup-set-key").await;
    app.wait_text("#backup-message", "the refusal", |t| t.contains("не совпадают")).await;
    let fingerprint = keep_school_key(&app, PASSPHRASE).await;

    app.fill("#backup-folder", folder.path().to_str().unwrap()).await;
    app.click("#backup-now").await;
    let made = app.wait_text("#backup-message", "the copy", |t| t.contains("Копия записана")).await;
    app.wait_text("#backup-last", "the last good copy", |t| t.contains("Последняя удачная копия")).await;
    let file = app.find("#backup-file").await.prop("value").await.unwrap().unwrap();
    assert!(made.contains(&file), "«{made}» names {file}");
    app.click("#backup-verify").await;
    app.wait_text("#backup-message", "the check", |t| t.contains("Копия проверена")).await;
    app.screenshot("backups").await;

    // The copy on disk: signed by the key shown, and opens with the passphrase.
    let secret = Secret::Passphrase(PASSPHRASE.into());
    let checked = verify(file.as_ref(), Some(&secret), Some(&fingerprint), &mut |_| {}).unwrap();
    assert!(checked.decrypted);
    let ops_at_copy = checked.manifest.counts.ops;

    // A change after the copy, then the restore (a second press confirms).
    app.find("#edit-window").await.select_by_label("1 месяц после урока").await.unwrap();
    app.click("#save-rules").await;
    app.wait_text("#admin-message", "the saved rules", |t| t.contains("Правила сохранены")).await;
    app.fill("#backup-file", &file).await;
    app.click("#backup-restore").await;
    app.wait_text("#backup-restore", "the question", |t| t.contains("Точно")).await;
    app.click("#backup-restore").await;
    app.wait_text("#login-notice", "signed out after the restore", |t| t.contains("Журнал восстановлен")).await;
    app.stop().await;

    let journal = school.open();
    assert_eq!(journal.school_settings().unwrap().edit_window, edit_window_before, "the change after the copy is gone");
    assert_eq!(journal.stats().unwrap().ops, ops_at_copy, "the op log as at the copy");
    let dir = school.path.parent().unwrap();
    let safety = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(safety, "the journal before the restore is kept beside it");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_makes_the_scheduled_copy_by_itself() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    let keyring = Keyring::start();
    let mut env: Vec<(&str, &str)> = keyring.env().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The scheduler looks every second instead of every minute.
    env.push(("CLASSBOOK_BACKUP_CHECK_SECONDS", "1"));
    let folder = tempfile::tempdir().unwrap();

    let display = Display::get();
    let app = App::start(&display, &school.path, &env).await;
    app.login(&admin.login, &admin.password).await;
    keep_school_key(&app, PASSPHRASE).await;
    // A relative folder is refused; every day at 00:00 into the folder is due at once.
    app.click("#backup-schedule-on").await;
    for day in 1..=7 {
        let box_ = format!("#backup-schedule .days label:nth-child({day}) input");
        if !app.find(&box_).await.is_selected().await.unwrap() {
            app.click(&box_).await;
        }
    }
    app.fill("#backup-schedule-folder", "USB").await;
    app.click("#backup-save-schedule").await;
    app.wait_text("#backup-message", "the refusal", |t| t.contains("полный путь")).await;
    app.fill("#backup-schedule-folder", folder.path().to_str().unwrap()).await;
    app.set_value("#backup-schedule-time", "00:00").await;
    app.click("#backup-save-schedule").await;
    app.wait_text("#backup-message", "the schedule", |t| t.contains("Расписание сохранено")).await;

    // Nobody presses anything: the copy appears in the folder.
    let started = std::time::Instant::now();
    let copy = loop {
        let found: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "cbbackup"))
            .collect();
        if let Some(entry) = found.first() {
            break entry.path();
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "no scheduled copy within a minute");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    app.stop().await;
    let secret = Secret::Passphrase(PASSPHRASE.into());
    assert!(verify(&copy, Some(&secret), None, &mut |_| {}).unwrap().decrypted);
    let journal = school.open();
    let last = journal.last_good_backup().unwrap().expect("the scheduled copy is logged");
    assert_eq!(last.path, copy.display().to_string());
}

//! The yearly archive from the desktop app: the administrator keeps the
//! school's key (a real Secret Service keyring), archives the closed year to
//! two folders and checks a copy from the register. The bundles on disk are
//! checked through classbook-archive, without the passphrase.

use crate::backups::keep_school_key;
use crate::harness::{App, Display};
use crate::school::DemoJournal;
use classbook_archive::verify_archive;
use classbook_tests::sync::Keyring;
use std::time::Duration;

const PASSPHRASE: &str = "зимний вечер 2026";
/// Printing every class's year in a debug build: a deadline, not a measurement.
const ARCHIVE_DEADLINE: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread")]
async fn the_administrator_archives_the_closed_year_to_two_media() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    // The year closed, as the administrator does on «Администрирование» in June.
    {
        let mut journal = school.open();
        let session = school.session(&mut journal, &admin);
        for period in journal.periods().unwrap() {
            if !period.closed {
                journal.close_period(&session, period.id, true).unwrap();
            }
        }
    }
    let keyring = Keyring::start();
    let env: Vec<(&str, &str)> = keyring.env().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (room_a, room_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    let display = Display::get();
    let app = App::start(&display, &school.path, &env).await;
    app.login(&admin.login, &admin.password).await;
    let fingerprint = keep_school_key(&app, PASSPHRASE).await;

    app.click("#nav-archive").await;
    app.wait_text("#archive-register", "the empty register", |t| t.contains("Архивов ещё нет")).await;
    app.fill("#archive-first", room_a.path().to_str().unwrap()).await;
    app.fill("#archive-second", room_b.path().to_str().unwrap()).await;
    app.click("#archive-create").await;
    let made = app
        .wait_text_within("#archive-message", "the archive", ARCHIVE_DEADLINE, |t| {
            !t.trim().is_empty() && !t.starts_with("Архив создаётся")
        })
        .await;
    assert!(made.contains("записан на 2 носителя"), "the window says «{made}»");
    app.find("#archive-register tr.entry[data-number='1']").await;
    app.click("#archive-register tr.entry[data-number='1'] .verify").await;
    app.wait_text("#archive-message", "the check", |t| t.contains("Архив цел")).await;
    app.screenshot("archive").await;
    app.stop().await;

    // Each medium holds the same bundle, signed by the key shown, whole.
    for room in [&room_a, &room_b] {
        let bundles: Vec<_> = std::fs::read_dir(room.path()).unwrap().filter_map(|e| e.ok()).collect();
        assert_eq!(bundles.len(), 1, "one bundle in {}", room.path().display());
        let checked = verify_archive(&bundles[0].path(), Some(&fingerprint), &mut |_| {}).unwrap();
        assert!(checked.manifest.files.iter().any(|f| f.path.starts_with("journals/") && f.path.ends_with(".pdf")));
    }
    let journal = school.open();
    let register = journal.archives().unwrap();
    assert_eq!(register.len(), 1);
    assert_eq!(register[0].verified_ok, Some(true), "the check from the register is noted in it");
}

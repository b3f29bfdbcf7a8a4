//! The desktop app and the school's server: the administrator connects the
//! PC from «Администрирование», the first round uploads the journal, a
//! teacher's entries leave by themselves, and while the server is down they
//! wait on the PC — the top bar says so — and leave when it is back. The
//! real `classbook-server` binary on loopback, a real Secret Service keyring.

use crate::harness::{App, Display, key};
use crate::school::DemoJournal;
use classbook_tests::sync::{Keyring, Server};
use std::time::Duration;

/// Ops in the PC's journal file (read beside the running app).
fn ops_on_pc(school: &DemoJournal) -> i64 {
    school.open().stats().unwrap().ops
}

/// Waits until the server holds every op of the PC, each once (a deadline, not a measurement).
async fn all_on_server(server: &Server, school: &DemoJournal) {
    let started = std::time::Instant::now();
    loop {
        let (on_server, distinct) = server.journal().op_count();
        let on_pc = ops_on_pc(school);
        assert_eq!(on_server, distinct, "an op twice on the server");
        if on_server == on_pc {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server holds {on_server} of the PC's {on_pc} ops");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pc_syncs_with_the_school_server_and_keeps_entries_while_it_is_down() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    let (teacher, lesson) = school.teacher_with_lessons();
    let period = lesson.period_id.expect("today's lesson lies in a period");
    let page = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    let col = page.lessons.iter().position(|l| l.id == lesson.lesson_id).unwrap();
    // Two rows of students still in the class with no attendance entry at this lesson.
    let free: Vec<usize> = (0..page.students.len())
        .filter(|&r| {
            let s = page.students[r].id;
            page.students[r].left_on.is_none()
                && page.attendance.iter().all(|a| a.lesson_id != lesson.lesson_id || a.student_id != s)
        })
        .collect();
    let (mark_row, absent_row) = (free[0], free[1]);
    let keyring = Keyring::start();
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start(&data.path().join("server"));
    let mut env: Vec<(&str, &str)> = keyring.env().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("CLASSBOOK_SYNC_SECONDS", "2"));

    let display = Display::get();
    let app = App::start(&display, &school.path, &env).await;
    app.login(&admin.login, &admin.password).await;
    app.wait_text("#sync-indicator", "a PC without a server", |t| t.contains("Без сервера")).await;
    app.click("#nav-admin").await;
    app.fill("#sync-server", &server.url()).await;
    app.fill("#sync-login", &admin.login).await;
    app.fill("#sync-password", &admin.password).await;
    app.click("#sync-register").await;
    app.wait_text("#sync-register-status", "the PC connected", |t| t.contains("ПК подключён к серверу школы")).await;
    // The first round uploads the whole journal (the first PC of the school).
    app.wait_text_within("#sync-queued", "everything sent", Duration::from_secs(180), |t| t.contains("всё отправлено"))
        .await;
    app.wait_text("#sync-indicator", "the server answering", |t| t.contains("Связь с сервером есть")).await;
    app.screenshot("sync-admin").await;
    let (on_server, distinct) = server.journal().op_count();
    assert_eq!((on_server, distinct), (ops_on_pc(&school), on_server), "every op on the server once");

    // A teacher's mark leaves by itself.
    app.click("#switch-user").await;
    app.login(&teacher.login, &teacher.password).await;
    app.click(".open-lesson").await;
    app.find(&format!("#cell-0-{col}.selected")).await;
    for _ in 0..mark_row {
        app.keys(key::DOWN).await;
    }
    app.keys("4").await;
    app.wait_text("#grid-message", "the saved mark", |t| t.contains("отметка 4 сохранена")).await;
    all_on_server(&server, &school).await;
    app.wait_text("#sync-queued", "the mark sent", |t| t.contains("всё отправлено")).await;

    // The server goes away: entries wait on the PC, and the top bar says so.
    server.stop();
    for _ in mark_row..absent_row {
        app.keys(key::DOWN).await;
    }
    app.keys("н").await;
    app.wait_text("#grid-message", "the saved absence", |t| t.contains("«н» — сохранено")).await;
    app.wait_text("#sync-indicator", "no connection", |t| t.contains("Нет связи с сервером")).await;
    app.wait_text("#sync-queued", "one entry waiting", |t| t.contains("ждут отправки: 1")).await;
    app.screenshot("sync-offline").await;
    assert_eq!(server.journal().op_count().0, ops_on_pc(&school) - 1, "the absence is only on the PC");

    // It comes back: the entry leaves within a few seconds, nobody pressing anything.
    server.restart();
    all_on_server(&server, &school).await;
    app.wait_text("#sync-queued", "the absence sent", |t| t.contains("всё отправлено")).await;
    app.wait_text("#sync-indicator", "the server answering again", |t| t.contains("Связь с сервером есть")).await;
    app.stop().await;
}

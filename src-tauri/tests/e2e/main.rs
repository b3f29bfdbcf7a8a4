//! End-to-end tests of the real desktop app: the built `classbook-desktop`
//! binary in a real WebKitGTK window under Xvfb, driven through WebDriver
//! (tauri-driver + WebKitWebDriver) like a teacher at the keyboard. Each test
//! gets its own small demo school; screenshots of the main screens go to
//! docs/screenshots/.

mod archive;
mod backups;
mod control;
mod harness;
mod paper;
mod school;
mod sync;

use harness::{App, Display, key};
use school::{DemoJournal, title};

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_fills_a_lesson_by_keyboard_and_finds_it_after_a_restart() {
    let school = DemoJournal::create();
    let (teacher, lesson) = school.teacher_with_lessons();
    let period = lesson.period_id.expect("today's lesson lies in a period");
    let before = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    let col = before.lessons.iter().position(|l| l.id == lesson.lesson_id).unwrap();
    // Two students with nothing recorded about attendance at this lesson.
    let free: Vec<usize> = (0..before.students.len())
        .filter(|&r| {
            let s = before.students[r].id;
            before.attendance.iter().all(|a| a.lesson_id != lesson.lesson_id || a.student_id != s)
                && before.students[r].left_on.is_none()
        })
        .collect();
    let (mark_row, absent_row) = (free[0], free[1]);
    let marks_in = |page: &classbook_core::JournalPage, row: usize| -> Vec<String> {
        let s = page.students[row].id;
        page.marks
            .iter()
            .filter(|m| m.lesson_id == lesson.lesson_id && m.student_id == s)
            .map(|m| m.value.clone())
            .collect()
    };
    let marks_before = marks_in(&before, mark_row);
    let topic = "Повторение: действия с дробями";
    let homework = "§24, № 5–7";

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.find("#login").await;
    app.wait_text("#demo-banner", "the demo banner", |t| t.contains("Демонстрационная школа: сегодня 26.05.2026"))
        .await;
    app.screenshot("login").await;
    app.login(&teacher.login, &teacher.password).await;
    app.find("#teacher-day").await;
    app.screenshot("day").await;

    app.click(".open-lesson").await;
    app.find(&format!("#cell-0-{col}.selected")).await;
    for _ in 0..mark_row {
        app.keys(key::DOWN).await;
    }
    app.keys("5").await;
    app.wait_text("#grid-message", "the saved mark", |t| t.contains("отметка 5 сохранена")).await;
    // F3: the cell's change log names the mark and who entered it; Esc goes back to the grid.
    app.keys(key::F3).await;
    let log = app.wait_text("#history", "the change log", |t| t.contains(&teacher.login)).await;
    assert!(log.contains("отметка") && log.contains('5'), "the change log shows «{log}»");
    // Entered on the demo's day at 10:00 by the school's clock, whatever the PC's time zone.
    assert!(log.contains("26.05.2026 10:0"), "the change log shows «{log}»");
    app.screenshot("history").await;
    app.keys(key::ESCAPE).await;
    app.find(&format!("#cell-{mark_row}-{col}.selected")).await;
    for _ in mark_row..absent_row {
        app.keys(key::DOWN).await;
    }
    app.keys("н").await;
    app.wait_text("#grid-message", "the saved absence", |t| t.contains("«н» — сохранено")).await;
    app.keys(key::F2).await;
    app.keys(topic).await;
    app.keys(key::TAB).await;
    app.keys(homework).await;
    app.screenshot("topic").await;
    app.keys(key::ENTER).await;
    app.wait_text("#grid-message", "the saved topic", |t| t.contains("Тема и домашнее задание сохранены")).await;
    let absent_cell = format!("#cell-{absent_row}-{col}");
    app.wait_text(&absent_cell, "«н»", |t| t.contains('н')).await;
    app.screenshot("journal").await;
    app.stop().await;

    // After a restart the window shows everything again…
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click(".open-lesson").await;
    app.wait_text(&absent_cell, "«н» after the restart", |t| t.contains('н')).await;
    let mark_cell = app.text(&format!("#cell-{mark_row}-{col}")).await;
    assert!(mark_cell.contains('5'), "the mark cell shows «{mark_cell}»");
    let shown_topic = app.find("#lesson-topic").await.prop("value").await.unwrap();
    assert_eq!(shown_topic.as_deref(), Some(topic));
    app.stop().await;

    // …and the journal file holds exactly the entries made.
    let after = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    let mut expected = marks_before.clone();
    expected.push("5".into());
    let mut got = marks_in(&after, mark_row);
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    let absent = after.students[absent_row].id;
    assert!(
        after.attendance.iter().any(|a| a.lesson_id == lesson.lesson_id && a.student_id == absent && a.code == "н")
    );
    let l = after.lessons.iter().find(|l| l.id == lesson.lesson_id).unwrap();
    assert_eq!((l.topic.as_deref(), l.homework.as_deref()), (Some(topic), Some(homework)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_class_teacher_cannot_edit_marks_and_sees_why() {
    let school = DemoJournal::create();
    let (class_teacher, page_ref) = school.class_teacher_with_read_only_page();
    let journal = school.open();
    let period = journal.period_of(journal.today().unwrap()).unwrap().unwrap();
    drop(journal);
    let page = school.page(&class_teacher, page_ref.class_id, page_ref.subject_id, period);
    let last = page.lessons.last().expect("lessons in the current period");
    let expected = school.refusal(&class_teacher, last.id, page.students[0].id);

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&class_teacher.login, &class_teacher.password).await;
    app.click("#nav-journals").await;
    let name = title(&page_ref.class_name, page_ref.group_title.as_deref(), &page_ref.subject_name);
    app.click(&format!("button.journal[data-title=\"{name}\"]")).await;
    app.find(&format!("#cell-0-{}.selected", page.lessons.len() - 1)).await;
    app.keys("5").await;
    let shown = app.wait_text("#grid-message", "the refusal", |t| !t.trim().is_empty()).await;
    assert_eq!(shown, expected);
    app.stop().await;

    let after = school.page(&class_teacher, page_ref.class_id, page_ref.subject_id, period);
    assert_eq!(after.marks.len(), page.marks.len(), "a refused entry changed the journal");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_class_teacher_records_why_a_student_was_absent() {
    let school = DemoJournal::create();
    let (class_teacher, class, row, absence) = school.class_teacher_with_absence();
    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&class_teacher.login, &class_teacher.password).await;
    app.click("#nav-absences").await;
    app.wait_text("#register-count", "the register", |t| !t.ends_with(" 0")).await;
    let shown = app.text(&format!("tr.absence:nth-child({})", row + 1)).await;
    assert!(shown.contains(&absence.student_name) && shown.contains(&absence.subject_name), "row {row}: «{shown}»");
    app.find(&format!("#absence-code-{row}")).await.select_by_label("б — болезнь").await.unwrap();
    app.find(&format!("#absence-reason-{row}")).await.send_keys("справка № 15 из поликлиники").await.unwrap();
    app.click(&format!("#absence-save-{row}")).await;
    app.wait_text("#register-message", "the saved reason", |t| t.contains("причина сохранена")).await;
    app.screenshot("absences").await;
    app.stop().await;

    let after = school.register(&class_teacher, class.class_id);
    let entry = after
        .iter()
        .find(|e| e.lesson_id == absence.lesson_id && e.student_id == absence.student_id)
        .expect("the absence is still in the register");
    assert_eq!((entry.code.as_str(), entry.reason.as_deref()), ("б", Some("справка № 15 из поликлиники")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_final_below_the_forecast_is_listed_before_it_is_saved() {
    let school = DemoJournal::create();
    let (teacher, lesson, row, student) = school.teacher_with_a_final_to_set();
    let period = lesson.period_id.unwrap();

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click(&format!(".open-lesson[data-lesson=\"{}\"]", lesson.lesson_id)).await;
    app.find("#journal-grid").await;
    app.keys(key::F4).await;
    app.find(&format!("#final-{row}")).await.send_keys("3").await.unwrap();
    let warnings = app
        .wait_text("#finals-warnings", "the warning", |t| {
            t.contains(&format!("{}: итог 3 ниже прогноза", student.name))
        })
        .await;
    assert!(warnings.contains("ср. "), "{warnings}");
    app.keys(key::ENTER).await;
    app.wait_text("#grid-message", "the saved final", |t| t.contains("итог 3 сохранён")).await;
    app.screenshot("finals").await;
    app.stop().await;

    let after = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    let summary = after.summaries.iter().find(|x| x.student_id == student.id).unwrap();
    assert_eq!(summary.final_value.as_deref(), Some("3"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_sets_the_rules_closes_a_period_and_handles_a_compromised_account() {
    let school = DemoJournal::create();
    let admin = school.account("администратор");
    let (teacher, _) = school.teacher_with_lessons();
    let journal = school.open();
    let open_period = journal.periods().unwrap().into_iter().find(|p| !p.closed).expect("an open period");
    drop(journal);

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&admin.login, &admin.password).await;
    app.click("#nav-admin").await;
    app.find("#edit-window").await.select_by_label("1 неделя после урока").await.unwrap();
    let minutes = app.find("#lock-minutes").await;
    minutes.clear().await.unwrap();
    minutes.send_keys("10").await.unwrap();
    app.click("#save-rules").await;
    app.wait_text("#admin-message", "the saved rules", |t| t.contains("Правила сохранены")).await;
    // Closing a period and issuing a password each take a second press to confirm.
    let close = format!("tr.period[data-title=\"{}\"] .toggle-period", open_period.title);
    app.click(&close).await;
    app.wait_text(&close, "the question", |t| t.contains("Точно закрыть?")).await;
    app.click(&close).await;
    app.wait_text("#admin-message", "the closed period", |t| t.contains("период закрыт")).await;
    app.find("#account-filter").await.send_keys(&teacher.login).await.unwrap();
    let reset = format!("tr.account[data-login=\"{}\"] .reset-password", teacher.login);
    app.click(&reset).await;
    app.wait_text(&reset, "the question", |t| t.contains("Точно?")).await;
    app.click(&reset).await;
    let issued = app.wait_text("#issued-password", "the start password", |t| t.contains(&teacher.login)).await;
    app.screenshot("admin").await;
    // The same teacher's entries of today are voided (their password was used by someone else).
    app.click(&format!("tr.account[data-login=\"{}\"] .void-ops", teacher.login)).await;
    app.find("#void-reason").await.send_keys("пароль видели ученики 26.05").await.unwrap();
    app.click("#void-submit").await;
    app.wait_text("#void-submit", "the question", |t| t.contains("Точно")).await;
    app.click("#void-submit").await;
    let voided = app.wait_text("#admin-message", "the voided entries", |t| t.contains("аннулировано записей")).await;
    let count: i64 = voided.rsplit(' ').next().unwrap().trim().parse().unwrap();
    assert!(count > 0, "{voided}");
    app.stop().await;

    let password = issued.split(": ").nth(1).and_then(|rest| rest.split(" — ").next()).unwrap().trim().to_owned();
    let mut journal = school.open();
    let settings = journal.school_settings().unwrap();
    assert_eq!((settings.edit_window.as_str(), settings.lock_minutes), ("1w", 10));
    assert!(journal.periods().unwrap().iter().any(|p| p.id == open_period.id && p.closed));
    let session = journal.login(&teacher.login, &password).expect("the issued start password works");
    assert!(session.must_change_password);
    assert_eq!(journal.stats().unwrap().voided_ops, count);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_school_starts_with_its_name_and_its_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let display = Display::get();
    let app = App::start(&display, &path, &[]).await;
    app.find("#choose-demo").await;
    app.click("#create-school").await;
    let refused = app.wait_text(".startup .error", "the refusal", |t| !t.is_empty()).await;
    assert!(refused.contains("Укажите название школы"), "{refused}");
    assert!(!path.exists(), "a refused school left a journal file");
    app.find("#school-name").await.send_keys("МБОУ «СОШ № 12»").await.unwrap();
    app.screenshot("new-school").await;
    app.click("#create-school").await;
    app.find("#admin-credentials").await;
    let password = app.text("#admin-credentials code").await;
    app.click("#school-continue").await;
    app.login("admin", &password).await;
    app.find("#new-password").await;
    app.stop().await;

    let journal = classbook_core::Journal::open(&path).unwrap();
    assert_eq!(journal.setting("school_name").unwrap().as_deref(), Some("МБОУ «СОШ № 12»"));
    assert_eq!(journal.list_accounts().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn f2_offers_the_next_topic_of_the_ktp() {
    let school = DemoJournal::create();
    let (teacher, lesson, next) = school.teacher_with_a_topic_to_take();
    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click(&format!(".open-lesson[data-lesson=\"{}\"]", lesson.lesson_id)).await;
    app.find("#journal-grid").await;
    // The teacher clears the lesson's topic (F2 selects it, Backspace, Enter)…
    app.keys(key::F2).await;
    app.keys(key::BACKSPACE).await;
    app.keys(key::ENTER).await;
    app.wait_text("#grid-message", "the cleared topic", |t| t.contains("Тема и домашнее задание сохранены")).await;
    // …and F2 now offers the plan's next topic, which Enter takes.
    app.keys(key::F2).await;
    let offered = app.find("#lesson-topic").await.prop("value").await.unwrap();
    assert_eq!(offered.as_deref(), Some(next.topic.as_str()));
    app.screenshot("ktp").await;
    app.keys(key::ENTER).await;
    let started = std::time::Instant::now();
    while school.ktp(&teacher, &lesson).iter().all(|k| k.id != next.id || k.taught_on.is_none()) {
        assert!(started.elapsed() < harness::TIMEOUT, "the КТП topic was never saved with the lesson");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.stop().await;

    let plan = school.ktp(&teacher, &lesson);
    let taken = plan.iter().find(|k| k.id == next.id).unwrap();
    assert_eq!(taken.taught_on, Some(lesson.date), "the КТП item is not linked to the lesson");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_substitute_finds_the_lesson_in_their_day_marked_as_a_substitution() {
    let school = DemoJournal::create();
    let (substitute, lesson) = school.substitution_today();
    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&substitute.login, &substitute.password).await;
    app.click(&format!(".open-lesson[data-lesson=\"{}\"]", lesson.lesson_id)).await;
    let note = app.wait_text("#lesson-substitution", "the substitution note", |t| t.contains("Замена")).await;
    assert!(note.contains("вместо"), "{note}");
    app.keys("5").await;
    app.wait_text("#grid-message", "the saved mark", |t| t.contains("отметка 5 сохранена")).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deputy_head_records_a_substitution() {
    let school = DemoJournal::create();
    let (_, lesson) = school.teacher_with_lessons();
    let deputy = school.account("завуч");
    let mut journal = school.open();
    let session = school.session(&mut journal, deputy);
    let today = journal.today().unwrap();
    let planned = journal.day_plan(&session, today).unwrap();
    let row = planned.iter().find(|l| l.lesson_id == lesson.lesson_id).unwrap().clone();
    // A colleague free at that lesson number (the busy ones are marked in the list).
    let busy: Vec<_> =
        planned.iter().filter(|l| l.number == row.number).filter_map(|l| l.substitute_id.or(l.teacher_id)).collect();
    let colleague = journal.staff_list(&session).unwrap().into_iter().find(|s| !busy.contains(&s.id)).unwrap();
    drop(journal);

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&deputy.login, &deputy.password).await;
    app.click("#nav-substitutions").await;
    let line = format!("tr.plan-lesson[data-lesson=\"{}\"]", lesson.lesson_id);
    app.find(&format!("{line} select")).await.select_by_label(&colleague.name).await.unwrap();
    app.click(&format!("{line} .save-substitute")).await;
    app.wait_text("#substitutions-message", "the saved substitution", |t| t.contains("заменяет")).await;
    app.screenshot("substitutions").await;
    app.stop().await;

    let mut journal = school.open();
    let session = school.session(&mut journal, deputy);
    let after = journal.day_plan(&session, today).unwrap();
    let saved = after.iter().find(|l| l.lesson_id == lesson.lesson_id).unwrap();
    assert_eq!(saved.substitute_id, Some(colleague.id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_period_refuses_marks_with_the_reason() {
    let school = DemoJournal::create();
    let (teacher, lesson) = school.teacher_with_lessons();
    let journal = school.open();
    let closed = journal.periods().unwrap().into_iter().find(|p| p.closed).expect("the demo closes past quarters");
    drop(journal);
    let page = school.page(&teacher, lesson.class_id, lesson.subject_id, closed.id);
    let last = page.lessons.last().expect("lessons in the closed period");
    let expected = school.refusal(&teacher, last.id, page.students[0].id);

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click("#nav-journals").await;
    app.find("#period").await.select_by_label(&format!("{} (закрыт)", closed.title)).await.unwrap();
    let name = title(&lesson.class_name, lesson.group_title.as_deref(), &lesson.subject_name);
    app.click(&format!("button.journal[data-title=\"{name}\"]")).await;
    app.find(&format!("#cell-0-{}.selected", page.lessons.len() - 1)).await;
    app.keys("4").await;
    let shown = app.wait_text("#grid-message", "the refusal", |t| !t.trim().is_empty()).await;
    assert_eq!(shown, expected);
    app.screenshot("refused").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_locks_after_inactivity() {
    let school = DemoJournal::create();
    let (teacher, _) = school.teacher_with_lessons();
    let display = Display::get();
    let app = App::start(&display, &school.path, &[("CLASSBOOK_LOCK_SECONDS", "3")]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.find("#teacher-day").await;
    let notice = app.wait_text("#login-notice", "the lock notice", |t| t.contains("заблокирован")).await;
    assert!(notice.contains("3 секунды без действий"), "{notice}");
    app.find("#login").await;
    app.screenshot("locked").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_start_password_must_be_changed_at_first_login() {
    let school = DemoJournal::create();
    let newcomer = school.account("учитель, сменит пароль");
    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&newcomer.login, &newcomer.password).await;
    app.find("#new-password").await;
    app.find("#old-password").await.send_keys(&newcomer.password).await.unwrap();
    app.find("#new-password").await.send_keys("Новый-пароль-7").await.unwrap();
    app.find("#repeat-password").await.send_keys("Новый-пароль-7").await.unwrap();
    app.click("#change-submit").await;
    app.find("#nav-day").await;
    app.click("#switch-user").await;
    app.find("#login").await;
    app.stop().await;

    let mut journal = school.open();
    let session = journal.login(&newcomer.login, "Новый-пароль-7").expect("the new password works");
    assert!(!session.must_change_password);
    assert!(journal.login(&newcomer.login, &newcomer.password).is_err(), "the start password still works");
}

/// An administrator sets a new school up on the «Школа» screen — year, subject,
/// staff member with an account, class, load, timetable — and fills the
/// journal with lessons; the new teacher then finds their journal.
#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_sets_up_a_new_school_and_its_teacher_finds_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let mut journal = classbook_core::Journal::open(&path).unwrap();
    let (_, start) = journal.create_school("МБОУ СОШ № 3", "admin").unwrap();
    let mut admin = journal.login("admin", &start).unwrap();
    journal.change_password(&mut admin, &start, "Админ-пароль-1").unwrap();
    let today = journal.today().unwrap();
    drop(journal);

    let display = Display::get();
    let app = App::start(&display, &path, &[]).await;
    app.login("admin", "Админ-пароль-1").await;
    app.click("#nav-school").await;
    // The year comes prefilled with the usual quarters.
    app.click("#save-year").await;
    app.wait_text("#school-message", "the saved year", |t| t.contains("сохранён")).await;
    app.click("#school-tab-subjects").await;
    app.fill("#subject-name", "Математика").await;
    app.click("#save-subject").await;
    app.wait_text("#school-message", "the saved subject", |t| t.contains("Математика")).await;
    app.fill("#subject-name", "математика").await;
    app.click("#save-subject").await;
    app.wait_text("#school-message", "the duplicate refused", |t| t.contains("уже есть в списке")).await;

    app.click("#school-tab-staff").await;
    app.fill("#staff-surname", "Петрова").await;
    app.fill("#staff-first", "Анна").await;
    app.fill("#staff-patronymic", "Ивановна").await;
    app.click("#save-staff").await;
    app.wait_text("#school-message", "the saved staff member", |t| t.contains("Петрова")).await;
    app.click("tr.staff-row .new-account").await;
    app.fill("#account-login", "petrova").await;
    app.click("#create-account").await;
    let password = app.text("#issued-password strong").await;
    app.screenshot("school-staff").await;

    app.click("#school-tab-classes").await;
    app.fill("#class-grade", "5").await;
    app.fill("#class-letter", "а").await;
    app.choose("#class-teacher", "Петрова А. И.").await;
    app.click("#save-class").await;
    app.wait_text("#school-message", "the saved class", |t| t.contains("Класс 5А сохранён")).await;

    app.click("#school-tab-students").await;
    app.fill("#student-surname", "Алексеев").await;
    app.fill("#student-first", "Борис").await;
    app.click("#enrol-student").await;
    app.wait_text("#school-message", "the missing order", |t| t.contains("номер приказа")).await;
    app.fill("#enrol-order", "17-у").await;
    app.click("#enrol-student").await;
    app.wait_text("#school-message", "the enrolment", |t| t.contains("Алексеев Борис зачислен(а) в 5А")).await;
    app.wait_text("#students", "the class list", |t| t.contains("Алексеев Борис")).await;

    app.click("#school-tab-load").await;
    app.choose("#load-teacher", "Петрова А. И.").await;
    app.click("#save-load").await;
    app.wait_text("#school-message", "the load", |t| t.contains("ведёт Петрова")).await;

    app.click("#school-tab-timetable").await;
    app.choose("#slot-subject", "Математика").await;
    // The teacher with the load is suggested.
    app.click("#save-slot").await;
    app.wait_text("#school-message", "the saved slot", |t| t.contains("Понедельник, 1-й урок")).await;
    app.find("td[data-slot=\"1-1\"] small").await;
    app.set_date("#fill-from", today).await;
    app.set_date("#fill-to", today + chrono::Duration::days(13)).await;
    app.click("#fill-lessons").await;
    // Two weeks hold exactly two Mondays.
    app.wait_text("#school-message", "the filled lessons", |t| t.contains("добавлено 2 урока")).await;
    app.screenshot("school-timetable").await;

    app.click("#switch-user").await;
    app.login("petrova", &password).await;
    app.find("#old-password").await.send_keys(&password).await.unwrap();
    app.find("#new-password").await.send_keys("Пароль-учителя-2").await.unwrap();
    app.find("#repeat-password").await.send_keys("Пароль-учителя-2").await.unwrap();
    app.click("#change-submit").await;
    app.click("#nav-journals").await;
    app.click("button.journal[data-title=\"5А · Математика\"]").await;
    app.wait_text("#journal-grid", "the enrolled student", |t| t.contains("Алексеев")).await;
    app.stop().await;

    let journal = classbook_core::Journal::open(&path).unwrap();
    let stats = journal.stats().unwrap();
    assert_eq!(
        (stats.lessons, stats.classes, stats.staff, stats.accounts, stats.students),
        (2, 1, 1, 2, 1),
        "{stats:?}"
    );
}

/// The deputy head cancels a lesson on the «Замены» screen; its teacher then
/// finds the column struck through and a mark refused with the reason.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_lesson_refuses_marks_with_the_reason() {
    let school = DemoJournal::create();
    let (teacher, lesson) = school.teacher_with_lessons();
    let deputy = school.account("завуч");
    let period = lesson.period_id.expect("today's lesson lies in a period");
    let page = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    let col = page.lessons.iter().position(|l| l.id == lesson.lesson_id).unwrap();
    let marks_here =
        |page: &classbook_core::JournalPage| page.marks.iter().filter(|m| m.lesson_id == lesson.lesson_id).count();
    let marks_before = marks_here(&page);

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&deputy.login, &deputy.password).await;
    app.click("#nav-substitutions").await;
    let line = format!("tr.plan-lesson[data-lesson=\"{}\"]", lesson.lesson_id);
    app.choose(&format!("{line} select.lesson-status"), "отменён").await;
    app.click(&format!("{line} .save-substitute")).await;
    app.wait_text("#substitutions-message", "the cancellation", |t| t.contains("урок отменён")).await;
    app.click("#switch-user").await;

    app.login(&teacher.login, &teacher.password).await;
    app.click(".open-lesson").await;
    app.find(&format!("#cell-0-{col}.selected.cancelled")).await;
    app.wait_text("#lesson-status", "the cancelled note", |t| t.contains("Урок отменён")).await;
    app.keys("5").await;
    let refused = app.wait_text("#grid-message", "the refusal", |t| !t.trim().is_empty()).await;
    assert!(refused.contains("Урок отменён: записи на нём не ведутся"), "{refused}");
    app.stop().await;

    let page = school.page(&teacher, lesson.class_id, lesson.subject_id, period);
    assert_eq!(marks_here(&page), marks_before, "a mark reached the cancelled lesson");
    let shown = page.lessons.iter().find(|l| l.id == lesson.lesson_id).unwrap();
    assert_eq!(shown.status.as_deref(), Some("cancelled"));
}

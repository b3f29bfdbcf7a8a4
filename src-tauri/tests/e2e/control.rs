//! Reports and control: the deputy head's «Сводка недели» (each problem opens
//! its journal page, each section its report), a report's rows opening their
//! pages, and the administrator's deadlines on «Администрирование». What the
//! window shows is checked against the journal file read through the core.

use crate::harness::{App, Display};
use crate::school::DemoJournal;
use classbook_core::{Deadlines, ReportName};

#[tokio::test(flavor = "multi_thread")]
async fn the_deputy_head_sees_the_weeks_problems_and_opens_their_pages() {
    let school = DemoJournal::create();
    let deputy = school.account("завуч").clone();
    // The dashboard as the core gives it to the deputy: items per section.
    let (expected, first) = {
        let mut journal = school.open();
        let session = school.session(&mut journal, &deputy);
        let dashboard = journal.dashboard(&session, None).unwrap();
        let counts: Vec<(String, usize)> =
            dashboard.sections.iter().map(|s| (s.code.to_owned(), s.items.len())).collect();
        let first = dashboard
            .sections
            .iter()
            .find(|s| s.items.first().is_some_and(|i| i.link.is_some()))
            .map(|s| (s.code, s.items[0].clone()))
            .expect("the demo school's week has problems on its journal pages");
        (counts, first)
    };

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&deputy.login, &deputy.password).await;
    app.click("#nav-dashboard").await;
    app.wait_text("#dashboard-summary", "the dashboard", |t| t.contains("Замечаний")).await;
    let shown = app
        .client
        .execute(
            "return [...document.querySelectorAll('#dashboard .section')]
                 .map(s => [s.dataset.code, Number(s.querySelector('.count').textContent)])",
            vec![],
        )
        .await
        .unwrap();
    let shown: Vec<(String, usize)> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown, expected, "the sections and their counts, shown and the core's");
    app.screenshot("dashboard").await;

    // The first problem opens its journal page.
    let (code, item) = first;
    app.click(&format!("#dashboard .section[data-code='{code}'] .item")).await;
    let heading = app.wait_text(".journal h2", "the journal page", |t| t.contains(&item.page)).await;
    assert!(heading.contains("четверть") || heading.contains("полугодие"), "the page's period is shown: «{heading}»");

    // The journal-keeping section's report, for the same dates, with a row
    // that opens its page too.
    app.click("#nav-dashboard").await;
    app.click("#dashboard .section[data-code='no-homework'] .details").await;
    app.wait_text("#report-message", "the report shown", |t| t.contains("строк")).await;
    let title = app.text("#report-title").await;
    assert_eq!(title, ReportName::JournalKeeping.title());
    app.click("#report-table .open-page").await;
    app.wait_text(".journal h2", "the journal page from the report", |t| t.contains('·')).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_administrator_sets_the_schools_deadlines() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&admin.login, &admin.password).await;
    app.click("#nav-admin").await;
    app.find("#deadlines").await;
    app.fill("#deadline-attendance", "15").await;
    app.fill("#deadline-test-days", "5").await;
    app.fill("#deadline-essay-days", "10").await;
    app.click("#deadline-marks-same-day").await;
    app.click("#save-deadlines").await;
    app.wait_text("#admin-message", "the saved deadlines", |t| t.contains("Сроки сохранены")).await;
    app.stop().await;

    let journal = school.open();
    let saved = journal.deadlines().unwrap();
    let expected = Deadlines {
        attendance_minutes: 15,
        marks_same_day: false,
        test_days: 5,
        essay_days: 10,
        ..Deadlines::default()
    };
    assert_eq!(saved, expected, "the deadlines the journal keeps");
}

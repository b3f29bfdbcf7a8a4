//! Paper and files: the deputy head prints a class's journal from «Печать»,
//! and the administrator imports students from Excel on «Администрирование».
//! What the window shows is checked against the PDF on disk (pdfinfo) and
//! against the journal file read through the core.

use crate::harness::{App, Display};
use crate::school::DemoJournal;
use chrono::NaiveDate;
use classbook_core::domain::model::Role;
use classbook_core::{ClassInput, Journal, Order, ReportName, ReportQuery, ReportValue};
use classbook_exchange::{ImportKind, ImportOptions, preview_with};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Laying out a whole year's journal in a debug build: a deadline, not a measurement.
const PRINT_DEADLINE: Duration = Duration::from_secs(120);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name);
    path.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first number in `text` before `word` («… 58 страниц …» → 58).
fn number_before(text: &str, word: &str) -> usize {
    let at = text.find(word).unwrap_or_else(|| panic!("«{word}» not in «{text}»"));
    let digits: String = text[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or_else(|_| panic!("no number before «{word}» in «{text}»"))
}

/// The page count pdfinfo (poppler-utils) reads from the file.
fn pdfinfo_pages(path: &Path) -> usize {
    let out = std::process::Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo not run: install the Debian package poppler-utils (scripts/test.sh does)");
    assert!(out.status.success(), "pdfinfo refused {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("pdfinfo: no Pages in {info}"));
    line["Pages:".len()..].trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deputy_head_prints_the_year_journal_of_5a_and_saves_the_pdf() {
    // Eleven classes: one in every grade, 5А among them.
    let school = DemoJournal::create_with(11, 110);
    let deputy = school.account("завуч").clone();
    // What the core and the printer make of 5А's year, as the deputy sees it.
    let (expected_pages, expected_sheets) = {
        let mut journal = school.open();
        let session = school.session(&mut journal, &deputy);
        let class = journal.class_by_name("5А").unwrap();
        let book = journal.class_book(&session, class, None).unwrap();
        let printed = classbook_print::class_journal(&book, journal.today().unwrap());
        (printed.document.page_count(), printed.sheets)
    };
    assert!(expected_pages > 4, "a year's journal has more pages than the preview shows");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("Журнал 5А 2025-2026.pdf");

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&deputy.login, &deputy.password).await;
    app.click("#nav-print").await;
    app.choose("#print-kind", "Классный журнал за учебный год").await;
    app.choose("#print-class", "5А").await;
    app.click("#print-show").await;
    let summary = app
        .wait_text_within("#print-summary", "the page and sheet count", PRINT_DEADLINE, |t| t.contains("прошивки"))
        .await;
    let (pages, sheets) = (number_before(&summary, "страниц"), number_before(&summary, "лист"));
    assert_eq!((pages, sheets), (expected_pages, expected_sheets), "the preview says «{summary}»");
    assert!(summary.contains("5А") && summary.contains("первые 4"), "the preview says «{summary}»");
    // The first four pages, drawn (an image that failed to load has no natural size).
    let sizes = app
        .client
        .execute(
            "return [...document.querySelectorAll('#print-pages img')].map(i => [i.complete, i.naturalWidth])",
            vec![],
        )
        .await
        .unwrap();
    let sizes = sizes.as_array().unwrap();
    assert_eq!(sizes.len(), 4, "preview pictures: {sizes:?}");
    assert!(sizes.iter().all(|s| s[0] == true && s[1].as_f64().unwrap() > 100.0), "pictures not drawn: {sizes:?}");
    // The suggested file: the Documents folder and the journal's usual name.
    let suggested = app.find("#print-path").await.prop("value").await.unwrap().unwrap();
    assert!(suggested.ends_with("/Журнал 5А 2025-2026.pdf"), "suggested «{suggested}»");
    app.screenshot("print").await;

    app.fill("#print-path", out.to_str().unwrap()).await;
    app.click("#print-save").await;
    let saved =
        app.wait_text_within("#print-message", "the saved PDF", PRINT_DEADLINE, |t| t.contains("PDF сохранён")).await;
    assert!(saved.contains(out.to_str().unwrap()), "the window says «{saved}»");
    app.stop().await;

    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF: {:?}", &bytes[..bytes.len().min(16)]);
    assert_eq!(pdfinfo_pages(&out), pages, "pdfinfo and the preview disagree on the page count");
    let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "only the PDF is in the folder, no temporary file: {left:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_administrator_imports_students_bad_rows_refused_then_a_good_file() {
    let school = DemoJournal::create();
    let admin = school.account("администратор").clone();
    // The demo's four classes are 1А, 4А, 8А, 11А: the fixtures' 5А and 5Б are opened first.
    let (class_5a, class_5b, bad_errors) = {
        let mut journal = school.open();
        let session = school.session(&mut journal, &admin);
        assert!(session.roles.contains(&Role::Admin));
        let year = journal.school_structure(&session).unwrap().years[0].id;
        let class = |journal: &mut Journal, letter: &str| {
            let input = ClassInput {
                id: None,
                year_id: year,
                grade: 5,
                letter: letter.into(),
                class_teacher_id: None,
                shift: None,
            };
            journal.save_class(&session, input).unwrap()
        };
        let (a, b) = (class(&mut journal, "А"), class(&mut journal, "Б"));
        // The order the window is given below.
        let options = ImportOptions {
            order: Some(Order { number: "15-у".into(), date: day(2025, 8, 29) }),
            enrolled_on: Some(day(2025, 9, 1)),
        };
        let bad = preview_with(&journal, &session, ImportKind::Students, &fixture("students_bad.xlsx"), &options)
            .unwrap()
            .errors;
        (a, b, bad)
    };
    assert!(bad_errors.len() >= 5, "the bad fixture's errors: {bad_errors:?}");

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&admin.login, &admin.password).await;
    app.click("#nav-admin").await;
    app.choose("#import-kind", "ученики").await;
    app.fill("#import-path", fixture("students_bad.xlsx").to_str().unwrap()).await;
    app.fill("#import-order-number", "15-у").await;
    app.set_date("#import-order-date", day(2025, 8, 29)).await;
    app.set_date("#import-enrolled-on", day(2025, 9, 1)).await;
    app.click("#import-check").await;
    app.wait_text("#import-message", "the errors found", |t| t.contains("ошибок")).await;
    // Every row error, with its row, column and the Russian reason.
    let rows = app.client.find_all(fantoccini::Locator::Css("#import-errors tr.import-error")).await.unwrap();
    assert_eq!(rows.len(), bad_errors.len());
    for (row, error) in rows.iter().zip(&bad_errors) {
        let text = row.text().await.unwrap();
        assert!(text.starts_with(&error.row.to_string()), "row «{text}» for {error:?}");
        assert!(text.contains(&error.message), "row «{text}» for {error:?}");
        if let Some(column) = &error.column {
            assert!(text.contains(column.as_str()), "row «{text}» for {error:?}");
        }
    }
    let errors = app.text("#import-errors").await;
    assert!(errors.contains("Дата рождения"), "errors shown: «{errors}»");
    assert!(!app.find("#import-apply").await.is_enabled().await.unwrap(), "«Загрузить» is offered despite errors");
    app.client.execute("document.querySelector('#import-title').scrollIntoView()", vec![]).await.unwrap();
    app.screenshot("import").await;

    // The good file: every one of its five students is still to be created,
    // so nothing of the refused file reached the journal.
    app.fill("#import-path", fixture("students_good.xlsx").to_str().unwrap()).await;
    assert!(!app.find("#import-apply").await.is_enabled().await.unwrap(), "a changed file needs a new check");
    app.click("#import-check").await;
    let summary = app.wait_text("#import-summary", "the good file's plan", |t| t.contains("будет создано 5")).await;
    assert!(!summary.contains("ошибок"), "the good file: «{summary}»");
    let created = app.client.find_all(fantoccini::Locator::Css("#import-rows tr.import-row.create")).await.unwrap();
    assert_eq!(created.len(), 5);
    app.click("#import-apply").await;
    let result = app.wait_text("#import-result", "the import's result", |t| t.contains("создано 5")).await;
    assert!(result.contains("изменено 0"), "the result: «{result}»");
    assert!(!app.find("#import-apply").await.is_enabled().await.unwrap(), "the same file is not loaded twice");
    app.stop().await;

    // The journal now has them, in their classes, enrolled by the order.
    let mut journal = school.open();
    let session = school.session(&mut journal, &admin);
    let names = |journal: &Journal, class| {
        let mut n: Vec<String> = journal.class_students(&session, class).unwrap().into_iter().map(|s| s.name).collect();
        n.sort();
        n
    };
    assert_eq!(
        names(&journal, class_5a),
        ["Алексеева Дарья Игоревна", "Борисов Егор Андреевич", "Васильев Артём Сергеевич"]
    );
    assert_eq!(names(&journal, class_5b), ["Григорьева Алёна", "Дмитриев Фёдор Олегович"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_class_teacher_prints_only_their_class_a_students_report_card() {
    let school = DemoJournal::create();
    // A class teacher, their class, and its first student's report card as the printer lays it out.
    let (teacher, class, student, expected_pages) = {
        let mut journal = school.open();
        let found = school.accounts.iter().filter(|a| a.role.contains("кл. р")).find_map(|account| {
            let session = journal.login(&account.login, &account.password).ok()?;
            let class = journal.classes_led(&session).ok()?.into_iter().next()?;
            Some((account.clone(), session, class))
        });
        let (teacher, session, class) = found.expect("a demo class teacher");
        let book = journal.class_book(&session, class.class_id, None).unwrap();
        let student = book.students[0].clone();
        let pages = classbook_print::report_cards(&book, &[student.id], journal.today().unwrap()).page_count();
        (teacher, class, student, pages)
    };

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click("#nav-print").await;
    app.find("#print-class option").await;
    let options = app.client.find_all(fantoccini::Locator::Css("#print-class option")).await.unwrap();
    let mut names = Vec::new();
    for option in &options {
        names.push(option.text().await.unwrap());
    }
    assert_eq!(names, vec![class.class_name.clone()], "a class teacher prints their own class only");
    app.choose("#print-kind", "Табели успеваемости").await;
    // The class list comes from the journal once the document is chosen.
    app.find("#print-student option:nth-child(2)").await;
    app.choose("#print-student", &format!("{}. {}", student.number, student.full_name)).await;
    app.click("#print-show").await;
    let summary = app
        .wait_text_within("#print-summary", "the report card's pages", PRINT_DEADLINE, |t| t.contains("страниц"))
        .await;
    assert_eq!(number_before(&summary, "страниц"), expected_pages, "the preview says «{summary}»");
    assert!(!summary.contains("прошивки"), "only the journal is bound: «{summary}»");
    let suggested = app.find("#print-path").await.prop("value").await.unwrap().unwrap();
    assert!(
        suggested.ends_with(&format!("Табель {} {} 2025-2026.pdf", student.full_name, class.class_name)),
        "«{suggested}»"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deputy_head_shows_the_class_sizes_report_and_saves_it_as_xlsx() {
    let school = DemoJournal::create();
    let deputy = school.account("завуч").clone();
    // The report as the core gives it to the deputy: its totals row, as shown.
    let (totals, students) = {
        let mut journal = school.open();
        let session = school.session(&mut journal, &deputy);
        let report = journal.report(&session, ReportName::ClassSizes, &ReportQuery::default()).unwrap();
        let totals = report.totals.expect("class sizes have a totals row");
        let students = match &totals[2] {
            ReportValue::Count(n) => *n,
            other => panic!("the number of students is {other:?}"),
        };
        (totals.iter().map(ReportValue::display).collect::<Vec<_>>(), students)
    };
    assert!(students > 0, "the demo school has students");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("Наполняемость классов.xlsx");

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&deputy.login, &deputy.password).await;
    app.click("#nav-reports").await;
    app.find("#report-name option").await;
    app.choose("#report-name", "Наполняемость классов").await;
    app.click("#report-show").await;
    app.wait_text("#report-message", "the report shown", |t| t.contains("строк")).await;
    let shown = app
        .client
        .execute("return [...document.querySelectorAll('#report-totals td')].map(td => td.textContent.trim())", vec![])
        .await
        .unwrap();
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown, totals, "the totals row shown and the core's");
    assert_eq!(shown[2], students.to_string());
    let weight = app
        .client
        .execute("return getComputedStyle(document.querySelector('#report-totals td')).fontWeight", vec![])
        .await
        .unwrap();
    assert!(["bold", "700"].contains(&weight.as_str().unwrap_or_default()), "the totals row is bold: {weight:?}");
    let suggested = app.find("#report-path").await.prop("value").await.unwrap().unwrap();
    assert!(suggested.ends_with("/Наполняемость классов.xlsx"), "suggested «{suggested}»");
    app.screenshot("reports").await;

    app.choose("#report-format", "Excel (xlsx)").await;
    app.fill("#report-path", out.to_str().unwrap()).await;
    app.click("#report-save").await;
    let saved = app.wait_text("#report-message", "the saved report", |t| t.contains("Отчёт сохранён")).await;
    assert!(saved.contains(out.to_str().unwrap()), "the window says «{saved}»");
    app.stop().await;

    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    assert!(bytes.starts_with(b"PK"), "not an xlsx: {:?}", &bytes[..bytes.len().min(16)]);
}

/// `pdftotext` (poppler-utils) of the whole file.
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args([path.as_os_str(), std::ffi::OsStr::new("-")])
        .output()
        .expect("pdftotext not run: install the Debian package poppler-utils (scripts/test.sh does)");
    assert!(out.status.success(), "pdftotext refused {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_class_teacher_prints_the_letters_to_parents_and_the_period_report() {
    let school = DemoJournal::create();
    let teacher = school.accounts.iter().find(|a| a.role.contains("кл. р")).expect("a demo class teacher").clone();
    let out_dir = tempfile::tempdir().unwrap();
    let letters = out_dir.path().join("Письма.pdf");

    let display = Display::get();
    let app = App::start(&display, &school.path, &[]).await;
    app.login(&teacher.login, &teacher.password).await;
    app.click("#nav-print").await;
    app.find("#print-class option").await;
    app.choose("#print-kind", "Информационное письмо родителям за период").await;
    app.find("#print-period option").await;
    app.click("#print-show").await;
    let summary =
        app.wait_text_within("#print-summary", "the letters' pages", PRINT_DEADLINE, |t| t.contains("страниц")).await;
    let pages = number_before(&summary, "страниц");
    app.fill("#print-path", letters.to_str().unwrap()).await;
    app.click("#print-save").await;
    app.wait_text_within("#print-message", "the saved letters", PRINT_DEADLINE, |t| t.contains("PDF сохранён")).await;

    // The class teacher's report for the same period.
    app.choose("#print-kind", "Отчёт классного руководителя за период").await;
    app.click("#print-show").await;
    let report =
        app.wait_text_within("#print-summary", "the report's pages", PRINT_DEADLINE, |t| t.contains("страниц")).await;
    assert!(number_before(&report, "страниц") >= 1, "«{report}»");
    app.stop().await;

    // One letter per student: a greeting and a tear-off slip each, the page count as shown.
    assert_eq!(pdfinfo_pages(&letters), pages, "pdfinfo and the preview disagree");
    let text = pdf_text(&letters);
    let greetings = text.matches("Уважаемые родители").count();
    assert!(greetings > 0, "no letter in the file");
    assert_eq!(text.matches("Ознакомлен(а)").count(), greetings, "a slip per letter");
    assert!(pages >= greetings, "{pages} pages for {greetings} letters");
}

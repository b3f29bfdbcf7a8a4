//! The printed documents of a generated school, checked with the tools a
//! print shop would use: qpdf for structure, pdfinfo for pages, pdffonts for
//! the embedded font, pdftotext for what a reader sees, pdftoppm for pixels.

use classbook_core::demo::{DEMO_PASSWORD, DemoConfig};
use classbook_core::domain::model::Role;
use classbook_core::{ClassBook, Journal, ReportName, ReportQuery, ReportValue, Session};
use classbook_print::Letter;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

struct School {
    dir: TempDir,
    journal: Journal,
    deputy: Session,
    parent_login: String,
}

fn school() -> School {
    let dir = TempDir::new().unwrap();
    let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    let config = DemoConfig { classes: 2, students: 50, ..DemoConfig::default() };
    let demo = journal.create_demo(&config, |_, _| {}).unwrap();
    journal.set_fixed_now(journal.demo_clock_start().unwrap());
    let login = |part: &str| demo.accounts.iter().find(|a| a.role.contains(part)).unwrap().login.clone();
    let deputy = journal.login(&login("завуч"), DEMO_PASSWORD).unwrap();
    School { parent_login: login("родитель"), dir, journal, deputy }
}

fn book(school: &School, class: &str) -> ClassBook {
    let class_id = school.journal.class_by_name(class).unwrap();
    school.journal.class_book(&school.deputy, class_id, None).unwrap()
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name} не запускается: {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn check_structure(path: &Path) {
    let qpdf = Command::new("qpdf").arg("--check").arg(path).output().unwrap();
    assert!(qpdf.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&qpdf.stdout));
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.contains("CID TrueType"), "{fonts}");
    for line in fonts.lines().skip(2) {
        assert!(line.contains(" yes "), "a font not embedded: {line}");
    }
}

fn pages(path: &Path) -> usize {
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

fn page_text(path: &Path, page: usize) -> String {
    let n = page.to_string();
    tool("pdftotext", &["-f", &n, "-l", &n, "-layout", path.to_str().unwrap(), "-"])
}

#[test]
fn the_yearly_journal_is_whole_readable_and_ready_for_binding() {
    let school = school();
    let book = book(&school, "11А");
    let printed = classbook_print::class_journal(&book, school.journal.today().unwrap());
    let path = save(school.dir.path(), "journal.pdf", &printed.document.to_pdf());
    check_structure(&path);

    // The sheet count on the certificate is the real one, for duplex printing.
    let total = pages(&path);
    assert_eq!(total, printed.document.page_count());
    assert_eq!(total, printed.sheets * 2, "a bound journal has whole sheets");
    let certificate = page_text(&path, total);
    let count = format!("печатью {} ({})", printed.sheets, classbook_print::in_words(printed.sheets as u32));
    assert!(certificate.split_whitespace().collect::<Vec<_>>().join(" ").contains(&count), "{certificate}");

    let text = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for student in &book.students {
        assert!(text.contains(&student.short_name), "{} is not in the journal", student.short_name);
        assert!(flat.contains(&student.full_name), "{} is not in the class list", student.full_name);
    }
    let section = &book.sections[0];
    let lesson = section.pages[0].lessons.iter().find(|l| l.topic.is_some()).unwrap();
    let topic = lesson.topic.as_deref().unwrap();
    assert!(flat.contains(topic), "topic «{topic}» is not printed");
    let mark = &section.pages[0].marks[0];
    assert!(["1", "2", "3", "4", "5"].contains(&mark.value.as_str()));

    // Each spread: the grid on a left (even) page, its topics on the facing right page.
    let mut spreads = 0;
    for n in 1..=total {
        let text = page_text(&path, n);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        if first.contains("что пройдено на уроке") {
            assert!(n % 2 == 1, "topics on a left page {n}");
            let grid = page_text(&path, n - 1);
            let heading = first.split(" · что пройдено").next().unwrap().trim();
            assert!(grid.contains(heading), "page {n} does not face its grid «{heading}»");
            spreads += 1;
        }
    }
    assert!(spreads >= book.sections.len(), "only {spreads} spreads found");
    // Page numbers are printed (the title page's is not).
    assert!(page_text(&path, 2).lines().any(|l| l.trim() == "2"));
}

#[test]
fn a_period_journal_summary_sheet_report_cards_and_parent_printouts() {
    let school = school();
    let class_id = school.journal.class_by_name("11А").unwrap();
    let q1 = school.journal.periods().unwrap()[0].clone();
    let quarter = school.journal.class_book(&school.deputy, class_id, Some(q1.id)).unwrap();
    assert_eq!(quarter.periods.len(), 1);
    let printed = classbook_print::class_journal(&quarter, school.journal.today().unwrap());
    let path = save(school.dir.path(), "q1.pdf", &printed.document.to_pdf());
    check_structure(&path);
    assert!(page_text(&path, 1).contains(&q1.title));

    let year = book(&school, "11А");
    let today = school.journal.today().unwrap();
    let summary = save(school.dir.path(), "summary.pdf", &classbook_print::summary_sheet(&year, today).to_pdf());
    check_structure(&summary);
    let text = tool("pdftotext", &[summary.to_str().unwrap(), "-"]);
    assert!(text.contains("Сводная ведомость итоговых отметок"));
    let final_mark = &year.finals[0];
    let student = year.students.iter().find(|s| s.id == final_mark.student_id).unwrap();
    assert!(text.contains(&student.short_name));

    let cards = classbook_print::report_cards(&year, &[], today);
    let cards_path = save(school.dir.path(), "cards.pdf", &cards.to_pdf());
    check_structure(&cards_path);
    assert_eq!(pages(&cards_path), year.students.len(), "one report card per page");
    // The font is cut down to the characters used: the two faces whole are 0.8 MB.
    assert!(cards.to_pdf().len() < 200_000, "report cards take {} bytes", cards.to_pdf().len());
    let first = page_text(&cards_path, 1);
    assert!(first.contains(&year.students[0].full_name));
    let q1_final = year.final_of(year.students[0].id, final_mark.subject_id, final_mark.period_id);
    assert!(q1_final.is_none() || first.contains(q1_final.unwrap()));

    // A week for one student's parents: lessons, marks, absences as counted.
    let student = &year.students[0];
    let (from, to) = (today - chrono::Duration::days(13), today);
    let record = school.journal.student_record(&school.deputy, student.id, from, to).unwrap();
    assert!(!record.lessons.is_empty());
    let printout = save(
        school.dir.path(),
        "parent.pdf",
        &classbook_print::parent_printout(&year.school_name, std::slice::from_ref(&record)).to_pdf(),
    );
    check_structure(&printout);
    let text = tool("pdftotext", &[printout.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&format!("Пропущено уроков: {}", record.absences)), "{flat}");
    let topic = record.lessons.iter().find_map(|l| l.topic.clone()).unwrap();
    let first_words: String = topic.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&first_words), "«{first_words}» missing");

    // Pixels: a page renders to a non-blank image.
    let prefix = school.dir.path().join("page");
    tool("pdftoppm", &["-r", "40", "-f", "1", "-l", "1", "-png", printout.to_str().unwrap(), prefix.to_str().unwrap()]);
    let png = std::fs::read_dir(school.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".png"));
    assert!(png.unwrap().metadata().unwrap().len() > 2_000);
}

#[test]
fn parents_print_only_their_own_child() {
    let mut school = school();
    let parent = school.journal.login(&school.parent_login.clone(), DEMO_PASSWORD).unwrap();
    let year = book(&school, "11А");
    let today = school.journal.today().unwrap();
    let refused: Vec<_> =
        year.students.iter().filter_map(|s| school.journal.student_record(&parent, s.id, today, today).err()).collect();
    // The demo parent's child may or may not be in 5А; everyone else is refused.
    assert!(refused.len() >= year.students.len() - 1);
    assert!(refused[0].to_string().contains("своего ребёнка"), "{}", refused[0]);
    let class_id = school.journal.class_by_name("11А").unwrap();
    let err = school.journal.class_book(&parent, class_id, None).unwrap_err();
    assert!(err.to_string().contains("журнал"), "{err}");
}

#[test]
fn the_preview_is_the_printed_page_as_svg() {
    let school = school();
    let book = book(&school, "11А");
    let printed = classbook_print::class_journal(&book, school.journal.today().unwrap());
    let first = printed.document.page_svg(0).unwrap();
    assert!(first.starts_with("<svg") && first.ends_with("</svg>"));
    assert!(first.contains("КЛАССНЫЙ ЖУРНАЛ") && first.contains("11А класс"));
    let list = printed.document.page_svg(2).unwrap();
    assert!(list.contains(&book.students[0].full_name));
    assert!(printed.document.page_svg(printed.document.page_count()).is_none());
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each student's letter for the period, as the CLI gathers them.
fn letters(school: &School, session: &Session, class: &str, period: &classbook_core::PeriodInfo) -> Vec<Letter> {
    book(school, class)
        .students
        .iter()
        .filter(|s| s.left_on.is_none_or(|d| d > period.starts_on))
        .map(|s| Letter {
            record: school.journal.student_record(session, s.id, period.starts_on, period.ends_on).unwrap(),
            period: Some(period.title.clone()),
            finals: school.journal.student_finals(session, s.id, period.id).unwrap(),
        })
        .collect()
}

#[test]
fn letters_to_parents_give_each_student_pages_of_their_own_with_the_cores_averages_and_the_slip() {
    let school = school();
    let q1 = school.journal.periods().unwrap()[0].clone();
    let letters = letters(&school, &school.deputy, "11А", &q1);
    let today = school.journal.today().unwrap();
    let document = classbook_print::parent_letters("Школа № 7", &letters, today);
    let path = save(school.dir.path(), "letters.pdf", &document.to_pdf());
    check_structure(&path);
    let total = pages(&path);
    assert!(total >= letters.len(), "{total} pages for {} letters", letters.len());

    // A page never holds two students; every student gets one slip.
    let mut slips = 0;
    for n in 1..=total {
        let text = flat(&page_text(&path, n));
        let named: Vec<_> =
            letters.iter().filter(|l| text.contains(&l.record.full_name)).map(|l| &l.record.full_name).collect();
        assert!(named.len() <= 1, "page {n} names {named:?}");
        if text.contains("Ознакомлен(а)") {
            slips += 1;
            assert_eq!(named.len(), 1, "page {n}: the slip names its student");
            assert!(text.contains("Родитель (законный представитель)"), "{text}");
        }
    }
    assert_eq!(slips, letters.len());

    // The first letter alone: the greeting, and a subject's average as the core counts it.
    let first = &letters[0];
    let one = classbook_print::parent_letters("Школа № 7", std::slice::from_ref(first), today);
    let one_path = save(school.dir.path(), "letter.pdf", &one.to_pdf());
    let text = tool("pdftotext", &["-layout", one_path.to_str().unwrap(), "-"]);
    assert!(flat(&text).contains("Уважаемые родители (законные представители) учени"), "{text}");
    assert!(flat(&text).contains(&format!("Ученик (ученица): {}", first.record.full_name)));
    let subject = first.record.subjects.iter().find(|s| s.average.is_some()).unwrap();
    let average = format!("{:.2}", subject.average.unwrap()).replace('.', ",");
    let row = text.lines().find(|l| l.trim_start().starts_with(&subject.subject_name)).unwrap();
    assert!(row.contains(&average), "{} average {average} not in «{row}»", subject.subject_name);
    assert!(flat(&text).contains(&format!("Пропущено уроков за {}", q1.title)));

    // A «2» is a warning with its date and topic.
    let warned = letters.iter().find(|l| l.record.low_marks.iter().any(|m| m.topic.is_some())).unwrap();
    let low = warned.record.low_marks.iter().find(|m| m.topic.is_some()).unwrap();
    let one = classbook_print::parent_letters("", std::slice::from_ref(warned), today);
    let text = flat(&tool("pdftotext", &[save(school.dir.path(), "warned.pdf", &one.to_pdf()).to_str().unwrap(), "-"]));
    let topic: String = low.topic.as_deref().unwrap().split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    assert!(text.contains("Обратите внимание"), "{text}");
    assert!(text.contains(&format!("{} — отметка «{}»", low.date.format("%d.%m.%Y"), low.value)), "{text}");
    assert!(text.contains(&topic), "«{topic}» missing: {text}");
}

#[test]
fn parents_get_their_own_childs_letter_only() {
    let mut school = school();
    let parent = school.journal.login(&school.parent_login.clone(), DEMO_PASSWORD).unwrap();
    let q1 = school.journal.periods().unwrap()[0].clone();
    let students = book(&school, "11А").students;
    let (mut own, mut refused) = (0, 0);
    for s in &students {
        match school.journal.student_record(&parent, s.id, q1.starts_on, q1.ends_on) {
            Ok(_) => {
                own += 1;
                assert!(school.journal.student_finals(&parent, s.id, q1.id).is_ok());
            }
            Err(e) => {
                refused += 1;
                assert!(e.to_string().contains("своего ребёнка"), "{e}");
                let finals = school.journal.student_finals(&parent, s.id, q1.id).unwrap_err();
                assert!(finals.to_string().contains("своего ребёнка"), "{finals}");
            }
        }
    }
    assert!(own <= 1 && refused >= students.len() - 1);
}

#[test]
fn the_class_report_shows_the_schools_success_and_quality_and_who_has_one_three() {
    let mut school = school();
    let q1 = school.journal.periods().unwrap()[0].clone();
    let class_id = school.journal.class_by_name("11А").unwrap();
    let report = school.journal.class_period(&school.deputy, class_id, q1.id).unwrap();
    let today = school.journal.today().unwrap();
    let path = save(school.dir.path(), "class.pdf", &classbook_print::class_report(&report, today).to_pdf());
    check_structure(&path);
    let text = flat(&tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(text.contains(&format!("Отчёт классного руководителя о результатах за {}", q1.title)), "{text}");

    // The figures of the school's success-quality report for 11А.
    let query = ReportQuery { period_id: Some(q1.id), ..ReportQuery::default() };
    let school_report = school.journal.report(&school.deputy, ReportName::SuccessQuality, &query).unwrap();
    let row = school_report.rows.iter().find(|r| r.cells[0] == ReportValue::from("11А")).unwrap();
    let percent = |v: &ReportValue| match v {
        ReportValue::Number(x) => format!("{x:.1}").replace('.', ","),
        _ => "—".to_owned(),
    };
    assert!(text.contains(&format!("Успеваемость: {} %", percent(&row.cells[2]))), "{text}");
    assert!(text.contains(&format!("Качество знаний: {} %", percent(&row.cells[3]))), "{text}");

    // «С одной «3»»: worked out here from the class's finals (every curriculum
    // subject «4»/«5» but exactly one «3»), the count the school's report gives.
    let book = school.journal.class_book(&school.deputy, class_id, Some(q1.id)).unwrap();
    let expected: Vec<&str> = book
        .students
        .iter()
        .filter(|s| s.left_on.is_none_or(|d| d > q1.ends_on))
        .filter(|s| {
            let finals: Vec<Option<&str>> =
                book.subjects().iter().map(|(subject, _)| book.final_of(s.id, *subject, q1.id)).collect();
            let threes = finals.iter().filter(|f| **f == Some("3")).count();
            let rest_good = finals.iter().all(|f| matches!(f, Some("3" | "4" | "5" | "зач" | "осв" | "безотм")));
            threes == 1 && rest_good
        })
        .map(|s| s.short_name.as_str())
        .collect();
    assert!(!expected.is_empty(), "the demo's 11А has students with one «3»");
    assert_eq!(row.cells[6], ReportValue::Count(expected.len() as i64));
    let listed = text.split("С одной «3»").nth(1).unwrap().split("Неуспевающие").next().unwrap();
    for name in &expected {
        assert!(listed.contains(name), "{name} is not listed with one «3»: {listed}");
    }
    for s in book.students.iter().filter(|s| !expected.contains(&s.short_name.as_str())) {
        assert!(!listed.contains(&s.short_name), "{} is listed with one «3»", s.short_name);
    }

    // A teacher who teaches in 11А but does not lead it is refused; the class teacher is not.
    let teachers = school.journal.list_accounts().unwrap();
    let mut refused = 0;
    for account in teachers.iter().filter(|a| a.roles == [Role::Teacher] && !a.must_change_password) {
        let Ok(session) = school.journal.login(&account.login, DEMO_PASSWORD) else { continue };
        let leads = school.journal.classes_led(&session).unwrap().iter().any(|c| c.class_id == class_id);
        let teaches = school.journal.class_book(&session, class_id, Some(q1.id)).is_ok();
        let result = school.journal.class_period(&session, class_id, q1.id);
        if leads {
            assert!(result.is_ok());
        } else if teaches {
            let err = result.unwrap_err();
            assert!(err.to_string().contains("классный руководитель этого класса"), "{err}");
            refused += 1;
        }
    }
    assert!(refused > 0, "no subject teacher of 11А was tried");
}

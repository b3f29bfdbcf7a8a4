//! The class teacher's reports on the fixture school: entries made through
//! the real services, each report's cells checked against values worked out
//! by hand.

mod common;

use classbook_core::domain::model::AttendanceCode;
use classbook_core::domain::op::ScheduleLesson;
use classbook_core::{GroupInput, JournalError, MarkInput, Report, ReportName, ReportQuery, ReportValue};
use common::*;

/// The journal of 5А's math in October (students 0 Алексеев, 1 Белова,
/// 2 Волков; lessons 0–5 are 1, 2, 3, 6, 7, 8 October):
/// - Алексеев: «5» (1.10), «4» КР weight 2 (2.10), «5» (3.10):
///   average (5 + 4·2 + 5) / 4 = 4.5, forecast «5»; final «4».
/// - Белова: «3» (1.10), «2» КР weight 2 (6.10): (3 + 2·2) / 3 = 2.33,
///   forecast «2»; no final; «ну» on 2.10, «оп» on 8.10.
/// - Волков: «4» (1.10), «5» (2.10): 4.5; final «5»; «б» on 3.10, «н» on 7.10.
///
/// Topics: 2.10 «Сложение дробей», 6.10 «Вычитание дробей».
fn school() -> School {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let with = |school: &School, lesson: usize, student: usize, value: &str, test: bool| MarkInput {
        work_type_id: test.then_some(school.test_work),
        ..mark(school, lesson, student, value)
    };
    for (lesson, student, value, test) in [
        (0, 0, "5", false),
        (1, 0, "4", true),
        (2, 0, "5", false),
        (0, 1, "3", false),
        (3, 1, "2", true),
        (0, 2, "4", false),
        (1, 2, "5", false),
    ] {
        let input = with(&school, lesson, student, value, test);
        school.journal.set_mark(&petrova, input).unwrap();
    }
    let (l, s) = (school.lessons.clone(), school.students.clone());
    let j = &mut school.journal;
    j.set_attendance(&petrova, l[1], s[1], Some(AttendanceCode::Excused)).unwrap();
    j.set_attendance(&petrova, l[5], s[1], Some(AttendanceCode::Late)).unwrap();
    j.set_attendance(&petrova, l[2], s[2], Some(AttendanceCode::Ill)).unwrap();
    j.set_attendance(&petrova, l[4], s[2], Some(AttendanceCode::Absent)).unwrap();
    j.set_topic(&petrova, l[1], "Сложение дробей", None).unwrap();
    j.set_topic(&petrova, l[3], "Вычитание дробей", None).unwrap();
    let (math, q1, class) = (school.math, school.q1, school.class_5a);
    j.set_final(&petrova, s[0], math, q1, class, Some("4"), None).unwrap();
    j.set_final(&petrova, s[2], math, q1, class, Some("5"), None).unwrap();
    school
}

fn query(school: &School) -> ReportQuery {
    ReportQuery { class_id: Some(school.class_5a), period_id: Some(school.q1), ..Default::default() }
}

fn october(school: &School) -> ReportQuery {
    ReportQuery {
        class_id: Some(school.class_5a),
        from: Some(day(2025, 10, 1)),
        to: Some(day(2025, 10, 8)),
        ..Default::default()
    }
}

fn text(s: &str) -> ReportValue {
    ReportValue::Text(s.into())
}

fn n(k: i64) -> ReportValue {
    ReportValue::Count(k)
}

fn number(cell: &ReportValue) -> f64 {
    match cell {
        ReportValue::Number(x) => *x,
        other => panic!("not a number: {other:?}"),
    }
}

fn cells(report: &Report) -> Vec<Vec<ReportValue>> {
    report.rows.iter().map(|r| r.cells.clone()).collect()
}

#[test]
fn attendance_counts_lessons_and_absences_by_reason() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    let report = school.journal.report(&ct, ReportName::Attendance, &query(&school)).unwrap();
    assert_eq!(report.title, "Посещаемость класса");
    assert_eq!(report.subtitle, "5А, 1 четверть");
    assert_eq!(report.columns.len(), 8);
    // № | name | held | missed | «б» | «ну» | «н» | «оп»: six lessons held by 8 October for everyone.
    assert_eq!(
        cells(&report),
        vec![
            vec![n(1), text("Алексеев Б. П."), n(6), n(0), n(0), n(0), n(0), n(0)],
            vec![n(2), text("Белова В. П."), n(6), n(1), n(0), n(1), n(0), n(1)],
            vec![n(3), text("Волков Г. П."), n(6), n(2), n(1), n(0), n(1), n(0)],
        ]
    );
    // The class held 6 lessons; 3 missed in all, one of each reason, one lateness.
    assert_eq!(report.totals.unwrap(), vec![ReportValue::Empty, text("Итого"), n(6), n(3), n(1), n(1), n(1), n(1)]);
}

#[test]
fn results_show_finals_counts_and_rates() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    let report = school.journal.report(&ct, ReportName::Results, &query(&school)).unwrap();
    let titles: Vec<&str> = report.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["№", "Ученик", "Математика", "«5»", "«4»", "«3»", "«2»"]);
    assert_eq!(
        cells(&report),
        vec![
            vec![n(1), text("Алексеев Б. П."), text("4"), n(0), n(1), n(0), n(0)],
            vec![n(2), text("Белова В. П."), ReportValue::Empty, n(0), n(0), n(0), n(0)],
            vec![n(3), text("Волков Г. П."), text("5"), n(1), n(0), n(0), n(0)],
        ]
    );
    // Math: «4», «5» and a gap — success 2/3 = 66,7 %, quality 2/3 = 66,7 %.
    assert_eq!(
        report.totals.unwrap(),
        vec![ReportValue::Empty, text("Успеваемость / качество, %"), text("66,7 / 66,7"), n(1), n(1), n(0), n(0)]
    );
    assert_eq!(report.subtitle, "5А, 1 четверть; успеваемость 66,7 %, качество 66,7 %");
}

#[test]
fn summary_sheets_of_marks_and_attendance() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    let marks = school.journal.report(&ct, ReportName::SummaryMarks, &query(&school)).unwrap();
    let rows = cells(&marks);
    // Averages 4.5, 2.33, 4.5 with finals «4», none, «5».
    assert_eq!(rows[0][2], ReportValue::Number(4.5));
    assert_eq!(rows[0][3], text("4"));
    assert_eq!(rows[1][2], ReportValue::Number(2.33));
    assert_eq!(rows[1][3], ReportValue::Empty);
    assert_eq!(rows[2][2], ReportValue::Number(4.5));
    assert_eq!(rows[2][3], text("5"));
    // The class: (4.5 + 2.33 + 4.5) / 3 = 3.777 → 3.78.
    let totals = marks.totals.unwrap();
    assert!((number(&totals[2]) - 3.78).abs() < 1e-9);

    let attendance = school.journal.report(&ct, ReportName::SummaryAttendance, &query(&school)).unwrap();
    assert_eq!(
        cells(&attendance),
        vec![
            vec![n(1), text("Алексеев Б. П."), n(0), n(0)],
            vec![n(2), text("Белова В. П."), n(1), n(1)],
            vec![n(3), text("Волков Г. П."), n(2), n(2)],
        ]
    );
    assert_eq!(attendance.totals.unwrap(), vec![ReportValue::Empty, text("Итого"), n(3), n(3)]);
}

#[test]
fn student_average_by_period_and_its_change() {
    let mut school = school();
    // A lesson in the second quarter, and a «3» in it on its day.
    let admin = school.login("admin");
    let date = day(2025, 11, 10);
    let lesson_id = ScheduleLesson::natural_id(school.class_5a, school.math, date, 2);
    let lesson = ScheduleLesson {
        lesson_id,
        date,
        number: 2,
        class_id: school.class_5a,
        group_id: None,
        subject_id: school.math,
        teacher_id: school.teacher,
        room_id: None,
    };
    school.journal.schedule_lesson(&admin, lesson).unwrap();
    school.journal.set_fixed_now(Some(at(2025, 11, 10, 12)));
    let petrova = school.login("petrova");
    let input = MarkInput { lesson_id, ..mark(&school, 0, 0, "3") };
    school.journal.set_mark(&petrova, input).unwrap();

    let ct = school.login("kuznetsova");
    let q = ReportQuery { student_id: Some(school.students[0]), ..Default::default() };
    let report = school.journal.report(&ct, ReportName::StudentAverage, &q).unwrap();
    let titles: Vec<&str> = report.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Предмет", "1 четверть", "2 четверть", "Изменение"]);
    assert_eq!(report.subtitle, "Алексеев Б. П., 5А");
    // 4.5 in the first quarter, 3 in the second: down by 1.5.
    assert_eq!(
        cells(&report),
        vec![vec![text("Математика"), ReportValue::Number(4.5), ReportValue::Number(3.0), ReportValue::Number(-1.5)]]
    );
}

#[test]
fn success_and_quality_by_class_and_school() {
    let mut school = school();
    let zavuch = school.login("zavuch");
    let q = ReportQuery { period_id: Some(school.q1), ..Default::default() };
    let report = school.journal.report(&zavuch, ReportName::SuccessQuality, &q).unwrap();
    let rows = cells(&report);
    // 1А is taught without marks: its one student is not counted, no rates.
    assert_eq!(rows[0], vec![text("1А"), n(1), ReportValue::Empty, ReportValue::Empty, n(0), n(0), n(0), n(0)]);
    // 5А: «4» (good), «5» (excellent), a gap: 2 of 3 successful and of quality.
    assert_eq!(rows[1][..2], [text("5А"), n(3)]);
    assert!((number(&rows[1][2]) - 200.0 / 3.0).abs() < 1e-9);
    assert!((number(&rows[1][3]) - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(rows[1][4..], [n(1), n(1), n(0), n(0)]);
    // The school: 4 students, 3 counted, same rates.
    let totals = report.totals.unwrap();
    assert_eq!(totals[..2], [text("Всего по школе"), n(4)]);
    assert!((number(&totals[2]) - 200.0 / 3.0).abs() < 1e-9);
    // Белова's «3»: all three successful (100 %), two of quality, one with a single «3».
    let petrova = school.login("petrova");
    let (s, math, q1, class) = (school.students[1], school.math, school.q1, school.class_5a);
    school.journal.set_final(&petrova, s, math, q1, class, Some("3"), None).unwrap();
    let report = school.journal.report(&zavuch, ReportName::SuccessQuality, &q).unwrap();
    let row = &report.rows[1].cells;
    assert_eq!(row[2], ReportValue::Number(100.0));
    assert!((number(&row[3]) - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(row[4..], [n(1), n(1), n(1), n(0)]);
    // A teacher reads no school-wide report.
    let sidorov = school.login("sidorov");
    let err = school.journal.report(&sidorov, ReportName::SuccessQuality, &q).unwrap_err();
    assert!(matches!(err, JournalError::Denied(_)), "{err:?}");
}

#[test]
fn missed_lessons_and_unsatisfactory_marks_with_topics() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    let missed = school.journal.report(&ct, ReportName::MissedTopics, &october(&school)).unwrap();
    assert_eq!(missed.subtitle, "5А, с 01.10.2025 по 08.10.2025");
    // Белова missed 2.10 («ну», topic set); Волков 3.10 («б», no topic) and 7.10 («н»); lateness is no miss.
    let d = |x| ReportValue::Date(day(2025, 10, x));
    assert_eq!(
        cells(&missed),
        vec![
            vec![text("Белова В. П."), d(2), n(2), text("Математика"), text("Сложение дробей"), text("ну")],
            vec![text("Волков Г. П."), d(3), n(2), text("Математика"), ReportValue::Empty, text("б")],
            vec![text("Волков Г. П."), d(7), n(2), text("Математика"), ReportValue::Empty, text("н")],
        ]
    );
    let link = missed.rows[0].link.clone().unwrap();
    assert_eq!(
        (link.class_id, link.group_id, link.subject_id, link.period_id),
        (school.class_5a, None, school.math, school.q1)
    );

    let bad = school.journal.report(&ct, ReportName::Unsatisfactory, &october(&school)).unwrap();
    assert_eq!(
        cells(&bad),
        vec![vec![
            text("Белова В. П."),
            d(6),
            text("Математика"),
            text("2"),
            text("Контрольная работа"),
            text("Вычитание дробей")
        ]]
    );
    assert_eq!(bad.rows[0].link.as_ref().unwrap().period_id, school.q1);
}

#[test]
fn forecast_warnings() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    // Алексеев: «4» set against a forecast of «5»; Белова: no final, 2.33 forecasts «2»
    // and the quarter ends within the query (no dates: the period itself); Волков: «5» = forecast.
    let report = school.journal.report(&ct, ReportName::Forecast, &query(&school)).unwrap();
    let rows = cells(&report);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][..5], [text("Алексеев Б. П."), text("Математика"), ReportValue::Number(4.5), n(5), text("4")]);
    assert!(rows[0][5].display().contains("ниже прогноза «5»"), "{:?}", rows[0][5]);
    assert_eq!(
        rows[1][..5],
        [text("Белова В. П."), text("Математика"), ReportValue::Number(2.33), n(2), ReportValue::Empty]
    );
    assert!(rows[1][5].display().contains("Прогноз «2»"));
    assert_eq!(report.rows[0].link.as_ref().unwrap().period_id, school.q1);
    // Over 1–8 October the quarter (ending 24.10) does not end: only the final set below the forecast.
    let q = ReportQuery { period_id: Some(school.q1), ..october(&school) };
    let report = school.journal.report(&ct, ReportName::Forecast, &q).unwrap();
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.rows[0].cells[0], text("Алексеев Б. П."));
}

#[test]
fn refusals_and_missing_parameters() {
    let mut school = school();
    // A teacher with no lessons in 5А and not its class teacher may not read its reports.
    let sidorov = school.login("sidorov");
    for name in [ReportName::Attendance, ReportName::Results, ReportName::SummaryMarks, ReportName::MissedTopics] {
        let err = school.journal.report(&sidorov, name, &query(&school)).unwrap_err();
        assert!(matches!(err, JournalError::Denied(_)), "{name:?}: {err:?}");
    }
    let ct = school.login("kuznetsova");
    let no_class = ReportQuery { period_id: Some(school.q1), ..Default::default() };
    let err = school.journal.report(&ct, ReportName::Attendance, &no_class).unwrap_err();
    assert_eq!(err.to_string(), "Для отчёта «Посещаемость класса» укажите класс.");
    let no_period = ReportQuery { class_id: Some(school.class_5a), ..Default::default() };
    let err = school.journal.report(&ct, ReportName::Results, &no_period).unwrap_err();
    assert_eq!(err.to_string(), "Для отчёта «Итоги успеваемости класса» укажите учебный период.");
    let err = school.journal.report(&ct, ReportName::MissedTopics, &no_period).unwrap_err();
    assert!(err.to_string().contains("укажите учебный период или даты"), "{err}");
    // Every code parses back.
    for name in ReportName::ALL {
        assert_eq!(ReportName::parse(name.code()), Some(*name));
    }
}

#[test]
fn subgroup_lessons_count_for_their_members_and_marks_stay_the_students() {
    let mut school = school();
    let admin = school.login("admin");
    let (s, class, math) = (school.students.clone(), school.class_5a, school.math);
    let input =
        GroupInput {
            id: None, class_id: class, subject_id: math, title: "1 группа".into(), members: vec![s[0], s[1]]
        };
    let group = school.journal.save_group(&admin, input).unwrap();
    let date = day(2025, 10, 8);
    let lesson_id = ScheduleLesson::natural_id(class, math, date, 3);
    let lesson = ScheduleLesson {
        lesson_id,
        date,
        number: 3,
        class_id: class,
        group_id: Some(group),
        subject_id: math,
        teacher_id: school.teacher,
        room_id: None,
    };
    school.journal.schedule_lesson(&admin, lesson).unwrap();
    let petrova = school.login("petrova");
    school.journal.set_mark(&petrova, MarkInput { lesson_id, ..mark(&school, 0, 1, "3") }).unwrap();
    school.journal.set_attendance(&petrova, lesson_id, s[0], Some(AttendanceCode::Absent)).unwrap();

    let ct = school.login("kuznetsova");
    // The group's lesson is the 7th for Алексеев and Белова, not for Волков;
    // Алексеев missed it («н»).
    let attendance = school.journal.report(&ct, ReportName::Attendance, &query(&school)).unwrap();
    let held_missed: Vec<_> = attendance.rows.iter().map(|r| (r.cells[2].clone(), r.cells[3].clone())).collect();
    assert_eq!(held_missed, [(n(7), n(1)), (n(7), n(1)), (n(6), n(2))]);
    assert_eq!(attendance.totals.unwrap()[2], n(7));
    // Белова's «3» on the group's page joins her class-page marks: (3 + 2·2 + 3) / 4 = 2.5.
    let marks = school.journal.report(&ct, ReportName::SummaryMarks, &query(&school)).unwrap();
    assert_eq!(marks.rows[1].cells[2], ReportValue::Number(2.5));
    // The missed group lesson links to the group's page.
    let missed = school.journal.report(&ct, ReportName::MissedTopics, &october(&school)).unwrap();
    let row = missed.rows.iter().find(|r| r.cells[1] == ReportValue::Date(date)).unwrap();
    assert_eq!(row.cells[0], text("Алексеев Б. П."));
    assert_eq!(row.link.as_ref().unwrap().group_id, Some(group));
}

#[test]
fn a_students_marks_and_attendance_by_subject() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    // Белова in 1–8 October: «3», «2» (КР, weight 2) → 2.33, forecast «2»;
    // «ну» on 2.10 (excused), «оп» on 8.10 (lateness, not a missed lesson).
    let q = ReportQuery { student_id: Some(school.students[1]), ..october(&school) };
    let report = school.journal.report(&ct, ReportName::StudentRecord, &q).unwrap();
    let row = &cells(&report)[0];
    assert_eq!(row[..3], [text("Математика"), text("3 2"), n(2)]);
    assert!((number(&row[3]) - 2.33).abs() < 1e-9, "{row:?}");
    assert_eq!(row[4..], [n(2), n(1), n(1)]);
    assert_eq!(report.totals.as_ref().unwrap()[5..], [n(1), n(1)]);
    assert_eq!(report.subtitle, "Белова Вера Петрович, 5А класс, с 01.10.2025 по 08.10.2025; опозданий: 1");
    // A student is needed.
    let err = school.journal.report(&ct, ReportName::StudentRecord, &october(&school)).unwrap_err();
    assert!(err.to_string().contains("укажите ученика"), "{err}");
}

#[test]
fn a_report_card_shows_a_students_finals_per_period() {
    let mut school = school();
    let ct = school.login("kuznetsova");
    // Алексеев's «4» for the 1st quarter; nothing yet for the 2nd and the year.
    let q = ReportQuery { student_id: Some(school.students[0]), ..Default::default() };
    let report = school.journal.report(&ct, ReportName::ReportCard, &q).unwrap();
    let titles: Vec<&str> = report.columns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Предмет", "1 четверть", "2 четверть"]);
    assert_eq!(cells(&report), vec![vec![text("Математика"), text("4"), ReportValue::Empty]]);
    assert_eq!(report.subtitle, "Алексеев Б. П., 5А");
    // Белова has no final: an empty card row, not a missing subject.
    let q = ReportQuery { student_id: Some(school.students[1]), ..Default::default() };
    let report = school.journal.report(&ct, ReportName::ReportCard, &q).unwrap();
    assert_eq!(cells(&report), vec![vec![text("Математика"), ReportValue::Empty, ReportValue::Empty]]);
}

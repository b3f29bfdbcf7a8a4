//! The deputy head's reports on the fixture school (5А: three students,
//! math lessons on 1, 2, 3, 6, 7, 8 October 2025, lesson number 2; 1А,
//! ungraded, one math lesson on 1 October), with entries made through the
//! journal's own services at clock times set by hand. School time is UTC+3;
//! `at(y, m, d, h)` is a school-time hour.

mod common;

use chrono::{DateTime, Duration, Utc};
use classbook_core::domain::entity::Entity;
use classbook_core::domain::model::{AttendanceCode, LessonStatus, MovementKind};
use classbook_core::{Journal, MarkInput, Report, ReportName, ReportQuery, ReportValue};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn fields(value: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(value).unwrap()
}

/// Bell 2 rings at 09:25 (school time).
fn with_bells(school: &mut School) {
    let admin = school.login("admin");
    let fields = fields(json!({"schedule": "основное", "number": 2, "starts_at": "09:25", "ends_at": "10:10"}));
    school.journal.save_record(&admin, Entity::Bell, id("bell-2"), fields).unwrap();
}

fn dates(from: (i32, u32, u32), to: (i32, u32, u32)) -> ReportQuery {
    ReportQuery { from: Some(day(from.0, from.1, from.2)), to: Some(day(to.0, to.1, to.2)), ..ReportQuery::default() }
}

fn texts(report: &Report) -> Vec<Vec<String>> {
    report.rows.iter().map(|r| r.cells.iter().map(ReportValue::display).collect()).collect()
}

fn minutes(t: DateTime<Utc>, m: i64) -> DateTime<Utc> {
    t + Duration::minutes(m)
}

#[test]
fn timeliness_judges_each_entry_by_when_it_was_made_on_its_pc() {
    let mut school = School::new();
    with_bells(&mut school);
    let petrova = school.login("petrova");
    let (l, s) = (school.lessons.clone(), school.students.clone());
    // A second PC that holds the school as it was uploaded.
    let dir = tempfile::tempdir().unwrap();
    let mut second = Journal::open(&dir.path().join("second.db")).unwrap();
    second.set_fixed_now(Some(at(2025, 10, 3, 9)));
    second.apply_remote(&school.journal.outbox(100_000).unwrap()).unwrap();

    let j = &mut school.journal;
    // 1 October, bell 2 at 09:25: attendance due by 09:35.
    j.set_fixed_now(Some(minutes(at(2025, 10, 1, 9), 30))); // 09:30 — on time
    j.set_attendance(&petrova, l[0], s[0], Some(AttendanceCode::Absent)).unwrap();
    j.set_fixed_now(Some(at(2025, 10, 1, 11))); // 11:00 — 1 h 25 min late
    j.set_attendance(&petrova, l[0], s[1], Some(AttendanceCode::Ill)).unwrap();
    j.set_fixed_now(Some(at(2025, 10, 1, 14))); // a mark the same day — on time
    j.set_mark(&petrova, mark(&school_ref(&l, &s), 0, 2, "5")).unwrap();
    j.set_fixed_now(Some(at(2025, 10, 1, 15))); // homework by 15:30 — on time
    j.set_homework(&petrova, l[0], "№ 12, 14").unwrap();
    // 2 October: the mark for 1 October is 10 hours late (due by midnight).
    j.set_fixed_now(Some(at(2025, 10, 2, 10)));
    j.set_mark(&petrova, mark(&school_ref(&l, &s), 0, 0, "4")).unwrap();
    j.set_fixed_now(Some(at(2025, 10, 2, 16))); // homework of 2 October 30 min late
    j.set_homework(&petrova, l[1], "№ 20").unwrap();
    // 4 October: a control work of 2 October, due within 3 days (by 5 October 00:00) — on time.
    j.set_fixed_now(Some(at(2025, 10, 4, 12)));
    let control = MarkInput { work_type_id: Some(school.test_work), ..mark(&school_ref(&l, &s), 1, 1, "3") };
    j.set_mark(&petrova, control).unwrap();
    // 8 October: a correction of a cell entered on time stays judged by its first entry.
    j.set_fixed_now(Some(at(2025, 10, 8, 12)));
    j.set_attendance(&petrova, l[0], s[0], Some(AttendanceCode::Late)).unwrap();

    // Offline on the second PC on 3 October at 09:31: attendance of 3 October
    // (on time) and of 2 October (23 h 56 min after 2 October 09:35).
    let petrova_there = second.login("petrova", PASSWORD).unwrap();
    second.set_fixed_now(Some(minutes(at(2025, 10, 3, 9), 31)));
    second.set_attendance(&petrova_there, l[2], s[0], Some(AttendanceCode::Absent)).unwrap();
    second.set_attendance(&petrova_there, l[1], s[2], Some(AttendanceCode::Absent)).unwrap();
    // … brought in on 8 October: judged by 3 October 09:31, not by today.
    let offline = second.outbox(100).unwrap();
    assert_eq!(offline.len(), 2);
    school.journal.apply_remote(&offline).unwrap();

    let deputy = school.login("zavuch");
    let report = school.journal.report(&deputy, ReportName::Timeliness, &dates((2025, 10, 1), (2025, 10, 8))).unwrap();
    // One teacher × one page. Attendance: 4 cells (1.10 ×2, 3.10, 2.10), late
    // 11:00 on 1.10 and the offline one of 2.10; marks: 3 (the «5» and the
    // control «3» on time, the «4» late); homework: 2, one late. Worst: 23 h 56 min.
    assert_eq!(
        texts(&report),
        vec![vec!["Петрова А. И.", "5А", "", "Математика", "4", "2", "3", "1", "2", "1", "23 ч 56 мин"]],
        "{report:#?}"
    );
    assert_eq!(texts_totals(&report), ["Всего", "", "", "", "4", "2", "3", "1", "2", "1", ""]);
    let link = report.rows[0].link.as_ref().unwrap();
    assert_eq!(
        (link.class_id, link.subject_id, link.period_id, link.group_id),
        (school.class_5a, school.math, school.q1, None)
    );

    // With a looser attendance deadline (2 days' worth of minutes is beyond
    // the limit; 240 minutes is the most) only the offline entry of 2.10 stays late.
    let admin = school.login("admin");
    school.journal.set_school_setting(&admin, "deadline_attendance_minutes", "240").unwrap();
    let report = school.journal.report(&deputy, ReportName::Timeliness, &dates((2025, 10, 1), (2025, 10, 8))).unwrap();
    assert_eq!(texts(&report)[0][4..6], ["4", "1"]);

    // The other teacher made no entries; a teacher may not read the school's reports.
    let query = ReportQuery { teacher_id: Some(school.other_teacher), ..dates((2025, 10, 1), (2025, 10, 8)) };
    assert!(school.journal.report(&deputy, ReportName::Timeliness, &query).unwrap().rows.is_empty());
    let err = school.journal.report(&petrova, ReportName::Timeliness, &query).unwrap_err();
    assert!(err.to_string().contains("Отчёты по всей школе"), "{err}");
}

/// `mark()` wants a `School`; these tests keep the lessons and students apart
/// while the journal is borrowed.
struct Ref<'a> {
    lessons: &'a [uuid::Uuid],
    students: &'a [uuid::Uuid],
}

fn school_ref<'a>(lessons: &'a [uuid::Uuid], students: &'a [uuid::Uuid]) -> Ref<'a> {
    Ref { lessons, students }
}

fn mark(r: &Ref, lesson: usize, student: usize, value: &str) -> MarkInput {
    MarkInput {
        mark_id: None,
        lesson_id: r.lessons[lesson],
        student_id: r.students[student],
        value: value.into(),
        work_type_id: None,
        comment: None,
    }
}

fn texts_totals(report: &Report) -> Vec<String> {
    report.totals.as_ref().unwrap().iter().map(ReportValue::display).collect()
}

#[test]
fn keeping_substitutions_fill_rate_and_control_works() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    let (l, s) = (school.lessons.clone(), school.students.clone());
    let j = &mut school.journal;
    j.set_topic(&petrova, l[0], "Натуральные числа", None).unwrap();
    j.set_homework(&petrova, l[0], "№ 1").unwrap();
    j.set_homework(&petrova, l[1], "№ 2").unwrap();
    for lesson in [0, 1, 2] {
        j.set_attendance(&petrova, l[lesson], s[2], Some(AttendanceCode::Absent)).unwrap();
    }
    j.set_mark(&petrova, mark(&school_ref(&l, &s), 0, 0, "4")).unwrap();
    j.set_mark(&petrova, mark(&school_ref(&l, &s), 1, 0, "5")).unwrap();
    let control = MarkInput { work_type_id: Some(school.test_work), ..mark(&school_ref(&l, &s), 1, 1, "3") };
    j.set_mark(&petrova, control).unwrap();
    let control = MarkInput { work_type_id: Some(school.test_work), ..mark(&school_ref(&l, &s), 1, 0, "5") };
    j.set_mark(&petrova, control).unwrap();
    j.set_substitute(&admin, l[4], Some(school.other_teacher)).unwrap();
    j.set_lesson_status(&admin, l[5], LessonStatus::Cancelled, None).unwrap();
    let deputy = school.login("zavuch");
    let october = dates((2025, 10, 1), (2025, 10, 8));

    // Keeping: 5А held 5 (8.10 cancelled), 1 with a topic, 2 with homework,
    // 3 with attendance: 6 of 5 × 3 = 40 %. 1А (ungraded: no homework due)
    // held 1, nothing: 0 of 2. Total 6 of 17 = 35.29 %.
    let report = school.journal.report(&deputy, ReportName::JournalKeeping, &october).unwrap();
    assert_eq!(
        texts(&report),
        vec![
            vec!["1А", "", "Математика", "Петрова А. И.", "1", "0", "—", "0", "0.00"],
            vec!["5А", "", "Математика", "Петрова А. И.", "5", "1", "2", "3", "40.00"],
        ]
    );
    assert_eq!(texts_totals(&report), ["Всего", "", "", "", "6", "1", "2", "3", "35.29"]);

    // Substitutions: 7.10 substituted by Сидоров, 8.10 cancelled.
    let report = school.journal.report(&deputy, ReportName::Substitutions, &october).unwrap();
    assert_eq!(
        texts(&report),
        vec![
            vec!["07.10.2025", "2", "5А", "", "Математика", "Петрова А. И.", "Сидоров А. И.", "замена", ""],
            vec!["08.10.2025", "2", "5А", "", "Математика", "Петрова А. И.", "", "урок отменён", ""],
        ]
    );
    assert!(report.subtitle.ends_with("замен: 1, отменено: 1, перенесено: 0"), "{}", report.subtitle);

    // Fill rate in the 1st quarter: 5А's three students; Волков has no mark,
    // Белова one (the «3»), Алексеев three. 1А is ungraded: not listed.
    let q1 = ReportQuery { period_id: Some(school.q1), ..ReportQuery::default() };
    let report = school.journal.report(&deputy, ReportName::FillRate, &q1).unwrap();
    assert_eq!(texts(&report), vec![vec!["5А", "", "Математика", "Петрова А. И.", "3", "1", "33.33", "1", "33.33"]]);
    assert_eq!(report.rows[0].link.as_ref().unwrap().period_id, school.q1);

    // Control works: the «3» and the «5» of «Контрольная работа»: success
    // 2 of 2 = 100 %, quality 1 of 2 = 50 %.
    let report = school.journal.report(&deputy, ReportName::ControlWorks, &october).unwrap();
    assert_eq!(
        texts(&report),
        vec![vec!["5А", "", "Математика", "Петрова А. И.", "2", "1", "0", "1", "0", "100.00", "50.00"]]
    );

    // Dates are needed, in order.
    let err = school.journal.report(&deputy, ReportName::FillRate, &ReportQuery::default()).unwrap_err();
    assert!(err.to_string().contains("укажите учебный период или даты"), "{err}");
    let err = school.journal.report(&deputy, ReportName::FillRate, &dates((2025, 10, 8), (2025, 10, 1))).unwrap_err();
    assert!(err.to_string().contains("поменяйте"), "{err}");
}

#[test]
fn program_movement_and_the_change_log() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    let (l, s) = (school.lessons.clone(), school.students.clone());
    // A plan of three one-hour items; 1.10 and 2.10 take up items 1 and 2.
    for n in 1..=3 {
        let item = fields(json!({"teacher_id": school.teacher.to_string(), "class_id": school.class_5a.to_string(),
            "subject_id": school.math.to_string(), "number": n, "topic": format!("Тема {n}"), "hours": 1}));
        school.journal.save_record(&petrova, Entity::KtpItem, id(&format!("ktp-{n}")), item).unwrap();
    }
    school.journal.set_topic(&petrova, l[0], "Тема 1", Some(id("ktp-1"))).unwrap();
    school.journal.set_topic(&petrova, l[1], "Тема 2", Some(id("ktp-2"))).unwrap();
    let deputy = school.login("zavuch");
    // 5А: 6 lessons held, 2 items taken up, 3 items fit into 6 hours: −1.
    // 1А: 1 lesson, no plan.
    let report = school.journal.report(&deputy, ReportName::Program, &dates((2025, 10, 1), (2025, 10, 8))).unwrap();
    assert_eq!(
        texts(&report),
        vec![
            vec!["1А", "", "Математика", "Петрова А. И.", "0", "0.00", "1", "0", "1", "0", "0", "нет КТП"],
            vec!["5А", "", "Математика", "Петрова А. И.", "3", "3.00", "6", "2", "6", "2", "3", "-1"],
        ]
    );

    // Movement: the enrolments of 1.09 and Волков withdrawn on 8.10.
    school
        .journal
        .record_movement(
            &admin,
            id("withdraw-2"),
            s[2],
            MovementKind::Withdraw,
            None,
            day(2025, 10, 8),
            "40-у",
            day(2025, 10, 7),
        )
        .unwrap();
    let report = school.journal.report(&deputy, ReportName::Movement, &dates((2025, 9, 1), (2025, 10, 31))).unwrap();
    let rows = texts(&report);
    assert_eq!(rows.len(), 7, "{rows:#?}");
    assert_eq!(rows[0][..4], ["1А", "01.09.2025", "Данилов Егор", "зачисление"]);
    assert_eq!(rows[1][..3], ["Итого 1А", "", "прибыло: 1, выбыло: 0, переведено и прочее: 0"]);
    assert_eq!(rows[5][..7], ["5А", "08.10.2025", "Волков Глеб Петрович", "выбытие", "", "40-у", "07.10.2025"]);
    assert_eq!(rows[6][2], "прибыло: 3, выбыло: 1, переведено и прочее: 0");
    assert_eq!(texts_totals(&report)[2], "прибыло: 4, выбыло: 1, переведено и прочее: 0");

    // The change log: «4» entered on 2.10, changed to «5» on 8.10. A first
    // entry is not a change: 1.10–7.10 lists nothing.
    school.journal.set_fixed_now(Some(at(2025, 10, 2, 10)));
    let mark_id = school.journal.set_mark(&petrova, mark(&school_ref(&l, &s), 0, 0, "4")).unwrap();
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 12)));
    let fix = MarkInput { mark_id: Some(mark_id), ..mark(&school_ref(&l, &s), 0, 0, "5") };
    school.journal.set_mark(&petrova, fix).unwrap();
    let report = school.journal.report(&deputy, ReportName::Changes, &dates((2025, 10, 1), (2025, 10, 7))).unwrap();
    assert!(report.rows.is_empty(), "{report:#?}");
    let report = school.journal.report(&deputy, ReportName::Changes, &dates((2025, 10, 8), (2025, 10, 8))).unwrap();
    assert_eq!(
        texts(&report),
        vec![vec![
            "08.10.2025 12:00",
            "petrova",
            "5А",
            "Математика",
            "01.10.2025",
            "2",
            "Алексеев Б. П.",
            "отметка",
            "4",
            "5",
            ""
        ]]
    );
}

#[test]
fn the_deadlines_are_the_schools_settings() {
    let mut school = School::new();
    let admin = school.login("admin");
    let defaults = school.journal.deadlines().unwrap();
    assert_eq!(
        (defaults.attendance_minutes, defaults.marks_same_day, defaults.test_days, defaults.essay_days),
        (10, true, 3, 7)
    );
    assert_eq!(defaults.homework_by, "15:30");
    let mut changed = defaults.clone();
    changed.test_days = 5;
    changed.marks_same_day = false;
    changed.homework_by = "16:00".into();
    school.journal.set_deadlines(&admin, &changed).unwrap();
    assert_eq!(school.journal.deadlines().unwrap(), changed);
    school.journal.set_school_setting(&admin, "deadline_essay_days", " 10 ").unwrap();
    assert_eq!(school.journal.deadlines().unwrap().essay_days, 10);
    for (key, value, message) in [
        ("deadline_homework_by", "25:00", "ЧЧ:ММ"),
        ("deadline_attendance_minutes", "0", "от 1 до 240"),
        ("deadline_test_days", "сорок", "от 0 до 30"),
        ("deadline_marks_same_day", "да", "«1» (да) или «0» (нет)"),
    ] {
        let err = school.journal.set_school_setting(&admin, key, value).unwrap_err();
        assert!(err.to_string().contains(message), "{key}: {err}");
    }
    // A bad value among the deadlines saves none of them.
    let mut wrong = changed.clone();
    wrong.test_days = 1;
    wrong.homework_by = "полдень".into();
    assert!(school.journal.set_deadlines(&admin, &wrong).is_err());
    assert_eq!(school.journal.deadlines().unwrap().test_days, 5);
    // The app's settings screen still reads and saves its two settings.
    assert_eq!(school.journal.school_settings().unwrap().edit_window, "2w");
    let petrova = school.login("petrova");
    assert!(school.journal.set_deadlines(&petrova, &defaults).is_err());
}

#[test]
fn every_school_report_has_a_code_and_refuses_a_teacher() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let director = school.login("director");
    let query = ReportQuery { period_id: Some(school.q1), ..ReportQuery::default() };
    let codes = [
        (ReportName::Timeliness, "timeliness"),
        (ReportName::FillRate, "fill-rate"),
        (ReportName::Program, "program"),
        (ReportName::JournalKeeping, "journal-keeping"),
        (ReportName::Movement, "movement"),
        (ReportName::Substitutions, "substitutions"),
        (ReportName::ControlWorks, "control-works"),
        (ReportName::Changes, "changes"),
    ];
    for (name, code) in codes {
        assert_eq!((name.code(), ReportName::parse(code)), (code, Some(name)));
        assert!(ReportName::ALL.contains(&name));
        let err = school.journal.report(&petrova, name, &query).unwrap_err();
        assert!(err.to_string().contains("Отчёты по всей школе"), "{code}: {err}");
        // The director reads them all, for a period as for dates.
        let report = school.journal.report(&director, name, &query).unwrap();
        assert_eq!(report.title, name.title());
        assert!(report.subtitle.starts_with("1 четверть (01.09.2025 — 24.10.2025)"), "{code}: {}", report.subtitle);
        assert!(report.rows.iter().all(|r| r.cells.len() == report.columns.len()), "{code}");
    }
}

/// The dashboard of the week 6–12 October, seen on Thursday 9 October: 5А
/// held 6.10 (with a topic, plan item 1) and 7.10 (substituted, nothing
/// entered); 8.10 was cancelled. Homework for 6.10 came on 9.10, late; Волков
/// got a «2» on 6.10. The plan has five one-hour items; five lessons were
/// held in the quarter up to today, one item taken up: 4 behind.
#[test]
fn the_dashboard_lists_the_weeks_problems_with_their_pages() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    let (l, s) = (school.lessons.clone(), school.students.clone());
    for n in 1..=5 {
        let item = fields(json!({"teacher_id": school.teacher.to_string(), "class_id": school.class_5a.to_string(),
            "subject_id": school.math.to_string(), "number": n, "topic": format!("Тема {n}"), "hours": 1}));
        school.journal.save_record(&petrova, Entity::KtpItem, id(&format!("ktp-{n}")), item).unwrap();
    }
    school.journal.set_fixed_now(Some(at(2025, 10, 9, 12)));
    let j = &mut school.journal;
    j.set_topic(&petrova, l[3], "Тема 1", Some(id("ktp-1"))).unwrap();
    j.set_homework(&petrova, l[3], "№ 5").unwrap();
    j.set_substitute(&admin, l[4], Some(school.other_teacher)).unwrap();
    j.set_lesson_status(&admin, l[5], LessonStatus::Cancelled, None).unwrap();
    j.set_mark(&petrova, mark(&school_ref(&l, &s), 3, 2, "2")).unwrap();
    let deputy = school.login("zavuch");
    let dashboard = school.journal.dashboard(&deputy, None).unwrap();
    assert_eq!(dashboard.title, "Неделя с 06.10.2025 по 12.10.2025");

    let items = |code: &str| -> Vec<(String, String)> {
        let section = dashboard.sections.iter().find(|s| s.code == code).unwrap_or_else(|| panic!("{code}"));
        section.items.iter().map(|i| (i.page.clone(), i.detail.clone())).collect()
    };
    let page = "5А, Математика".to_owned();
    assert_eq!(items("no-topic"), [(page.clone(), "без темы 1 урок из 2".to_owned())]);
    assert_eq!(items("no-homework"), [(page.clone(), "без задания 1 урок из 2".to_owned())]);
    assert_eq!(
        items("late"),
        // The «2» of 6.10 was due that day, the homework by 15:30: 2 days 20 h 30 min late.
        [(page.clone(), "отметки — 1, домашние задания — 1; наибольшее опоздание 2 дн. 20 ч".to_owned())]
    );
    assert_eq!(items("cancelled"), [(page.clone(), "отменён 08.10.2025, 2-й урок".to_owned())]);
    assert_eq!(items("program-lag"), [(page.clone(), "отставание на 4 темы".to_owned())]);
    // Past the quarter's middle (27.09): Алексеев and Белова have no mark.
    assert_eq!(items("no-marks"), [(page.clone(), "без отметок 2 из 3 учащихся".to_owned())]);
    assert_eq!(items("unsatisfactory"), [(page.clone(), "1 отметка: Волков Г. П.".to_owned())]);

    // Every item opens its journal page: 5А's mathematics in the 1st quarter.
    for section in &dashboard.sections {
        for item in &section.items {
            let link = item.link.as_ref().unwrap_or_else(|| panic!("{}: {}", section.code, item.page));
            assert_eq!((link.class_id, link.subject_id, link.period_id), (school.class_5a, school.math, school.q1));
        }
    }
    // The week before (29.09–5.10): 5А's lessons of 1–3.10 and 1А's of 1.10,
    // nothing entered; the most missing first.
    let earlier = school.journal.dashboard(&deputy, Some(day(2025, 10, 1))).unwrap();
    assert_eq!(earlier.title, "Неделя с 29.09.2025 по 05.10.2025");
    let no_topic = earlier.sections.iter().find(|s| s.code == "no-topic").unwrap();
    let listed: Vec<_> = no_topic.items.iter().map(|i| (i.page.as_str(), i.detail.as_str())).collect();
    assert_eq!(listed, [("5А, Математика", "без темы 3 урока из 3"), ("1А, Математика", "без темы 1 урок из 1")]);
    // A teacher has no dashboard.
    assert!(school.journal.dashboard(&petrova, None).is_err());
}

/// A journal from before migration 0005 had a bare `op_cell` (lesson,
/// student, seq): opened by this program it is migrated, the index rebuilt
/// with each op's kind, time and mark, and the change log and timeliness read
/// the same as in a journal made now.
#[test]
fn a_journal_with_the_old_cell_index_migrates_and_reports_the_same() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let (l, s) = (school.lessons.clone(), school.students.clone());
    school.journal.set_fixed_now(Some(at(2025, 10, 2, 10)));
    let mark_id = school.journal.set_mark(&petrova, mark(&school_ref(&l, &s), 0, 0, "4")).unwrap();
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 12)));
    let fix = MarkInput { mark_id: Some(mark_id), ..mark(&school_ref(&l, &s), 0, 0, "5") };
    school.journal.set_mark(&petrova, fix).unwrap();
    let deputy = school.login("zavuch");
    let october = dates((2025, 10, 1), (2025, 10, 8));
    let changes = texts(&school.journal.report(&deputy, ReportName::Changes, &october).unwrap());
    let timeliness = texts(&school.journal.report(&deputy, ReportName::Timeliness, &october).unwrap());
    assert_eq!(changes.len(), 1);

    // The journal as the previous program left it: schema 4, the bare index.
    let School { dir, journal, .. } = school;
    drop(journal);
    let path = dir.path().join("journal.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP INDEX op_voided;
         DROP TABLE op_cell;
         CREATE TABLE op_cell (lesson_id TEXT NOT NULL, student_id TEXT NOT NULL, seq INTEGER NOT NULL,
                               PRIMARY KEY (lesson_id, student_id, seq)) WITHOUT ROWID;
         INSERT INTO op_cell SELECT lesson_id, COALESCE(student_id, ''), seq FROM op WHERE lesson_id IS NOT NULL;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);

    let mut journal = Journal::open(&path).unwrap();
    journal.set_fixed_now(Some(at(2025, 10, 8, 12)));
    let deputy = journal.login("zavuch", PASSWORD).unwrap();
    assert_eq!(texts(&journal.report(&deputy, ReportName::Changes, &october).unwrap()), changes);
    assert_eq!(texts(&journal.report(&deputy, ReportName::Timeliness, &october).unwrap()), timeliness);
}

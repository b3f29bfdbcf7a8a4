//! The workplace around the grid: a teacher's lessons of the day with what is
//! missing, the pages a teacher or class teacher may open, periods and work
//! types, and the demo school's «today».

mod common;

use classbook_core::Journal;
use classbook_core::demo::DemoConfig;
use classbook_core::domain::model::AttendanceCode;
use common::*;

#[test]
fn the_teachers_day_lists_todays_lessons_and_what_is_missing() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    // «Now» is 8 October 2025: one math lesson of 5А, number 2.
    let day = school.journal.today_lessons(&petrova).unwrap();
    assert_eq!(day.len(), 1);
    let lesson = &day[0];
    assert_eq!(lesson.lesson_id, school.lessons[5]);
    assert_eq!((lesson.class_name.as_str(), lesson.subject_name.as_str(), lesson.number), ("5А", "Математика", 2));
    assert_eq!(lesson.period_id, Some(school.q1));
    assert!(lesson.topic.is_none() && lesson.homework.is_none());
    assert_eq!((lesson.attendance_entries, lesson.marks), (0, 0));

    school.journal.set_topic(&petrova, school.lessons[5], "Дроби", None).unwrap();
    school.journal.set_homework(&petrova, school.lessons[5], "§3").unwrap();
    school.journal.set_attendance(&petrova, school.lessons[5], school.students[0], Some(AttendanceCode::Ill)).unwrap();
    let lesson = &school.journal.today_lessons(&petrova).unwrap()[0];
    assert_eq!(lesson.topic.as_deref(), Some("Дроби"));
    assert_eq!(lesson.homework.as_deref(), Some("§3"));
    assert_eq!(lesson.attendance_entries, 1);

    // Another teacher has no lessons today; an account without staff has none either.
    let sidorov = school.login("sidorov");
    assert!(school.journal.today_lessons(&sidorov).unwrap().is_empty());
    let director = school.login("director");
    assert!(school.journal.today_lessons(&director).unwrap().is_empty());
}

#[test]
fn teachers_see_taught_pages_and_class_teachers_their_class() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let pages = school.journal.my_journals(&petrova).unwrap();
    let names: Vec<_> = pages.iter().map(|p| (p.class_name.as_str(), p.subject_name.as_str(), p.teaches)).collect();
    assert_eq!(names, [("1А", "Математика", true), ("5А", "Математика", true)]);

    // Kuznetsova teaches nothing but leads 5А: its curriculum, read-only.
    let kuznetsova = school.login("kuznetsova");
    let pages = school.journal.my_journals(&kuznetsova).unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!((pages[0].class_id, pages[0].subject_id, pages[0].teaches), (school.class_5a, school.math, false));
    // The page opens for her.
    school.journal.journal_page(&kuznetsova, school.class_5a, None, school.math, school.q1).unwrap();

    // She keeps the absence register of the classes she leads; Petrova leads none.
    let led: Vec<_> =
        school.journal.classes_led(&kuznetsova).unwrap().into_iter().map(|c| (c.class_id, c.class_name)).collect();
    assert_eq!(led, [(school.class_1a, "1А".to_string()), (school.class_5a, "5А".to_string())]);
    assert!(school.journal.classes_led(&petrova).unwrap().is_empty());
}

#[test]
fn periods_and_work_types_are_listed() {
    let school = School::new();
    let periods = school.journal.periods().unwrap();
    let titles: Vec<_> = periods.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["1 четверть", "2 четверть"]);
    assert_eq!(school.journal.period_of(day(2025, 11, 10)).unwrap(), Some(school.q2));
    assert_eq!(school.journal.period_of(day(2025, 11, 1)).unwrap(), None);
    let types = school.journal.work_types().unwrap();
    assert_eq!(types.len(), 1);
    assert_eq!((types[0].short_name.as_str(), types[0].weight), ("КР", 2.0));
}

#[test]
fn the_demo_school_says_which_day_it_ends_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("demo.db")).unwrap();
    let config = DemoConfig { classes: 2, students: 40, ..DemoConfig::default() };
    let school = journal.create_demo(&config, |_, _| {}).unwrap();
    assert_eq!(journal.setting("demo_today").unwrap().as_deref(), Some("2026-05-26"));

    // On that day (at noon, Moscow time) a demo teacher has lessons.
    journal.set_fixed_now(Some(at(2026, 5, 26, 12)));
    let teacher = school.accounts.iter().find(|a| a.role.starts_with("учитель")).unwrap();
    let session = journal.login(&teacher.login, &teacher.password).unwrap();
    let lessons = journal.today_lessons(&session).unwrap();
    assert!(!lessons.is_empty(), "{} has no lessons on the demo's last day", teacher.login);
    assert!(lessons.iter().all(|l| l.date == day(2026, 5, 26) && l.period_id.is_some()));
    assert!(!journal.my_journals(&session).unwrap().is_empty());
}

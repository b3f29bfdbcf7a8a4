//! What printing reads: a student's record over dates (the parents'
//! printout) and a class's book, against values worked out by hand.

mod common;

use classbook_core::domain::model::AttendanceCode;
use common::*;

#[test]
fn a_students_record_counts_marks_absences_and_lateness_by_hand() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let boris = school.students[0];
    school.journal.set_mark(&petrova, mark(&school, 0, 0, "5")).unwrap();
    let mut test = mark(&school, 1, 0, "3");
    test.work_type_id = Some(school.test_work); // weight 2
    school.journal.set_mark(&petrova, test).unwrap();
    school.journal.set_topic(&petrova, school.lessons[0], "Сложение дробей", None).unwrap();
    school.journal.set_homework(&petrova, school.lessons[0], "§12, упр. 5–8").unwrap();
    school.journal.set_attendance(&petrova, school.lessons[2], boris, Some(AttendanceCode::Absent)).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[3], boris, Some(AttendanceCode::Ill)).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[4], boris, Some(AttendanceCode::Late)).unwrap();
    // Another student's entries are not his.
    school
        .journal
        .set_attendance(&petrova, school.lessons[5], school.students[1], Some(AttendanceCode::Absent))
        .unwrap();

    let zavuch = school.login("zavuch");
    let record = school.journal.student_record(&zavuch, boris, day(2025, 10, 1), day(2025, 10, 8)).unwrap();
    assert_eq!(record.full_name, "Алексеев Борис Петрович");
    assert_eq!(record.class_name, "5А");
    assert_eq!(record.lessons.len(), 6, "the six math lessons of 1–8 October");
    assert_eq!(record.lessons[0].marks, vec!["5"]);
    assert_eq!(record.lessons[0].topic.as_deref(), Some("Сложение дробей"));
    assert_eq!(record.lessons[0].homework.as_deref(), Some("§12, упр. 5–8"));
    assert_eq!(record.lessons[2].attendance.as_deref(), Some("н"));
    assert_eq!((record.absences, record.absences_excused, record.lateness), (2, 1, 1));
    assert_eq!(record.subjects.len(), 1);
    assert_eq!(record.subjects[0].marks, 2);
    // (5·1 + 3·2) / 3 = 3.67
    assert_eq!(record.subjects[0].average, Some(3.67));

    let week = school.journal.student_record(&zavuch, boris, day(2025, 10, 6), day(2025, 10, 7)).unwrap();
    assert_eq!(week.lessons.len(), 2);
    assert_eq!((week.absences, week.absences_excused, week.lateness), (1, 1, 1));
    assert!(week.subjects[0].average.is_none());

    let backwards = school.journal.student_record(&zavuch, boris, day(2025, 10, 8), day(2025, 10, 1)).unwrap_err();
    assert!(backwards.to_string().contains("Начальная дата позже конечной"), "{backwards}");
}

#[test]
fn a_class_book_holds_the_roll_the_pages_and_who_may_read_it() {
    let mut school = School::new();
    let zavuch = school.login("zavuch");
    assert_eq!(school.journal.class_by_name("5 а").unwrap(), school.class_5a);
    let unknown = school.journal.class_by_name("9Я").unwrap_err();
    assert!(unknown.to_string().contains("Есть классы: 1А, 5А"), "{unknown}");

    let quarter = school.journal.class_book(&zavuch, school.class_5a, Some(school.q1)).unwrap();
    assert_eq!(quarter.class_name, "5А");
    assert_eq!(quarter.year_title, "2025/2026");
    assert_eq!(quarter.class_teacher.as_deref(), Some("Кузнецова Анна Ивановна"));
    assert_eq!(quarter.periods.len(), 1);
    assert!(quarter.year_period.is_none());
    let names: Vec<_> = quarter.students.iter().map(|s| s.short_name.as_str()).collect();
    assert_eq!(names, ["Алексеев Б. П.", "Белова В. П.", "Волков Г. П."]);
    assert_eq!(quarter.sections.len(), 1);
    assert_eq!(quarter.sections[0].teachers, ["Петрова А. И."]);
    assert_eq!(quarter.sections[0].pages[0].lessons.len(), 6);

    let year = school.journal.class_book(&zavuch, school.class_5a, None).unwrap();
    assert_eq!(year.periods.len(), 2, "both quarters of the fixture");

    let director = school.login("director");
    let everyone: Vec<_> =
        school.journal.printable_classes(&director).unwrap().into_iter().map(|c| c.class_name).collect();
    assert_eq!(everyone, ["1А", "5А"]);
    let kuznetsova = school.login("kuznetsova");
    let led: Vec<_> =
        school.journal.printable_classes(&kuznetsova).unwrap().into_iter().map(|c| c.class_name).collect();
    assert_eq!(led, ["1А", "5А"], "the class teacher of both fixture classes");
    let petrova = school.login("petrova");
    assert!(school.journal.printable_classes(&petrova).unwrap().is_empty());

    // A teacher of another class may not print this one.
    let sidorov = school.login("sidorov");
    let refused = school.journal.class_book(&sidorov, school.class_5a, None).unwrap_err();
    assert!(refused.to_string().contains("журнал этого класса"), "{refused}");
}

//! The class teacher's absence register on a real journal file: what the
//! subject teachers marked, in lesson order, with the reasons the class
//! teacher recorded; a teacher of other classes may not read it.

mod common;

use classbook_core::domain::model::AttendanceCode;
use common::*;

#[test]
fn the_register_lists_absences_in_lesson_order_with_their_reasons() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    // 7 October: Вера late; 6 October: Борис absent. Entered out of order on purpose.
    school.journal.set_attendance(&petrova, school.lessons[4], school.students[1], Some(AttendanceCode::Late)).unwrap();
    school
        .journal
        .set_attendance(&petrova, school.lessons[3], school.students[0], Some(AttendanceCode::Absent))
        .unwrap();
    // A code set and cleared again is not an absence.
    school
        .journal
        .set_attendance(&petrova, school.lessons[3], school.students[2], Some(AttendanceCode::Absent))
        .unwrap();
    school.journal.set_attendance(&petrova, school.lessons[3], school.students[2], None).unwrap();

    let kuznetsova = school.login("kuznetsova");
    let october = (day(2025, 10, 1), day(2025, 10, 31));
    let register = school.journal.absence_register(&kuznetsova, school.class_5a, october.0, october.1).unwrap();
    let rows: Vec<(String, &str, &str, Option<&str>)> = register
        .iter()
        .map(|e| (e.date.to_string(), e.student_name.as_str(), e.code.as_str(), e.reason.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [("2025-10-06".into(), "Алексеев Борис", "н", None), ("2025-10-07".into(), "Белова Вера", "оп", None)]
    );
    assert!(register.iter().all(|e| e.subject_name == "Математика" && e.number == 2), "{register:?}");

    // A medical note: the class teacher turns «н» into «б» with the reason.
    school
        .journal
        .set_absence_reason(&kuznetsova, school.lessons[3], school.students[0], AttendanceCode::Ill, "справка №15")
        .unwrap();
    let register = school.journal.absence_register(&kuznetsova, school.class_5a, october.0, october.1).unwrap();
    assert_eq!((register[0].code.as_str(), register[0].reason.as_deref()), ("б", Some("справка №15")));

    // The span is inclusive at both ends.
    let one_day = school.journal.absence_register(&kuznetsova, school.class_5a, day(2025, 10, 7), day(2025, 10, 7));
    assert_eq!(one_day.unwrap().len(), 1);
}

#[test]
fn only_those_who_may_read_the_class_see_its_register() {
    let mut school = School::new();
    let sidorov = school.login("sidorov");
    let err =
        school.journal.absence_register(&sidorov, school.class_5a, day(2025, 9, 1), day(2026, 5, 31)).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert!(err.to_string().chars().any(|c| matches!(c, 'а'..='я')), "a Russian reason: {err}");
    let zavuch = school.login("zavuch");
    school.journal.absence_register(&zavuch, school.class_5a, day(2025, 9, 1), day(2026, 5, 31)).unwrap();
}

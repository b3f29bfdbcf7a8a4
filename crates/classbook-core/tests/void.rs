//! A compromised account: its ops from the reported moment are voided in one
//! step, stay visible in the change log, and the state reverts.

mod common;

use classbook_core::MarkInput;
use classbook_core::domain::model::AttendanceCode;
use common::*;

#[test]
fn voiding_reverts_the_state_and_keeps_the_log() {
    let mut school = School::new();
    let path = school.journal.path().to_owned();
    let petrova = school.login("petrova");
    let (lesson, student) = (school.lessons[5], school.students[0]);
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 10)));
    let good = school
        .journal
        .set_mark(
            &petrova,
            MarkInput {
                mark_id: None,
                lesson_id: lesson,
                student_id: student,
                value: "3".into(),
                work_type_id: None,
                comment: None,
            },
        )
        .unwrap();
    school.journal.set_topic(&petrova, lesson, "Деление дробей", None).unwrap();
    let before_breach = School::snapshot(&path);

    // Someone who stole the password changes the mark, adds one and marks absences.
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 14)));
    let mut change = MarkInput {
        mark_id: Some(good),
        lesson_id: lesson,
        student_id: student,
        value: "5".into(),
        work_type_id: None,
        comment: None,
    };
    school.journal.set_mark(&petrova, change.clone()).unwrap();
    change.mark_id = None;
    school.journal.set_mark(&petrova, change).unwrap();
    school.journal.set_attendance(&petrova, lesson, school.students[1], Some(AttendanceCode::Absent)).unwrap();
    school.journal.set_topic(&petrova, lesson, "Взломано", None).unwrap();

    school.journal.set_fixed_now(Some(at(2025, 10, 8, 16)));
    let admin = school.login("admin");
    let voided = school
        .journal
        .void_account_ops(&admin, petrova.account_id, at(2025, 10, 8, 13), "пароль учителя скомпрометирован")
        .unwrap();
    assert_eq!(voided, 4);
    assert_eq!(School::snapshot(&path), before_breach);

    // The log still shows the voided changes, marked void.
    let history = school.journal.cell_history(&admin, lesson, student).unwrap();
    let voided_changes: Vec<_> = history.iter().filter(|c| c.voided && c.field == "value").collect();
    assert_eq!(voided_changes.len(), 2);
    assert!(history.iter().any(|c| !c.voided && c.new.as_deref() == Some("3")));
    let lesson_log = school.journal.lesson_history(&admin, lesson).unwrap();
    assert!(lesson_log.iter().any(|c| c.voided && c.new.as_deref() == Some("Взломано")));

    // Entries made under that account later (say, from a PC that was offline) stay void too.
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 17)));
    let err = school.journal.set_topic(&petrova, lesson, "Ещё раз", None);
    assert!(err.is_ok(), "the account itself is not blocked by voiding: {err:?}");
    assert_eq!(School::snapshot(&path), before_breach);
    assert!(school.journal.check_integrity().unwrap().is_ok());
    // Only administrators void.
    let zavuch = school.login("zavuch");
    assert_eq!(
        school.journal.void_account_ops(&zavuch, petrova.account_id, at(2025, 10, 8, 13), "x").unwrap_err().code(),
        "forbidden"
    );
}

//! An entry's permission check reuses what earlier entries read (the account,
//! the lesson, the class list, the settings, this PC's chain head). Each test
//! lets a teacher make an entry first, so those facts are remembered, then
//! changes one of them — on the same connection or through another one — and
//! shows the next entry is judged by the change.

mod common;

use classbook_core::domain::model::{MovementKind, Role};
use classbook_core::domain::op::{OpKind, SaveAccount};
use classbook_core::{ImportOp, Journal};
use common::*;

#[test]
fn closing_the_period_stops_the_next_entry_in_the_same_cell() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    school.journal.set_topic(&petrova, school.lessons[5], "Дроби", None).unwrap();
    school.journal.close_period(&admin, school.q1, true).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err().code(), "period_closed");
    let err = school.journal.set_topic(&petrova, school.lessons[5], "Дроби и доли", None).unwrap_err();
    assert_eq!(err.code(), "period_closed");
    school.journal.close_period(&admin, school.q1, false).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap();
}

#[test]
fn a_substitution_moves_the_lesson_to_the_substitute_at_once() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let sidorov = school.login("sidorov");
    let zavuch = school.login("zavuch");
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    assert_eq!(school.journal.set_mark(&sidorov, mark(&school, 5, 1, "4")).unwrap_err().code(), "not_your_lesson");
    school.journal.set_substitute(&zavuch, school.lessons[5], Some(school.other_teacher)).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err().code(), "not_your_lesson");
    school.journal.set_mark(&sidorov, mark(&school, 5, 1, "4")).unwrap();
}

#[test]
fn a_final_locks_marks_already_entered_this_session() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let (student, math, q1, class) = (school.students[0], school.math, school.q1, school.class_5a);
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    school.journal.set_final(&petrova, student, math, q1, class, Some("4"), None).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err().code(), "final_set");
}

#[test]
fn a_withdrawn_student_leaves_the_page_at_once() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    school.journal.set_mark(&petrova, mark(&school, 4, 2, "4")).unwrap();
    let student = school.students[2];
    school
        .journal
        .record_movement(
            &admin,
            id("withdraw"),
            student,
            MovementKind::Withdraw,
            None,
            day(2025, 10, 6),
            "45-у",
            day(2025, 10, 3),
        )
        .unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 4, 2, "5")).unwrap_err().code(), "invalid");
}

#[test]
fn a_blocked_account_can_enter_nothing_more() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    let block = OpKind::SaveAccount(SaveAccount {
        account_id: petrova.account_id,
        login: "petrova".into(),
        roles: vec![Role::Teacher],
        staff_id: Some(school.teacher),
        student_id: None,
        parent_id: None,
        blocked: true,
    });
    let now = school.journal.now();
    school.journal.import([ImportOp { author: school.admin, at: now, kind: block }], |_| {}).unwrap();
    let err = school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err();
    assert!(matches!(err, classbook_core::JournalError::AccountBlocked(_)), "{err:?}");
}

/// Another process on this PC (the CLI while the app is open) writes to the
/// same file: its period closing and its ops in this PC's chain are seen.
#[test]
fn changes_by_another_connection_are_seen() {
    let mut school = School::new();
    let path = school.dir.path().join("journal.db");
    let petrova = school.login("petrova");
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();

    let mut other = Journal::open(&path).unwrap();
    other.set_fixed_now(Some(school.journal.now()));
    let admin = other.login("admin", PASSWORD).unwrap();
    other.close_period(&admin, school.q1, true).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err().code(), "period_closed");

    other.close_period(&admin, school.q1, false).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap();
    let other_petrova = other.login("petrova", PASSWORD).unwrap();
    other.set_mark(&other_petrova, mark(&school, 5, 1, "3")).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 2, "5")).unwrap();

    // Both connections appended to this PC's one chain; it has no gap or fork.
    let integrity = school.journal.check_integrity().unwrap();
    assert!(integrity.is_ok(), "{:?}", integrity.problems);
    let page = school.journal.journal_page(&petrova, school.class_5a, None, school.math, school.q1).unwrap();
    assert_eq!(page.marks.iter().filter(|m| m.lesson_id == school.lessons[5]).count(), 4);
}

#[test]
fn a_stricter_edit_window_applies_to_the_next_entry() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let admin = school.login("admin");
    // 10 October: the lesson of 1 October is inside two weeks, not one.
    school.journal.set_fixed_now(Some(at(2025, 10, 10, 12)));
    school.journal.set_mark(&petrova, mark(&school, 0, 0, "4")).unwrap();
    let fields = serde_json::from_value(serde_json::json!({"key": "edit_window", "value": "1w"})).unwrap();
    let setting = classbook_core::domain::ids::named_id("setting", "edit_window");
    school.journal.save_record(&admin, classbook_core::domain::entity::Entity::Setting, setting, fields).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 0, 0, "5")).unwrap_err().code(), "edit_window");
}

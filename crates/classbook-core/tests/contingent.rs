//! The school office's class lists: enrolling a new student by order (the
//! student and the movement book's entry together) and a student leaving.

mod common;

use classbook_core::{NewStudent, Order};
use common::{School, day};

fn newcomer(school: &School) -> NewStudent {
    NewStudent {
        surname: "Григорьева".into(),
        first_name: "Дарья".into(),
        patronymic: "Олеговна".into(),
        birth_date: Some(day(2014, 3, 2)),
        class_id: school.class_5a,
        enrolled_on: day(2025, 10, 6),
        order: Order { number: "41-у".into(), date: day(2025, 10, 3) },
    }
}

#[test]
fn a_new_student_is_enrolled_by_order_and_appears_in_the_class() {
    let mut school = School::new();
    let admin = school.login("admin");
    let before = school.journal.stats().unwrap();
    let student = school.journal.enrol_new_student(&admin, newcomer(&school)).unwrap();
    let list = school.journal.class_students(&admin, school.class_5a).unwrap();
    assert!(list.iter().any(|s| s.id == student && s.name == "Григорьева Дарья Олеговна"), "{list:?}");
    let petrova = school.login("petrova");
    let page = school.journal.journal_page(&petrova, school.class_5a, None, school.math, school.q1).unwrap();
    assert!(page.students.iter().any(|s| s.id == student), "the teacher's page lists the newcomer");

    let twice = school.journal.enrol_new_student(&admin, newcomer(&school)).unwrap_err();
    assert!(twice.to_string().contains("уже есть в журнале"), "{twice}");
    let after = school.journal.stats().unwrap();
    assert_eq!((after.students, after.ops), (before.students + 1, before.ops + 2), "one student, two ops");
}

#[test]
fn enrolment_needs_an_order_names_and_the_right_people() {
    let mut school = School::new();
    let admin = school.login("admin");
    let teacher = school.login("petrova");
    let before = school.journal.stats().unwrap();
    let no_order = NewStudent { order: Order { number: " ".into(), date: day(2025, 10, 3) }, ..newcomer(&school) };
    assert!(school.journal.enrol_new_student(&admin, no_order).unwrap_err().to_string().contains("номер приказа"));
    let unborn = NewStudent { birth_date: Some(day(2025, 10, 7)), ..newcomer(&school) };
    assert!(school.journal.enrol_new_student(&admin, unborn).unwrap_err().to_string().contains("Дата рождения"));
    let nameless = NewStudent { first_name: "".into(), ..newcomer(&school) };
    assert!(school.journal.enrol_new_student(&admin, nameless).unwrap_err().to_string().contains("фамилию и имя"));
    let refused = school.journal.enrol_new_student(&teacher, newcomer(&school)).unwrap_err();
    assert_eq!(refused.code(), "forbidden", "{refused}");
    assert_eq!(school.journal.stats().unwrap(), before, "refusals leave nothing behind");
}

#[test]
fn a_withdrawn_student_leaves_the_class_list_but_keeps_the_marks() {
    let mut school = School::new();
    let admin = school.login("admin");
    let petrova = school.login("petrova");
    let leaver = school.students[1];
    school.journal.set_mark(&petrova, common::mark(&school, 0, 1, "4")).unwrap();
    let order = Order { number: "44-у".into(), date: day(2025, 10, 6) };
    school.journal.withdraw_student(&admin, leaver, day(2025, 10, 7), order).unwrap();
    let list = school.journal.class_students(&admin, school.class_5a).unwrap();
    assert!(list.iter().all(|s| s.id != leaver));
    let page = school.journal.journal_page(&petrova, school.class_5a, None, school.math, school.q1).unwrap();
    let row = page.students.iter().find(|s| s.id == leaver).expect("still on the page of the period");
    assert_eq!(row.left_on, Some(day(2025, 10, 7)));
    assert!(page.marks.iter().any(|m| m.student_id == leaver && m.value == "4"));
}

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

#[test]
fn a_students_record_tells_parents_of_low_marks_forecasts_and_absences_by_subject() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let boris = school.students[0];
    school.journal.set_mark(&petrova, mark(&school, 0, 0, "2")).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 1, 0, "3")).unwrap();
    school.journal.set_topic(&petrova, school.lessons[0], "Сложение дробей", None).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[2], boris, Some(AttendanceCode::Absent)).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[3], boris, Some(AttendanceCode::Ill)).unwrap();
    let zavuch = school.login("zavuch");
    let record = school.journal.student_record(&zavuch, boris, day(2025, 9, 1), day(2025, 10, 24)).unwrap();
    assert_eq!(record.class_teacher.as_deref(), Some("Кузнецова Анна Ивановна"));
    let math = &record.subjects[0];
    assert_eq!(math.subject_id, school.math);
    // (2 + 3) / 2 = 2.5: the forecast rounds halves up.
    assert_eq!((math.average, math.forecast), (Some(2.5), Some(3)));
    assert_eq!((math.absences, math.absences_excused), (2, 1));
    assert_eq!(record.low_marks.len(), 1);
    assert_eq!(record.low_marks[0].value, "2");
    assert_eq!(record.low_marks[0].topic.as_deref(), Some("Сложение дробей"));

    school.journal.set_final(&petrova, boris, school.math, school.q1, school.class_5a, Some("3"), None).unwrap();
    let finals = school.journal.student_finals(&zavuch, boris, school.q1).unwrap();
    assert_eq!(finals.len(), 1);
    assert_eq!(finals[0].value, "3");
    assert!(school.journal.student_finals(&zavuch, boris, school.q2).unwrap().is_empty());
}

#[test]
fn the_class_teachers_period_report_counts_the_roll_its_movement_and_each_line() {
    let mut school = School::new();
    let admin = school.login("admin");
    let petrova = school.login("petrova");
    let (math, q1, class) = (school.math, school.q1, school.class_5a);
    let students = school.students.clone();
    for (student, value) in students.iter().zip(["5", "3", "2"]) {
        school.journal.set_final(&petrova, *student, math, q1, class, Some(value), None).unwrap();
    }
    school.journal.set_attendance(&petrova, school.lessons[0], students[1], Some(AttendanceCode::Ill)).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[1], students[1], Some(AttendanceCode::Absent)).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[2], students[1], Some(AttendanceCode::Late)).unwrap();
    // Глеб leaves on 20 October.
    school
        .journal
        .record_movement(
            &admin,
            id("withdraw"),
            students[2],
            classbook_core::domain::model::MovementKind::Withdraw,
            None,
            day(2025, 10, 20),
            "45-у",
            day(2025, 10, 17),
        )
        .unwrap();

    let kuznetsova = school.login("kuznetsova");
    let report = school.journal.class_period(&kuznetsova, class, q1).unwrap();
    assert_eq!(report.class_name, "5А");
    assert_eq!(report.class_teacher.as_deref(), Some("Кузнецова Анна Ивановна"));
    assert_eq!((report.roll_at_start, report.roll_at_end), (3, 2));
    let moves: Vec<_> =
        report.movements.iter().map(|m| (m.arrived, m.kind.as_str(), m.order_number.as_deref())).collect();
    // Enrolled on 1 September, the first day: an arrival of the period too.
    assert_eq!(moves.iter().filter(|m| m.0).count(), 3);
    assert!(moves.contains(&(false, "выбытие", Some("45-у"))), "{moves:?}");
    // The results are class_results' own.
    let results = school.journal.class_results(&kuznetsova, class, q1).unwrap();
    assert_eq!(report.results.success_rate, results.success_rate);
    assert_eq!(report.results.summary.students, 2);
    use classbook_core::domain::grades::StudentOutcome;
    let lines: Vec<_> = report.students.iter().map(|s| (s.short_name.as_str(), s.outcome, s.one_three)).collect();
    assert_eq!(
        lines,
        [
            ("Алексеев Б. П.", Some(StudentOutcome::Excellent), false),
            ("Белова В. П.", Some(StudentOutcome::Satisfactory), true),
            ("Волков Г. П.", None, false),
        ]
    );
    let vera = &report.students[1];
    assert_eq!((vera.absences, vera.absences_excused, vera.lateness), (2, 1, 1));
    assert_eq!(vera.full_name, "Белова Вера Петрович");

    // A teacher who only teaches math in the class is refused; the director is not.
    let refused = school.journal.class_period(&petrova, class, q1).unwrap_err();
    assert!(refused.to_string().contains("классный руководитель этого класса"), "{refused}");
    let director = school.login("director");
    assert!(school.journal.class_period(&director, class, q1).is_ok());
}

//! A teacher's day in a real journal file: marks, attendance, topics,
//! homework, what is refused and why, and that refusals change nothing.

mod common;

use classbook_core::domain::model::AttendanceCode;
use common::*;

#[test]
fn a_teacher_fills_a_lesson_and_it_survives_reopening() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let lesson = school.lessons[5];
    school.journal.set_attendance(&petrova, lesson, school.students[1], Some(AttendanceCode::Absent)).unwrap();
    let first = school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap();
    // Several marks in one cell, one of them a test with weight 2.
    let mut test = mark(&school, 5, 0, "3");
    test.work_type_id = Some(school.test_work);
    school.journal.set_mark(&petrova, test).unwrap();
    school.journal.set_topic(&petrova, lesson, "Сложение дробей", None).unwrap();
    school.journal.set_homework(&petrova, lesson, "§12, упр. 5–8").unwrap();

    let path = school.journal.path().to_owned();
    drop(school.journal);
    let journal = classbook_core::Journal::open(&path).unwrap();
    let page = journal.journal_page(&petrova, school.class_5a, None, school.math, school.q1).unwrap();
    assert_eq!(page.students.len(), 3);
    assert_eq!(page.students[0].name, "Алексеев Б. П.");
    assert_eq!(page.lessons.len(), 6);
    let l = page.lessons.iter().find(|l| l.id == lesson).unwrap();
    assert_eq!(l.topic.as_deref(), Some("Сложение дробей"));
    assert_eq!(l.homework.as_deref(), Some("§12, упр. 5–8"));
    assert_eq!(page.marks.iter().filter(|m| m.student_id == school.students[0]).count(), 2);
    assert!(page.marks.iter().any(|m| m.id == first && m.value == "5"));
    assert_eq!(page.attendance.len(), 1);
    assert_eq!(page.attendance[0].code, "н");
    // (5×1 + 3×2) / 3 = 3.67 → forecast 4.
    let summary = &page.summaries[0];
    assert_eq!(summary.average, Some(3.67));
    assert_eq!(summary.forecast, Some(4));
    assert_eq!(journal.stats().unwrap().outbox, journal.stats().unwrap().ops);
    assert!(journal.check_integrity().unwrap().is_ok());
}

#[test]
fn a_changed_mark_keeps_its_history() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let id = school.journal.set_mark(&petrova, mark(&school, 4, 2, "3")).unwrap();
    let mut fix = mark(&school, 4, 2, "4");
    fix.mark_id = Some(id);
    school.journal.set_mark(&petrova, fix).unwrap();
    // The change log read midway is brought up to date by the next reading.
    assert_eq!(school.journal.cell_history(&petrova, school.lessons[4], school.students[2]).unwrap().len(), 2);
    school.journal.delete_mark(&petrova, id).unwrap();
    let history = school.journal.cell_history(&petrova, school.lessons[4], school.students[2]).unwrap();
    let values: Vec<_> = history
        .iter()
        .filter(|c| c.field == "value")
        .map(|c| (c.old.clone(), c.new.clone(), c.author_login.clone()))
        .collect();
    assert_eq!(
        values,
        vec![
            (None, Some("3".to_string()), "petrova".to_string()),
            (Some("3".into()), Some("4".into()), "petrova".into()),
            (Some("4".into()), None, "petrova".into()),
        ]
    );
}

/// Every refusal says why in Russian and leaves the journal as it was.
#[test]
fn forbidden_entries_change_nothing() {
    let mut school = School::new();
    let path = school.journal.path().to_owned();
    let before = School::snapshot(&path);
    let ops_before = school.journal.stats().unwrap().ops;
    let sidorov = school.login("sidorov");
    let zavuch = school.login("zavuch");
    let kuznetsova = school.login("kuznetsova");
    let petrova = school.login("petrova");

    let refusals = [
        ("not_your_lesson", school.journal.set_mark(&sidorov, mark(&school, 5, 0, "5")).map(|_| ())),
        ("forbidden", school.journal.set_mark(&zavuch, mark(&school, 5, 0, "5")).map(|_| ())),
        ("not_your_lesson", school.journal.set_mark(&kuznetsova, mark(&school, 5, 0, "5")).map(|_| ())),
        ("invalid", school.journal.set_mark(&petrova, mark(&school, 5, 0, "6")).map(|_| ())),
        ("ungraded_class", {
            let mut m = mark(&school, 0, 0, "5");
            m.lesson_id = school.lesson_1a;
            m.student_id = school.first_grader;
            school.journal.set_mark(&petrova, m).map(|_| ())
        }),
        ("ungraded_class", school.journal.set_homework(&petrova, school.lesson_1a, "стр. 5")),
        ("forbidden", school.journal.close_period(&petrova, school.q1, true)),
    ];
    for (code, result) in refusals {
        let err = result.unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().chars().any(|c| ('а'..='я').contains(&c)), "{err}");
    }
    assert_eq!(school.journal.stats().unwrap().ops, ops_before);
    assert_eq!(School::snapshot(&path), before);
    // Attendance and topics are kept in grade 1.
    school.journal.set_attendance(&petrova, school.lesson_1a, school.first_grader, Some(AttendanceCode::Ill)).unwrap();
}

#[test]
fn the_edit_window_and_closed_periods_lock_old_lessons() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    // Two weeks after 1 October is the last day for that lesson.
    school.journal.set_fixed_now(Some(at(2025, 10, 15, 18)));
    school.journal.set_mark(&petrova, mark(&school, 0, 0, "4")).unwrap();
    school.journal.set_fixed_now(Some(at(2025, 10, 16, 9)));
    let err = school.journal.set_mark(&petrova, mark(&school, 0, 0, "4")).unwrap_err();
    assert_eq!(err.code(), "edit_window");
    assert!(err.to_string().contains("15.10.2025"), "{err}");

    let admin = school.login("admin");
    school.journal.close_period(&admin, school.q1, true).unwrap();
    let err = school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap_err();
    assert_eq!(err.code(), "period_closed");
    let err = school.journal.set_topic(&petrova, school.lessons[5], "Повторение", None).unwrap_err();
    assert_eq!(err.code(), "period_closed");
    school.journal.close_period(&admin, school.q1, false).unwrap();
    school.journal.set_topic(&petrova, school.lessons[5], "Повторение", None).unwrap();
}

#[test]
fn a_final_locks_the_period_marks_of_that_student() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let (student, math, q1, class) = (school.students[0], school.math, school.q1, school.class_5a);
    school.journal.set_final(&petrova, student, math, q1, class, Some("4"), None).unwrap();
    let err = school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err();
    assert_eq!(err.code(), "final_set");
    // Other students of the class are not locked.
    school.journal.set_mark(&petrova, mark(&school, 5, 1, "5")).unwrap();
    let err = school.journal.set_final(&petrova, student, math, q1, class, Some("отл"), None).unwrap_err();
    assert_eq!(err.code(), "invalid");
    let sidorov = school.login("sidorov");
    let err = school.journal.set_final(&sidorov, student, math, q1, class, Some("5"), None).unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[test]
fn substitutes_keep_the_substituted_lesson() {
    let mut school = School::new();
    let zavuch = school.login("zavuch");
    let lesson = school.lessons[5];
    school.journal.set_substitute(&zavuch, lesson, Some(school.other_teacher)).unwrap();
    let sidorov = school.login("sidorov");
    let petrova = school.login("petrova");
    school.journal.set_mark(&sidorov, mark(&school, 5, 0, "5")).unwrap();
    assert_eq!(school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err().code(), "not_your_lesson");
    // The substitute's journal access covers this class, for reading too.
    let page = school.journal.journal_page(&sidorov, school.class_5a, None, school.math, school.q1).unwrap();
    // The page names both on the substituted lesson only (the «замена» note).
    let names: Vec<_> =
        page.lessons.iter().map(|l| (l.substitute_name.as_deref(), l.teacher_name.as_deref())).collect();
    assert_eq!(names[5], (Some("Сидоров А. И."), Some("Петрова А. И.")));
    assert!(names.iter().enumerate().all(|(i, n)| i == 5 || *n == (None, None)), "{names:?}");
}

#[test]
fn the_class_teacher_reads_and_corrects_absence_reasons_only() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let lesson = school.lessons[3];
    let student = school.students[1];
    school.journal.set_attendance(&petrova, lesson, student, Some(AttendanceCode::Absent)).unwrap();
    let kuznetsova = school.login("kuznetsova");
    let page = school.journal.journal_page(&kuznetsova, school.class_5a, None, school.math, school.q1).unwrap();
    assert_eq!(page.attendance.len(), 1);
    school.journal.set_absence_reason(&kuznetsova, lesson, student, AttendanceCode::Ill, "справка №15").unwrap();
    let page = school.journal.journal_page(&kuznetsova, school.class_5a, None, school.math, school.q1).unwrap();
    assert_eq!(page.attendance[0].code, "б");
    assert_eq!(page.attendance[0].reason.as_deref(), Some("справка №15"));
    let sidorov = school.login("sidorov");
    let err = school.journal.set_absence_reason(&sidorov, lesson, student, AttendanceCode::Excused, "").unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = school.journal.journal_page(&sidorov, school.class_5a, None, school.math, school.q1).unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[test]
fn a_withdrawn_student_stays_on_past_pages() {
    let mut school = School::new();
    let admin = school.login("admin");
    let student = school.students[2];
    school
        .journal
        .record_movement(
            &admin,
            id("withdraw"),
            student,
            classbook_core::domain::model::MovementKind::Withdraw,
            None,
            day(2025, 10, 6),
            "45-у",
            day(2025, 10, 3),
        )
        .unwrap();
    let page = school.journal.journal_page(&admin, school.class_5a, None, school.math, school.q1).unwrap();
    let row = page.students.iter().find(|s| s.id == student).unwrap();
    assert_eq!(row.left_on, Some(day(2025, 10, 6)));
    let q2 = school.journal.journal_page(&admin, school.class_5a, None, school.math, school.q2).unwrap();
    assert!(q2.students.iter().all(|s| s.id != student));
    // After leaving, no entries for them on later lessons.
    let petrova = school.login("petrova");
    let err = school.journal.set_mark(&petrova, mark(&school, 4, 2, "5")).unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = school
        .journal
        .record_movement(
            &admin,
            id("bad"),
            student,
            classbook_core::domain::model::MovementKind::Enrol,
            Some(school.class_5a),
            day(2025, 10, 9),
            " ",
            day(2025, 10, 9),
        )
        .unwrap_err();
    assert!(err.to_string().contains("номер приказа"));
}

#[test]
fn class_results_follow_the_finals() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let (math, q1, class) = (school.math, school.q1, school.class_5a);
    let students = school.students.clone();
    for (student, value) in students.iter().zip(["5", "4", "2"]) {
        school.journal.set_final(&petrova, *student, math, q1, class, Some(value), None).unwrap();
    }
    let director = school.login("director");
    let results = school.journal.class_results(&director, class, q1).unwrap();
    assert_eq!(results.summary.students, 3);
    // Two of three have «3» or better; the same two have «4»/«5».
    assert!((results.success_rate.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert!((results.quality.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    school.journal.set_final(&petrova, students[2], math, q1, class, Some("3"), None).unwrap();
    let results = school.journal.class_results(&director, class, q1).unwrap();
    assert_eq!(results.success_rate, Some(100.0));
}

#[test]
fn the_clock_never_goes_back_across_restarts() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let first = school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap();
    let path = school.journal.path().to_owned();
    let now = school.journal.now();
    let next = mark(&school, 4, 1, "4");
    drop(school.journal);

    // The PC's clock is now a day behind; the next entry still orders after the last.
    let mut journal = classbook_core::Journal::open(&path).unwrap();
    journal.set_fixed_now(Some(now - chrono::Duration::days(1)));
    let second = journal.set_mark(&petrova, next).unwrap();
    let stamp = |mark: uuid::Uuid| -> (i64, i64) {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT hlc_ms, hlc_counter FROM op WHERE instr(payload, ?1) > 0", [mark.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    assert!(stamp(second) > stamp(first), "{:?} should order after {:?}", stamp(second), stamp(first));
    assert!(journal.check_integrity().unwrap().is_ok());
}

#[test]
fn the_ktp_lists_its_topics_and_where_each_was_taken_up() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let sidorov = school.login("sidorov");
    let entity = classbook_core::domain::entity::Entity::KtpItem;
    for (n, topic) in [(1, "Натуральные числа"), (2, "Дроби")] {
        let fields = serde_json::from_value(serde_json::json!({
            "teacher_id": school.teacher.to_string(), "class_id": school.class_5a.to_string(),
            "subject_id": school.math.to_string(), "number": n, "topic": topic, "hours": 1.0
        }))
        .unwrap();
        school.journal.save_record(&petrova, entity, id(&format!("ktp-{n}")), fields).unwrap();
    }
    school.journal.set_topic(&petrova, school.lessons[1], "Дроби", Some(id("ktp-2"))).unwrap();
    let plan = school.journal.ktp_plan(&petrova, school.class_5a, None, school.math).unwrap();
    let shown: Vec<_> = plan.iter().map(|k| (k.number, k.topic.as_str(), k.taught_on)).collect();
    assert_eq!(shown, [(1, "Натуральные числа", None), (2, "Дроби", Some(day(2025, 10, 2)))]);
    assert_eq!(school.journal.ktp_plan(&sidorov, school.class_5a, None, school.math).unwrap_err().code(), "forbidden");
}

/// Entries are copied from the WAL into the journal file by the journal's
/// background checkpoint, without another write (or a keystroke) waiting for it.
#[test]
fn entries_reach_the_journal_file_in_the_background() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let file = school.dir.path().join("journal.db");
    let wal = school.dir.path().join("journal.db-wal");
    // Whatever the set-up left in the WAL is copied first.
    let settled = std::time::Instant::now();
    let mut before = std::fs::metadata(&file).unwrap().modified().unwrap();
    while settled.elapsed() < std::time::Duration::from_secs(2) {
        std::thread::sleep(std::time::Duration::from_millis(300));
        before = std::fs::metadata(&file).unwrap().modified().unwrap();
    }
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the entry went to the WAL first");
    let started = std::time::Instant::now();
    while std::fs::metadata(&file).unwrap().modified().unwrap() == before {
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the WAL was never copied into the file");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_deputy_head_sees_the_days_lessons_and_who_substitutes() {
    let mut school = School::new();
    let zavuch = school.login("zavuch");
    let petrova = school.login("petrova");
    let day = day(2025, 10, 8);
    let plan = school.journal.day_plan(&zavuch, day).unwrap();
    let shown: Vec<_> = plan.iter().map(|l| (l.number, l.class_name.as_str(), l.subject_name.as_str())).collect();
    assert_eq!(shown, [(2, "5А", "Математика")]);
    assert_eq!((plan[0].teacher_name.as_str(), plan[0].substitute_name.as_deref()), ("Петрова А. И.", None));
    let staff = school.journal.staff_list(&zavuch).unwrap();
    let sidorov = staff.iter().find(|s| s.name == "Сидоров А. И.").expect("Sidorov among the staff");
    school.journal.set_substitute(&zavuch, plan[0].lesson_id, Some(sidorov.id)).unwrap();
    let plan = school.journal.day_plan(&zavuch, day).unwrap();
    assert_eq!(plan[0].substitute_name.as_deref(), Some("Сидоров А. И."));
    let log = school.journal.lesson_history(&zavuch, plan[0].lesson_id).unwrap();
    let substitution = log.iter().find(|c| c.field == "substitute_id").expect("the substitution in the change log");
    assert_eq!(substitution.new.as_deref(), Some("Сидоров А. И."), "the log names the colleague, not an id");
    assert_eq!(school.journal.day_plan(&petrova, day).unwrap_err().code(), "forbidden");
    assert_eq!(school.journal.staff_list(&petrova).unwrap_err().code(), "forbidden");
}

#[test]
fn a_cancelled_lesson_takes_no_entries_and_a_transferred_one_moves_to_its_new_day() {
    use classbook_core::domain::model::LessonStatus;
    let mut school = School::new();
    let zavuch = school.login("zavuch");
    let petrova = school.login("petrova");
    let (cancelled, moved) = (school.lessons[5], school.lessons[4]);
    school.journal.set_lesson_status(&zavuch, cancelled, LessonStatus::Cancelled, None).unwrap();
    let refused = school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap_err();
    assert_eq!(refused.code(), "lesson_cancelled");
    assert!(refused.to_string().contains("Урок отменён"), "{refused}");
    let no_day = school.journal.set_lesson_status(&zavuch, moved, LessonStatus::Transferred, None).unwrap_err();
    assert!(no_day.to_string().contains("Укажите дату"), "{no_day}");
    assert!(school.journal.set_lesson_status(&petrova, moved, LessonStatus::Cancelled, None).is_err());

    // 7 October moves to 9 October: a day still ahead on the 8th.
    school.journal.set_lesson_status(&zavuch, moved, LessonStatus::Transferred, Some(day(2025, 10, 9))).unwrap();
    let page = school.journal.journal_page(&petrova, school.class_5a, None, school.math, school.q1).unwrap();
    let shown = page.lessons.iter().find(|l| l.id == moved).unwrap();
    assert_eq!((shown.date, shown.moved_from), (day(2025, 10, 9), Some(day(2025, 10, 7))));
    assert_eq!(page.lessons.last().unwrap().id, moved, "the page is in the order lessons are held");
    let early = school.journal.set_mark(&petrova, mark(&school, 4, 0, "5")).unwrap_err();
    assert_eq!(early.code(), "future_lesson", "judged by the day it moved to: {early}");
    school.journal.set_fixed_now(Some(at(2025, 10, 9, 9)));
    let day_9 = school.journal.today_lessons(&petrova).unwrap();
    assert!(
        day_9.iter().any(|l| l.lesson_id == moved && l.date == day(2025, 10, 9)),
        "in the teacher's day it moved to"
    );
    school.journal.set_fixed_now(Some(at(2025, 10, 7, 9)));
    assert!(school.journal.today_lessons(&petrova).unwrap().iter().all(|l| l.lesson_id != moved), "gone from the 7th");
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 12)));

    school.journal.set_lesson_status(&zavuch, cancelled, LessonStatus::Held, None).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "5")).unwrap();
}

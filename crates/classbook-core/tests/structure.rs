//! Setting up a school from nothing through the administration services:
//! year and periods, subjects, staff and accounts, classes and students,
//! subgroups, who teaches what, the timetable and the lessons it fills —
//! then a teacher finds the journal ready. Plus what the forms refuse.

mod common;

use chrono::{DateTime, Utc};
use classbook_core::domain::ids::new_id;
use classbook_core::domain::model::{MovementKind, PeriodKind, Role};
use classbook_core::{
    AccountPerson, AssignmentInput, ClassInput, GroupInput, Journal, MarkInput, Order, PeriodRange, Session, SlotInput,
    StaffInput, SubjectInput, YearInput,
};
use common::{School, at, day};
use uuid::Uuid;

fn quarters() -> Vec<PeriodRange> {
    [((9, 1), (10, 24)), ((11, 5), (12, 28)), ((1, 12), (3, 20)), ((3, 30), (5, 26))]
        .into_iter()
        .map(|((m1, d1), (m2, d2))| PeriodRange {
            starts_on: day(if m1 >= 9 { 2026 } else { 2027 }, m1, d1),
            ends_on: day(if m2 >= 9 { 2026 } else { 2027 }, m2, d2),
        })
        .collect()
}

fn year_input() -> YearInput {
    YearInput {
        id: None,
        title: "2026/2027".into(),
        starts_on: day(2026, 9, 1),
        ends_on: day(2027, 5, 31),
        period_kind: PeriodKind::Quarter,
        periods: quarters(),
    }
}

/// A new school's journal with its first administrator logged in.
fn new_school(dir: &tempfile::TempDir, now: DateTime<Utc>) -> (Journal, Session) {
    let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    journal.set_fixed_now(Some(now));
    let (_, start) = journal.create_school("МБОУ СОШ № 7", "admin").unwrap();
    let mut admin = journal.login("admin", &start).unwrap();
    journal.change_password(&mut admin, &start, "надёжный-пароль-1").unwrap();
    (journal, admin)
}

fn staff(journal: &mut Journal, admin: &Session, surname: &str) -> Uuid {
    journal
        .save_staff(
            admin,
            StaffInput {
                id: None,
                surname: surname.into(),
                first_name: "Анна".into(),
                patronymic: "Ивановна".into(),
                position: "учитель".into(),
            },
        )
        .unwrap()
}

fn subject(journal: &mut Journal, admin: &Session, name: &str) -> Uuid {
    journal.save_subject(admin, SubjectInput { id: None, name: name.into(), short_name: String::new() }).unwrap()
}

fn slot(
    class_id: Uuid,
    group_id: Option<Uuid>,
    subject_id: Uuid,
    teacher_id: Uuid,
    weekday: u8,
    number: u8,
) -> SlotInput {
    SlotInput {
        id: None,
        class_id,
        group_id,
        subject_id,
        teacher_id,
        weekday,
        number,
        valid_from: None,
        valid_to: None,
    }
}

#[test]
fn an_administrator_sets_up_a_school_and_a_teacher_finds_the_journal_ready() {
    let dir = tempfile::tempdir().unwrap();
    let (mut journal, admin) = new_school(&dir, at(2026, 8, 25, 9));

    let year = journal.save_year(&admin, year_input()).unwrap();
    let math = subject(&mut journal, &admin, "Математика");
    let english = subject(&mut journal, &admin, "Английский язык");
    let petrova = staff(&mut journal, &admin, "Петрова");
    let smith = staff(&mut journal, &admin, "Смирнова");
    let (_, start) =
        journal.create_account(&admin, "petrova", vec![Role::Teacher], AccountPerson::Staff(petrova)).unwrap();
    let class = journal
        .save_class(
            &admin,
            ClassInput {
                id: None,
                year_id: year,
                grade: 5,
                letter: "а".into(),
                class_teacher_id: Some(petrova),
                shift: Some(1),
            },
        )
        .unwrap();
    let mut students = Vec::new();
    for (i, surname) in ["Алексеев", "Белова", "Волков", "Галкина"].into_iter().enumerate() {
        let student = new_id();
        journal
            .save_record(
                &admin,
                classbook_core::domain::entity::Entity::Student,
                student,
                serde_json::from_value(serde_json::json!({"surname": surname, "first_name": "Имя"})).unwrap(),
            )
            .unwrap();
        journal
            .record_movement(
                &admin,
                new_id(),
                student,
                MovementKind::Enrol,
                Some(class),
                day(2026, 9, 1),
                &format!("{i}-у"),
                day(2026, 8, 20),
            )
            .unwrap();
        students.push(student);
    }
    journal.set_fixed_now(Some(at(2026, 9, 1, 7)));
    let group = journal
        .save_group(
            &admin,
            GroupInput {
                id: None,
                class_id: class,
                subject_id: english,
                title: "1 подгруппа".into(),
                members: students[..2].to_vec(),
            },
        )
        .unwrap();
    for (group_id, subject_id, teacher_id) in [(None, math, petrova), (Some(group), english, smith)] {
        journal
            .save_assignment(
                &admin,
                AssignmentInput { id: None, class_id: class, group_id, subject_id, teacher_id, active: true },
            )
            .unwrap();
    }
    // Monday 1st and Wednesday 3rd: maths; Monday 2nd: English in the subgroup.
    journal.save_slot(&admin, slot(class, None, math, petrova, 1, 1)).unwrap();
    journal.save_slot(&admin, slot(class, None, math, petrova, 3, 1)).unwrap();
    journal.save_slot(&admin, slot(class, Some(group), english, smith, 1, 2)).unwrap();

    // 1–13 September 2026, Tuesday to Sunday: maths on the 2nd, 7th and 9th, English on the 7th.
    let report = journal.fill_lessons(&admin, day(2026, 9, 1), day(2026, 9, 13)).unwrap();
    assert_eq!((report.created, report.existing, report.holidays), (4, 0, 0), "{report:?}");
    let again = journal.fill_lessons(&admin, day(2026, 9, 1), day(2026, 9, 13)).unwrap();
    assert_eq!((again.created, again.existing), (0, 4), "filling twice keeps the lessons: {again:?}");

    let structure = journal.school_structure(&admin).unwrap();
    assert_eq!(structure.classes.len(), 1);
    assert_eq!(structure.classes[0].name, "5А", "the letter is kept in capitals");
    assert_eq!(structure.years[0].periods.len(), 4);
    assert_eq!(structure.groups[0].members.len(), 2);
    assert_eq!(structure.staff.iter().find(|s| s.id == petrova).unwrap().login.as_deref(), Some("petrova"));
    assert_eq!(structure.slots.len(), 3);

    let mut teacher = journal.login("petrova", &start).unwrap();
    journal.change_password(&mut teacher, &start, "другой-пароль-2").unwrap();
    let journals = journal.my_journals(&teacher).unwrap();
    assert!(journals.iter().any(|j| j.class_id == class && j.subject_id == math && j.teaches), "{journals:?}");
    let q1 = journal.period_of(day(2026, 9, 2)).unwrap().expect("the first quarter holds 2 September");
    let page = journal.journal_page(&teacher, class, None, math, q1).unwrap();
    let dates: Vec<_> = page.lessons.iter().map(|l| l.date).collect();
    assert_eq!(dates, [day(2026, 9, 2), day(2026, 9, 7), day(2026, 9, 9)]);
    assert_eq!(page.students.len(), 4);

    // A student of the subgroup leaves the school on 8 September, and the
    // subgroup is saved without them. The English teacher's mark for the
    // 7th, entered late on the 9th, still counts (they were at that lesson),
    // and the subgroup's page greys them after they left — as a class page
    // does. A mark for after they left is refused.
    journal.set_fixed_now(Some(at(2026, 9, 8, 9)));
    journal
        .withdraw_student(&admin, students[0], day(2026, 9, 8), Order { number: "77-у".into(), date: day(2026, 9, 8) })
        .unwrap();
    let members = vec![students[1]];
    let title = "1 подгруппа".to_owned();
    let input = GroupInput { id: Some(group), class_id: class, subject_id: english, title, members };
    journal.save_group(&admin, input).unwrap();
    let (_, start) =
        journal.create_account(&admin, "smirnova", vec![Role::Teacher], AccountPerson::Staff(smith)).unwrap();
    let mut english_teacher = journal.login("smirnova", &start).unwrap();
    journal.change_password(&mut english_teacher, &start, "другой-пароль-3").unwrap();
    journal.set_fixed_now(Some(at(2026, 9, 9, 12)));
    let page = journal.journal_page(&english_teacher, class, Some(group), english, q1).unwrap();
    let listed: Vec<(Uuid, Option<chrono::NaiveDate>)> = page.students.iter().map(|s| (s.id, s.left_on)).collect();
    assert_eq!(listed, [(students[0], Some(day(2026, 9, 8))), (students[1], None)]);
    let lesson = page.lessons[0].id;
    let late = |student| MarkInput {
        mark_id: None,
        lesson_id: lesson,
        student_id: student,
        value: "5".into(),
        work_type_id: None,
        comment: None,
    };
    journal.set_mark(&english_teacher, late(students[0])).expect("a late mark for a lesson the student was at");
    journal.set_mark(&english_teacher, late(students[1])).unwrap();
    // Students outside the subgroup are not on its list, then or now.
    let refused = journal.set_mark(&english_teacher, late(students[2])).unwrap_err();
    assert!(refused.to_string().contains("нет в списке"), "{refused}");
}

#[test]
fn holidays_get_no_lessons() {
    let mut school = School::new();
    let admin = school.login("admin");
    let journal = &mut school.journal;
    journal
        .save_record(
            &admin,
            classbook_core::domain::entity::Entity::Holiday,
            new_id(),
            serde_json::from_value(serde_json::json!({"kind": "vacation", "starts_on": "2025-10-27", "ends_on": "2025-11-04", "title": "Осенние каникулы"}))
                .unwrap(),
        )
        .unwrap();
    journal.save_slot(&admin, slot(school.class_5a, None, school.math, school.teacher, 1, 3)).unwrap();
    // 20 October – 9 November 2025: Mondays 20th, 27th (holiday), 3rd (holiday).
    let report = journal.fill_lessons(&admin, day(2025, 10, 20), day(2025, 11, 9)).unwrap();
    assert_eq!(report.created, 1, "{report:?}");
    assert_eq!(report.holidays, 8, "27 Oct – 4 Nov, Monday to Saturday; Sunday the 2nd is no school day anyway");
}

#[test]
fn the_forms_refuse_what_does_not_make_sense_in_russian() {
    let mut school = School::new();
    let admin = school.login("admin");
    let j = &mut school.journal;
    let error = |r: classbook_core::Result<Uuid>| r.unwrap_err().to_string();

    let mut late = year_input();
    late.periods[1].starts_on = day(2026, 10, 20);
    assert!(error(j.save_year(&admin, late)).contains("2 четверть начинается раньше"));
    let mut short = year_input();
    short.periods.pop();
    assert!(error(j.save_year(&admin, short)).contains("всех четырёх четвертей"));
    let mut outside = year_input();
    outside.periods[3].ends_on = day(2027, 6, 30);
    assert!(error(j.save_year(&admin, outside)).contains("выходит за границы учебного года"));

    let year = j.save_year(&admin, year_input()).unwrap();
    let five_a =
        ClassInput { id: None, year_id: year, grade: 5, letter: "А".into(), class_teacher_id: None, shift: None };
    j.save_class(&admin, five_a.clone()).unwrap();
    assert!(error(j.save_class(&admin, five_a.clone())).contains("Класс 5А в этом учебном году уже есть"));
    assert!(error(j.save_class(&admin, ClassInput { grade: 12, ..five_a.clone() })).contains("от 1 до 11"));
    assert!(error(j.save_class(&admin, ClassInput { letter: "А1".into(), ..five_a })).contains("Литера"));

    assert!(
        error(
            j.save_subject(&admin, SubjectInput { id: None, name: " математика ".into(), short_name: String::new() })
        )
        .contains("уже есть")
    );
    assert!(
        error(j.save_staff(
            &admin,
            StaffInput {
                id: None,
                surname: " ".into(),
                first_name: "А".into(),
                patronymic: String::new(),
                position: String::new()
            }
        ))
        .contains("фамилию")
    );

    // The fixture's teacher has maths in 5А on Monday, lesson 2.
    j.save_slot(&admin, slot(school.class_5a, None, school.math, school.teacher, 1, 2)).unwrap();
    let busy = error(j.save_slot(&admin, slot(school.class_1a, None, school.math, school.teacher, 1, 2)));
    assert!(busy.contains("один учитель не ведёт два урока сразу"), "{busy}");
    let taken = error(j.save_slot(&admin, slot(school.class_5a, None, school.math, school.other_teacher, 1, 2)));
    assert!(taken.contains("У класса уже стоит урок в понедельник 2-м"), "{taken}");
    // From a later date the slot is free again.
    let mut later = slot(school.class_1a, None, school.math, school.teacher, 1, 2);
    later.valid_from = Some(day(2026, 1, 1));
    let mut earlier_end = slot(school.class_5a, None, school.math, school.teacher, 1, 2);
    earlier_end.valid_to = Some(day(2025, 12, 31));
    let first = j.school_structure(&admin).unwrap().slots[0].id;
    j.save_slot(&admin, SlotInput { id: Some(first), ..earlier_end }).unwrap();
    j.save_slot(&admin, later).unwrap();

    let nothing_kept = j.school_structure(&admin).unwrap();
    assert_eq!(nothing_kept.years.len(), 2, "the fixture's year and the one saved: refused saves leave nothing");
    assert_eq!(nothing_kept.classes.len(), 3);
}

#[test]
fn two_subgroups_share_a_lesson_time_but_not_with_the_whole_class() {
    let mut school = School::new();
    let admin = school.login("admin");
    let j = &mut school.journal;
    let english = subject(j, &admin, "Английский язык");
    let members = |range: std::ops::Range<usize>| school.students[range].to_vec();
    let g1 = j
        .save_group(
            &admin,
            GroupInput {
                id: None,
                class_id: school.class_5a,
                subject_id: english,
                title: "1 подгруппа".into(),
                members: members(0..2),
            },
        )
        .unwrap();
    let g2 = j
        .save_group(
            &admin,
            GroupInput {
                id: None,
                class_id: school.class_5a,
                subject_id: english,
                title: "2 подгруппа".into(),
                members: members(2..3),
            },
        )
        .unwrap();
    j.save_slot(&admin, slot(school.class_5a, Some(g1), english, school.teacher, 2, 4)).unwrap();
    j.save_slot(&admin, slot(school.class_5a, Some(g2), english, school.other_teacher, 2, 4)).unwrap();
    let whole = j.save_slot(&admin, slot(school.class_5a, None, school.math, school.class_teacher, 2, 4));
    assert!(whole.unwrap_err().to_string().contains("У класса уже стоит урок"));

    // Moving a student between subgroups: the old membership is switched off, not lost.
    j.save_group(
        &admin,
        GroupInput {
            id: Some(g1),
            class_id: school.class_5a,
            subject_id: english,
            title: "1 подгруппа".into(),
            members: members(0..1),
        },
    )
    .unwrap();
    let structure = j.school_structure(&admin).unwrap();
    let g1_members = &structure.groups.iter().find(|g| g.id == g1).unwrap().members;
    assert_eq!(g1_members, &members(0..1));

    let stranger = j.save_group(
        &admin,
        GroupInput {
            id: None,
            class_id: school.class_5a,
            subject_id: english,
            title: "3".into(),
            members: vec![school.first_grader],
        },
    );
    assert!(stranger.unwrap_err().to_string().contains("только тех, кто сейчас учится в классе"));
}

#[test]
fn editing_a_year_keeps_its_periods() {
    let mut school = School::new();
    let admin = school.login("admin");
    let j = &mut school.journal;
    let year = j.save_year(&admin, year_input()).unwrap();
    let before = j.periods().unwrap();
    let mut moved = year_input();
    moved.id = Some(year);
    moved.periods[0].ends_on = day(2026, 10, 25);
    j.save_year(&admin, moved).unwrap();
    let after = j.periods().unwrap();
    assert_eq!(before.len(), after.len(), "the same periods, changed in place");
    assert!(after.iter().any(|p| p.ends_on == day(2026, 10, 25)));
    let mut trimesters = year_input();
    trimesters.id = Some(year);
    trimesters.period_kind = PeriodKind::Trimester;
    trimesters.periods.pop();
    assert!(j.save_year(&admin, trimesters).unwrap_err().to_string().contains("менять четверти на триместры"));
}

#[test]
fn only_their_keepers_change_the_structure() {
    let mut school = School::new();
    let teacher = school.login("petrova");
    let deputy = school.login("zavuch");
    let j = &mut school.journal;
    let refused = j.save_subject(&teacher, SubjectInput { id: None, name: "Химия".into(), short_name: String::new() });
    assert!(refused.unwrap_err().to_string().contains("прав"), "a teacher edits no reference data");
    assert!(j.school_structure(&teacher).is_err(), "nor reads the school's structure");
    assert!(j.fill_lessons(&teacher, day(2025, 10, 1), day(2025, 10, 2)).is_err());
    // A deputy head keeps the curriculum and the timetable, not the classes.
    j.save_slot(&deputy, slot(school.class_5a, None, school.math, school.teacher, 4, 5)).unwrap();
    let year = j.school_structure(&deputy).unwrap().classes[0].year_id.unwrap();
    let class = j.save_class(
        &deputy,
        ClassInput { id: None, year_id: year, grade: 6, letter: "Б".into(), class_teacher_id: None, shift: None },
    );
    assert!(class.is_err());
}

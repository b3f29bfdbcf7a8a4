//! Reading one journal page with `Journal::journal_page` (the grid's hot
//! path) for 35 students × 70 lessons. Target: < 5 ms.
//!
//! * `journal_page/import_35x70` — a school built with `Journal::import`:
//!   5 classes of 35 students, Russian 5 times a week, 70 lessons each in the
//!   first half-year; every lesson has a topic and homework, a mark in about
//!   30 % of cells plus a test (weight 2) for everyone every 10th lesson, and
//!   an attendance code in about 7 % of cells. The page read is class 6А's.
//! * `journal_page/demo_near_35x70` — the demo school with 1 050 students
//!   (≈ 35 a class); the page of a graded class whose lesson count in some
//!   period (a quarter or the year) is nearest to 70. The shape is printed.
//!
//! cargo bench -p classbook-core --bench journal_page

mod common;

use chrono::{Datelike, Duration as Days, NaiveDate, Weekday};
use classbook_core::demo::DemoConfig;
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::named_id;
use classbook_core::domain::model::{AttendanceCode, MovementKind, Role};
use classbook_core::domain::op::*;
use classbook_core::{ImportOp, Journal, Session, hash_password};
use common::{fmt, record};
use criterion::Criterion;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

const STUDENTS: usize = 35;
const LESSONS: usize = 70;
const CLASSES: usize = 5;
const PASSWORD: &str = "bench2025";

fn id(key: &str) -> Uuid {
    named_id("bench", key)
}

struct Page {
    session: Session,
    class_id: Uuid,
    subject_id: Uuid,
    period_id: Uuid,
}

/// The imported school; returns the page of the first class.
fn import_school(journal: &mut Journal) -> Page {
    let mut rng = ChaCha8Rng::seed_from_u64(35_70);
    let (admin, teacher_account, teacher) = (id("admin"), id("teacher"), id("staff-teacher"));
    let (year, half, russian) = (id("year"), id("half-1"), id("russian"));
    let (oral, test) = (id("wt-oral"), id("wt-test"));
    let hash = hash_password(PASSWORD);
    let mut ops: Vec<(Uuid, OpKind)> = Vec::new();
    let mut push = |author: Uuid, kind: OpKind| ops.push((author, kind));
    push(
        admin,
        record(Entity::Setting, named_id("setting", "edit_window"), json!({"key": "edit_window", "value": "2w"})),
    );
    push(
        admin,
        record(
            Entity::Setting,
            named_id("setting", "utc_offset_minutes"),
            json!({"key": "utc_offset_minutes", "value": "180"}),
        ),
    );
    push(
        admin,
        record(
            Entity::AcademicYear,
            year,
            json!({"title": "2025/2026", "starts_on": "2025-09-01", "ends_on": "2026-05-31"}),
        ),
    );
    push(
        admin,
        record(
            Entity::Period,
            half,
            json!({"year_id": year.to_string(), "kind": "half", "number": 1, "title": "1 полугодие", "starts_on": "2025-09-01", "ends_on": "2025-12-28"}),
        ),
    );
    push(
        admin,
        record(
            Entity::Subject,
            russian,
            json!({"name": "Русский язык", "short_name": "Рус", "print_order": 1, "federal": true}),
        ),
    );
    push(admin, record(Entity::WorkType, oral, json!({"name": "Ответ на уроке", "short_name": "О", "weight": 1.0})));
    push(
        admin,
        record(Entity::WorkType, test, json!({"name": "Контрольная работа", "short_name": "КР", "weight": 2.0})),
    );
    push(
        admin,
        record(
            Entity::Staff,
            teacher,
            json!({"surname": "Петрова", "first_name": "Анна", "patronymic": "Ивановна", "position": "учитель"}),
        ),
    );
    for kind in common::account(admin, "admin", vec![Role::Admin], None, &hash) {
        push(admin, kind);
    }
    for kind in common::account(teacher_account, "teacher", vec![Role::Teacher], Some(teacher), &hash) {
        push(admin, kind);
    }
    let surnames = ["Алексеев", "Белова", "Волков", "Григорьева", "Дмитриев", "Егорова", "Жуков"];
    let names = ["Борис", "Вера", "Глеб", "Дарья", "Егор"];
    let first_day = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let mut first_class = None;
    for (c, letter) in ["А", "Б", "В", "Г", "Д"].into_iter().enumerate().take(CLASSES) {
        let class_id = id(&format!("class-{c}"));
        first_class.get_or_insert(class_id);
        push(
            admin,
            record(
                Entity::Class,
                class_id,
                json!({"year_id": year.to_string(), "grade": 6, "letter": letter, "graded": true}),
            ),
        );
        push(
            admin,
            record(
                Entity::Curriculum,
                id(&format!("cur-{c}")),
                json!({"class_id": class_id.to_string(), "subject_id": russian.to_string(), "hours_per_year": 170, "grading": "five"}),
            ),
        );
        push(
            admin,
            record(
                Entity::Assignment,
                id(&format!("as-{c}")),
                json!({"class_id": class_id.to_string(), "subject_id": russian.to_string(), "teacher_id": teacher.to_string(), "active": true}),
            ),
        );
        let mut students = Vec::new();
        for s in 0..STUDENTS {
            let student = id(&format!("student-{c}-{s}"));
            students.push(student);
            let surname = format!("{}{}", surnames[s % surnames.len()], s / surnames.len());
            push(
                admin,
                record(
                    Entity::Student,
                    student,
                    json!({"surname": surname, "first_name": names[s % names.len()], "patronymic": "Петрович"}),
                ),
            );
            push(
                admin,
                OpKind::RecordMovement(RecordMovement {
                    movement_id: id(&format!("enrol-{c}-{s}")),
                    student_id: student,
                    kind: MovementKind::Enrol,
                    class_id: Some(class_id),
                    date: first_day,
                    order_number: "12-у".into(),
                    order_date: first_day - Days::days(4),
                    note: None,
                }),
            );
        }
        let mut date = first_day;
        for l in 0..LESSONS {
            while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                date += Days::days(1);
            }
            let lesson_id = ScheduleLesson::natural_id(class_id, russian, date, c as u8 + 1);
            push(
                admin,
                OpKind::ScheduleLesson(ScheduleLesson {
                    lesson_id,
                    date,
                    number: c as u8 + 1,
                    class_id,
                    group_id: None,
                    subject_id: russian,
                    teacher_id: teacher,
                    room_id: None,
                }),
            );
            push(
                teacher_account,
                OpKind::SetLessonTopic(SetLessonTopic {
                    lesson_id,
                    topic: format!("Тема урока {}", l + 1),
                    ktp_item_id: None,
                }),
            );
            push(
                teacher_account,
                OpKind::SetHomework(SetHomework { lesson_id, text: format!("Упр. {}, с. {}", 100 + l, 20 + l) }),
            );
            for &student in &students {
                let roll = rng.random_range(0..100);
                if roll < 7 {
                    let code = AttendanceCode::ALL[rng.random_range(0..AttendanceCode::ALL.len())];
                    push(
                        teacher_account,
                        OpKind::SetAttendance(SetAttendance { lesson_id, student_id: student, code: Some(code) }),
                    );
                    continue;
                }
                let is_test = l % 10 == 9;
                if is_test || roll < 37 {
                    let value = ["5", "4", "4", "3", "5", "4", "3", "2"][rng.random_range(0..8)];
                    push(
                        teacher_account,
                        OpKind::SetMark(SetMark {
                            mark_id: Uuid::from_u128(rng.random()),
                            lesson_id,
                            student_id: student,
                            value: value.into(),
                            work_type_id: Some(if is_test { test } else { oral }),
                            comment: None,
                        }),
                    );
                }
            }
            date += Days::days(1);
        }
    }
    let when = common::school_time(first_day, 10);
    let count = ops.len();
    journal.import(ops.into_iter().map(|(author, kind)| ImportOp { author, at: when, kind }), |_| {}).unwrap();
    eprintln!("journal_page: imported {count} ops ({CLASSES} classes × {STUDENTS} students × {LESSONS} lessons)");
    journal.set_fixed_now(Some(common::school_time(NaiveDate::from_ymd_opt(2025, 12, 10).unwrap(), 12)));
    let session = journal.login("teacher", PASSWORD).unwrap();
    Page { session, class_id: first_class.unwrap(), subject_id: russian, period_id: half }
}

/// The demo page nearest to 35 × 70, read by the subject's teacher.
fn demo_page(journal: &mut Journal, password: &str, today: NaiveDate) -> (Page, String) {
    let conn = common::peek(journal);
    let (class_id, subject_id, period_id, what, login): (String, String, String, String, String) = conn
        .query_row(
            "SELECT l.class_id, l.subject_id, p.id,
                    c.grade || c.letter || ' «' || s.name || '», ' || p.title,
                    (SELECT a.login FROM assignment x JOIN account a ON a.staff_id = x.teacher_id
                     WHERE x.class_id = l.class_id AND x.subject_id = l.subject_id AND x.active = 1
                       AND a.must_change_password = 0 LIMIT 1) AS login
             FROM lesson l
             JOIN period p ON l.date BETWEEN p.starts_on AND p.ends_on AND p.kind IN ('quarter', 'year')
             JOIN class c ON c.id = l.class_id AND c.graded = 1
             JOIN subject s ON s.id = l.subject_id
             WHERE l.group_id IS NULL
             GROUP BY l.class_id, l.subject_id, p.id
             HAVING login IS NOT NULL
             ORDER BY ABS(COUNT(*) - 70), COUNT(*) DESC
             LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    journal.set_fixed_now(Some(common::school_time(today, 15)));
    let session = journal.login(&login, password).unwrap();
    let page = Page {
        session,
        class_id: class_id.parse().unwrap(),
        subject_id: subject_id.parse().unwrap(),
        period_id: period_id.parse().unwrap(),
    };
    (page, format!("{what}, read by {login}"))
}

fn read(journal: &Journal, page: &Page) -> classbook_core::JournalPage {
    journal.journal_page(&page.session, page.class_id, None, page.subject_id, page.period_id).unwrap()
}

fn shape(p: &classbook_core::JournalPage) -> String {
    format!(
        "{} students × {} lessons, {} marks, {} attendance codes",
        p.students.len(),
        p.lessons.len(),
        p.marks.len(),
        p.attendance.len()
    )
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let samples = common::env_usize("CLASSBOOK_BENCH_SAMPLES", 2000);

    let dir = common::scratch_dir();
    let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    let page = import_school(&mut journal);
    let first = read(&journal, &page);
    assert_eq!((first.students.len(), first.lessons.len()), (STUDENTS, LESSONS));
    eprintln!("journal_page: import page = {}", shape(&first));

    let demo_dir = common::scratch_dir();
    let config = DemoConfig { students: 1050, ..DemoConfig::default() };
    eprintln!("journal_page: building the demo school with {} students …", config.students);
    let (mut demo, school, took) = common::demo_journal(demo_dir.path(), &config);
    eprintln!("journal_page: demo school ready in {}", fmt(took));
    let password = common::demo_password(&school);
    let (demo_target, what) = demo_page(&mut demo, &password, config.today);
    let demo_first = read(&demo, &demo_target);
    eprintln!("journal_page: demo page = {what}: {}", shape(&demo_first));

    let mut group = criterion.benchmark_group("journal_page");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("import_35x70", |b| b.iter(|| read(&journal, &page)));
    group.bench_function("demo_near_35x70", |b| b.iter(|| read(&demo, &demo_target)));
    group.finish();

    if !common::quick_mode() {
        let mut imported = common::Latencies::new("import_35x70", samples);
        let mut from_demo = common::Latencies::new("demo_near_35x70", samples);
        // One journal after the other: interleaving them would have each
        // read start with the other's pages in the CPU caches.
        for _ in 0..samples {
            imported.time(|| read(&journal, &page));
        }
        for _ in 0..samples {
            from_demo.time(|| read(&demo, &demo_target));
        }
        println!();
        println!("journal_page: {samples} reads each, one Instant sample per read (target < 5 ms)");
        println!("  import_35x70:    {}", shape(&first));
        println!("  demo_near_35x70: {what}: {}", shape(&demo_first));
        common::Latencies::header();
        imported.print();
        from_demo.print();
    }
    criterion.final_summary();
}

//! A small school in a real journal file, matching the fixtures written by
//! tests/fixtures/make_fixtures.py: classes 1А…11Б of 2025/2026, «Математика»
//! taught in 5А by Петрова Анна Ивановна, a few marks and topics.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::named_id;
use classbook_core::domain::model::{AttendanceCode, MovementKind, Role};
use classbook_core::domain::op::*;
use classbook_core::{ImportOp, Journal, Session, hash_password};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use tempfile::TempDir;
use uuid::Uuid;

pub const PASSWORD: &str = "secret2025";

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

pub fn id(key: &str) -> Uuid {
    named_id("exchange-test", key)
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn record(entity: Entity, id: Uuid, fields: Value) -> OpKind {
    let fields: BTreeMap<String, Value> = serde_json::from_value(fields).unwrap();
    OpKind::SaveRecord(SaveRecord { entity, id, fields })
}

fn account(login: &str, roles: Vec<Role>, staff: Option<Uuid>) -> [OpKind; 2] {
    // argon2 is slow on purpose: hash the shared password once per test binary.
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH.get_or_init(|| hash_password(PASSWORD));
    let account_id = id(login);
    [
        OpKind::SaveAccount(SaveAccount {
            account_id,
            login: login.into(),
            roles,
            staff_id: staff,
            student_id: None,
            parent_id: None,
            blocked: false,
        }),
        OpKind::SetPassword(SetPassword { account_id, password_hash: hash.clone(), must_change: false }),
    ]
}

pub struct School {
    pub dir: TempDir,
    pub journal: Journal,
    pub class_5a: Uuid,
    pub math: Uuid,
    pub q1: Uuid,
    pub teacher: Uuid,
    pub students: Vec<Uuid>,
    pub lessons: Vec<Uuid>,
}

pub fn class_id(name: &str) -> Uuid {
    id(&format!("class-{name}"))
}

impl School {
    pub fn new() -> School {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
        let (year, q1, q2, year_period, math, teacher) =
            (id("year"), id("q1"), id("q2"), id("year-period"), id("math"), id("staff-petrova"));
        let mut ops = vec![
            record(
                Entity::Setting,
                named_id("setting", "utc_offset_minutes"),
                json!({"key": "utc_offset_minutes", "value": "180"}),
            ),
            record(
                Entity::AcademicYear,
                year,
                json!({"title": "2025/2026", "starts_on": "2025-09-01", "ends_on": "2026-05-31"}),
            ),
            record(
                Entity::Period,
                q1,
                json!({"year_id": year, "kind": "quarter", "number": 1, "title": "1 четверть", "starts_on": "2025-09-01", "ends_on": "2025-10-24"}),
            ),
            record(
                Entity::Period,
                q2,
                json!({"year_id": year, "kind": "quarter", "number": 2, "title": "2 четверть", "starts_on": "2025-11-05", "ends_on": "2025-12-28"}),
            ),
            record(
                Entity::Period,
                year_period,
                json!({"year_id": year, "kind": "year", "number": 1, "title": "2025/2026 учебный год", "starts_on": "2025-09-01", "ends_on": "2026-05-31"}),
            ),
            record(
                Entity::Subject,
                math,
                json!({"name": "Математика", "short_name": "Мат", "print_order": 4, "federal": true}),
            ),
            record(
                Entity::Staff,
                teacher,
                json!({"surname": "Петрова", "first_name": "Анна", "patronymic": "Ивановна", "position": "учитель математики"}),
            ),
        ];
        ops.extend(account("admin", vec![Role::Admin], None));
        ops.extend(account("zavuch", vec![Role::Deputy], None));
        ops.extend(account("secretary", vec![Role::Secretary], None));
        ops.extend(account("petrova", vec![Role::Teacher], Some(teacher)));
        for grade in 1..=11 {
            for letter in ["А", "Б"] {
                let name = format!("{grade}{letter}");
                ops.push(record(
                    Entity::Class,
                    class_id(&name),
                    json!({"year_id": year, "grade": grade, "letter": letter, "graded": grade > 1}),
                ));
            }
        }
        let class_5a = class_id("5А");
        for class in [class_5a, class_id("5Б")] {
            ops.push(record(
                Entity::Curriculum,
                Uuid::new_v5(&class, b"cur"),
                json!({"class_id": class, "subject_id": math, "hours_per_year": 170, "grading": "five"}),
            ));
            ops.push(record(
                Entity::Assignment,
                Uuid::new_v5(&class, b"as"),
                json!({"class_id": class, "subject_id": math, "teacher_id": teacher, "active": true}),
            ));
        }
        let mut students = Vec::new();
        for (i, (surname, name, born)) in
            [("Жуков", "Илья", "2014-02-02"), ("Зайцева", "Ксения", "2014-06-06")].iter().enumerate()
        {
            let student = id(&format!("student-{i}"));
            students.push(student);
            ops.push(record(
                Entity::Student,
                student,
                json!({"surname": surname, "first_name": name, "patronymic": "Олегович", "birth_date": born}),
            ));
            ops.push(OpKind::RecordMovement(RecordMovement {
                movement_id: id(&format!("enrol-{i}")),
                student_id: student,
                kind: MovementKind::Enrol,
                class_id: Some(class_5a),
                date: day(2025, 9, 1),
                order_number: "1-у".into(),
                order_date: day(2025, 8, 28),
                note: None,
            }));
        }
        let mut lessons = Vec::new();
        for (n, d) in [1, 2, 3].into_iter().enumerate() {
            let date = day(2025, 10, d);
            let lesson_id = ScheduleLesson::natural_id(class_5a, math, date, 2);
            lessons.push(lesson_id);
            ops.push(OpKind::ScheduleLesson(ScheduleLesson {
                lesson_id,
                date,
                number: 2,
                class_id: class_5a,
                group_id: None,
                subject_id: math,
                teacher_id: teacher,
                room_id: None,
            }));
            ops.push(OpKind::SetLessonTopic(SetLessonTopic {
                lesson_id,
                topic: format!("Тема {}", n + 1),
                ktp_item_id: None,
            }));
            ops.push(OpKind::SetHomework(SetHomework { lesson_id, text: format!("№ {}", 10 + n) }));
        }
        ops.push(OpKind::SetMark(SetMark {
            mark_id: id("m1"),
            lesson_id: lessons[0],
            student_id: students[0],
            value: "5".into(),
            work_type_id: None,
            comment: None,
        }));
        ops.push(OpKind::SetMark(SetMark {
            mark_id: id("m2"),
            lesson_id: lessons[0],
            student_id: students[0],
            value: "4".into(),
            work_type_id: None,
            comment: None,
        }));
        ops.push(OpKind::SetMark(SetMark {
            mark_id: id("m3"),
            lesson_id: lessons[1],
            student_id: students[1],
            value: "3".into(),
            work_type_id: None,
            comment: None,
        }));
        ops.push(OpKind::SetAttendance(SetAttendance {
            lesson_id: lessons[2],
            student_id: students[1],
            code: Some(AttendanceCode::Absent),
        }));
        for (student, value) in [(students[0], "5"), (students[1], "3")] {
            ops.push(OpKind::SetFinalMark(SetFinalMark {
                student_id: student,
                subject_id: math,
                period_id: q1,
                value: Some(value.into()),
                deferred_until: None,
            }));
        }
        let admin = id("admin");
        let at = Utc.with_ymd_and_hms(2025, 10, 5, 9, 0, 0).unwrap();
        journal.import(ops.into_iter().map(|kind| ImportOp { author: admin, at, kind }), |_| {}).unwrap();
        journal.set_fixed_now(Some(Utc.with_ymd_and_hms(2025, 10, 10, 9, 0, 0).unwrap()));
        School { dir, journal, class_5a, math, q1, teacher, students, lessons }
    }

    pub fn login(&mut self, login: &str) -> Session {
        self.journal.login(login, PASSWORD).unwrap()
    }
}

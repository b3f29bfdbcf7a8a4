//! A small school in a real journal file, for the core's integration tests.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::named_id;
use classbook_core::domain::model::{MovementKind, Role};
use classbook_core::domain::op::*;
use classbook_core::{ImportOp, Journal, MarkInput, Session, hash_password};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tempfile::TempDir;
use uuid::Uuid;

pub const PASSWORD: &str = "secret2025";

pub struct School {
    pub dir: TempDir,
    pub journal: Journal,
    pub admin: Uuid,
    pub class_5a: Uuid,
    pub class_1a: Uuid,
    pub math: Uuid,
    pub q1: Uuid,
    pub q2: Uuid,
    pub teacher: Uuid,
    pub other_teacher: Uuid,
    pub class_teacher: Uuid,
    pub students: Vec<Uuid>,
    pub first_grader: Uuid,
    /// Math lessons of 5А: 1, 2, 3, 6, 7, 8 October 2025 (number 2).
    pub lessons: Vec<Uuid>,
    pub lesson_1a: Uuid,
    pub test_work: Uuid,
}

pub fn id(key: &str) -> Uuid {
    named_id("test", key)
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    // School time is UTC+3 in these tests.
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap() - chrono::Duration::hours(3)
}

/// A new mark in the cell of the fixture's lesson and student (by index).
pub fn mark(school: &School, lesson: usize, student: usize, value: &str) -> MarkInput {
    MarkInput {
        mark_id: None,
        lesson_id: school.lessons[lesson],
        student_id: school.students[student],
        value: value.into(),
        work_type_id: None,
        comment: None,
    }
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn record(entity: Entity, id: Uuid, fields: Value) -> OpKind {
    let fields: BTreeMap<String, Value> = serde_json::from_value(fields).unwrap();
    OpKind::SaveRecord(SaveRecord { entity, id, fields })
}

pub fn account(login: &str, roles: Vec<Role>, staff: Option<Uuid>, hash: &str) -> [OpKind; 2] {
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
        OpKind::SetPassword(SetPassword { account_id, password_hash: hash.into(), must_change: false }),
    ]
}

impl School {
    pub fn new() -> School {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
        let admin = id("admin");
        let hash = hash_password(PASSWORD);
        let (teacher, other_teacher, class_teacher) = (id("staff-teacher"), id("staff-other"), id("staff-ct"));
        let (class_5a, class_1a, math, q1, q2, year) = (id("5a"), id("1a"), id("math"), id("q1"), id("q2"), id("year"));
        let test_work = id("wt-test");
        let mut ops = vec![
            record(Entity::Setting, named_id("setting", "edit_window"), json!({"key": "edit_window", "value": "2w"})),
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
                json!({"year_id": year.to_string(), "kind": "quarter", "number": 1, "title": "1 четверть", "starts_on": "2025-09-01", "ends_on": "2025-10-24"}),
            ),
            record(
                Entity::Period,
                q2,
                json!({"year_id": year.to_string(), "kind": "quarter", "number": 2, "title": "2 четверть", "starts_on": "2025-11-05", "ends_on": "2025-12-28"}),
            ),
            record(
                Entity::Subject,
                math,
                json!({"name": "Математика", "short_name": "Мат", "print_order": 4, "federal": true}),
            ),
            record(
                Entity::WorkType,
                test_work,
                json!({"name": "Контрольная работа", "short_name": "КР", "weight": 2.0}),
            ),
        ];
        for (staff, surname) in [(teacher, "Петрова"), (other_teacher, "Сидоров"), (class_teacher, "Кузнецова")]
        {
            ops.push(record(
                Entity::Staff,
                staff,
                json!({"surname": surname, "first_name": "Анна", "patronymic": "Ивановна", "position": "учитель"}),
            ));
        }
        ops.extend(account("admin", vec![Role::Admin], None, &hash));
        ops.extend(account("petrova", vec![Role::Teacher], Some(teacher), &hash));
        ops.extend(account("sidorov", vec![Role::Teacher], Some(other_teacher), &hash));
        ops.extend(account("kuznetsova", vec![Role::Teacher], Some(class_teacher), &hash));
        ops.extend(account("zavuch", vec![Role::Deputy], None, &hash));
        ops.extend(account("director", vec![Role::Director], None, &hash));
        ops.push(record(Entity::Class, class_5a, json!({"year_id": year.to_string(), "grade": 5, "letter": "А", "class_teacher_id": class_teacher.to_string(), "graded": true})));
        ops.push(record(Entity::Class, class_1a, json!({"year_id": year.to_string(), "grade": 1, "letter": "А", "class_teacher_id": class_teacher.to_string(), "graded": false})));
        ops.push(record(Entity::Curriculum, id("cur-5a"), json!({"class_id": class_5a.to_string(), "subject_id": math.to_string(), "hours_per_year": 170, "grading": "five"})));
        ops.push(record(Entity::Assignment, id("as-5a"), json!({"class_id": class_5a.to_string(), "subject_id": math.to_string(), "teacher_id": teacher.to_string(), "active": true})));
        ops.push(record(Entity::Assignment, id("as-1a"), json!({"class_id": class_1a.to_string(), "subject_id": math.to_string(), "teacher_id": teacher.to_string(), "active": true})));
        let mut students = Vec::new();
        for (i, (surname, name)) in [("Алексеев", "Борис"), ("Белова", "Вера"), ("Волков", "Глеб")].iter().enumerate()
        {
            let student = id(&format!("student-{i}"));
            students.push(student);
            ops.push(record(
                Entity::Student,
                student,
                json!({"surname": surname, "first_name": name, "patronymic": "Петрович"}),
            ));
            ops.push(OpKind::RecordMovement(RecordMovement {
                movement_id: id(&format!("enrol-{i}")),
                student_id: student,
                kind: MovementKind::Enrol,
                class_id: Some(class_5a),
                date: day(2025, 9, 1),
                order_number: "12-у".into(),
                order_date: day(2025, 8, 28),
                note: None,
            }));
        }
        let first_grader = id("first-grader");
        ops.push(record(Entity::Student, first_grader, json!({"surname": "Данилов", "first_name": "Егор"})));
        ops.push(OpKind::RecordMovement(RecordMovement {
            movement_id: id("enrol-first"),
            student_id: first_grader,
            kind: MovementKind::Enrol,
            class_id: Some(class_1a),
            date: day(2025, 9, 1),
            order_number: "13-у".into(),
            order_date: day(2025, 8, 28),
            note: None,
        }));
        let mut lessons = Vec::new();
        for d in [1, 2, 3, 6, 7, 8] {
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
        }
        let lesson_1a = ScheduleLesson::natural_id(class_1a, math, day(2025, 10, 1), 1);
        ops.push(OpKind::ScheduleLesson(ScheduleLesson {
            lesson_id: lesson_1a,
            date: day(2025, 10, 1),
            number: 1,
            class_id: class_1a,
            group_id: None,
            subject_id: math,
            teacher_id: teacher,
            room_id: None,
        }));
        let when = at(2025, 8, 30, 10);
        journal.import(ops.into_iter().map(|kind| ImportOp { author: admin, at: when, kind }), |_| {}).unwrap();
        journal.set_fixed_now(Some(at(2025, 10, 8, 12)));
        School {
            dir,
            journal,
            admin,
            class_5a,
            class_1a,
            math,
            q1,
            q2,
            teacher,
            other_teacher,
            class_teacher,
            students,
            first_grader,
            lessons,
            lesson_1a,
            test_work,
        }
    }

    pub fn login(&mut self, login: &str) -> Session {
        self.journal.login(login, PASSWORD).unwrap()
    }

    /// The state tables as text, to compare journals.
    pub fn snapshot(journal_path: &std::path::Path) -> String {
        let conn = rusqlite::Connection::open(journal_path).unwrap();
        let mut out = String::new();
        for entity in Entity::ALL {
            let table = entity.table();
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY id")).unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                out.push_str(table);
                for i in 0..columns {
                    let v: rusqlite::types::Value = row.get(i).unwrap();
                    out.push_str(&format!("|{v:?}"));
                }
                out.push('\n');
            }
        }
        out
    }
}

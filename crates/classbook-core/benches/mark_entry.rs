//! One mark entered and durably committed through `Journal::set_mark` (the
//! real service: permission check + op append + outbox + state, in one
//! IMMEDIATE transaction on a WAL file with synchronous=FULL), next to the
//! limit: a bare INSERT of a mark-like row + COMMIT into a table of the same
//! shape in a separate file with the same pragmas.
//!
//! The journal is the default demo school (380k ops, 172k marks), built by
//! `Journal::create_demo` before measuring. The teacher is logged in with
//! `Journal::login`, "now" is fixed to 15:00 on the lesson's day, and every
//! call enters a new mark (values and students rotate).
//!
//! After criterion's two benchmarks, the same two operations are timed again
//! interleaved, one `Instant` sample per call (`CLASSBOOK_BENCH_SAMPLES`,
//! default 2000 each), and p50/p99 are printed. Target: set_mark within 1.5×
//! of the bare insert + commit.
//!
//! cargo bench -p classbook-core --bench mark_entry

mod common;

use chrono::NaiveDate;
use classbook_core::demo::DemoConfig;
use classbook_core::{Journal, MarkInput, Session};
use common::{Latencies, fmt};
use criterion::Criterion;
use rusqlite::{Connection, TransactionBehavior, params};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

const VALUES: [&str; 7] = ["5", "4", "4", "3", "5", "2", "4"];

/// Where the marks go: a lesson, its keeper, the class list.
struct Target {
    lesson_id: Uuid,
    date: NaiveDate,
    login: String,
    class: String,
    subject: String,
    students: Vec<Uuid>,
    session: Session,
}

/// The latest class-wide lesson of a graded class (five-point subject) on or
/// before the demo's last day whose keeper is a demo account, and that
/// accepts a mark.
fn find_target(journal: &mut Journal, password: &str, today: NaiveDate) -> Target {
    let candidates: Vec<(String, String, String, String, String, String, String)> = {
        let conn = common::peek(journal);
        let mut stmt = conn
            .prepare(
                "SELECT l.id, l.date, l.class_id, l.subject_id, a.login, c.grade || c.letter, s.name
                 FROM lesson l
                 JOIN class c ON c.id = l.class_id AND c.graded = 1
                 JOIN curriculum cu ON cu.class_id = l.class_id AND cu.subject_id = l.subject_id AND cu.grading = 'five'
                 JOIN subject s ON s.id = l.subject_id
                 JOIN account a ON a.staff_id = COALESCE(l.substitute_id, l.teacher_id) AND a.must_change_password = 0
                 WHERE l.group_id IS NULL AND l.status IS NULL AND l.date <= ?1
                 ORDER BY l.date DESC, l.number
                 LIMIT 50",
            )
            .unwrap();
        stmt.query_map([today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    for (lesson, date, class_id, subject_id, login, class, subject) in candidates {
        let date: NaiveDate = date.parse().unwrap();
        journal.set_fixed_now(Some(common::school_time(date, 15)));
        let Ok(session) = journal.login(&login, password) else { continue };
        let period: Option<String> = common::peek(journal)
            .query_row(
                "SELECT id FROM period WHERE kind = 'quarter' AND starts_on <= ?1 AND ends_on >= ?1",
                [date.to_string()],
                |r| r.get(0),
            )
            .ok();
        let Some(period) = period else { continue };
        let Ok(page) = journal.journal_page(
            &session,
            class_id.parse().unwrap(),
            None,
            subject_id.parse().unwrap(),
            period.parse().unwrap(),
        ) else {
            continue;
        };
        let students: Vec<Uuid> = page.students.iter().filter(|s| s.left_on.is_none()).map(|s| s.id).collect();
        let Some(&first) = students.first() else { continue };
        let lesson_id: Uuid = lesson.parse().unwrap();
        let probe = MarkInput {
            mark_id: None,
            lesson_id,
            student_id: first,
            value: "5".into(),
            work_type_id: None,
            comment: None,
        };
        if journal.set_mark(&session, probe).is_ok() {
            return Target { lesson_id, date, login, class, subject, students, session };
        }
    }
    panic!("no lesson of the demo school accepts a mark: has the demo or the edit window changed?");
}

fn mark(target: &Target, i: usize) -> MarkInput {
    MarkInput {
        mark_id: None,
        lesson_id: target.lesson_id,
        student_id: target.students[i % target.students.len()],
        value: VALUES[i % VALUES.len()].into(),
        work_type_id: None,
        comment: None,
    }
}

/// A bare table shaped like the journal's `mark`, in its own file.
struct Raw {
    conn: Connection,
    lesson: String,
    students: Vec<String>,
}

impl Raw {
    fn open(path: &Path, target: &Target, prefill: usize) -> Raw {
        let conn = Connection::open(path).unwrap();
        // Exactly the journal's pragmas: WAL, synchronous=FULL, page cache, checkpoints.
        classbook_core::configure_connection(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE mark (
                id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
                lesson_id TEXT, student_id TEXT, value TEXT, work_type_id TEXT, comment TEXT,
                deleted INTEGER NOT NULL DEFAULT 0
             );
             CREATE INDEX mark_lesson ON mark (lesson_id, student_id);",
        )
        .unwrap();
        let mut raw = Raw {
            conn,
            lesson: target.lesson_id.to_string(),
            students: target.students.iter().map(Uuid::to_string).collect(),
        };
        // As many rows as the demo's mark table, so the B-trees are as deep.
        let tx = raw.conn.transaction().unwrap();
        for i in 0..prefill {
            let lesson = Uuid::from_u128(i as u128 / 8).to_string();
            let student = Uuid::from_u128(i as u128 % 800).to_string();
            tx.prepare_cached(INSERT_RAW)
                .unwrap()
                .execute(params![Uuid::now_v7().to_string(), "{}", lesson, student, "4"])
                .unwrap();
        }
        tx.commit().unwrap();
        raw
    }

    fn insert(&mut self, i: usize) {
        let clocks = format!(r#"{{"{:013}-00000000-{}":126}}"#, 1_780_000_000_000u64 + i as u64, Uuid::nil());
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).unwrap();
        tx.prepare_cached(INSERT_RAW)
            .unwrap()
            .execute(params![
                Uuid::now_v7().to_string(),
                clocks,
                self.lesson,
                self.students[i % self.students.len()],
                VALUES[i % VALUES.len()],
            ])
            .unwrap();
        tx.commit().unwrap();
    }
}

const INSERT_RAW: &str = "INSERT INTO mark (id, clocks, lesson_id, student_id, value) VALUES (?1, ?2, ?3, ?4, ?5)";

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let dir = common::scratch_dir();
    eprintln!(
        "mark_entry: building the default demo school in {} ({}) …",
        dir.path().display(),
        common::fs_type(dir.path()).unwrap_or_default()
    );
    let config = DemoConfig::default();
    let (mut journal, school, took) = common::demo_journal(dir.path(), &config);
    let stats = journal.stats().unwrap();
    eprintln!(
        "mark_entry: demo school ready in {} ({} ops, {} marks, {} lessons)",
        fmt(took),
        stats.ops,
        stats.marks,
        stats.lessons
    );
    let password = common::demo_password(&school);
    let target = find_target(&mut journal, &password, config.today);
    eprintln!(
        "mark_entry: marks go to {} «{}» on {} by {} ({} students), now fixed to 15:00 that day",
        target.class,
        target.subject,
        target.date,
        target.login,
        target.students.len()
    );
    let mut raw = Raw::open(&dir.path().join("raw.db"), &target, stats.marks as usize);

    let mut i = 0usize;
    let mut group = criterion.benchmark_group("mark_entry");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("set_mark", |b| {
        b.iter(|| {
            i += 1;
            journal.set_mark(&target.session, mark(&target, i)).unwrap()
        })
    });
    group.bench_function("raw_insert_commit", |b| {
        b.iter(|| {
            i += 1;
            raw.insert(i)
        })
    });
    group.finish();

    if !common::quick_mode() {
        let n = common::env_usize("CLASSBOOK_BENCH_SAMPLES", 2000);
        let mut service = Latencies::new("set_mark (service)", n);
        let mut bare = Latencies::new("raw insert + commit", n);
        for _ in 0..n {
            i += 1;
            service.time(|| journal.set_mark(&target.session, mark(&target, i)).unwrap());
            bare.time(|| raw.insert(i));
        }
        println!();
        println!("mark_entry: {n} interleaved calls each, one Instant sample per call");
        Latencies::header();
        service.print();
        bare.print();
        let ratio = |p: f64| service.percentile(p).as_secs_f64() / bare.percentile(p).as_secs_f64();
        println!(
            "set_mark / raw: p50 {:.2}×, p99 {:.2}×, mean {:.2}× (target ≤ 1.5×: {})",
            ratio(50.0),
            ratio(99.0),
            service.mean().as_secs_f64() / bare.mean().as_secs_f64(),
            if ratio(50.0) <= 1.5 { "met at p50" } else { "MISSED at p50" }
        );
    }
    criterion.final_summary();
}

//! Applying 100 000 remote ops with `Journal::apply_remote`, in batches of
//! 1 000 (one transaction each, as a sync round would), into a fresh journal
//! file. Target: < 3 s.
//!
//! The ops are a term of a small school as a server would hand them out:
//! 10 classes × 30 students, 5 lessons a day; the deputy head's PC schedules
//! each week's lessons the Friday before; two teachers' PCs enter each
//! lesson's topic, about one attendance code and 9–10 marks, and correct
//! about 5 % of marks two days later. Op and mark ids are UUIDv7 made at the
//! entry time, as `new_id()` makes them. Every op is hash-chained on its device
//! and sealed with `Op::seal`; the set is sorted by clock stamp. Deterministic
//! (seeded ChaCha8).
//!
//! cargo bench -p classbook-core --bench apply_ops
//!
//! `CLASSBOOK_BENCH_BATCH=10000` changes the batch size (and the benchmark's
//! id, `apply_ops/apply_remote_100k_batches_of_10000`); `CLASSBOOK_BENCH_KEEP=PATH`
//! keeps a copy of the resulting journal for inspection (e.g. with `dbstat`).

mod common;

use chrono::{DateTime, Datelike, Duration as Days, NaiveDate, Utc, Weekday};
use classbook_core::Journal;
use classbook_core::domain::hlc::Hlc;
use classbook_core::domain::model::AttendanceCode;
use classbook_core::domain::op::*;
use common::{Latencies, fmt};
use criterion::{Criterion, SamplingMode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cell::RefCell;
use std::time::{Duration, Instant};
use uuid::Uuid;

const OPS: usize = 100_000;
const BATCH: usize = 1_000;
const CLASSES: usize = 10;
const STUDENTS: usize = 30;
const SUBJECTS: usize = 8;
const LESSONS_A_DAY: usize = 5;

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// A time-ordered id made at `at`, as `new_id()` makes them (UUIDv7).
fn uuid_at(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let random: [u8; 10] = rng.random();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &random).into_uuid()
}

struct Device {
    id: Uuid,
    seq: u64,
    prev_hash: String,
    last: Hlc,
}

impl Device {
    fn new(id: Uuid) -> Device {
        Device { id, seq: 0, prev_hash: String::new(), last: Hlc { device: id, ..Hlc::ZERO } }
    }

    /// The device's next op: stamped, chained and sealed.
    fn op(&mut self, id: Uuid, author: Uuid, at: DateTime<Utc>, kind: OpKind) -> Op {
        let ms = at.timestamp_millis();
        self.last = if ms > self.last.wall_ms {
            Hlc { wall_ms: ms, counter: 0, device: self.id }
        } else {
            Hlc { counter: self.last.counter + 1, ..self.last }
        };
        self.seq += 1;
        let op = Op {
            id,
            author,
            device: self.id,
            device_seq: self.seq,
            hlc: self.last,
            entered_at: at,
            prev_hash: std::mem::take(&mut self.prev_hash),
            hash: String::new(),
            kind,
        }
        .seal();
        self.prev_hash = op.hash.clone();
        op
    }
}

/// What the three PCs entered, in stamp order.
fn remote_ops() -> Vec<Op> {
    let mut rng = ChaCha8Rng::seed_from_u64(100_000);
    let mut devices: Vec<Device> = (0..3).map(|_| Device::new(uuid(&mut rng))).collect();
    let deputy = uuid(&mut rng);
    // One teacher a subject in each half of the classes; PC 1 or 2 by half.
    let teachers: Vec<(Uuid, Uuid)> = (0..SUBJECTS * 2).map(|_| (uuid(&mut rng), uuid(&mut rng))).collect();
    let classes: Vec<Uuid> = (0..CLASSES).map(|_| uuid(&mut rng)).collect();
    let subjects: Vec<Uuid> = (0..SUBJECTS).map(|_| uuid(&mut rng)).collect();
    let students: Vec<Vec<Uuid>> = (0..CLASSES).map(|_| (0..STUDENTS).map(|_| uuid(&mut rng)).collect()).collect();

    // (device, author, at, kind), sorted by time before sealing.
    let mut events: Vec<(usize, Uuid, DateTime<Utc>, OpKind)> = Vec::with_capacity(OPS + OPS / 10);
    let mut day = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let at = |day: NaiveDate, minutes: i64| common::school_time(day, 8) + Days::minutes(minutes);
    let mut per_lesson_ops = 0usize;
    while per_lesson_ops < OPS {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day += Days::days(1);
            continue;
        }
        let scheduled_on = day - Days::days(day.weekday().num_days_from_monday() as i64 + 3);
        for (c, &class_id) in classes.iter().enumerate() {
            let half = c * 2 / CLASSES;
            for number in 1..=LESSONS_A_DAY as u8 {
                let s = (c + day.ordinal() as usize + number as usize) % SUBJECTS;
                let (teacher_account, teacher_staff) = teachers[s * 2 + half];
                let lesson_id = ScheduleLesson::natural_id(class_id, subjects[s], day, number);
                events.push((
                    0,
                    deputy,
                    at(scheduled_on, 6 * 60 + (c * LESSONS_A_DAY) as i64 + number as i64),
                    OpKind::ScheduleLesson(ScheduleLesson {
                        lesson_id,
                        date: day,
                        number,
                        class_id,
                        group_id: None,
                        subject_id: subjects[s],
                        teacher_id: teacher_staff,
                        room_id: None,
                    }),
                ));
                let pc = 1 + half;
                let start = 30 + (number as i64 - 1) * 55 + c as i64;
                events.push((
                    pc,
                    teacher_account,
                    at(day, start),
                    OpKind::SetLessonTopic(SetLessonTopic {
                        lesson_id,
                        topic: format!("Тема {}: {}", number, day.format("%d.%m")),
                        ktp_item_id: None,
                    }),
                ));
                let absent = rng.random_range(0..STUDENTS);
                let code = AttendanceCode::ALL[rng.random_range(0..AttendanceCode::ALL.len())];
                events.push((
                    pc,
                    teacher_account,
                    at(day, start + 1),
                    OpKind::SetAttendance(SetAttendance {
                        lesson_id,
                        student_id: students[c][absent],
                        code: Some(code),
                    }),
                ));
                let marks = 9 + (per_lesson_ops / 12) % 2;
                let first = rng.random_range(0..STUDENTS);
                for k in 0..marks {
                    let student_id = students[c][(first + k * 3) % STUDENTS];
                    let minute = start + 5 + k as i64 * 3;
                    let mark_id = uuid_at(&mut rng, at(day, minute));
                    let value = ["5", "4", "4", "3", "5", "4", "3", "2"][rng.random_range(0..8)];
                    let corrected = rng.random_range(0..100) < 5;
                    let mark = |value: &str| {
                        OpKind::SetMark(SetMark {
                            mark_id,
                            lesson_id,
                            student_id,
                            value: value.into(),
                            work_type_id: None,
                            comment: None,
                        })
                    };
                    events.push((pc, teacher_account, at(day, minute), mark(value)));
                    if corrected {
                        events.push((pc, teacher_account, at(day + Days::days(2), 8 * 60 + minute), mark("4")));
                    }
                }
                per_lesson_ops += 3 + marks;
            }
        }
        day += Days::days(1);
    }
    events.sort_by_key(|e| e.2);
    events.truncate(OPS);
    events
        .into_iter()
        .map(|(pc, author, at, kind)| {
            let id = uuid_at(&mut rng, at);
            devices[pc].op(id, author, at, kind)
        })
        .collect()
}

/// A fresh journal; the time to apply all ops in batches, and each batch's.
fn apply_all(ops: &[Op], batch_size: usize, batches: &mut Latencies) -> Duration {
    let dir = common::scratch_dir();
    let mut journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    let start = Instant::now();
    let mut new = 0;
    for batch in ops.chunks(batch_size) {
        let t = Instant::now();
        new += journal.apply_remote(batch).unwrap();
        batches.push(t.elapsed());
    }
    let took = start.elapsed();
    assert_eq!(new, ops.len(), "every op is new to a fresh journal");
    if let Some(keep) = std::env::var_os("CLASSBOOK_BENCH_KEEP") {
        drop(journal);
        std::fs::copy(dir.path().join("journal.db"), keep).expect("copy the journal to CLASSBOOK_BENCH_KEEP");
    }
    took
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let start = Instant::now();
    let ops = remote_ops();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for op in &ops {
        *kinds.entry(op.kind.name()).or_default() += 1;
    }
    eprintln!("apply_ops: generated and sealed {} ops in {}: {kinds:?}", ops.len(), fmt(start.elapsed()));

    let batch = common::env_usize("CLASSBOOK_BENCH_BATCH", BATCH);
    let runs = RefCell::new(Latencies::new("apply 100k ops (whole)", 16));
    let batches = RefCell::new(Latencies::new("apply_remote, one batch", 16 * OPS / batch));
    let mut group = criterion.benchmark_group("apply_ops");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(common::env_usize("CLASSBOOK_BENCH_SECONDS", 40) as u64));
    group.bench_function(format!("apply_remote_100k_batches_of_{batch}"), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let took = apply_all(&ops, batch, &mut batches.borrow_mut());
                    runs.borrow_mut().push(took);
                    took
                })
                .sum()
        })
    });
    group.finish();

    if !common::quick_mode() {
        println!();
        println!("apply_ops: {} ops in batches of {batch} into a fresh journal (target < 3 s)", ops.len());
        Latencies::header();
        runs.borrow().print();
        batches.borrow().print();
    }
    criterion.final_summary();
}

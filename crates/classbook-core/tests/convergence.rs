//! The state is a function of the set of ops: any order, any duplication,
//! any batching gives byte-identical state tables — including voids.

mod common;

use chrono::DateTime;
use classbook_core::Journal;
use classbook_core::domain::hlc::Hlc;
use classbook_core::domain::model::AttendanceCode;
use classbook_core::domain::op::*;
use proptest::prelude::*;
use uuid::Uuid;

const DEVICES: u128 = 3;

fn kind_strategy() -> impl Strategy<Value = OpKind> {
    let lesson = Uuid::from_u128(1000);
    let student = |i: u128| Uuid::from_u128(2000 + i);
    let mark = |i: u128| Uuid::from_u128(3000 + i);
    prop_oneof![
        (0u128..3, 0u128..2, 1u8..=5).prop_map(move |(m, s, v)| OpKind::SetMark(SetMark {
            mark_id: mark(m),
            lesson_id: lesson,
            student_id: student(s),
            value: v.to_string(),
            work_type_id: None,
            comment: None,
        })),
        (0u128..3, 0u128..2).prop_map(move |(m, s)| OpKind::DeleteMark(DeleteMark {
            mark_id: mark(m),
            lesson_id: lesson,
            student_id: student(s),
        })),
        (0u128..2, proptest::option::of(0usize..4)).prop_map(move |(s, c)| OpKind::SetAttendance(SetAttendance {
            lesson_id: lesson,
            student_id: student(s),
            code: c.map(|i| AttendanceCode::ALL[i]),
        })),
        "[а-я]{0,6}".prop_map(move |t| OpKind::SetLessonTopic(SetLessonTopic {
            lesson_id: lesson,
            topic: t,
            ktp_item_id: None
        })),
        "[а-я]{0,6}".prop_map(move |t| OpKind::SetHomework(SetHomework { lesson_id: lesson, text: t })),
        (0i64..40).prop_map(|since| OpKind::VoidOps(VoidOps {
            account_id: Uuid::from_u128(11),
            since: DateTime::from_timestamp_millis(since).unwrap(),
            reason: "тест".into(),
        })),
    ]
}

/// Ops from several devices and two authors, with clashing wall clocks.
fn ops_strategy() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec((0u128..DEVICES, 0u128..2, 0i64..40, kind_strategy()), 1..30).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (device, author, wall, kind))| {
                let device = Uuid::from_u128(100 + device);
                // Void ops come from the administrator (author 10), others from 10 or 11.
                let author = if matches!(kind, OpKind::VoidOps(_)) { 10 } else { 10 + author };
                Op {
                    id: Uuid::from_u128(50_000 + i as u128),
                    author: Uuid::from_u128(author),
                    device,
                    device_seq: i as u64 + 1,
                    // A distinct counter per op: one device never issues the same stamp twice.
                    hlc: Hlc { wall_ms: wall, counter: i as u32, device },
                    entered_at: DateTime::from_timestamp_millis(wall).unwrap(),
                    prev_hash: String::new(),
                    hash: String::new(),
                    kind,
                }
                .seal()
            })
            .collect()
    })
}

fn state_after(batches: &[Vec<Op>]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut journal = Journal::open(&path).unwrap();
    for batch in batches {
        journal.apply_remote(batch).unwrap();
    }
    drop(journal);
    common::School::snapshot(&path)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_order_and_duplication_gives_identical_state(
        ops in ops_strategy(),
        order in Just(()).prop_perturb(|_, mut rng| rng.random::<u64>()),
        duplicates in proptest::collection::vec(0usize..30, 0..10),
        split in 1usize..5,
    ) {
        let reference = state_after(std::slice::from_ref(&ops));
        // A shuffled copy with some ops repeated, delivered in several batches.
        let mut shuffled = ops.clone();
        for d in duplicates {
            shuffled.push(ops[d % ops.len()].clone());
        }
        let mut seed = order;
        for i in (1..shuffled.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let batches: Vec<Vec<Op>> = shuffled.chunks(split.max(1)).map(|c| c.to_vec()).collect();
        prop_assert_eq!(state_after(&batches), reference);
    }
}

#[test]
fn a_tampered_op_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.db")).unwrap();
    let device = Uuid::from_u128(100);
    let mut op = Op {
        id: Uuid::from_u128(1),
        author: Uuid::from_u128(10),
        device,
        device_seq: 1,
        hlc: Hlc { wall_ms: 5, counter: 0, device },
        entered_at: DateTime::from_timestamp_millis(5).unwrap(),
        prev_hash: String::new(),
        hash: String::new(),
        kind: OpKind::SetHomework(SetHomework { lesson_id: Uuid::from_u128(1000), text: "§1".into() }),
    }
    .seal();
    op.kind = OpKind::SetHomework(SetHomework { lesson_id: Uuid::from_u128(1000), text: "§2".into() });
    let err = journal.apply_remote(&[op]).unwrap_err();
    assert_eq!(err.code(), "corrupt");
    assert_eq!(journal.stats().unwrap().ops, 0);
}

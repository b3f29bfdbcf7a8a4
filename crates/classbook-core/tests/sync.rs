//! Sync between journals without the network: a PC's outbox admitted by the
//! server's journal (the same core the server runs), pulled pages applied on
//! other PCs. The server re-checks every op with the same rules, judged at
//! the op's own time; refused ops change nothing anywhere and reach their
//! author's inbox.

mod common;

use classbook_core::domain::model::AttendanceCode;
use classbook_core::domain::op::{OpKind, SetMark};
use classbook_core::domain::sync::Verdict;
use classbook_core::{ImportOp, Journal, Settled};
use common::*;
use tempfile::TempDir;

/// Push the whole outbox of `pc` to `server` in batches, as the client does.
fn push(pc: &mut Journal, server: &mut Journal) -> Settled {
    let mut total = Settled::default();
    loop {
        let ops = pc.outbox(50).unwrap();
        if ops.is_empty() {
            return total;
        }
        let verdicts = server.admit(pc.device(), &ops).unwrap();
        let settled = pc.settle_push(&ops, &verdicts).unwrap();
        total.accepted += settled.accepted;
        total.duplicate += settled.duplicate;
        total.rejected += settled.rejected;
        if settled.deferred.is_some() {
            total.deferred = settled.deferred;
            return total;
        }
    }
}

/// Pull everything new from `server` into `pc`, page by page.
fn pull(pc: &mut Journal, server: &Journal) -> usize {
    let mut new = 0;
    loop {
        let page = server.serve_pull(pc.pull_cursor().unwrap(), pc.device(), pc.own_head().unwrap(), 40).unwrap();
        new += pc.apply_pulled(&page).unwrap();
        if !page.more {
            return new;
        }
    }
}

fn sync(pc: &mut Journal, server: &mut Journal) -> Settled {
    let settled = push(pc, server);
    pull(pc, server);
    settled
}

/// The fixture school on its first PC, a server journal it was uploaded to,
/// and a second PC that received it.
struct Network {
    school: School,
    server: Journal,
    second: Journal,
    _dirs: TempDir,
}

fn network() -> Network {
    let mut school = School::new();
    let dirs = tempfile::tempdir().unwrap();
    let mut server = Journal::open(&dirs.path().join("server.journal")).unwrap();
    let mut second = Journal::open(&dirs.path().join("second.db")).unwrap();
    let uploaded = push(&mut school.journal, &mut server);
    assert_eq!((uploaded.rejected, uploaded.deferred.clone()), (0, None), "{uploaded:?}");
    assert!(uploaded.accepted > 40, "{uploaded:?}");
    // The PCs' clocks stand at the fixture's «now» (a pulled op moves a
    // PC's clock to its own time at the latest).
    second.set_fixed_now(Some(at(2025, 10, 8, 12)));
    pull(&mut second, &server);
    Network { school, server, second, _dirs: dirs }
}

#[test]
fn an_uploaded_school_is_the_same_on_every_journal() {
    let mut net = network();
    let digest = net.school.journal.digest().unwrap();
    assert_eq!(net.server.digest().unwrap(), digest);
    assert_eq!(net.second.digest().unwrap(), digest);
    assert_eq!(net.school.journal.outbox_len().unwrap(), 0);

    // Entries on both PCs meet everywhere.
    let petrova = net.school.login("petrova");
    net.school.journal.set_mark(&petrova, mark(&net.school, 0, 0, "5")).unwrap();
    let petrova_there = net.second.login("petrova", PASSWORD).unwrap();
    let lesson = net.school.lessons[1];
    net.second.set_topic(&petrova_there, lesson, "Обыкновенные дроби", None).unwrap();
    assert_ne!(net.second.digest().unwrap(), net.school.journal.digest().unwrap());
    sync(&mut net.school.journal, &mut net.server);
    sync(&mut net.second, &mut net.server);
    sync(&mut net.school.journal, &mut net.server);
    let digest = net.server.digest().unwrap();
    assert_eq!(net.school.journal.digest().unwrap(), digest);
    assert_eq!(net.second.digest().unwrap(), digest);
    assert!(net.school.journal.check_integrity().unwrap().is_ok());
    assert!(net.second.check_integrity().unwrap().is_ok());
    assert!(net.server.check_integrity().unwrap().is_ok());
}

#[test]
fn a_retried_push_gets_the_same_verdicts() {
    let mut net = network();
    let petrova = net.school.login("petrova");
    net.school.journal.set_mark(&petrova, mark(&net.school, 0, 1, "4")).unwrap();
    let ops = net.school.journal.outbox(10).unwrap();
    let first = net.server.admit(net.school.journal.device(), &ops).unwrap();
    assert!(matches!(first[0].verdict, Verdict::Accepted));
    // The answer was lost: the PC sends the same ops again.
    let again = net.server.admit(net.school.journal.device(), &ops).unwrap();
    assert!(matches!(again[0].verdict, Verdict::Duplicate), "{again:?}");
    let settled = net.school.journal.settle_push(&ops, &again).unwrap();
    assert_eq!(settled.duplicate, 1);
    assert_eq!(net.school.journal.outbox_len().unwrap(), 0);
    // The server holds the mark once.
    pull(&mut net.second, &net.server);
    assert_eq!(net.second.digest().unwrap(), net.school.journal.digest().unwrap());
}

#[test]
fn a_forged_entry_is_refused_and_changes_nothing_anywhere() {
    let mut net = network();
    let before = net.second.digest().unwrap();
    // Sidorov does not teach 5А; an entry written into Petrova's journal
    // past the PC's checks (a doctored program, a bulk import) …
    let sidorov = id("sidorov");
    let forged = OpKind::SetMark(SetMark {
        mark_id: id("forged-mark"),
        lesson_id: net.school.lessons[2],
        student_id: net.school.students[0],
        value: "2".into(),
        work_type_id: None,
        comment: None,
    });
    net.school.journal.import([ImportOp { author: sidorov, at: at(2025, 10, 8, 11), kind: forged }], |_| {}).unwrap();
    assert_ne!(net.school.journal.digest().unwrap(), before);

    // … is refused by the server, taken back on its PC and kept for its author.
    let settled = sync(&mut net.school.journal, &mut net.server);
    assert_eq!((settled.accepted, settled.rejected), (0, 1), "{settled:?}");
    assert_eq!(net.school.journal.outbox_len().unwrap(), 0);
    assert_eq!(net.school.journal.digest().unwrap(), before);
    let sidorov_session = net.school.login("sidorov");
    let inbox = net.school.journal.rejected_entries(Some(&sidorov_session)).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0].kind, "set_mark");
    assert_eq!(inbox[0].code, "not_your_lesson", "{inbox:?}");
    assert!(!inbox[0].message.is_empty());
    let petrova_session = net.school.login("petrova");
    assert!(net.school.journal.rejected_entries(Some(&petrova_session)).unwrap().is_empty());

    // The other PC stores it refused, never applied.
    pull(&mut net.second, &net.server);
    assert_eq!(net.second.digest().unwrap(), before);
    assert_eq!(net.server.digest().unwrap(), before);
    assert_eq!(net.second.rejected_entries(None).unwrap().len(), 1);
    assert!(net.second.check_integrity().unwrap().is_ok());
    // A retry of the refused op is refused again, not taken as a duplicate.
    let ops = net.server.serve_pull(0, net.second.device(), 0, 100_000).unwrap();
    let forged_op = ops.ops.iter().find(|p| p.rejected.is_some()).unwrap().op.clone();
    let again = net.server.admit(net.school.journal.device(), &[forged_op]).unwrap();
    assert!(matches!(&again[0].verdict, Verdict::Rejected(r) if r.code == "not_your_lesson"), "{again:?}");
}

#[test]
fn an_entry_made_offline_before_the_period_closed_stands() {
    let mut net = network();
    // Petrova marks an absence on the second PC, offline, at 12:00 …
    let petrova = net.second.login("petrova", PASSWORD).unwrap();
    let (lesson, student) = (net.school.lessons[4], net.school.students[2]);
    net.second.set_attendance(&petrova, lesson, student, Some(AttendanceCode::Absent)).unwrap();
    // … the administrator closes the quarter at 13:00 on the first PC, and it syncs.
    net.school.journal.set_fixed_now(Some(at(2025, 10, 8, 13)));
    let admin = net.school.login("admin");
    net.school.journal.close_period(&admin, net.school.q1, true).unwrap();
    assert_eq!(sync(&mut net.school.journal, &mut net.server).accepted, 1);
    // At 14:00, still offline, she adds a mark: her PC does not know yet.
    net.second.set_fixed_now(Some(at(2025, 10, 8, 14)));
    net.second.set_mark(&petrova, mark(&net.school, 4, 1, "5")).unwrap();

    let settled = sync(&mut net.second, &mut net.server);
    assert_eq!((settled.accepted, settled.rejected), (1, 1), "{settled:?}");
    let inbox = net.second.rejected_entries(Some(&petrova)).unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!((inbox[0].kind.as_str(), inbox[0].code.as_str()), ("set_mark", "period_closed"));
    sync(&mut net.school.journal, &mut net.server);
    let digest = net.server.digest().unwrap();
    assert_eq!(net.school.journal.digest().unwrap(), digest);
    assert_eq!(net.second.digest().unwrap(), digest);
    // The absence stands everywhere, the late mark nowhere.
    let page_admin = net.school.login("petrova");
    let page = net.school.journal.journal_page(&page_admin, net.school.class_5a, None, net.school.math, net.school.q1);
    let page = page.unwrap();
    assert_eq!(page.attendance.len(), 1, "{:?}", page.attendance);
    assert!(page.marks.iter().all(|m| m.student_id != net.school.students[1]), "{:?}", page.marks);
}

#[test]
fn the_same_cell_edited_on_two_pcs_offline_converges() {
    let mut net = network();
    let (lesson, student) = (net.school.lessons[3], net.school.students[0]);
    let here = net.school.login("petrova");
    let there = net.second.login("petrova", PASSWORD).unwrap();
    net.school.journal.set_fixed_now(Some(at(2025, 10, 8, 12)));
    net.school.journal.set_attendance(&here, lesson, student, Some(AttendanceCode::Absent)).unwrap();
    net.second.set_fixed_now(Some(at(2025, 10, 8, 12) + chrono::Duration::minutes(1)));
    net.second.set_attendance(&there, lesson, student, Some(AttendanceCode::Late)).unwrap();
    for _ in 0..2 {
        sync(&mut net.school.journal, &mut net.server);
        sync(&mut net.second, &mut net.server);
    }
    let digest = net.server.digest().unwrap();
    assert_eq!(net.school.journal.digest().unwrap(), digest);
    assert_eq!(net.second.digest().unwrap(), digest);
    // The later entry wins; the change log keeps both.
    let history = net.school.journal.cell_history(&here, lesson, student).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
}

/// Every entry of the demo school is one the rules allow at its time, so
/// the server takes its whole year without a refusal.
#[test]
fn the_demo_school_uploads_without_a_refusal() {
    let dirs = tempfile::tempdir().unwrap();
    let mut pc = Journal::open(&dirs.path().join("demo.db")).unwrap();
    let config = classbook_core::demo::DemoConfig { classes: 4, students: 80, ..Default::default() };
    pc.create_demo(&config, |_, _| {}).unwrap();
    let mut server = Journal::open(&dirs.path().join("server.journal")).unwrap();
    let mut total = Settled::default();
    loop {
        let ops = pc.outbox(2000).unwrap();
        if ops.is_empty() {
            break;
        }
        let verdicts = server.admit(pc.device(), &ops).unwrap();
        for (op, v) in ops.iter().zip(&verdicts) {
            if let Verdict::Rejected(r) = &v.verdict {
                panic!("refused: {r:?}\n{op:?}");
            }
        }
        let settled = pc.settle_push(&ops, &verdicts).unwrap();
        assert_eq!(settled.deferred, None);
        total.accepted += settled.accepted;
    }
    assert_eq!(server.digest().unwrap(), pc.digest().unwrap());
    eprintln!("{} ops uploaded", total.accepted);
}

/// A new school (its name and first administrator, still on a start
/// password) uploads whole: what precedes its first account is taken on
/// trust, and nothing after it needs the administrator's password changed.
#[test]
fn a_new_school_uploads_without_a_refusal() {
    let dirs = tempfile::tempdir().unwrap();
    let mut pc = Journal::open(&dirs.path().join("new.db")).unwrap();
    pc.create_school("МБОУ «Школа № 1»", "director").unwrap();
    let mut server = Journal::open(&dirs.path().join("server.journal")).unwrap();
    let settled = push(&mut pc, &mut server);
    assert_eq!((settled.rejected, settled.deferred.clone()), (0, None), "{settled:?}");
    assert_eq!(server.setting("school_name").unwrap().as_deref(), Some("МБОУ «Школа № 1»"));
    assert_eq!(server.digest().unwrap(), pc.digest().unwrap());
}

/// The queue's length is what the outbox holds, before and after a push.
#[test]
fn the_queue_length_is_the_outbox() {
    let mut net = network();
    let petrova = net.school.login("petrova");
    for student in 0..3 {
        net.school.journal.set_mark(&petrova, mark(&net.school, 5, student, "4")).unwrap();
    }
    assert_eq!(net.school.journal.outbox_len().unwrap(), net.school.journal.outbox(100).unwrap().len() as u64);
    assert_eq!(net.school.journal.outbox_len().unwrap(), 3);
    sync(&mut net.school.journal, &mut net.server);
    assert_eq!(net.school.journal.outbox_len().unwrap(), 0);
    assert_eq!(net.second.outbox_len().unwrap(), 0, "a PC that only received has nothing queued");
}

//! This PC's hash chain: its ops sit at their chain places, the outbox hands
//! them out in order, and after a restore from an older copy the ops made
//! since come back (from the server) exactly once and the chain goes on.

mod common;

use classbook_core::Journal;
use common::*;

#[test]
fn the_outbox_holds_this_pcs_ops_in_chain_order() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let before = school.journal.outbox(usize::MAX).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 1, "5")).unwrap();
    let ops = school.journal.outbox(usize::MAX).unwrap();
    assert_eq!(ops.len(), before.len() + 2);
    for (i, op) in ops.iter().enumerate() {
        assert_eq!(op.device, school.journal.device());
        assert_eq!(op.device_seq, i as u64 + 1);
        assert_eq!(op.prev_hash, if i == 0 { String::new() } else { ops[i - 1].hash.clone() });
    }
    assert_eq!(school.journal.outbox(3).unwrap(), ops[..3]);
}

#[test]
fn ops_made_after_a_backup_come_back_once_after_restoring_it() {
    let mut school = School::new();
    let path = school.dir.path().join("journal.db");
    let copy = school.dir.path().join("backup.db");
    let petrova = school.login("petrova");
    school.journal.set_mark(&petrova, mark(&school, 5, 0, "4")).unwrap();
    rusqlite::Connection::open(&path).unwrap().execute("VACUUM INTO ?1", [copy.to_str().unwrap()]).unwrap();
    school.journal.set_mark(&petrova, mark(&school, 5, 1, "5")).unwrap();
    school.journal.set_attendance(&petrova, school.lessons[5], school.students[2], None).unwrap();
    school.journal.set_topic(&petrova, school.lessons[5], "Дроби", None).unwrap();
    let everything = school.journal.outbox(usize::MAX).unwrap();

    let mut restored = Journal::open(&copy).unwrap();
    assert_eq!(restored.device(), school.journal.device());
    restored.set_fixed_now(Some(school.journal.now()));
    assert_eq!(restored.apply_remote(&everything).unwrap(), 3);
    assert_eq!(restored.apply_remote(&everything).unwrap(), 0);
    assert_eq!(School::snapshot(&copy), School::snapshot(&path));
    let admin = restored.login("admin", PASSWORD).unwrap();
    let log = restored.cell_history(&admin, school.lessons[5], school.students[1]).unwrap();
    assert_eq!(log.iter().filter(|c| c.field == "value").count(), 1, "{log:?}");
    let log = restored.lesson_history(&admin, school.lessons[5]).unwrap();
    assert_eq!(log.iter().filter(|c| c.field == "topic").count(), 1, "{log:?}");

    // The chain goes on after the ops that came back, with no gap or fork.
    let petrova = restored.login("petrova", PASSWORD).unwrap();
    restored.set_mark(&petrova, mark(&school, 5, 2, "3")).unwrap();
    let integrity = restored.check_integrity().unwrap();
    assert!(integrity.is_ok(), "{:?}", integrity.problems);
    let last = restored.outbox(usize::MAX).unwrap().pop().unwrap();
    assert_eq!(last.device_seq, everything.len() as u64 + 1);
    assert_eq!(last.prev_hash, everything.last().unwrap().hash);

    // A different op at a place this PC has already used is refused.
    let mut forged = everything.last().unwrap().clone();
    forged.kind = last.kind.clone();
    let forged = forged.seal();
    assert_eq!(restored.apply_remote(&[forged]).unwrap_err().code(), "corrupt");
}

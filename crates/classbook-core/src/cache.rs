//! What a journal entry's permission check reads, kept between entries.
//!
//! A teacher enters a class's marks one keystroke at a time; each entry is
//! its own transaction, and each used to read the same facts again (the
//! account, the lesson, the class list, the school's settings, this PC's
//! chain head). Those reads were a third of an entry's time. Marks,
//! attendance, topics and homework never change any of them, so they are
//! kept here and reused while nothing else is written:
//!
//! - any op of another kind recorded on this connection (an administrator
//!   edits the timetable, closes a period, blocks an account …) clears it;
//! - so does every batch applied from elsewhere;
//! - and so does a commit by any other connection to the same file (another
//!   process on this PC), which SQLite reports through `PRAGMA data_version`,
//!   read at the start of every write transaction.
//!
//! Facts read in a transaction are only kept once it commits, so a rolled
//! back transaction leaves nothing behind. The rules themselves
//! (`classbook_domain::rules::check`) still run on every entry, with the
//! entry's own date and time.

use crate::facts::LessonPlace;
use classbook_domain::grades::GradingSystem;
use classbook_domain::op::OpKind;
use classbook_domain::rules::{Actor, LessonFacts, Policy};
use std::collections::HashMap;
use uuid::Uuid;

/// Entries kept before the cache starts over (a day of one PC's work is a
/// few thousand).
const MAX_CHECKS: usize = 20_000;

/// Who enters what where: the account, the lesson, the student (if the
/// entry is about one), and whether the student's final matters (marks).
pub(crate) type CheckKey = (Uuid, Uuid, Option<Uuid>, bool);

/// Everything `Writer::check_lesson` reads from the journal for one key.
#[derive(Clone, Debug)]
pub(crate) struct CheckFacts {
    pub actor: Actor,
    pub lesson: LessonFacts,
    pub place: LessonPlace,
    /// The student's final for the lesson's period is set (marks are locked).
    pub final_set: bool,
    /// The student is on the lesson's page on the lesson's date.
    pub on_lesson: bool,
}

/// The school settings the rules use.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SchoolRules {
    pub utc_offset_minutes: i32,
    pub policy: Policy,
}

/// This PC's last op: its place in the device chain and its hash.
pub(crate) type ChainHead = (u64, String);

#[derive(Default)]
pub(crate) struct FactsCache {
    data_version: Option<i64>,
    pub head: Option<ChainHead>,
    pub checks: HashMap<CheckKey, CheckFacts>,
    pub grading: HashMap<(Uuid, Uuid), GradingSystem>,
    pub school: Option<SchoolRules>,
}

/// What one write transaction read (to keep if it commits) and whether it
/// changed anything the cache holds.
#[derive(Default)]
pub(crate) struct Learned {
    pub checks: Vec<(CheckKey, CheckFacts)>,
    pub grading: Vec<((Uuid, Uuid), GradingSystem)>,
    pub school: Option<SchoolRules>,
    pub changes_facts: bool,
}

impl FactsCache {
    /// Forget everything if another connection has committed since the
    /// cache was filled (`version` is `PRAGMA data_version` of this one).
    pub fn check_version(&mut self, version: i64) {
        if self.data_version != Some(version) {
            self.clear();
            self.data_version = Some(version);
        }
    }

    pub fn clear(&mut self) {
        *self = FactsCache { data_version: self.data_version, ..FactsCache::default() };
    }

    /// Keep what a committed transaction learned; `head` is this PC's chain
    /// head after it.
    pub fn commit(&mut self, learned: Learned, head: ChainHead) {
        if learned.changes_facts {
            self.clear();
        } else {
            if self.checks.len() + learned.checks.len() > MAX_CHECKS {
                self.checks.clear();
            }
            self.checks.extend(learned.checks);
            self.grading.extend(learned.grading);
            if learned.school.is_some() {
                self.school = learned.school;
            }
        }
        self.head = Some(head);
    }
}

/// Entries of the journal's cells, which none of the cached facts depend on.
pub(crate) fn keeps_facts(kind: &OpKind) -> bool {
    matches!(
        kind,
        OpKind::SetMark(_)
            | OpKind::DeleteMark(_)
            | OpKind::SetAttendance(_)
            | OpKind::SetAbsenceReason(_)
            | OpKind::SetLessonTopic(_)
            | OpKind::SetHomework(_)
            | OpKind::SetIndividualHomework(_)
            | OpKind::SetLessonComment(_)
    )
}

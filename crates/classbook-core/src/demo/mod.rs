//! Demo school generator (REQUIREMENTS «Demo school generator»).
//!
//! From a seed, [`generate`] produces the whole history of a plausible
//! Russian school year as a list of operations, each with its author (an
//! account) and the moment the entry was made on the PC: settings and
//! structure by the administrator, people by the secretary, curriculum and
//! timetable by the deputy head, КТП by each teacher, then day by day the
//! lessons with attendance, topics, homework and marks, substitutions, absence
//! reasons, quarter finals and the closing of periods.
//!
//! The same seed gives the same operations, ids included: all ids are
//! name-based (`named_id` / `derived_id`), randomness comes from seeded
//! ChaCha8 streams, and no hash map is ever iterated.
//!
//! Every entry is one the rules of `classbook_domain::rules` allow at its
//! time: a lesson's entries are made by its keeper (the substitute if there
//! is one), marks and attendance within the edit window of two weeks, no marks
//! or homework in grade 1, marks of a quarter before its finals, nothing in a
//! period after it is closed, nothing after `today`.
//!
//! Counts for the default config (seed 7, 30 classes: 1А–8В three a grade,
//! 9–11 two; 800 students; 2025/26 up to 2026-05-26), 380 315 ops in all,
//! generated in about 0.3 s in a release build:
//!
//! | op | count | op | count |
//! |---|---:|---|---:|
//! | set_mark | 173 594 | set_final_mark (Q1–Q3) | 27 439 |
//! | set_attendance | 33 516 | set_absence_reason | 25 162 |
//! | schedule_lesson | 29 683 | set_lesson_topic | 29 680 |
//! | set_homework | 20 888 | ktp_item records | 30 299 |
//! | delete_mark | 289 | set_substitute | 169 |
//! | set_lesson_status (cancelled) | 3 | close_period | 3 |
//! | set_individual_homework | 101 | set_lesson_comment | 85 |
//! | record_movement | 824 | set_consent | 2 072 |
//! | student / parent / parent_link | 800 / 1 238 / 1 386 | staff / accounts | 71 / 74 |
//! | timetable_slot / assignment / curriculum | 893 / 413 / 377 | group / member | 72 / 958 |
//!
//! That is one mark per 3.75 student-lessons in graded classes (2: 6 %,
//! 3: 27 %, 4: 40 %, 5: 26 %), an attendance code on about 5 % of
//! student-lessons, about 2 % of students withdrawn, 1 % transferred between
//! parallel classes and 1 % arrived during the year.

mod journal;
mod names;
mod people;
mod school;
mod setup;
mod topics;

/// The password of every demo account, and the start password of the one
/// demo teacher who must change it at first login.
pub use setup::{DEMO_PASSWORD, START_PASSWORD};

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use classbook_domain::entity::Entity;
use classbook_domain::ids::named_id;
use classbook_domain::op::{OpKind, SaveRecord};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use uuid::Uuid;

/// What school to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Number of classes, spread over grades 1–11 (default 30).
    pub classes: usize,
    /// Number of students, including those who arrive during the year (default 800).
    pub students: usize,
    /// The calendar year the academic year starts in: 2025 → 2025/26.
    pub year_start: i32,
    /// Lessons, marks and attendance are generated up to and including this
    /// date. Default: the last school day of the year (2026-05-26 for 2025).
    pub today: NaiveDate,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 7,
            classes: 30,
            students: 800,
            year_start: 2025,
            today: school::last_school_day_of_year(2025),
        }
    }
}

/// One entry: who made it, when (the PC's clock), and what.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoOp {
    /// The account the entry was made under.
    pub author: Uuid,
    /// When the entry was made on the PC.
    pub at: DateTime<Utc>,
    pub kind: OpKind,
}

/// An account worth showing to whoever tries the demo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    /// Russian title of the role, e.g. «учитель, классный руководитель 7А».
    pub role: String,
    /// ФИО.
    pub name: String,
    pub account_id: Uuid,
}

#[derive(Clone, Debug)]
pub struct DemoSchool {
    /// In the order the entries were made (by `at`).
    pub ops: Vec<DemoOp>,
    pub accounts: Vec<DemoAccount>,
    pub admin_account: Uuid,
}

/// Generates the demo school. `hash_password` turns a password into an
/// argon2id PHC string; it is called twice (the common demo password and
/// the start password of the one account that must change it).
pub fn generate(config: &DemoConfig, hash_password: &dyn Fn(&str) -> String) -> DemoSchool {
    let ids = Ids { seed: config.seed };
    let names = names::NamePicker::new();
    let cal = school::Calendar::new(config.year_start, config.today);
    let school = school::School::build(
        &ids,
        cal,
        config.classes.max(1),
        config.students,
        &names,
        &mut stream(config.seed, "school"),
    );
    let people = people::People::build(&ids, &school, config.students, &names, &mut stream(config.seed, "people"));
    let inspector = names.adult(&mut stream(config.seed, "inspector"), false);
    let demo_hash = hash_password(setup::DEMO_PASSWORD);
    let start_hash = hash_password(setup::START_PASSWORD);

    let mut out = Out { ops: Vec::with_capacity(estimate(config)) };
    let refs = setup::emit(
        &ids,
        &school,
        &people,
        &mut out,
        &mut stream(config.seed, "setup"),
        &demo_hash,
        &start_hash,
        &inspector,
    );
    let mut rng = stream(config.seed, "journal");
    journal::Journal::new(&school, &people, &refs, &mut out, &mut rng).run();

    // Nothing may be entered after `today` (late entries and consents of
    // later days have simply not happened yet).
    let end_of_today = (at(config.today, 23, 59) - Duration::minutes(UTC_OFFSET_MINUTES)).and_utc();
    let mut ops = out.ops;
    ops.retain(|op| op.at <= end_of_today);
    ops.sort_by_key(|op| op.at);
    DemoSchool { ops, accounts: refs.accounts, admin_account: refs.admin_account }
}

fn estimate(config: &DemoConfig) -> usize {
    config.students * 520 + config.classes * 1200
}

/// Ids of demo records: name-based, distinct per seed.
pub(super) struct Ids {
    seed: u64,
}

impl Ids {
    pub fn named(&self, kind: &str, key: impl std::fmt::Display) -> Uuid {
        named_id(kind, &format!("{}/{key}", self.seed))
    }
}

/// A random stream for one part of the generator, so that changing one part
/// does not reshuffle the others.
fn stream(seed: u64, name: &str) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ h)
}

/// The school's offset from UTC (Moscow time), as in the `utc_offset_minutes` setting.
pub(super) const UTC_OFFSET_MINUTES: i64 = 180;

/// Local time on a day.
pub(super) fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, minute, 0).expect("valid time")
}

pub(super) struct Out {
    pub ops: Vec<DemoOp>,
}

impl Out {
    /// Records an entry made at local time `local`.
    pub fn push(&mut self, author: Uuid, local: NaiveDateTime, kind: OpKind) {
        let at = (local - Duration::minutes(UTC_OFFSET_MINUTES)).and_utc();
        self.ops.push(DemoOp { author, at, kind });
    }
}

pub(super) fn record(entity: Entity, id: Uuid, fields: Vec<(&'static str, Value)>) -> OpKind {
    debug_assert!(fields.iter().all(|(f, _)| entity.field(f).is_some()), "{entity:?}");
    OpKind::SaveRecord(SaveRecord { entity, id, fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect() })
}

/// A person typing a series of entries: each a few seconds after the last,
/// within working hours unless `free`.
pub(super) struct Clock {
    t: NaiveDateTime,
    step: Duration,
    office_hours: bool,
}

impl Clock {
    /// Working hours 9:00–18:00 on weekdays.
    pub fn new(day: NaiveDate, hour: u32, minute: u32, step_seconds: i64) -> Clock {
        Clock { t: at(day, hour, minute), step: Duration::seconds(step_seconds), office_hours: true }
    }

    /// Any time of the day (a teacher importing their plan in the evening).
    pub fn free(day: NaiveDate, hour: u32, minute: u32, step_seconds: i64) -> Clock {
        Clock { t: at(day, hour, minute), step: Duration::seconds(step_seconds), office_hours: false }
    }

    pub fn tick(&mut self) -> NaiveDateTime {
        use chrono::{Datelike, Timelike};
        let now = self.t;
        self.t += self.step;
        if self.office_hours && self.t.hour() >= 18 {
            let mut day = self.t.date() + Duration::days(1);
            while day.weekday().num_days_from_monday() >= 5 {
                day += Duration::days(1);
            }
            self.t = at(day, 9, 0);
        }
        now
    }
}

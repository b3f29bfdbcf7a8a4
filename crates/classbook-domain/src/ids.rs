//! Identifiers: random UUIDv7 for things users create, name-based UUIDv5 for
//! natural keys, so the same entry made on two offline PCs is one register.
//! Natural keys of a school day (lessons and what hangs on them) get
//! name-based ids that sort by date instead: every index keyed by them then
//! takes a day's entries on a few neighbouring pages, not one random page
//! each, which is most of what writing a batch of entries costs.

use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

/// A fresh time-ordered id for a new record or operation.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The namespace all derived ids live in (a fixed random UUID, never change it:
/// ids already stored depend on it).
const NAMESPACE: Uuid = Uuid::from_u128(0x6c1a_55b0_0c4e_4f0e_9d59_7a2b_4b1e_8c31);

/// A deterministic id for a natural key, e.g. `derived_id("attendance", &[lesson, student])`.
pub fn derived_id(kind: &str, parts: &[Uuid]) -> Uuid {
    let mut name = Vec::with_capacity(kind.len() + parts.len() * 16);
    name.extend_from_slice(kind.as_bytes());
    for part in parts {
        name.extend_from_slice(part.as_bytes());
    }
    Uuid::new_v5(&NAMESPACE, &name)
}

/// A deterministic id for a natural key of `date`: the leading 48 bits are
/// the date's midnight (UTC) in Unix milliseconds, laid out as in a UUIDv7,
/// so these ids sort by date among themselves and among UUIDv7 ids.
pub fn dated_id(date: NaiveDate, kind: &str, parts: &[Uuid]) -> Uuid {
    let ms = date.and_time(NaiveTime::MIN).and_utc().timestamp_millis().max(0) as u128;
    derived_id_near(Uuid::from_u128(ms << 80), kind, parts)
}

/// A deterministic id that sorts next to `near`: `near`'s leading 48 bits
/// (the time of a UUIDv7 or of a `dated_id`), the rest from the key's hash.
/// A UUIDv8, as its layout is our own. 74 bits of hash remain, plenty for
/// the records sharing one prefix.
pub fn derived_id_near(near: Uuid, kind: &str, parts: &[Uuid]) -> Uuid {
    let mut bytes = *derived_id(kind, parts).as_bytes();
    bytes[..6].copy_from_slice(&near.as_bytes()[..6]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A deterministic id from a textual key (used for settings and demo data).
pub fn named_id(kind: &str, key: &str) -> Uuid {
    let name = format!("{kind}\u{0}{key}");
    Uuid::new_v5(&NAMESPACE, name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(derived_id("attendance", &[a, b]), derived_id("attendance", &[a, b]));
        assert_ne!(derived_id("attendance", &[a, b]), derived_id("attendance", &[b, a]));
        assert_ne!(derived_id("attendance", &[a, b]), derived_id("final", &[a, b]));
    }

    #[test]
    fn dated_ids_sort_by_date_and_stay_distinct() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let day = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        let next = day.succ_opt().unwrap();
        assert_eq!(dated_id(day, "lesson", &[a]), dated_id(day, "lesson", &[a]));
        assert_ne!(dated_id(day, "lesson", &[a]), dated_id(day, "lesson", &[b]));
        assert!(dated_id(day, "lesson", &[b]) < dated_id(next, "lesson", &[a]));
        assert!(dated_id(day, "lesson", &[b]) < dated_id(next, "lesson", &[b]));
        let id = dated_id(day, "lesson", &[a]);
        assert_eq!(id.get_version_num(), 8);
        // The prefix is the date's midnight, as a UUIDv7 made then would have it.
        let v7 = uuid::Builder::from_unix_timestamp_millis(1_756_684_800_000, &[0; 10]).into_uuid();
        assert_eq!(id.as_bytes()[..6], v7.as_bytes()[..6]);
        let near = derived_id_near(id, "attendance", &[id, b]);
        assert_eq!(near.as_bytes()[..6], id.as_bytes()[..6]);
        assert_ne!(near, derived_id_near(id, "attendance", &[id, a]));
    }

    #[test]
    fn new_ids_are_time_ordered() {
        let first = new_id();
        let second = new_id();
        assert!(first < second);
    }
}

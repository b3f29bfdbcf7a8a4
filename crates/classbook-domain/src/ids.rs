//! Identifiers: random UUIDv7 for things users create, name-based UUIDv5 for
//! natural keys, so the same entry made on two offline PCs is one register.

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
    fn new_ids_are_time_ordered() {
        let first = new_id();
        let second = new_id();
        assert!(first < second);
    }
}

//! The 5 000-row students file goes in whole, in one transaction, and a
//! second run adds no one. Timed for docs/BENCHMARKS.md (run it with
//! `--release -- --nocapture` to see the figure).

mod common;

use classbook_core::Order;
use classbook_exchange::{ImportKind, ImportOptions, apply_with};
use common::{School, day, fixture};

#[test]
fn five_thousand_students_in_one_transaction() {
    let mut school = School::new();
    let admin = school.login("admin");
    let options =
        ImportOptions { order: Some(Order { number: "15-у".into(), date: day(2025, 8, 29) }), enrolled_on: None };
    let path = fixture("students_5000.xlsx");
    let started = std::time::Instant::now();
    let report = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &options).unwrap();
    let took = started.elapsed();
    println!("import of 5 000 students: {:.0} ms ({} ops)", took.as_secs_f64() * 1000.0, report.operations);
    assert_eq!((report.created, report.operations), (5000, 10_000));
    assert_eq!(school.journal.stats().unwrap().students, 5002);
    let again = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &options).unwrap();
    assert_eq!((again.created, again.unchanged), (0, 5000));
}

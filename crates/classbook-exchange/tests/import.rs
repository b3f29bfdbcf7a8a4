//! Import of real spreadsheet files into a real journal.

mod common;

use classbook_core::{Order};
use classbook_exchange::{ExchangeError, ImportKind, ImportOptions, RowAction, apply_with, preview_with};
use common::{School, day, fixture};

fn order() -> ImportOptions {
    ImportOptions { order: Some(Order { number: "15-у".into(), date: day(2025, 8, 29) }), enrolled_on: Some(day(2025, 9, 1)) }
}

#[test]
fn good_students_xlsx_with_title_rows_merged_class_and_empty_rows() {
    let mut school = School::new();
    let admin = school.login("admin");
    let path = fixture("students_good.xlsx");
    let preview = preview_with(&school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.header_row, 3);
    assert_eq!(preview.created, 5);
    assert_eq!(preview.empty_rows, 1);
    let records: Vec<&str> = preview.rows.iter().map(|r| r.record.as_str()).collect();
    assert_eq!(records[2], "Васильев Артём Сергеевич, 30.12.2013, 5А");
    assert_eq!(records[4], "Дмитриев Фёдор Олегович, 19.05.2014, 5Б");
    println!("{:#?}", preview.rows);
    let report = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    assert_eq!((report.created, report.operations), (5, 10));
}

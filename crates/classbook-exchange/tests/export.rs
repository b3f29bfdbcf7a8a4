//! Export of a real journal to xlsx, csv and json, read back.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use classbook_exchange::{ExportFormat, export_archive, export_journal, export_results};
use common::School;

#[test]
fn a_class_journal_in_xlsx_reads_back_with_calamine() {
    let mut school = School::new();
    let admin = school.login("admin");
    let q1 = school.journal.periods().unwrap().into_iter().find(|p| p.title == "1 четверть").unwrap();
    let out = school.dir.path().join("5a.xlsx");
    let exported = export_journal(&school.journal, &admin, school.class_5a, &[q1], ExportFormat::Xlsx, &out).unwrap();
    assert_eq!(exported.sheets, ["Мат 1 четверть"]);
    let mut book = open_workbook_auto(&out).unwrap();
    let range = book.worksheet_range("Мат 1 четверть").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 2), Data::String("01.10".into()));
    assert_eq!(cell(1, 1), Data::String("Жуков И. О.".into()));
    assert_eq!(cell(1, 2), Data::String("5/4".into()));
    assert_eq!(cell(2, 4), Data::String("н".into()));
    assert_eq!(cell(1, 6), Data::String("5".into()), "the final");
    assert_eq!(cell(5, 2), Data::String("Тема 1".into()));
    assert_eq!(cell(5, 3), Data::String("№ 10".into()));
}

#[test]
fn a_teacher_exports_her_class_but_not_someone_elses_archive() {
    let mut school = School::new();
    let petrova = school.login("petrova");
    let out = school.dir.path().join("5a.json");
    export_journal(&school.journal, &petrova, school.class_5a, &[], ExportFormat::Json, &out).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["class"], "5А");
    // Every period (two quarters and the year) of her one page.
    assert_eq!(json["pages"].as_array().unwrap().len(), 3);
    assert_eq!(json["pages"][0]["page"]["marks"].as_array().unwrap().len(), 3);
    let denied =
        export_archive(&school.journal, &petrova, ExportFormat::Json, &school.dir.path().join("a.json")).unwrap_err();
    assert_eq!(denied.code(), "forbidden");
}

#[test]
fn class_results_in_csv_parse_back() {
    let mut school = School::new();
    let admin = school.login("admin");
    let q1 = school.journal.periods().unwrap().into_iter().find(|p| p.title == "1 четверть").unwrap();
    let dir = school.dir.path().join("results");
    let exported = export_results(&school.journal, &admin, school.class_5a, &q1, ExportFormat::Csv, &dir).unwrap();
    let text = std::fs::read_to_string(&exported.files[0]).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let value = |name: &str| rows.iter().find(|r| &r[0] == name).map(|r| r[1].to_owned()).unwrap();
    assert_eq!(value("Класс"), "5А");
    assert_eq!(value("Учащихся"), "2");
    assert_eq!(value("Успеваемость, %"), "100");
    assert_eq!(value("Качество знаний, %"), "50");
}

#[test]
fn the_archive_copy_has_every_table_and_no_password_hashes() {
    let mut school = School::new();
    let admin = school.login("admin");
    let json_path = school.dir.path().join("archive.json");
    export_archive(&school.journal, &admin, ExportFormat::Json, &json_path).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    for table in
        ["student", "parent", "staff", "class", "subject", "lesson", "mark", "attendance", "final_mark", "movement"]
    {
        assert!(json[table].is_array(), "{table}");
    }
    assert_eq!(json["student"].as_array().unwrap().len(), 2);
    assert_eq!(json["mark"].as_array().unwrap().len(), 3);
    assert!(json["account"][0].get("password_hash").is_none());

    let xlsx = school.dir.path().join("archive.xlsx");
    export_archive(&school.journal, &admin, ExportFormat::Xlsx, &xlsx).unwrap();
    let mut book = open_workbook_auto(&xlsx).unwrap();
    let students = book.worksheet_range("student").unwrap();
    assert_eq!(students.get_value((0, 1)), Some(&Data::String("surname".into())));
    assert_eq!(students.height(), 3);

    let dir = school.dir.path().join("archive-csv");
    let exported = export_archive(&school.journal, &admin, ExportFormat::Csv, &dir).unwrap();
    assert!(exported.files.iter().any(|f| f.ends_with("movement.csv")));
    let marks = std::fs::read_to_string(dir.join("mark.csv")).unwrap();
    let rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(marks.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count();
    assert_eq!(rows, 3);
}

//! `classbook import` / `classbook export` on real files: the exit code and
//! the row errors on a bad file, the dry run writing nothing.

use classbook_tests::{classbook, stderr, stdout};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

#[test]
fn a_bad_file_fails_with_every_row_error_and_a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "20", "--seed", "5"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats =
        || stdout(&classbook(&db, &["stats"], &[])).lines().find(|l| l.starts_with("Отпечаток")).unwrap().to_owned();
    let before = stats();

    let bad = fixture("students_bad.xlsx");
    let out = classbook(
        &db,
        &["import", "students", bad.to_str().unwrap(), "--order", "5-у", "--order-date", "28.08.2025"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("ничего не записано"), "{err}");
    assert!(err.contains("строка 3, столбец “Дата рождения”: даты «31.02.2014» не бывает"), "{err}");
    assert!(err.contains("строка 4, столбец “Имя”: не заполнено: укажите имя ученика"), "{err}");
    assert!(err.contains("строка 7, столбец “Дата рождения”: «весной» — не дата"), "{err}");
    assert!(err.contains("строка 8, столбец “Пол”: «x» — укажите «м» или «ж»"), "{err}");

    let out = classbook(&db, &["import", "students", fixture("password.xlsx").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("защищён паролем"), "{}", stderr(&out));

    let staff = fixture("staff_good.xlsx");
    let out = classbook(&db, &["import", "staff", staff.to_str().unwrap(), "--dry-run"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("строка     2: добавить       Смирнова Ольга Викторовна, учитель русского языка"), "{text}");
    assert!(text.contains("Пробный запуск: в журнал ничего не записано."), "{text}");
    assert_eq!(stats(), before, "a dry run and failed imports leave the journal as it was");

    let out = classbook(&db, &["import", "staff", staff.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Импорт выполнен: добавлено 3"), "{}", stdout(&out));
    assert_ne!(stats(), before);

    let archive = dir.path().join("archive.json");
    let out = classbook(&db, &["export", "archive", "--format", "json", "--out", archive.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = std::fs::read_to_string(&archive).unwrap();
    assert!(json.contains("\"surname\": \"Орлов\""), "{json}");
}

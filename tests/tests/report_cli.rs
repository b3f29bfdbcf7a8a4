//! `classbook report …` on a real demo journal: every format, and the
//! refusals.

use classbook_tests::{classbook, stderr, stdout};
use std::process::Command;

#[test]
fn reports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "50"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = classbook(&db, &["report", "list"], &[]);
    assert!(stdout(&out).contains("class-sizes"), "{}", stdout(&out));

    // csv on the terminal: a header, a line per class, the total = the students on the roll.
    let out = classbook(&db, &["report", "class-sizes"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Класс;Классный руководитель;Учащихся;Мальчиков;Девочек");
    let count = |line: &str| line.split(';').nth(2).unwrap().parse::<i64>().unwrap();
    let total = lines.iter().find(|l| l.starts_with("Всего")).unwrap();
    let classes: i64 = lines[1..lines.len() - 1].iter().map(|l| count(l)).sum();
    assert_eq!(count(total), classes);
    assert!(classes > 0);

    let json = dir.path().join("sizes.json");
    let out = classbook(&db, &["report", "class-sizes", "--format", "json", "--out", json.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["title"], "Наполняемость классов");
    assert_eq!(report["totals"][2], count(total));

    let xlsx = dir.path().join("sizes.xlsx");
    let out = classbook(&db, &["report", "class-sizes", "--format", "xlsx", "--out", xlsx.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK", "an xlsx is a zip");

    let pdf = dir.path().join("sizes.pdf");
    let out = classbook(&db, &["report", "class-sizes", "--format", "pdf", "--out", pdf.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("Наполняемость классов"));

    for (args, complaint) in [
        (vec!["report", "nothing"], "отчёта «nothing» нет; есть: class-sizes"),
        (vec!["report", "class-sizes", "--format", "doc"], "укажите csv, xlsx, json или pdf"),
        (vec!["report", "class-sizes", "--format", "xlsx"], "укажите файл в --out"),
        (vec!["report", "class-sizes", "--class", "9Я"], "Класса «9Я» в журнале нет"),
    ] {
        let out = classbook(&db, &args, &[]);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(complaint), "{args:?}: {}", stderr(&out));
    }
    // A teacher does not read the school's reports.
    let teacher = {
        let out = classbook(&db, &["users", "list"], &[]);
        stdout(&out)
            .lines()
            .find(|l| l.contains("учитель") && !l.contains("стартовый"))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    };
    let out = classbook(&db, &["report", "class-sizes", "--as", &teacher], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Отчёты по всей школе доступны администрации"), "{}", stderr(&out));
}

//! `classbook print …` on a real demo journal: the PDFs it writes, and what
//! it says and leaves behind when asked for what cannot be printed.

use classbook_tests::{classbook, stderr, stdout};
use std::process::Command;

fn pdf_pages(path: &std::path::Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&out.stderr));
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn printing_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "50"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let journal = dir.path().join("11А.pdf");
    let out = classbook(&db, &["print", "journal", "--class", "11а", "--out", journal.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    let pages = pdf_pages(&journal);
    assert!(said.contains(&format!("страниц: {pages}, листов для прошивки: {}", pages / 2)), "{said}");

    let quarter = dir.path().join("q1.pdf");
    let out = classbook(
        &db,
        &["print", "journal", "--class", "11А", "--period", "1", "--out", quarter.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_pages(&quarter) < pages);

    let parent = dir.path().join("parent.pdf");
    let out = classbook(
        &db,
        &[
            "print",
            "parent",
            "--class",
            "11А",
            "--from",
            "18.05.2026",
            "--to",
            "2026-05-24",
            "--out",
            parent.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_pages(&parent) >= 2);

    // A student's documents without naming the class.
    let card = dir.path().join("card.pdf");
    let list = dir.path().join("list.pdf");
    let out = classbook(&db, &["print", "report-card", "--class", "11А", "--out", list.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(Command::new("pdftotext").arg(&list).arg("-").output().unwrap().stdout).unwrap();
    let name = text.lines().find_map(|l| l.strip_prefix("Табель успеваемости: ")).unwrap().trim().to_owned();
    let surname_name: String = name.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let out =
        classbook(&db, &["print", "report-card", "--student", &surname_name, "--out", card.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pdf_pages(&card), 1);

    for (args, complaint) in [
        (vec!["print", "summary", "--class", "7Я"], "Класса «7Я» в журнале нет"),
        (vec!["print", "journal", "--class", "11А", "--period", "9"], "периода «9» нет"),
        (vec!["print", "parent", "--class", "11А", "--from", "31.02.2026", "--to", "01.03.2026"], "дата пишется как"),
        (vec!["print", "report-card", "--class", "11А", "--student", "Несуществующий"], "нет ученика «Несуществующий»"),
        (vec!["print", "report-card", "--student", "Несуществующий"], "Ученика «Несуществующий» среди учащихся"),
    ] {
        let target = dir.path().join("refused.pdf");
        let mut args = args.clone();
        args.extend(["--out", target.to_str().unwrap()]);
        let out = classbook(&db, &args, &[]);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(complaint), "{args:?}: {}", stderr(&out));
        assert!(!target.exists(), "{args:?} left a file");
    }

    // A folder that is not there: a clear error and no file anywhere.
    let missing = dir.path().join("нет такой папки").join("journal.pdf");
    let out = classbook(&db, &["print", "journal", "--class", "11А", "--out", missing.to_str().unwrap()], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("нет: выберите существующую папку"), "{}", stderr(&out));

    // A wrong password prints nothing.
    let out =
        classbook(&db, &["print", "summary", "--class", "11А", "--out", "x.pdf"], &[("CLASSBOOK_PASSWORD", "nope")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Неверный логин или пароль"), "{}", stderr(&out));
}

#[test]
fn letters_to_parents_and_the_class_report_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "50"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let letters = dir.path().join("letters.pdf");
    let out = classbook(
        &db,
        &["print", "letter", "--class", "11А", "--period", "1", "--out", letters.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    let count: usize = said.split("писем: ").nth(1).unwrap().trim_end_matches(['.', '\n']).parse().unwrap();
    assert!(pdf_pages(&letters) >= count && count > 1, "{said}");
    assert!(said.contains(&format!("страниц: {}", pdf_pages(&letters))), "{said}");
    let qpdf = Command::new("qpdf").arg("--check").arg(&letters).output().unwrap();
    assert!(qpdf.status.success(), "{}", String::from_utf8_lossy(&qpdf.stdout));

    // One student's letter over dates, found by name alone.
    let text = String::from_utf8(Command::new("pdftotext").arg(&letters).arg("-").output().unwrap().stdout).unwrap();
    let name = text.lines().find_map(|l| l.strip_prefix("Ученик (ученица): ")).unwrap().trim().to_owned();
    let surname_name: String = name.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let week = dir.path().join("week.pdf");
    let out = classbook(
        &db,
        &[
            "print",
            "letter",
            "--student",
            &surname_name,
            "--from",
            "18.05.2026",
            "--to",
            "24.05.2026",
            "--out",
            week.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("писем: 1"), "{}", stdout(&out));

    let report = dir.path().join("report.pdf");
    let out = classbook(
        &db,
        &["print", "class-report", "--class", "11А", "--period", "1", "--out", report.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_pages(&report) >= 1);
    let text = String::from_utf8(Command::new("pdftotext").arg(&report).arg("-").output().unwrap().stdout).unwrap();
    assert!(text.contains("Успеваемость"), "{text}");

    for (args, complaint) in [
        (vec!["print", "letter", "--class", "7Я", "--period", "1"], "Класса «7Я» в журнале нет"),
        (vec!["print", "class-report", "--class", "7Я", "--period", "1"], "Класса «7Я» в журнале нет"),
        (vec!["print", "class-report", "--class", "11А", "--period", "9"], "периода «9» нет"),
        (vec!["print", "class-report", "--as", "parent", "--class", "11А", "--period", "1"], "классный руководитель"),
    ] {
        let target = dir.path().join("refused.pdf");
        let mut args = args.clone();
        args.extend(["--out", target.to_str().unwrap()]);
        let out = classbook(&db, &args, &[]);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(complaint), "{args:?}: {}", stderr(&out));
        assert!(!target.exists(), "{args:?} left a file");
    }
}

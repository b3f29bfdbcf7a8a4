//! `classbook archive create | verify | list | register` on a real demo
//! journal: the real binary, its exit codes and its Russian messages — an
//! open year refused, a closed one archived on two folders, verified with
//! and without the journal, a changed file found (exit 1), the register.

use classbook_core::Journal;
use classbook_core::demo::DEMO_PASSWORD;
use classbook_tests::{classbook, classbook_bin, stderr, stdout};
use std::path::Path;
use std::process::Command;

const PHRASE: &str = "фраза школы для копий";

fn verify_alone(dir: &Path, key: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(classbook_bin());
    cmd.args(["archive", "verify"]).arg(dir).env_remove("CLASSBOOK_DB");
    if let Some(key) = key {
        cmd.args(["--key", key]);
    }
    cmd.output().expect("classbook runs")
}

#[test]
fn the_yearly_archive_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "40"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (usb1, usb2) = (dir.path().join("usb1"), dir.path().join("usb2"));
    std::fs::create_dir(&usb1).unwrap();
    std::fs::create_dir(&usb2).unwrap();
    let env = [("CLASSBOOK_BACKUP_PASSPHRASE", PHRASE)];
    let create =
        ["archive", "create", "--year", "2025/2026", "--to", usb1.to_str().unwrap(), "--to", usb2.to_str().unwrap()];

    // The demo school's fourth quarter and year are open.
    let out = classbook(&db, &create, &env);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("не закрыты периоды") && stderr(&out).contains("«4 четверть»"), "{}", stderr(&out));
    assert!(std::fs::read_dir(&usb1).unwrap().next().is_none());

    // The administrator closes them (as on «Администрирование»).
    {
        let mut journal = Journal::open(&db).unwrap();
        journal.set_fixed_now(journal.demo_clock_start().unwrap());
        let admin = journal.login("admin", DEMO_PASSWORD).unwrap();
        for period in journal.periods().unwrap().into_iter().filter(|p| !p.closed) {
            journal.close_period(&admin, period.id, true).unwrap();
        }
    }
    // The inspector reads every class but does not make the archive.
    let mut as_teacher = create.to_vec();
    as_teacher.extend(["--as", "inspector"]);
    let out = classbook(&db, &as_teacher, &env);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("администратор или заместитель директора"), "{}", stderr(&out));

    let out = classbook(&db, &create, &env);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Внесён в архивный реестр под № 1"), "{said}");
    assert!(said.contains("оба носителя на одном диске"), "{said}");
    let name = said.lines().find_map(|l| l.split(": ").nth(1).filter(|n| n.starts_with("classbook-archive-"))).unwrap();
    let bundle = usb2.join(name);
    let fingerprint = said.lines().find_map(|l| l.strip_prefix("Подписан ключом школы ")).unwrap().trim().to_owned();

    // Checked alone (no journal opened or created), with the key on paper.
    let out = verify_alone(&bundle, Some(&fingerprint));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Архив цел") && stdout(&out).contains("лишних файлов нет"), "{}", stdout(&out));
    let out = verify_alone(&bundle, Some("0000 0000 0000 0000"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("подписан не ключом школы"), "{}", stderr(&out));
    // Against the journal's register: the check is noted there.
    let out = classbook(&db, &["archive", "verify", bundle.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("записью № 1 архивного реестра"), "{}", stdout(&out));
    let out = classbook(&db, &["archive", "list"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(name) && stdout(&out).contains("архив цел"), "{}", stdout(&out));
    let register = dir.path().join("реестр.csv");
    let out = classbook(&db, &["archive", "register", "--out", register.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&register).unwrap().contains(name));

    // A changed byte: exit 1, the file named.
    let damaged = dir.path().join("damaged");
    assert!(Command::new("cp").arg("-r").arg(&bundle).arg(&damaged).status().unwrap().success());
    assert!(Command::new("chmod").args(["-R", "u+w"]).arg(&damaged).status().unwrap().success());
    let pdf = std::fs::read_dir(damaged.join("summary")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes[100] ^= 0x20;
    std::fs::write(&pdf, bytes).unwrap();
    let out = verify_alone(&damaged, Some(&fingerprint));
    assert_eq!(out.status.code(), Some(1));
    let file = format!("summary/{}", pdf.file_name().unwrap().to_string_lossy());
    assert!(stderr(&out).contains(&file) && stderr(&out).contains("изменён"), "{}", stderr(&out));
    assert!(!dir.path().join("journal.db").exists());
}

//! The sysadmin's `classbook` CLI on real journal files.

use classbook_tests::{classbook, stderr, stdout};

#[test]
fn demo_then_stats_shows_a_school_year() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "4", "--students", "80", "--seed", "3"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Демонстрационная школа создана"), "{text}");
    assert!(text.contains("admin"), "{text}");

    let out = classbook(&db, &["stats"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Учащихся: 80, классов: 4"), "{text}");
    assert!(text.contains("с 01.09.2025"), "{text}");
    assert!(text.contains("Проверка целостности: в порядке"), "{text}");

    // A second demo into the same file is refused and changes nothing.
    let out = classbook(&db, &["demo"], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("уже содержит данные"), "{}", stderr(&out));
}

#[test]
fn accounts_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.db");
    let out = classbook(&db, &["users", "add", "director", "--role", "director"], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("первой создайте учётную запись администратора"), "{}", stderr(&out));

    let out = classbook(&db, &["users", "add", "admin", "--role", "admin"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let start = text.split("Стартовый пароль: ").nth(1).unwrap().lines().next().unwrap().trim().to_string();
    assert_eq!(start.len(), 10);

    // The administrator still has a start password: nothing can be done under it.
    let out =
        classbook(&db, &["users", "add", "petrova", "--role", "teacher"], &[("CLASSBOOK_ADMIN_PASSWORD", &start)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("стартовый пароль"), "{}", stderr(&out));

    let out = classbook(&db, &["users", "add", "x", "--role", "boss"], &[("CLASSBOOK_ADMIN_PASSWORD", "whatever")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("неизвестная роль «boss»"), "{}", stderr(&out));

    let out = classbook(&db, &["users", "list"], &[]);
    assert!(stdout(&out).contains("стартовый пароль"), "{}", stdout(&out));

    // The administrator sets a real password, then works under it.
    let wrong = [("CLASSBOOK_PASSWORD", "not-it"), ("CLASSBOOK_NEW_PASSWORD", "Zavuch-2026!")];
    let out = classbook(&db, &["users", "passwd", "admin"], &wrong);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Неверный логин или пароль"), "{}", stderr(&out));
    let change = [("CLASSBOOK_PASSWORD", start.as_str()), ("CLASSBOOK_NEW_PASSWORD", "Zavuch-2026!")];
    let out = classbook(&db, &["users", "passwd", "admin"], &change);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = classbook(
        &db,
        &["users", "add", "petrova", "--role", "teacher"],
        &[("CLASSBOOK_ADMIN_PASSWORD", "Zavuch-2026!")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = classbook(&db, &["users", "list"], &[]);
    let list = stdout(&out);
    let admin = list.lines().find(|l| l.starts_with("admin ")).unwrap();
    assert!(!admin.contains("стартовый пароль"), "{list}");
    assert!(list.lines().any(|l| l.starts_with("petrova ") && l.contains("стартовый пароль")), "{list}");
}

#[test]
fn demo_accounts_manage_users_and_wrong_passwords_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "3", "--students", "40"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let admin_line = text.lines().find(|l| l.starts_with("admin ")).expect("admin account printed");
    let password = admin_line.split_whitespace().nth(1).unwrap().to_string();

    let out =
        classbook(&db, &["users", "add", "orlova", "--role", "teacher"], &[("CLASSBOOK_ADMIN_PASSWORD", "wrong")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Неверный логин или пароль"), "{}", stderr(&out));

    let out =
        classbook(&db, &["users", "add", "orlova", "--role", "teacher"], &[("CLASSBOOK_ADMIN_PASSWORD", &password)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Стартовый пароль"));
    let out = classbook(&db, &["users", "reset-password", "orlova"], &[("CLASSBOOK_ADMIN_PASSWORD", &password)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = classbook(&db, &["users", "list"], &[]);
    assert!(stdout(&out).contains("orlova"));
}

#[test]
fn stats_finds_a_tampered_op_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = classbook(&db, &["demo", "--classes", "2", "--students", "20"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    {
        // Someone edits the file behind the program's back, past the append-only guard.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let refused =
            conn.execute("UPDATE op SET payload = replace(payload, '\"5\"', '\"2\"') WHERE kind = 'set_mark'", []);
        assert!(refused.unwrap_err().to_string().contains("только дополняется"));
        conn.execute_batch(
            "DROP TRIGGER op_is_append_only;
             UPDATE op SET payload = replace(payload, '\"5\"', '\"2\"') WHERE kind = 'set_mark';",
        )
        .unwrap();
    }
    let out = classbook(&db, &["stats"], &[]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("НАЙДЕНЫ ПРОБЛЕМЫ"), "{}", stdout(&out));
    assert!(stderr(&out).contains("восстановите его из резервной копии"), "{}", stderr(&out));
}

#[test]
fn a_journal_from_a_newer_program_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    assert!(classbook(&db, &["stats"], &[]).status.success());
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let out = classbook(&db, &["stats"], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("обновите программу"), "{}", stderr(&out));
}

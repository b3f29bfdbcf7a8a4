//! Logins on a shared staff-room PC: start passwords, lockout, offline login.

mod common;

use classbook_core::domain::model::Role;
use classbook_core::{AccountPerson, Journal};
use common::*;

#[test]
fn a_start_password_must_be_changed_before_any_work() {
    let mut school = School::new();
    let admin = school.login("admin");
    let (_, start) = school
        .journal
        .create_account(&admin, "Orlova", vec![Role::Teacher], AccountPerson::Staff(school.teacher))
        .unwrap();
    assert_eq!(start.len(), 10);
    let mut orlova = school.journal.login("orlova", &start).unwrap();
    assert!(orlova.must_change_password);
    let lesson = school.lessons[5];
    let err = school.journal.set_topic(&orlova, lesson, "Дроби", None).unwrap_err();
    assert_eq!(err.code(), "must_change_password");

    let err = school.journal.change_password(&mut orlova, &start, "short1").unwrap_err();
    assert!(err.to_string().contains("не меньше 8"), "{err}");
    let err = school.journal.change_password(&mut orlova, "wrong", "Kalina2025").unwrap_err();
    assert!(err.to_string().contains("Текущий пароль"), "{err}");
    school.journal.change_password(&mut orlova, &start, "Kalina2025").unwrap();
    assert!(!orlova.must_change_password);
    school.journal.set_topic(&orlova, lesson, "Дроби", None).unwrap();
    assert_eq!(school.journal.login("orlova", &start).unwrap_err().code(), "wrong_password");
    assert!(school.journal.login("orlova", "Kalina2025").is_ok());

    // The password hash is argon2id and the plain password is nowhere in the file.
    let conn = rusqlite::Connection::open(school.journal.path()).unwrap();
    let hash: String =
        conn.query_row("SELECT password_hash FROM account WHERE login = 'orlova'", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let leaked: i64 =
        conn.query_row("SELECT COUNT(*) FROM op WHERE payload LIKE '%Kalina2025%'", [], |r| r.get(0)).unwrap();
    assert_eq!(leaked, 0);
}

#[test]
fn five_wrong_passwords_lock_the_login_for_a_while() {
    let mut school = School::new();
    for _ in 0..5 {
        assert_eq!(school.journal.login("petrova", "nope").unwrap_err().code(), "wrong_password");
    }
    let err = school.journal.login("petrova", PASSWORD).unwrap_err();
    assert_eq!(err.code(), "locked_out");
    assert!(err.to_string().contains("12:15"), "{err}");
    school.journal.set_fixed_now(Some(at(2025, 10, 8, 12) + chrono::Duration::minutes(16)));
    assert!(school.journal.login("petrova", PASSWORD).is_ok());
    // Unknown logins get the same answer as wrong passwords.
    assert_eq!(school.journal.login("nobody", PASSWORD).unwrap_err().code(), "wrong_password");
}

#[test]
fn only_administrators_manage_accounts() {
    let mut school = School::new();
    let zavuch = school.login("zavuch");
    let err = school.journal.create_account(&zavuch, "x", vec![Role::Teacher], AccountPerson::None).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = school.journal.reset_password(&zavuch, "petrova").unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let admin = school.login("admin");
    let err = school.journal.create_account(&admin, "petrova", vec![Role::Teacher], AccountPerson::None).unwrap_err();
    assert!(err.to_string().contains("уже занят"));
    let start = school.journal.reset_password(&admin, "petrova").unwrap();
    assert!(school.journal.login("petrova", &start).unwrap().must_change_password);
    let logins: Vec<_> = school.journal.list_accounts().unwrap().into_iter().map(|a| a.login).collect();
    assert!(logins.contains(&"petrova".to_string()) && logins.contains(&"admin".to_string()));
}

#[test]
fn a_new_journal_gets_one_first_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("new.db")).unwrap();
    let (_, start) = journal.bootstrap_admin("admin").unwrap();
    assert!(journal.login("admin", &start).unwrap().must_change_password);
    assert!(journal.bootstrap_admin("second").is_err());
}

#[test]
fn a_new_school_is_its_name_and_its_first_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("new.db")).unwrap();
    for (name, login, says) in [("  ", "admin", "название школы"), ("МБОУ СОШ № 7", "адм ин", "Логин может содержать")]
    {
        let err = journal.create_school(name, login).unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
    assert_eq!(journal.stats().unwrap().ops, 0, "a refused school left something behind");
    let (_, start) = journal.create_school(" МБОУ СОШ № 7 ", " Ivanova.AP ").unwrap();
    assert_eq!(journal.setting("school_name").unwrap().as_deref(), Some("МБОУ СОШ № 7"));
    assert!(journal.login("ivanova.ap", &start).unwrap().must_change_password);
    let err = journal.create_school("Другая школа", "admin2").unwrap_err();
    assert!(err.to_string().contains("уже содержит данные"), "{err}");
}

#[test]
fn an_administrator_sets_the_edit_window_and_the_lock() {
    let mut school = School::new();
    let admin = school.login("admin");
    let petrova = school.login("petrova");
    let before = school.journal.school_settings().unwrap();
    assert_eq!((before.edit_window.as_str(), before.lock_minutes), ("2w", classbook_core::DEFAULT_LOCK_MINUTES));

    school.journal.set_school_setting(&admin, "edit_window", "1w").unwrap();
    school.journal.set_school_setting(&admin, "lock_minutes", " 10 ").unwrap();
    let after = school.journal.school_settings().unwrap();
    assert_eq!((after.edit_window.as_str(), after.lock_minutes), ("1w", 10));

    for (key, value, says) in [
        ("edit_window", "2 недели", "«1w»"),
        ("lock_minutes", "0", "от 1 до 60"),
        ("lock_minutes", "пять", "от 1 до 60"),
        ("colour", "red", "Настройки «colour» в журнале нет"),
    ] {
        let err = school.journal.set_school_setting(&admin, key, value).unwrap_err();
        assert!(err.to_string().contains(says), "{key}={value}: {err}");
    }
    let err = school.journal.set_school_setting(&petrova, "lock_minutes", "60").unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert_eq!(school.journal.school_settings().unwrap(), after);

    // Both rules at once: a wrong lock keeps the edit window as it was too.
    let half_wrong = classbook_core::SchoolSettings { edit_window: "1m".into(), lock_minutes: 90 };
    let err = school.journal.set_school_settings(&admin, &half_wrong).unwrap_err();
    assert!(err.to_string().contains("от 1 до 60"), "{err}");
    assert_eq!(school.journal.school_settings().unwrap(), after);
    let both = classbook_core::SchoolSettings { edit_window: "1m".into(), lock_minutes: 15 };
    school.journal.set_school_settings(&admin, &both).unwrap();
    assert_eq!(school.journal.school_settings().unwrap(), both);
    assert_eq!(school.journal.set_school_settings(&petrova, &after).unwrap_err().code(), "forbidden");
}

#[test]
fn only_an_administrator_lists_the_accounts() {
    let mut school = School::new();
    let admin = school.login("admin");
    let petrova = school.login("petrova");
    let logins: Vec<_> = school.journal.accounts(&admin).unwrap().into_iter().map(|a| a.login).collect();
    assert!(logins.contains(&"petrova".to_string()) && logins.contains(&"admin".to_string()), "{logins:?}");
    assert_eq!(school.journal.accounts(&petrova).unwrap_err().code(), "forbidden");
}

//! Accounts and logins: argon2id password hashes (they reach every PC with
//! the op log, so logging in works offline), start passwords that must be
//! changed at first login, and a per-PC lockout after repeated failures.

use crate::error::{JournalError, Result};
use crate::journal::Journal;
use argon2::password_hash::{PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use classbook_domain::ids::new_id;
use classbook_domain::model::Role;
use classbook_domain::op::{OpKind, SaveAccount, SetPassword};
use classbook_domain::rules::{self, Action, Actor, Policy};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

/// Failed attempts before a login is locked on this PC, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
pub const MIN_PASSWORD_LEN: usize = 8;

/// An argon2id PHC string for `password` (RustCrypto defaults: m=19 MiB, t=2, p=1).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default parameters").to_string()
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A start password: 10 characters without look-alikes (0/O, 1/l/I), easy to dictate.
pub fn start_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Who is logged in. Permissions are re-read from the journal on every action,
/// so a role taken away takes effect at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    pub account_id: Uuid,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountInfo {
    pub account_id: Uuid,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub blocked: bool,
    pub must_change_password: bool,
}

pub(crate) fn parse_roles(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::from_code).collect()
}

const ACCOUNT_BY_LOGIN: &str = "SELECT a.id, a.login, a.roles, a.blocked, a.password_hash, a.must_change_password,
        COALESCE(s.surname || ' ' || s.first_name, st.surname || ' ' || st.first_name,
                 p.surname || ' ' || p.first_name, a.login)
    FROM account a
    LEFT JOIN staff s ON s.id = a.staff_id
    LEFT JOIN student st ON st.id = a.student_id
    LEFT JOIN parent p ON p.id = a.parent_id
    WHERE a.login = ?1";

struct StoredAccount {
    id: Uuid,
    login: String,
    roles: Vec<Role>,
    blocked: bool,
    password_hash: Option<String>,
    must_change: bool,
    name: String,
}

fn find_account(conn: &Connection, login: &str) -> Result<Option<StoredAccount>> {
    Ok(conn
        .prepare_cached(ACCOUNT_BY_LOGIN)?
        .query_row([login], |r| {
            Ok(StoredAccount {
                id: r.get::<_, String>(0)?.parse().unwrap_or_default(),
                login: r.get(1)?,
                roles: parse_roles(&r.get::<_, Option<String>>(2)?.unwrap_or_default()),
                blocked: r.get(3)?,
                password_hash: r.get(4)?,
                must_change: r.get(5)?,
                name: r.get(6)?,
            })
        })
        .optional()?)
}

/// The rules' view of an account, read fresh from the journal.
/// roles, staff, student, parent, blocked, must change password.
type ActorRow = (Option<String>, Option<String>, Option<String>, Option<String>, bool, bool);

pub(crate) fn load_actor(conn: &Connection, account_id: Uuid) -> Result<(Actor, bool, bool)> {
    let row: Option<ActorRow> = conn
        .prepare_cached(
            "SELECT roles, staff_id, student_id, parent_id, blocked, must_change_password FROM account WHERE id = ?1",
        )?
        .query_row([account_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .optional()?;
    let (roles, staff, student, parent, blocked, must_change) =
        row.ok_or_else(|| JournalError::not_found("Учётная запись не найдена: войдите заново."))?;
    let children = match &parent {
        Some(parent) => conn
            .prepare_cached("SELECT student_id FROM parent_link WHERE parent_id = ?1 AND active = 1")?
            .query_map([parent], |r| r.get::<_, String>(0))?
            .filter_map(|id| id.ok()?.parse().ok())
            .collect(),
        None => Vec::new(),
    };
    let actor = Actor {
        account_id,
        roles: parse_roles(&roles.unwrap_or_default()),
        staff_id: staff.and_then(|s| s.parse().ok()),
        student_id: student.and_then(|s| s.parse().ok()),
        children,
    };
    Ok((actor, blocked, must_change))
}

impl Journal {
    /// Log in on this PC. Works offline; five wrong passwords lock the login
    /// here for fifteen minutes.
    pub fn login(&mut self, login: &str, password: &str) -> Result<Session> {
        let login = login.trim().to_lowercase();
        let now = self.now();
        if let Some(until) = self.locked_until(&login)?.filter(|until| *until > now) {
            let local = until.with_timezone(&self.school_offset()?);
            return Err(JournalError::LockedOut { login, until: local.format("%H:%M").to_string() });
        }
        match self.check_credentials(&login, password) {
            Err(JournalError::WrongPassword) => {
                self.note_failure(&login, now)?;
                Err(JournalError::WrongPassword)
            }
            Err(e) => Err(e),
            Ok(session) => {
                self.conn().prepare_cached("DELETE FROM login_failure WHERE login = ?1")?.execute([&login])?;
                Ok(session)
            }
        }
    }

    /// Check a login and password without this PC's lockout bookkeeping:
    /// for the server, where a lockout kept per school journal would let
    /// anyone on the network lock an administrator out (the server limits
    /// attempts itself).
    pub fn check_credentials(&self, login: &str, password: &str) -> Result<Session> {
        let login = login.trim().to_lowercase();
        let account = find_account(self.conn(), &login)?;
        let verified = match &account {
            Some(a) => a.password_hash.as_deref().is_some_and(|h| verify_password(password, h)),
            None => {
                // Spend the same time on unknown logins so they cannot be told apart.
                let _ = verify_password(password, &hash_password("-"));
                false
            }
        };
        let account = match account {
            Some(a) if verified => a,
            _ => return Err(JournalError::WrongPassword),
        };
        if account.blocked {
            return Err(JournalError::AccountBlocked(login));
        }
        Ok(Session {
            account_id: account.id,
            login: account.login,
            name: account.name,
            roles: account.roles,
            must_change_password: account.must_change,
        })
    }

    fn locked_until(&self, login: &str) -> Result<Option<DateTime<Utc>>> {
        let text: Option<Option<String>> = self
            .conn()
            .prepare_cached("SELECT locked_until FROM login_failure WHERE login = ?1")?
            .query_row([login], |r| r.get(0))
            .optional()?;
        Ok(text.flatten().and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.to_utc()))
    }

    fn note_failure(&self, login: &str, now: DateTime<Utc>) -> Result<()> {
        let failures: i64 = self
            .conn()
            .prepare_cached(
                "INSERT INTO login_failure (login, failures) VALUES (?1, 1)
                 ON CONFLICT (login) DO UPDATE SET failures = failures + 1
                 RETURNING failures",
            )?
            .query_row([login], |r| r.get(0))?;
        if failures >= MAX_FAILURES {
            let until = now + Duration::minutes(LOCKOUT_MINUTES);
            self.conn()
                .prepare_cached("UPDATE login_failure SET failures = 0, locked_until = ?2 WHERE login = ?1")?
                .execute(params![login, until.to_rfc3339()])?;
        }
        Ok(())
    }

    /// Change one's own password (and so leave the start password behind).
    pub fn change_password(&mut self, session: &mut Session, old: &str, new: &str) -> Result<()> {
        let account = find_account(self.conn(), &session.login)?
            .ok_or_else(|| JournalError::not_found("Учётная запись не найдена: войдите заново."))?;
        if !account.password_hash.as_deref().is_some_and(|h| verify_password(old, h)) {
            return Err(JournalError::invalid("Текущий пароль введён неверно."));
        }
        check_new_password(&session.login, old, new)?;
        let hash = hash_password(new);
        let account_id = session.account_id;
        self.write(|w| {
            w.record(
                account_id,
                OpKind::SetPassword(SetPassword { account_id, password_hash: hash, must_change: false }),
            )
        })?;
        session.must_change_password = false;
        Ok(())
    }

    /// Create an account (administrator); returns its start password.
    pub fn create_account(
        &mut self,
        session: &Session,
        login: &str,
        roles: Vec<Role>,
        person: AccountPerson,
    ) -> Result<(Uuid, String)> {
        let login = valid_login(login)?;
        if roles.is_empty() {
            return Err(JournalError::invalid("Укажите хотя бы одну роль учётной записи."));
        }
        if find_account(self.conn(), &login)?.is_some() {
            return Err(JournalError::invalid(format!("Логин «{login}» уже занят: выберите другой.")));
        }
        let password = start_password();
        let hash = hash_password(&password);
        let account_id = new_id();
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::ManageAccounts, w.today()?, w.policy()?)?;
            let (staff_id, student_id, parent_id) = person.ids();
            w.record(
                author,
                OpKind::SaveAccount(SaveAccount {
                    account_id,
                    login,
                    roles,
                    staff_id,
                    student_id,
                    parent_id,
                    blocked: false,
                }),
            )?;
            w.record(author, OpKind::SetPassword(SetPassword { account_id, password_hash: hash, must_change: true }))
        })?;
        Ok((account_id, password))
    }

    /// Issue a new start password for `login` (administrator).
    pub fn reset_password(&mut self, session: &Session, login: &str) -> Result<String> {
        let login = login.trim().to_lowercase();
        let account = find_account(self.conn(), &login)?
            .ok_or_else(|| JournalError::not_found(format!("Учётная запись «{login}» не найдена.")))?;
        let password = start_password();
        let hash = hash_password(&password);
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::ManageAccounts, w.today()?, w.policy()?)?;
            w.record(
                author,
                OpKind::SetPassword(SetPassword { account_id: account.id, password_hash: hash, must_change: true }),
            )
        })?;
        self.conn().prepare_cached("DELETE FROM login_failure WHERE login = ?1")?.execute([&login])?;
        Ok(password)
    }

    /// Every account with its roles, for an administrator.
    pub fn accounts(&self, session: &Session) -> Result<Vec<AccountInfo>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::ManageAccounts, self.today()?, Policy::default())?;
        self.list_accounts()
    }

    /// Every account with its roles (administrator's list; the CLI's, run by
    /// whoever holds the journal file).
    pub fn list_accounts(&self) -> Result<Vec<AccountInfo>> {
        let mut stmt =
            self.conn().prepare_cached("SELECT a.login FROM account a WHERE a.login IS NOT NULL ORDER BY a.login")?;
        let logins: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(logins.len());
        for login in logins {
            if let Some(a) = find_account(self.conn(), &login)? {
                out.push(AccountInfo {
                    account_id: a.id,
                    login: a.login,
                    name: a.name,
                    roles: a.roles,
                    blocked: a.blocked,
                    must_change_password: a.must_change,
                });
            }
        }
        Ok(out)
    }

    /// The first administrator of a new journal (no one can grant it yet).
    /// Refused once any account exists.
    pub fn bootstrap_admin(&mut self, login: &str) -> Result<(Uuid, String)> {
        self.first_admin(login, &[])
    }

    /// The first administrator, recorded together with `more` (the new
    /// school's settings) in one transaction, authored by that administrator.
    pub(crate) fn first_admin(&mut self, login: &str, more: &[OpKind]) -> Result<(Uuid, String)> {
        let count: i64 = self.conn().query_row("SELECT COUNT(*) FROM account", [], |r| r.get(0))?;
        if count > 0 {
            return Err(JournalError::invalid(
                "В журнале уже есть учётные записи: новых пользователей создаёт администратор.",
            ));
        }
        let login = valid_login(login)?;
        let account_id = new_id();
        let password = start_password();
        let hash = hash_password(&password);
        self.write(|w| {
            // The school's settings first: a server founding the school
            // takes what comes before its first account on trust, and
            // judges everything after by the rules (a start password may
            // not make entries).
            for kind in more {
                w.record(account_id, kind.clone())?;
            }
            w.record(
                account_id,
                OpKind::SaveAccount(SaveAccount {
                    account_id,
                    login,
                    roles: vec![Role::Admin],
                    staff_id: None,
                    student_id: None,
                    parent_id: None,
                    blocked: false,
                }),
            )?;
            w.record(
                account_id,
                OpKind::SetPassword(SetPassword { account_id, password_hash: hash, must_change: true }),
            )?;
            Ok(())
        })?;
        Ok((account_id, password))
    }
}

/// A login as stored (trimmed, lower case), or why it cannot be one.
fn valid_login(login: &str) -> Result<String> {
    let login = login.trim().to_lowercase();
    if login.is_empty() || !login.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)) {
        return Err(JournalError::invalid("Логин может содержать только буквы, цифры, точку, дефис и подчёркивание."));
    }
    Ok(login)
}

/// Whose account it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountPerson {
    None,
    Staff(Uuid),
    Student(Uuid),
    Parent(Uuid),
}

impl AccountPerson {
    fn ids(self) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>) {
        match self {
            AccountPerson::None => (None, None, None),
            AccountPerson::Staff(id) => (Some(id), None, None),
            AccountPerson::Student(id) => (None, Some(id), None),
            AccountPerson::Parent(id) => (None, None, Some(id)),
        }
    }
}

fn check_new_password(login: &str, old: &str, new: &str) -> Result<()> {
    if new.chars().count() < MIN_PASSWORD_LEN {
        return Err(JournalError::invalid(format!(
            "Новый пароль слишком короткий: нужно не меньше {MIN_PASSWORD_LEN} символов."
        )));
    }
    if new == old {
        return Err(JournalError::invalid("Новый пароль должен отличаться от прежнего."));
    }
    if new.to_lowercase().contains(login) {
        return Err(JournalError::invalid("Пароль не должен содержать логин."));
    }
    if !(new.chars().any(|c| c.is_alphabetic()) && new.chars().any(|c| c.is_ascii_digit())) {
        return Err(JournalError::invalid("Пароль должен содержать и буквы, и цифры."));
    }
    Ok(())
}

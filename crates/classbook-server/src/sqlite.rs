//! `SqliteStore`: the server's data in one folder.
//!
//! ```text
//! DIR/server.db                      the registry (schools, devices, token hashes)
//! DIR/schools/<school id>.journal    each school's journal: a classbook-core journal
//! ```
//!
//! A school's journal on the server is the same kind of file as on a PC. Its
//! state is what each pushed op's permission is re-checked against (the same
//! core rules); its op log holds every op of the school exactly once, and an
//! op's place in that log (`seq`) is the cursor PCs pull by.
//!
//! One mutex per school journal (a `Journal` is `Send`, not `Sync`): pushes
//! of one school are admitted one after another, different schools in
//! parallel. The registry has a mutex of its own, held only for short
//! statements, never across a password check.

use crate::error::{ServerError, StartError};
use crate::registry;
use crate::store::{DeviceAuth, Store};
use chrono::Utc;
use classbook_core::{Journal, JournalError, Session};
use classbook_domain::model::Role;
use classbook_domain::op::Op;
use classbook_domain::sync::PullPage;
use classbook_sync::protocol::{
    DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, PullQuery, PushResponse, RegisterRequest, RegisterResponse, RevokeRequest,
    RevokeResponse,
};
use rand::TryRngCore;
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// Found a school when a PC registers with a school id the server does
    /// not know (off: `--no-new-schools`).
    pub allow_new_schools: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { allow_new_schools: true }
    }
}

type SharedJournal = Arc<Mutex<Journal>>;

pub struct SqliteStore {
    dir: PathBuf,
    options: StoreOptions,
    registry: Mutex<Connection>,
    /// Journals opened so far; a school's journal opens on its first request.
    journals: Mutex<HashMap<Uuid, SharedJournal>>,
}

/// A poisoned lock only means a request panicked while holding it; SQLite
/// rolled its transaction back, so what the lock guards is whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SqliteStore {
    /// Open (or create) the server's data folder.
    pub fn open(dir: &Path, options: StoreOptions) -> Result<SqliteStore, StartError> {
        let schools = dir.join("schools");
        std::fs::create_dir_all(&schools).map_err(|source| StartError::Data { path: schools.clone(), source })?;
        let registry = registry::open(&dir.join("server.db"))?;
        Ok(SqliteStore {
            dir: dir.to_owned(),
            options,
            registry: Mutex::new(registry),
            journals: Mutex::new(HashMap::new()),
        })
    }

    fn journal_path(&self, school: Uuid) -> PathBuf {
        self.dir.join("schools").join(format!("{school}.journal"))
    }

    /// The school's journal, opened on first use.
    fn journal(&self, school: Uuid) -> Result<SharedJournal, ServerError> {
        let mut journals = lock(&self.journals);
        if let Some(journal) = journals.get(&school) {
            return Ok(journal.clone());
        }
        let journal = Arc::new(Mutex::new(Journal::open(&self.journal_path(school))?));
        journals.insert(school, journal.clone());
        Ok(journal)
    }

    /// Log in to the school's journal as an administrator.
    fn admin_session(&self, school: Uuid, login: &str, password: &str) -> Result<Session, ServerError> {
        let journal = self.journal(school)?;
        let session = lock(&journal).check_credentials(login, password)?;
        check_admin(&session)?;
        Ok(session)
    }

    /// The one school whose journal takes this login and password (a new PC
    /// with an empty journal knows no school id).
    fn find_school(&self, login: &str, password: &str) -> Result<(Uuid, Session), ServerError> {
        let schools = registry::schools(&lock(&self.registry))?;
        let mut accepted = Vec::new();
        let mut refusal: Option<JournalError> = None;
        for school in schools {
            let journal = self.journal(school)?;
            let outcome = lock(&journal).check_credentials(login, password);
            match outcome {
                Ok(session) => accepted.push((school, session)),
                // A login locked or blocked in a school says more than
                // «wrong password» from the schools that never had it.
                Err(e @ (JournalError::LockedOut { .. } | JournalError::AccountBlocked(_))) => refusal = Some(e),
                Err(JournalError::WrongPassword) => {}
                Err(e) => return Err(e.into()),
            }
        }
        match accepted.len() {
            1 => Ok(accepted.remove(0)),
            0 => Err(refusal.unwrap_or(JournalError::WrongPassword).into()),
            _ => Err(ServerError::AmbiguousLogin),
        }
    }

    /// Found the school if the server does not have it; `None` if it has.
    fn found_school(&self, request: &RegisterRequest, school: Uuid) -> Result<Option<RegisterResponse>, ServerError> {
        let mut registry = lock(&self.registry);
        if registry::school_exists(&registry, school)? {
            return Ok(None);
        }
        if !self.options.allow_new_schools {
            return Err(ServerError::NewSchoolsRefused { school_id: school });
        }
        // The journal file first: a registry row never names a school
        // whose journal cannot be opened.
        self.journal(school)?;
        let now = Utc::now();
        let (token, hash) = new_token()?;
        let tx = registry.transaction()?;
        check_device_school(&tx, request.device_id, school)?;
        let name = request.school_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        registry::insert_school(&tx, school, name, now)?;
        registry::upsert_device(&tx, request.device_id, school, device_name(request), &hash, now)?;
        tx.commit()?;
        tracing::info!(%school, device = %request.device_id, "school founded");
        Ok(Some(RegisterResponse { school_id: school, device_token: token, founded: true }))
    }
}

fn check_admin(session: &Session) -> Result<(), ServerError> {
    if session.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(ServerError::NotAdmin { login: session.login.clone() })
    }
}

fn check_device_school(conn: &Connection, device: Uuid, school: Uuid) -> Result<(), ServerError> {
    match registry::device(conn, device)? {
        Some(row) if row.school_id != school => Err(ServerError::DeviceOtherSchool { device_id: device }),
        _ => Ok(()),
    }
}

fn device_name(request: &RegisterRequest) -> &str {
    let name = request.device_name.trim();
    if name.is_empty() { "ПК без имени" } else { name }
}

/// 32 bytes from the OS, given out as hex; only the hash is kept.
fn new_token() -> Result<(String, Vec<u8>), ServerError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| ServerError::Internal(format!("нет случайных чисел от системы: {e}")))?;
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// Tokens are looked up by their hash, so comparing them takes no
/// constant-time care.
fn token_hash(token: &str) -> Vec<u8> {
    blake3::hash(token.as_bytes()).as_bytes().to_vec()
}

impl Store for SqliteStore {
    fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, ServerError> {
        let (school, session) = match request.school_id {
            Some(school) => {
                if let Some(founded) = self.found_school(request, school)? {
                    return Ok(founded);
                }
                let journal = self.journal(school)?;
                let session = lock(&journal).check_credentials(&request.login, &request.password)?;
                (school, session)
            }
            None => self.find_school(&request.login, &request.password)?,
        };
        check_admin(&session)?;
        let (token, hash) = new_token()?;
        let mut registry = lock(&self.registry);
        let tx = registry.transaction()?;
        check_device_school(&tx, request.device_id, school)?;
        registry::upsert_device(&tx, request.device_id, school, device_name(request), &hash, Utc::now())?;
        tx.commit()?;
        tracing::info!(%school, device = %request.device_id, "device registered");
        Ok(RegisterResponse { school_id: school, device_token: token, founded: false })
    }

    fn authenticate(&self, token: &str) -> Result<DeviceAuth, ServerError> {
        let registry = lock(&self.registry);
        let row = registry::device_by_token(&registry, &token_hash(token))?.ok_or(ServerError::InvalidToken)?;
        if let Some(at) = row.revoked_at {
            return Err(ServerError::DeviceRevoked { at });
        }
        registry::touch_device(&registry, row.id, Utc::now())?;
        Ok(DeviceAuth { device_id: row.id, school_id: row.school_id })
    }

    fn push(&self, device: &DeviceAuth, ops: &[Op]) -> Result<PushResponse, ServerError> {
        let journal = self.journal(device.school_id)?;
        let mut journal = lock(&journal);
        let verdicts = journal.admit(device.device_id, ops)?;
        let server_head = journal.device_head(device.device_id)?;
        Ok(PushResponse { verdicts, server_head })
    }

    fn pull(&self, device: &DeviceAuth, query: &PullQuery) -> Result<PullPage, ServerError> {
        let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT).clamp(1, MAX_PULL_LIMIT);
        let journal = self.journal(device.school_id)?;
        let page = lock(&journal).serve_pull(query.after, device.device_id, query.own_head, limit)?;
        Ok(page)
    }

    fn revoke(&self, device: &DeviceAuth, request: &RevokeRequest) -> Result<RevokeResponse, ServerError> {
        self.admin_session(device.school_id, &request.login, &request.password)?;
        let registry = lock(&self.registry);
        let row = registry::device(&registry, request.device_id)?
            .filter(|row| row.school_id == device.school_id)
            .ok_or(ServerError::DeviceNotFound { device_id: request.device_id })?;
        let already_revoked = row.revoked_at.is_some();
        registry::revoke_device(&registry, request.device_id, Utc::now())?;
        tracing::info!(school = %device.school_id, device = %request.device_id, by = %device.device_id, "device revoked");
        Ok(RevokeResponse { device_id: request.device_id, already_revoked })
    }
}

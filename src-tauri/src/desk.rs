//! The app's state: the open journal, who is logged in, and how far the
//! start-up (opening the file, or creating the demo school on first start)
//! has got. The journal and the session sit behind one mutex, so a command
//! sees them together.

use crate::error::{UiError, UiResult};
use crate::sync::SyncLink;
use chrono::{DateTime, Duration, Utc};
use classbook_core::demo::DemoConfig;
use classbook_core::{Journal, JournalError, Session};
use classbook_sync::{JournalAccess, RoundError};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Where start-up is: the UI polls it until the journal is ready.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Startup {
    Opening,
    /// No journal file yet: the UI asks for the demo school or a new school.
    Choose,
    CreatingDemo {
        done: usize,
        total: usize,
    },
    Ready,
    Failed {
        message: String,
    },
}

/// How far behind the window's last key press or click the shell may learn
/// of it: the window reports activity at most this often (`still_here`).
pub const ACTIVITY_REPORT_SECONDS: u64 = 30;

pub struct Open {
    pub journal: Journal,
    session: Option<Session>,
    /// When the user last did something, and after how long idle the
    /// session ends: the window locks itself, and should it fail to (a
    /// frozen page, a tampered script), the shell refuses the next command.
    last_seen: Instant,
    lock_after: std::time::Duration,
    /// Set on the demo school: its clock runs from this instant on its last day.
    demo_clock: Option<(DateTime<Utc>, Instant)>,
}

impl Open {
    fn new(journal: Journal, demo_clock: Option<(DateTime<Utc>, Instant)>) -> Open {
        Open { journal, session: None, last_seen: Instant::now(), lock_after: std::time::Duration::MAX, demo_clock }
    }

    /// The logged-in user, still active; a session idle past the lock ends here.
    pub fn session(&mut self) -> UiResult<&Session> {
        if self.session.is_some() && self.last_seen.elapsed() > self.lock_after {
            self.session = None;
            return Err(UiError::locked());
        }
        self.last_seen = Instant::now();
        self.session.as_ref().ok_or_else(UiError::not_logged_in)
    }

    /// Start a session that locks after `lock_seconds` without activity.
    pub fn sign_in(&mut self, session: Session, lock_seconds: u64) {
        self.session = Some(session);
        self.last_seen = Instant::now();
        self.lock_after = std::time::Duration::from_secs(lock_seconds + ACTIVITY_REPORT_SECONDS);
    }

    pub fn sign_out(&mut self) {
        self.session = None;
    }

    /// The session after a change (a new password), keeping its lock.
    pub fn update_session(&mut self, session: Session) {
        self.session = Some(session);
    }

    /// The demo school's data ends on its last day: its clock is pinned to
    /// that day (from 10:00 on, running at the real pace), so today's lessons
    /// exist and the edit window judges entries as on that day.
    fn pin_clock(&mut self) {
        if let Some((start, since)) = self.demo_clock {
            let elapsed = Duration::from_std(since.elapsed()).unwrap_or_default();
            self.journal.set_fixed_now(Some(start + elapsed));
        }
    }
}

pub struct Desk {
    pub path: PathBuf,
    /// Seconds of inactivity after which the UI locks (`CLASSBOOK_LOCK_SECONDS`
    /// overrides the school's `lock_minutes` setting; default 5 minutes).
    pub lock_override: Option<u64>,
    /// Create the demo school in a missing journal file without asking (`--demo`).
    demo_without_asking: bool,
    open: Mutex<Option<Open>>,
    startup: Mutex<Startup>,
    /// The connection to the school's server (see `sync`).
    pub link: SyncLink,
}

impl Desk {
    pub fn new(
        path: PathBuf,
        lock_override: Option<u64>,
        demo_without_asking: bool,
        sync_interval: Option<std::time::Duration>,
    ) -> Arc<Desk> {
        Arc::new(Desk {
            path,
            lock_override,
            demo_without_asking,
            open: Mutex::new(None),
            startup: Mutex::new(Startup::Opening),
            link: SyncLink::new(sync_interval),
        })
    }

    pub fn startup(&self) -> Startup {
        lock(&self.startup).clone()
    }

    fn set_startup(&self, state: Startup) {
        *lock(&self.startup) = state;
    }

    /// Runs `work` on the open journal, its demo clock brought up to date;
    /// refuses while start-up is still going on.
    pub fn with<T>(&self, work: impl FnOnce(&mut Open) -> UiResult<T>) -> UiResult<T> {
        let mut guard = lock(&self.open);
        let open = guard.as_mut().ok_or_else(UiError::starting)?;
        open.pin_clock();
        work(open)
    }

    /// Runs `work` for the logged-in user: one call into the core.
    pub fn as_user<T>(&self, work: impl FnOnce(&mut Journal, &Session) -> Result<T, JournalError>) -> UiResult<T> {
        self.with(|open| {
            open.session()?;
            let Open { journal, session, .. } = open;
            Ok(work(journal, session.as_ref().expect("checked by session()"))?)
        })
    }

    /// Closes the journal, runs `work` on its file (a restore replaces it),
    /// then opens it again with nobody logged in. The journal's lock is held
    /// throughout: no command reads a file half restored.
    pub fn reopen_around<T>(&self, work: impl FnOnce(&Path) -> UiResult<T>) -> UiResult<T> {
        let mut guard = lock(&self.open);
        let open = guard.take().ok_or_else(UiError::starting)?;
        let demo_clock = open.demo_clock;
        // Dropped before the work: its connection and checkpointer let go of the file.
        drop(open);
        let result = work(&self.path);
        match Journal::open(&self.path) {
            Ok(journal) => *guard = Some(Open::new(journal, demo_clock)),
            Err(error) => {
                self.set_startup(Startup::Failed { message: error.to_string() });
                return Err(error.into());
            }
        }
        result
    }

    /// Seconds without activity before a session locks: the school's
    /// `lock_minutes` unless `CLASSBOOK_LOCK_SECONDS` overrides it.
    pub fn lock_seconds(&self, journal: &Journal) -> UiResult<u64> {
        Ok(match self.lock_override {
            Some(seconds) => seconds,
            None => u64::from(journal.school_settings()?.lock_minutes) * 60,
        })
    }

    /// Opens the journal file. A missing one gets the demo school with
    /// `--demo`; otherwise the UI asks (`start_demo` or `create_school`).
    /// Runs on a background thread so the window shows the progress instead
    /// of freezing.
    pub fn start(self: &Arc<Desk>) {
        if !self.path.exists() && !self.demo_without_asking {
            return self.set_startup(Startup::Choose);
        }
        self.open_in_background();
    }

    /// The user chose the demo school for the missing journal file.
    pub fn start_demo(self: &Arc<Desk>) -> UiResult<()> {
        self.take_choice()?;
        self.open_in_background();
        Ok(())
    }

    /// The user chose a new school: the file gets its name and first
    /// administrator, whose start password is returned. A refused name or
    /// login leaves no file behind, and the choice is offered again.
    pub fn create_school(&self, name: &str, admin_login: &str) -> UiResult<String> {
        self.take_choice()?;
        let created = self.create_dir().map_err(UiError::failed).and_then(|()| {
            let mut journal = Journal::open(&self.path)?;
            let (_, password) = journal.create_school(name, admin_login)?;
            Ok((journal, password))
        });
        match created {
            Ok((journal, password)) => {
                *lock(&self.open) = Some(Open::new(journal, None));
                self.set_startup(Startup::Ready);
                Ok(password)
            }
            Err(error) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = self.path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
                self.set_startup(Startup::Choose);
                Err(error)
            }
        }
    }

    /// Leaves the «choose» state (only one choice is taken).
    fn take_choice(&self) -> UiResult<()> {
        let mut startup = lock(&self.startup);
        if !matches!(*startup, Startup::Choose) {
            return Err(UiError::failed("Журнал уже открыт или создаётся.".into()));
        }
        *startup = Startup::Opening;
        Ok(())
    }

    fn open_in_background(self: &Arc<Desk>) {
        let desk = Arc::clone(self);
        std::thread::spawn(move || {
            let state = match desk.open_or_create() {
                Ok(open) => {
                    *lock(&desk.open) = Some(open);
                    Startup::Ready
                }
                Err(message) => Startup::Failed { message },
            };
            desk.set_startup(state);
        });
    }

    fn create_dir(&self) -> Result<(), String> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("Не удалось создать папку {}: {e}. Проверьте права доступа.", dir.display()))?;
        }
        Ok(())
    }

    fn open_or_create(&self) -> Result<Open, String> {
        let fresh = !self.path.exists();
        self.create_dir()?;
        let mut journal = Journal::open(&self.path).map_err(|e| e.to_string())?;
        if fresh {
            journal
                .create_demo(&DemoConfig::default(), |done, total| {
                    // Progress every 1 000 ops: the UI polls it, nothing to lock often.
                    if done % 1000 == 0 || done == total {
                        self.set_startup(Startup::CreatingDemo { done, total });
                    }
                })
                .map_err(|e| e.to_string())?;
        }
        let demo_clock = demo_start(&journal);
        let mut open = Open::new(journal, demo_clock);
        open.pin_clock();
        Ok(open)
    }
}

/// Sync rounds take short turns at the open journal, its demo clock kept.
impl JournalAccess for Desk {
    fn with_journal<T>(&self, work: impl FnOnce(&mut Journal) -> Result<T, JournalError>) -> Result<T, RoundError> {
        let mut guard = lock(&self.open);
        let open = guard.as_mut().ok_or_else(|| RoundError::NotOpen(UiError::starting().message))?;
        open.pin_clock();
        Ok(work(&mut open.journal)?)
    }
}

/// 10:00 school time on the demo school's last day, if this is the demo school.
fn demo_start(journal: &Journal) -> Option<(DateTime<Utc>, Instant)> {
    Some((journal.demo_clock_start().ok()??, Instant::now()))
}

/// A poisoned mutex only means another command panicked; the data is still consistent
/// (every write is one SQLite transaction), so carry on.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The journal this PC uses unless told otherwise: `journal.db` in the app's
/// data directory, the same file the `classbook` CLI defaults to.
pub fn default_journal_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("ru", "Classbook", "classbook").map(|dirs| dirs.data_dir().join("journal.db"))
}

/// The journal path from `--db`/`CLASSBOOK_DB`, made absolute for messages and logs.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in(dir: &Path) -> Open {
        let mut journal = Journal::open(&dir.join("school.db")).unwrap();
        let (_, start) = journal.create_school("Школа", "admin").unwrap();
        let session = journal.login("admin", &start).unwrap();
        let mut open = Open::new(journal, None);
        open.sign_in(session, 300);
        open
    }

    #[test]
    fn a_session_idle_past_the_lock_is_refused_and_ended() {
        let dir = tempfile::tempdir().unwrap();
        let mut open = signed_in(dir.path());
        open.last_seen = Instant::now() - std::time::Duration::from_secs(300 + ACTIVITY_REPORT_SECONDS - 1);
        assert!(open.session().is_ok(), "within the lock and the report interval");
        open.last_seen = Instant::now() - std::time::Duration::from_secs(300 + ACTIVITY_REPORT_SECONDS + 1);
        assert_eq!(open.session().unwrap_err().code, "locked");
        assert_eq!(open.session().unwrap_err().code, "not_logged_in", "the session is over, not just refused once");
    }

    #[test]
    fn activity_keeps_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let mut open = signed_in(dir.path());
        open.last_seen = Instant::now() - std::time::Duration::from_secs(250);
        open.session().unwrap();
        assert!(open.last_seen.elapsed().as_secs() < 5, "a command counts as activity");
    }
}

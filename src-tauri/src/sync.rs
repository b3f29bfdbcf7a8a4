//! The desktop app's side of sync: a background task that runs a sync round
//! on an interval (and every few seconds while the server is out of reach,
//! so entries leave soon after the network returns), the state the
//! always-visible indicator shows, and registering this PC from the
//! administration screen. The rounds themselves are `classbook_sync`'s; the
//! journal is locked only between network calls, so teachers keep working.
//!
//! The device token lives in the OS keyring, reached on a plain thread: the
//! keyring's Secret Service client runs an async runtime of its own, which
//! cannot start on one of Tauri's runtime threads.

use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use chrono::{DateTime, Utc};
use classbook_core::domain::model::Role;
use classbook_sync::{JournalAccess, RetryPolicy, RoundError, RoundReport, SyncClient, register, sync_round, token};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// Between rounds while the server answers (`CLASSBOOK_SYNC_SECONDS` overrides it).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// Between tries while it does not: the network's return is noticed this soon.
const OFFLINE_RETRY: Duration = Duration::from_secs(10);

/// What the background task knows between rounds.
#[derive(Default)]
struct LinkState {
    /// The token read from the keyring once (dropped when the server refuses it).
    token: Option<String>,
    /// None until the first round: whether the server answered the last one.
    online: Option<bool>,
    syncing: bool,
    last_error: Option<String>,
    last_report: Option<RoundReport>,
}

/// The app's connection to the school's server.
pub struct SyncLink {
    state: Mutex<LinkState>,
    wake: Notify,
    interval: Duration,
}

impl SyncLink {
    pub fn new(interval: Option<Duration>) -> SyncLink {
        SyncLink { state: Mutex::default(), wake: Notify::new(), interval: interval.unwrap_or(DEFAULT_INTERVAL) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, LinkState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run a round now instead of at the next tick.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// What the indicator shows (and the administration screen's sync section).
#[derive(Serialize)]
pub struct SyncView {
    pub registered: bool,
    pub server: Option<String>,
    pub device: String,
    /// None until a round has run.
    pub online: Option<bool>,
    pub syncing: bool,
    /// Entries of this PC not yet on the server.
    pub queued: u64,
    /// Refused entries in the inbox.
    pub rejected: u64,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_pushed: Option<usize>,
    pub last_pulled: Option<usize>,
}

/// Start the background task (once the app's runtime runs).
pub fn start(desk: Arc<Desk>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let wait = match desk.link.state().online {
                Some(false) => OFFLINE_RETRY.min(desk.link.interval),
                _ => desk.link.interval,
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = desk.link.wake.notified() => {}
            }
            round(&desk).await;
        }
    });
}

/// One round, if this PC is registered; its outcome goes to the indicator.
async fn round(desk: &Arc<Desk>) {
    let Ok(Some(server)) = desk.with_journal(|journal| journal.sync_server()) else { return };
    let cached = desk.link.state().token.clone();
    let token = match cached {
        Some(token) => token,
        None => {
            let device = match desk.with_journal(|journal| Ok(journal.device())) {
                Ok(device) => device,
                Err(_) => return,
            };
            match on_plain_thread(move || token::load(device)).await {
                Ok(token) => {
                    desk.link.state().token = Some(token.clone());
                    token
                }
                Err(e) => {
                    desk.link.state().last_error = Some(e.to_string());
                    return;
                }
            }
        }
    };
    let client = match SyncClient::new(&server) {
        // One quick retry: the next tick (10 s while offline) is the real retry.
        Ok(client) => client.with_token(token).with_retry(RetryPolicy {
            max_retries: 1,
            min_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(2),
        }),
        Err(e) => {
            desk.link.state().last_error = Some(e.to_string());
            return;
        }
    };
    desk.link.state().syncing = true;
    let outcome = sync_round(&client, desk.as_ref()).await;
    let mut state = desk.link.state();
    state.syncing = false;
    match outcome {
        Ok(report) => {
            state.online = Some(true);
            state.last_error = None;
            state.last_report = Some(report);
        }
        Err(error) => {
            state.online = Some(!error.is_offline());
            if let RoundError::Sync(e) = &error
                && e.needs_registration()
            {
                state.token = None;
            }
            state.last_error = Some(error.to_string());
        }
    }
}

/// Run `work` on an OS thread of its own (see the module's note on the keyring).
pub(crate) async fn on_plain_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.await.expect("the keyring thread always answers")
}

pub fn view(desk: &Desk) -> UiResult<SyncView> {
    let (device, state) = desk.with(|open| Ok((open.journal.device(), open.journal.sync_state()?)))?;
    let link = desk.link.state();
    Ok(SyncView {
        registered: state.server.is_some(),
        server: state.server,
        device: device.to_string(),
        online: link.online,
        syncing: link.syncing,
        queued: state.queued,
        rejected: state.rejected,
        last_sync: state.last_sync,
        last_error: link.last_error.clone(),
        last_pushed: link.last_report.as_ref().map(|r| r.pushed),
        last_pulled: link.last_report.as_ref().map(|r| r.pulled),
    })
}

/// Register this PC with the school's server as the logged-in
/// administrator (who gives their password again); the first round follows.
pub async fn register_device(desk: &Arc<Desk>, server: &str, login: &str, password: &str) -> UiResult<SyncView> {
    desk.as_user(|_, session| {
        if session.roles.contains(&Role::Admin) {
            Ok(())
        } else {
            Err(classbook_core::domain::rules::Denied {
                code: "not_admin",
                message: "ПК регистрирует на сервере администратор школы.".into(),
            }
            .into())
        }
    })?;
    let request = desk
        .with(|open| Ok(register::registration_request(&mut open.journal, login, password, register::host_name())?))?;
    let client = SyncClient::new(server).map_err(sync_error)?;
    let answer = client.register(&request).await.map_err(sync_error)?;
    let (device, token) = (request.device_id, answer.device_token.clone());
    on_plain_thread(move || token::save(device, &token)).await.map_err(|e| UiError::new("keyring", e.to_string()))?;
    desk.with(|open| Ok(open.journal.set_sync_server(client.base_url())?))?;
    {
        let mut state = desk.link.state();
        state.token = Some(answer.device_token);
        state.online = None;
        state.last_error = None;
    }
    desk.link.wake();
    view(desk)
}

fn sync_error(error: classbook_sync::SyncError) -> UiError {
    UiError::new(error.code(), error.to_string())
}

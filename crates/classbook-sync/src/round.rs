//! One sync round of a PC's journal: push the outbox in batches and settle
//! each answer, then pull pages until caught up. The journal is locked only
//! while a batch is read or an answer applied, never across the network (the
//! desktop app keeps working while a round waits on the server), and every
//! step is safe to repeat: a round cut off anywhere is simply run again.

use crate::client::SyncClient;
use crate::error::SyncError;
use crate::protocol::{MAX_PULL_LIMIT, Verdict};
use classbook_core::{Journal, JournalError};
use serde::Serialize;
use std::sync::Mutex;

/// Ops per push: big enough that a school's first upload is a few hundred
/// requests, small enough that one request's body stays a few MB.
pub const PUSH_BATCH: usize = 1000;

/// What a round did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoundReport {
    /// Ops the server took now (or had already, from a retried push).
    pub pushed: usize,
    /// Entries the server refused this round (they wait in the inbox).
    pub rejected: usize,
    /// Why the server left some entries queued, if it did.
    pub deferred: Option<String>,
    /// Ops from the school's other PCs applied here.
    pub pulled: usize,
    /// Entries of this PC still waiting to be sent.
    pub queued: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The journal is not open (the desktop app is still starting).
    #[error("{0}")]
    NotOpen(String),
}

/// Short turns at the journal, between network calls: a plain mutex (the
/// CLI) or the desktop app's open journal, whose clock it keeps.
pub trait JournalAccess {
    fn with_journal<T>(&self, work: impl FnOnce(&mut Journal) -> Result<T, JournalError>) -> Result<T, RoundError>;
}

impl JournalAccess for Mutex<Journal> {
    fn with_journal<T>(&self, work: impl FnOnce(&mut Journal) -> Result<T, JournalError>) -> Result<T, RoundError> {
        // A poisoned lock only means a panic elsewhere; every journal write
        // is one SQLite transaction, so the data is consistent.
        let mut journal = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(work(&mut journal)?)
    }
}

impl RoundError {
    pub fn code(&self) -> &str {
        match self {
            RoundError::Sync(e) => e.code(),
            RoundError::Journal(e) => e.code(),
            RoundError::NotOpen(_) => "starting",
        }
    }

    /// The server is out of reach: the entries wait, nothing to do.
    pub fn is_offline(&self) -> bool {
        matches!(self, RoundError::Sync(e) if e.is_offline())
    }
}

/// Push everything queued, then pull everything new.
pub async fn sync_round(client: &SyncClient, journal: &impl JournalAccess) -> Result<RoundReport, RoundError> {
    sync_round_with(client, journal, |_| {}).await
}

/// `sync_round`, telling `progress` how far it got after every batch and
/// page (a school's first upload or download is hundreds of them).
pub async fn sync_round_with(
    client: &SyncClient,
    journal: &impl JournalAccess,
    mut progress: impl FnMut(&RoundReport),
) -> Result<RoundReport, RoundError> {
    let mut report = RoundReport::default();
    loop {
        let batch = journal.with_journal(|j| j.outbox(PUSH_BATCH))?;
        if batch.is_empty() {
            break;
        }
        let answer = client.push(&batch).await?;
        let settled = journal.with_journal(|j| j.settle_push(&batch, &answer.verdicts))?;
        // The server holds another op at the place of the first one it did
        // not take: this journal is an older copy written in since.
        let first_deferred =
            batch.iter().zip(&answer.verdicts).find(|(_, v)| matches!(v.verdict, Verdict::Deferred { .. }));
        if let Some((op, _)) = first_deferred
            && op.device_seq <= answer.server_head
        {
            return Err(JournalError::Forked { at: op.device_seq }.into());
        }
        report.pushed += settled.accepted + settled.duplicate;
        report.rejected += settled.rejected;
        progress(&report);
        if settled.deferred.is_some() {
            report.deferred = settled.deferred;
            break;
        }
    }
    loop {
        let (cursor, own_head) = journal.with_journal(|j| Ok((j.pull_cursor()?, j.own_head()?)))?;
        let page = client.pull(cursor, own_head, MAX_PULL_LIMIT).await?;
        report.pulled += journal.with_journal(|j| j.apply_pulled(&page))?;
        progress(&report);
        if !page.more {
            break;
        }
    }
    report.queued = journal.with_journal(|j| {
        let now = j.now();
        j.note_synced(now)?;
        j.outbox_len()
    })?;
    Ok(report)
}

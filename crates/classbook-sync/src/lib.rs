//! `classbook-sync` — the sync protocol between a school PC and the server:
//! the versioned `/api/v1` request and response types (`protocol`), and
//! `SyncClient`, the HTTP client a PC uses to register, push its outbox and
//! pull the other PCs' ops, with compression and retries of transient
//! failures. The op data itself (`Op`, verdicts, pulled pages) is
//! `classbook_domain`'s and crosses the wire unchanged.

mod client;
mod error;
pub mod protocol;
pub mod register;
mod round;
pub mod token;

pub use client::{RetryPolicy, SyncClient};
pub use error::SyncError;
pub use protocol::PROTOCOL_VERSION;
pub use round::{JournalAccess, PUSH_BATCH, RoundError, RoundReport, sync_round, sync_round_with};

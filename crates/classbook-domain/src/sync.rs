//! What sync exchanges about ops, as plain data: the server's verdict on each
//! pushed op and the ops it serves on pull. The PC's store produces and
//! consumes these, the server's store too, and the wire protocol
//! (`classbook-sync`) carries them unchanged.

use crate::op::Op;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why the server refused an op: `code` for programs (the rule's code, e.g.
/// `period_closed`), `message` in Russian for the op's author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

/// The server's answer about one pushed op.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    /// Stored and applied, now served to the school's other PCs.
    Accepted,
    /// The server had it already (a retried push): nothing changed.
    Duplicate,
    /// The rules refuse it (re-checked on the server): stored, never applied,
    /// shown to its author. It leaves the outbox.
    Rejected(Rejection),
    /// Not taken now (a gap in the device's chain, a damaged op): the op and
    /// everything after it stay in the outbox.
    Deferred { message: String },
}

/// One pushed op's id and the server's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpVerdict {
    pub id: Uuid,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// An op served on pull; `rejected` tells the PCs to store it without
/// applying it, so every device's chain stays whole everywhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulledOp {
    pub op: Op,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejection>,
}

/// A page of pulled ops: `cursor` is where the next page starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub ops: Vec<PulledOp>,
    pub cursor: u64,
    /// More ops wait after this page.
    pub more: bool,
}

//! What the HTTP layer needs from storage. `SqliteStore` keeps everything in
//! files under one folder; a PostgreSQL store for a district that outgrows
//! one machine is to implement the same calls.

use crate::error::ServerError;
use classbook_domain::op::Op;
use classbook_domain::sync::PullPage;
use classbook_sync::protocol::{
    PullQuery, PushResponse, RegisterRequest, RegisterResponse, RevokeRequest, RevokeResponse,
};
use uuid::Uuid;

/// The PC a valid device token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceAuth {
    pub device_id: Uuid,
    pub school_id: Uuid,
}

/// Every call blocks (SQLite, argon2 password checks): the HTTP layer runs
/// them on tokio's blocking threads.
pub trait Store: Send + Sync + 'static {
    /// Register a PC with an administrator's credentials (see
    /// [`RegisterRequest`] for founding and finding the school); a new token
    /// replaces any earlier one of the same device.
    fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, ServerError>;

    /// The device of a token, if the token is current and not revoked.
    fn authenticate(&self, token: &str) -> Result<DeviceAuth, ServerError>;

    /// Admit ops pushed by `device` into its school's journal.
    fn push(&self, device: &DeviceAuth, ops: &[Op]) -> Result<PushResponse, ServerError>;

    /// A page of the school's ops after the cursor.
    fn pull(&self, device: &DeviceAuth, query: &PullQuery) -> Result<PullPage, ServerError>;

    /// An administrator of `device`'s school revokes one of its devices.
    fn revoke(&self, device: &DeviceAuth, request: &RevokeRequest) -> Result<RevokeResponse, ServerError>;
}

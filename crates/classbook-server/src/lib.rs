//! `classbook-server` — the central sync server: the registry of schools and
//! their PCs (device tokens), a copy of every school's journal against which
//! each pushed op is re-checked with the same rules as on the PCs, and the
//! `/api/v1` HTTP(S) endpoints of `classbook-sync`'s protocol. The server
//! never authors ops itself: it admits, stores and serves what PCs push.

mod api;
mod error;
mod registry;
mod serve;
mod sqlite;
mod store;

pub use api::{MAX_BODY_BYTES, router};
pub use error::{ServerError, StartError};
pub use serve::{TlsFiles, check_listen, serve};
pub use sqlite::{SqliteStore, StoreOptions};
pub use store::{DeviceAuth, Store};

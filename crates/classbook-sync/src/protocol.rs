//! The wire protocol, version 1. The version is in every path (`/api/v1/…`),
//! so a later server can serve old and new PCs side by side while schools
//! update at their own pace.
//!
//! Bodies are JSON; either side may compress a body with zstd or gzip
//! (`Content-Encoding`). Every error is an [`ErrorBody`] with an HTTP status
//! that says whether repeating the request can help (5xx, 429) or not (4xx).

pub use classbook_domain::op::Op;
pub use classbook_domain::sync::{OpVerdict, PullPage, PulledOp, Rejection, Verdict};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PROTOCOL_VERSION: u32 = 1;

pub const HEALTH_PATH: &str = "/api/v1/health";
pub const DEVICES_PATH: &str = "/api/v1/devices";
pub const REVOKE_PATH: &str = "/api/v1/devices/revoke";
pub const PUSH_PATH: &str = "/api/v1/push";
pub const PULL_PATH: &str = "/api/v1/pull";

/// Ops per pull page when the PC does not say.
pub const DEFAULT_PULL_LIMIT: usize = 2000;
/// The most ops the server puts on one pull page, whatever the PC asks.
pub const MAX_PULL_LIMIT: usize = 5000;

/// `GET /api/v1/health`, no token needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"`.
    pub status: String,
    /// The protocol version the server speaks.
    pub protocol: u32,
    /// The server program's version.
    pub version: String,
}

/// `POST /api/v1/devices`: register this PC with a school administrator's
/// login and password.
///
/// - `school_id` given and unknown to the server: the server founds that
///   school with an empty journal (`founded: true`); this PC then uploads the
///   whole journal by pushing its outbox.
/// - `school_id` given and known: the account must be an administrator of
///   that school.
/// - `school_id` absent (a new PC with an empty journal): the server finds
///   the one school whose journal accepts the login and password.
///
/// Registering the same `device_id` again replaces its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    #[serde(default)]
    pub school_id: Option<Uuid>,
    #[serde(default)]
    pub school_name: Option<String>,
    pub login: String,
    pub password: String,
    pub device_id: Uuid,
    pub device_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterResponse {
    pub school_id: Uuid,
    /// Sent as `Authorization: Bearer <token>` on every other call; the
    /// server keeps only its hash, so a lost token means registering again.
    pub device_token: String,
    /// The server had no such school and founded it with this registration.
    pub founded: bool,
}

/// `POST /api/v1/push`: ops of the token's device, in chain order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per pushed op, in the order pushed.
    pub verdicts: Vec<OpVerdict>,
    /// The last place of this device's chain the server now holds.
    pub server_head: u64,
}

/// `GET /api/v1/pull?after=…&own_head=…&limit=…`, answered with a
/// [`PullPage`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    /// The server cursor after which to serve ops (0 at first).
    #[serde(default)]
    pub after: u64,
    /// The device's own ops up to this place of its chain are skipped: the
    /// PC has them already.
    #[serde(default)]
    pub own_head: u64,
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `POST /api/v1/devices/revoke`, with the token of any PC of the same
/// school: an administrator (login and password checked) takes a device's
/// access away, e.g. of a stolen laptop. Its token is refused from then on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeRequest {
    pub device_id: Uuid,
    pub login: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeResponse {
    pub device_id: Uuid,
    /// The device had been revoked before (nothing changed).
    pub already_revoked: bool,
}

/// Every error the server answers: `code` for programs, `message` in
/// Russian for people, saying what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Error codes of the protocol itself; refusals of the journal pass its own
/// codes (`wrong_password`, `locked_out`, …) through.
pub mod codes {
    /// No `Authorization: Bearer` header (401).
    pub const MISSING_TOKEN: &str = "missing_token";
    /// The token is not one the server issued, or was replaced by a newer
    /// registration of the device (401).
    pub const INVALID_TOKEN: &str = "invalid_token";
    /// An administrator revoked the device (401).
    pub const DEVICE_REVOKED: &str = "device_revoked";
    /// The journal's code for a wrong login or password (401).
    pub const WRONG_PASSWORD: &str = "wrong_password";
    /// Registration or revocation by an account that is not an administrator (403).
    pub const NOT_ADMIN: &str = "not_admin";
    /// The server does not found new schools (`--no-new-schools`) (403).
    pub const NEW_SCHOOLS_REFUSED: &str = "new_schools_refused";
    /// The login and password fit several schools: the school id is needed (409).
    pub const AMBIGUOUS_LOGIN: &str = "ambiguous_login";
    /// The device id is registered with another school (409).
    pub const DEVICE_OTHER_SCHOOL: &str = "device_other_school";
    /// The device to revoke is not one of the school's (404).
    pub const DEVICE_NOT_FOUND: &str = "device_not_found";
    /// A request the server cannot read (400).
    pub const BAD_REQUEST: &str = "bad_request";
    /// A body over the server's limit (413).
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// No such path in this protocol version (404).
    pub const NOT_FOUND: &str = "not_found";
    /// The server failed; repeating later may help (500).
    pub const INTERNAL: &str = "internal";
    /// The server cannot take requests for now, e.g. its disk is full (503).
    pub const UNAVAILABLE: &str = "unavailable";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_request_without_a_school_reads_as_none() {
        let json =
            r#"{"login":"admin","password":"x","device_id":"0190b4c4-0000-7000-8000-000000000001","device_name":"ПК"}"#;
        let req: RegisterRequest = serde_json::from_str(json).unwrap();
        assert_eq!(req.school_id, None);
        assert_eq!(req.school_name, None);
    }

    #[test]
    fn health_has_the_documented_shape() {
        let health = Health { status: "ok".into(), protocol: PROTOCOL_VERSION, version: "0.1.0".into() };
        let json = serde_json::to_value(&health).unwrap();
        assert_eq!(json, serde_json::json!({ "status": "ok", "protocol": 1, "version": "0.1.0" }));
    }
}

//! The `/api/v1` endpoints over a [`Store`]. Handlers only parse, check the
//! token and hand the work to the store on a blocking thread; every refusal
//! is a JSON `{ code, message }` (`ServerError`).

use crate::error::ServerError;
use crate::store::{DeviceAuth, Store};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use classbook_sync::PROTOCOL_VERSION;
use classbook_sync::protocol::{
    DEVICES_PATH, HEALTH_PATH, Health, PULL_PATH, PUSH_PATH, PullQuery, PushRequest, REVOKE_PATH, RegisterRequest,
    RevokeRequest,
};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use uuid::Uuid;

/// The largest request body, decompressed: a first push of a whole school
/// year is sent in batches well under this.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone)]
struct AppState {
    store: Arc<dyn Store>,
    turns: Arc<SchoolTurns>,
}

/// A school's pushes and pulls are served one at a time (its journal is one
/// SQLite connection behind a lock). They wait for their turn here, as
/// tasks, first come first served, instead of each on a blocking thread
/// parked on the journal's lock: 200 PCs of a school pushing at once had
/// made 200 threads, each of which kept the memory its admission had used
/// in its own allocator heap (the server's peak RSS went to about 600 MB),
/// and with the blocking pool bounded (`main.rs`) one school's queue would
/// hold every thread while other schools waited.
#[derive(Default)]
struct SchoolTurns(Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>);

impl SchoolTurns {
    fn of(&self, school: Uuid) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        turns.entry(school).or_default().clone()
    }
}

/// The HTTP application: routes, body limit, compression both ways, request log.
pub fn router(store: Arc<dyn Store>) -> Router {
    Router::new()
        .route(HEALTH_PATH, get(health))
        .route(DEVICES_PATH, post(register))
        .route(REVOKE_PATH, post(revoke))
        .route(PUSH_PATH, post(push))
        .route(PULL_PATH, get(pull))
        .fallback(not_found)
        // The limit applies to the body as handlers read it, that is after
        // decompression: a small zstd bomb cannot fill the server's memory.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(AppState { store, turns: Arc::default() })
}

/// Run blocking store work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServerError::Internal(format!("обработка запроса прервалась: {e}")))?
}

fn json_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ServerError> {
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ServerError::PayloadTooLarge { limit_mb: MAX_BODY_BYTES / (1024 * 1024) },
        _ => ServerError::BadRequest(format!("тело запроса не читается: {}", rejection.body_text())),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ServerError::BadRequest(format!("неверный JSON: {e}")))
}

/// The device behind the request's `Authorization: Bearer` token.
struct Device(DeviceAuth);

impl FromRequestParts<AppState> for Device {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or(ServerError::MissingToken)?;
        let store = state.store.clone();
        let auth = blocking(move || store.authenticate(&token)).await?;
        Ok(Device(auth))
    }
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok".to_owned(), protocol: PROTOCOL_VERSION, version: env!("CARGO_PKG_VERSION").to_owned() })
}

async fn register(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<classbook_sync::protocol::RegisterResponse>, ServerError> {
    let request: RegisterRequest = json_body(body)?;
    let store = state.store.clone();
    blocking(move || store.register(&request)).await.map(Json)
}

async fn push(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<classbook_sync::protocol::PushResponse>, ServerError> {
    let request: PushRequest = json_body(body)?;
    let store = state.store.clone();
    let turn = state.turns.of(device.school_id);
    let _turn = turn.lock().await;
    blocking(move || store.push(&device, &request.ops)).await.map(Json)
}

async fn pull(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<classbook_domain::sync::PullPage>, ServerError> {
    let Query(query) = query.map_err(|e| ServerError::BadRequest(format!("неверные параметры: {}", e.body_text())))?;
    let store = state.store.clone();
    let turn = state.turns.of(device.school_id);
    let _turn = turn.lock().await;
    blocking(move || store.pull(&device, &query)).await.map(Json)
}

async fn revoke(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<classbook_sync::protocol::RevokeResponse>, ServerError> {
    let request: RevokeRequest = json_body(body)?;
    let store = state.store.clone();
    blocking(move || store.revoke(&device, &request)).await.map(Json)
}

async fn not_found(uri: Uri) -> ServerError {
    ServerError::NotFound(uri.path().to_owned())
}

//! `SyncClient`: one school PC talking to the server over HTTP(S).
//!
//! Every call is safe to repeat (push is idempotent by the ops' places in
//! their chains, pull only reads, registering again just replaces the
//! token), so transient failures — no connection, a timeout, 5xx, 429 — are
//! retried a bounded number of times with exponential backoff and full
//! jitter, so that a school's PCs coming back online together do not hit the
//! server in step. 4xx answers are final.

use crate::error::SyncError;
use crate::protocol::{
    DEVICES_PATH, ErrorBody, HEALTH_PATH, Health, Op, PULL_PATH, PUSH_PATH, PullPage, PushResponse, REVOKE_PATH,
    RegisterRequest, RegisterResponse, RevokeRequest, RevokeResponse, codes,
};
use backon::{BackoffBuilder, ExponentialBuilder, Retryable};
use bytes::Bytes;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Bodies above this size go zstd-compressed: ops are repetitive JSON and
/// compress about tenfold, which matters on a school's slow uplink, while a
/// tiny body gains nothing from it.
const COMPRESS_OVER: usize = 4 * 1024;
/// zstd's default level: most of the gain for little CPU on an old PC.
const ZSTD_LEVEL: i32 = 3;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole request, the answer included: a first push of a school's journal
/// carries megabytes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(180);

/// How transient failures are retried: up to `max_retries` more tries,
/// the n-th after a random delay of up to `min_delay · 2ⁿ` (capped at
/// `max_delay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: usize,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 4, min_delay: Duration::from_millis(500), max_delay: Duration::from_secs(10) }
    }
}

impl RetryPolicy {
    /// One try only: for callers that run their own schedule.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    fn backoff(&self) -> impl backon::Backoff + use<> {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .build()
            .map(full_jitter as fn(Duration) -> Duration)
    }
}

/// "Full jitter": a uniformly random delay between zero and the exponential
/// step (backon's own jitter only adds to the step).
fn full_jitter(step: Duration) -> Duration {
    let ms = u64::try_from(step.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::random_range(0..=ms))
}

/// The HTTP client of `/api/v1`. Cheap to clone (the connection pool is shared).
#[derive(Clone, Debug)]
pub struct SyncClient {
    http: reqwest::Client,
    /// Without a trailing slash; paths are appended to it.
    base: String,
    token: Option<String>,
    retry: RetryPolicy,
}

/// A request ready to be sent as many times as it takes.
struct Prepared {
    method: Method,
    url: String,
    token: Option<String>,
    body: Option<Body>,
}

struct Body {
    bytes: Bytes,
    zstd: bool,
}

/// One try's failure, with the delay the server asked for (`Retry-After`).
struct Attempt {
    error: SyncError,
    retry_after: Option<Duration>,
}

impl From<SyncError> for Attempt {
    fn from(error: SyncError) -> Self {
        Attempt { error, retry_after: None }
    }
}

impl SyncClient {
    /// A client of the server at `base_url` (`https://host[:port][/prefix]`;
    /// plain `http://` is for a server on this machine).
    pub fn new(base_url: &str) -> Result<SyncClient, SyncError> {
        let trimmed = base_url.trim().trim_end_matches('/');
        let bad = |detail: &str| SyncError::BadUrl { url: base_url.to_owned(), detail: detail.to_owned() };
        let url = reqwest::Url::parse(trimmed).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("адрес должен начинаться с https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("в адресе нет имени сервера"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("в адресе не должно быть «?» и «#»"));
        }
        Ok(SyncClient {
            http: http_client(None)?,
            base: trimmed.to_owned(),
            token: None,
            retry: RetryPolicy::default(),
        })
    }

    /// Trust this certificate (PEM) besides the system's: a school's or a
    /// district's own server often has a self-signed one.
    pub fn with_trusted_certificate(mut self, pem: &[u8]) -> Result<SyncClient, SyncError> {
        let certificate =
            reqwest::Certificate::from_pem(pem).map_err(|e| SyncError::BadCertificate { detail: e.to_string() })?;
        self.http = http_client(Some(certificate))?;
        Ok(self)
    }

    /// The device token from registration, sent on every call that needs one.
    pub fn with_token(mut self, token: impl Into<String>) -> SyncClient {
        self.token = Some(token.into());
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> SyncClient {
        self.retry = retry;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether the server is up and which protocol it speaks.
    pub async fn health(&self) -> Result<Health, SyncError> {
        self.call(self.prepare(Method::GET, HEALTH_PATH.to_owned(), None, false)?).await
    }

    /// Register this PC (see [`RegisterRequest`]); keep the token of the answer.
    pub async fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, SyncError> {
        let body = encode(request)?;
        self.call(self.prepare(Method::POST, DEVICES_PATH.to_owned(), Some(body), false)?).await
    }

    /// Push ops of this device, in chain order; a verdict per op comes back.
    /// Pushing the same ops again is harmless (they come back `Duplicate`).
    pub async fn push(&self, ops: &[Op]) -> Result<PushResponse, SyncError> {
        // Borrowed twin of `PushRequest`: the outbox is not copied to be sent.
        #[derive(Serialize)]
        struct PushBody<'a> {
            ops: &'a [Op],
        }
        let body = encode(&PushBody { ops })?;
        self.call(self.prepare(Method::POST, PUSH_PATH.to_owned(), Some(body), true)?).await
    }

    /// A page of ops the server stored after `after` (its cursor), leaving
    /// out this device's own ops up to `own_head`; at most `limit` (the
    /// server caps it).
    pub async fn pull(&self, after: u64, own_head: u64, limit: usize) -> Result<PullPage, SyncError> {
        let path = format!("{PULL_PATH}?after={after}&own_head={own_head}&limit={limit}");
        self.call(self.prepare(Method::GET, path, None, true)?).await
    }

    /// An administrator (login and password) revokes a device of the school.
    pub async fn revoke(&self, request: &RevokeRequest) -> Result<RevokeResponse, SyncError> {
        let body = encode(request)?;
        self.call(self.prepare(Method::POST, REVOKE_PATH.to_owned(), Some(body), true)?).await
    }

    fn prepare(&self, method: Method, path: String, body: Option<Body>, auth: bool) -> Result<Prepared, SyncError> {
        let token = match (auth, &self.token) {
            (false, _) => None,
            (true, Some(token)) => Some(token.clone()),
            (true, None) => return Err(SyncError::NotRegistered),
        };
        Ok(Prepared { method, url: format!("{}{path}", self.base), token, body })
    }

    async fn call<T: DeserializeOwned>(&self, request: Prepared) -> Result<T, SyncError> {
        let max_delay = self.retry.max_delay;
        (|| self.attempt(&request))
            .retry(self.retry.backoff())
            .when(|a: &Attempt| a.error.is_transient())
            .adjust(move |a: &Attempt, next: Option<Duration>| match (next, a.retry_after) {
                (None, _) => None,
                // Asked to wait longer than we would: give up for now, the
                // next sync round comes later anyway.
                (Some(_), Some(asked)) if asked > max_delay => None,
                (Some(step), Some(asked)) => Some(step.max(asked)),
                (Some(step), None) => Some(step),
            })
            .notify(|a: &Attempt, delay: Duration| {
                tracing::warn!(url = %request.url, ?delay, error = %a.error, "sync request failed, retrying");
            })
            .await
            .map_err(|a| a.error)
    }

    async fn attempt<T: DeserializeOwned>(&self, request: &Prepared) -> Result<T, Attempt> {
        let mut builder = self.http.request(request.method.clone(), &request.url);
        if let Some(token) = &request.token {
            builder = builder.bearer_auth(token);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.bytes.clone());
            if body.zstd {
                builder = builder.header(CONTENT_ENCODING, "zstd");
            }
        }
        let response = builder.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response.bytes().await.map_err(|e| self.transport_error(&e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| {
                Attempt::from(SyncError::Protocol {
                    url: self.base.clone(),
                    detail: format!("непонятный ответ на {}: {e}", request.method),
                })
            });
        }
        Err(Attempt { error: self.status_error(status, &bytes), retry_after })
    }

    fn transport_error(&self, e: &reqwest::Error) -> SyncError {
        let host =
            reqwest::Url::parse(&self.base).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
        if e.is_decode() {
            return SyncError::Protocol {
                url: self.base.clone(), detail: format!("ответ не читается: {e}")
            };
        }
        if e.is_builder() {
            return SyncError::Client(e.to_string());
        }
        if let Some(tls) = tls_failure(e) {
            return SyncError::UntrustedServer { host, detail: tls.to_string() };
        }
        let detail = if e.is_timeout() {
            format!("{host} не ответил за отведённое время")
        } else if e.is_connect() {
            format!("нет соединения с {host}")
        } else {
            format!("связь с {host} прервалась")
        };
        SyncError::Offline { detail }
    }

    fn status_error(&self, status: StatusCode, body: &[u8]) -> SyncError {
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let code = status.as_u16();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return SyncError::Unavailable { status: code, message: parsed.map(|b| b.message) };
        }
        match parsed {
            Some(ErrorBody { code: error_code, message })
                if status == StatusCode::UNAUTHORIZED && is_token_refusal(&error_code) =>
            {
                SyncError::Unauthorized { code: error_code, message }
            }
            Some(ErrorBody { code: error_code, message }) => {
                SyncError::Server { status: code, code: error_code, message }
            }
            None if status == StatusCode::UNAUTHORIZED => SyncError::Unauthorized {
                code: codes::INVALID_TOKEN.to_owned(),
                message: "Сервер синхронизации не принял ключ этого ПК: зарегистрируйте ПК заново с логином и паролем администратора школы.".to_owned(),
            },
            None => SyncError::Protocol { url: self.base.clone(), detail: format!("HTTP {status}") },
        }
    }
}

fn http_client(extra_root: Option<reqwest::Certificate>) -> Result<reqwest::Client, SyncError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("classbook-sync/", env!("CARGO_PKG_VERSION")));
    if let Some(root) = extra_root {
        builder = builder.tls_certs_merge([root]);
    }
    builder.build().map_err(|e| SyncError::Client(e.to_string()))
}

/// A refused certificate is not «offline»: trying again will not help,
/// and the person has to check the address or the certificate. reqwest
/// reports it as a connect error; the rustls error sits inside (nested)
/// `io::Error`s, whose `source()` skips the error they wrap, so the chain is
/// walked through `get_ref()` by hand.
fn tls_failure(e: &reqwest::Error) -> Option<&rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = next {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

fn is_token_refusal(code: &str) -> bool {
    [codes::MISSING_TOKEN, codes::INVALID_TOKEN, codes::DEVICE_REVOKED].contains(&code)
}

fn encode<T: Serialize>(value: &T) -> Result<Body, SyncError> {
    let json = serde_json::to_vec(value).map_err(|e| SyncError::Client(e.to_string()))?;
    if json.len() <= COMPRESS_OVER {
        return Ok(Body { bytes: Bytes::from(json), zstd: false });
    }
    let packed = zstd::bulk::compress(&json, ZSTD_LEVEL).map_err(|e| SyncError::Client(e.to_string()))?;
    Ok(Body { bytes: Bytes::from(packed), zstd: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bodies_go_plain_and_large_ones_zstd() {
        let small = encode(&serde_json::json!({ "login": "admin" })).unwrap();
        assert!(!small.zstd);
        let ops: Vec<String> = (0..2000).map(|i| format!("op {i}")).collect();
        let large = encode(&ops).unwrap();
        assert!(large.zstd);
        let back: Vec<String> = serde_json::from_slice(&zstd::decode_all(&large.bytes[..]).unwrap()).unwrap();
        assert_eq!(back, ops);
    }

    #[test]
    fn full_jitter_stays_within_the_step() {
        for _ in 0..1000 {
            assert!(full_jitter(Duration::from_millis(300)) <= Duration::from_millis(300));
        }
        assert_eq!(full_jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn the_backoff_gives_up_after_max_retries() {
        let policy =
            RetryPolicy { max_retries: 3, min_delay: Duration::from_millis(10), max_delay: Duration::from_millis(40) };
        let delays: Vec<Duration> = policy.backoff().collect();
        assert_eq!(delays.len(), 3);
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(40)));
    }

    #[test]
    fn addresses_are_checked() {
        assert!(SyncClient::new("https://journal.school.ru/").is_ok());
        assert_eq!(SyncClient::new("https://journal.school.ru/").unwrap().base_url(), "https://journal.school.ru");
        assert_eq!(SyncClient::new("ftp://journal.school.ru").unwrap_err().code(), "bad_url");
        assert_eq!(SyncClient::new("journal.school.ru").unwrap_err().code(), "bad_url");
        assert_eq!(SyncClient::new("https://journal.school.ru/?x=1").unwrap_err().code(), "bad_url");
    }

    #[tokio::test]
    async fn calls_that_need_a_token_say_so_without_one() {
        let client = SyncClient::new("http://127.0.0.1:9").unwrap();
        let error = client.pull(0, 0, 10).await.unwrap_err();
        assert!(error.needs_registration());
        assert_eq!(error.code(), "not_registered");
    }

    #[tokio::test]
    async fn a_closed_port_is_offline_after_the_retries() {
        // Bind and drop: nothing listens on that port afterwards.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let retry =
            RetryPolicy { max_retries: 2, min_delay: Duration::from_millis(5), max_delay: Duration::from_millis(20) };
        let client = SyncClient::new(&format!("http://127.0.0.1:{port}")).unwrap().with_retry(retry);
        let error = client.health().await.unwrap_err();
        assert!(error.is_offline(), "{error:?}");
        assert!(error.to_string().starts_with("Сервер синхронизации недоступен"), "{error}");
        assert!(error.to_string().contains("записи сохранены на этом ПК"), "{error}");
    }
}

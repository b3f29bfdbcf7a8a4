//! The HTTP surface as any client sees it: JSON errors with their statuses,
//! compression both ways, the body limit counted after decompression.

mod common;

use classbook_server::{MAX_BODY_BYTES, StoreOptions};
use classbook_sync::protocol::ErrorBody;
use common::*;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};

/// A plain client that leaves bodies as they come.
fn raw() -> reqwest::Client {
    reqwest::Client::builder().no_gzip().no_zstd().build().unwrap()
}

async fn error_of(response: reqwest::Response) -> (StatusCode, ErrorBody) {
    let status = response.status();
    let body: ErrorBody = response.json().await.unwrap();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_json_with_a_code_and_a_russian_message() {
    let server = TestServer::start(StoreOptions::default()).await;
    let url = |path: &str| format!("{}{path}", server.url);

    let (status, body) = error_of(raw().get(url("/api/v1/pull")).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (StatusCode::UNAUTHORIZED, "missing_token"));
    assert!(body.message.contains("зарегистрируйте"), "{}", body.message);

    let request = raw().post(url("/api/v1/push")).header(AUTHORIZATION, "Bearer 00ff").body(r#"{"ops":[]}"#);
    let (status, body) = error_of(request.send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (StatusCode::UNAUTHORIZED, "invalid_token"));

    let request = raw().post(url("/api/v1/devices")).header(CONTENT_TYPE, "application/json").body("{ not json");
    let (status, body) = error_of(request.send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (StatusCode::BAD_REQUEST, "bad_request"));
    assert!(body.message.contains("обновите программу"), "{}", body.message);

    let (status, body) = error_of(raw().get(url("/api/v2/pull")).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (StatusCode::NOT_FOUND, "not_found"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_compressed_when_the_client_accepts_it() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", "Parol-2025");
    let (client, _) = found_and_upload(&server, &mut pc, "Parol-2025", 2000).await;
    let response = raw()
        .get(format!("{}/api/v1/pull?after=0&own_head=0", server.url))
        .header(AUTHORIZATION, format!("Bearer {}", client.token().unwrap()))
        .header(ACCEPT_ENCODING, "zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(CONTENT_ENCODING).unwrap(), "zstd");
    let body = zstd::decode_all(&response.bytes().await.unwrap()[..]).unwrap();
    let page: classbook_domain::sync::PullPage = serde_json::from_slice(&body).unwrap();
    assert!(!page.ops.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_refused_after_decompression() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", "Parol-2025");
    let (client, _) = found_and_upload(&server, &mut pc, "Parol-2025", 2000).await;
    // A few kilobytes on the wire, more than the limit once unpacked.
    let mut json = br#"{"ops":[], "padding":""#.to_vec();
    json.resize(MAX_BODY_BYTES + 1024, b' ');
    json.extend_from_slice(br#""}"#);
    let packed = zstd::bulk::compress(&json, 3).unwrap();
    assert!(packed.len() < 64 * 1024, "{} bytes", packed.len());
    let request = raw()
        .post(format!("{}/api/v1/push", server.url))
        .header(AUTHORIZATION, format!("Bearer {}", client.token().unwrap()))
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_ENCODING, "zstd")
        .body(packed);
    let (status, body) = error_of(request.send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    server.stop().await;
}

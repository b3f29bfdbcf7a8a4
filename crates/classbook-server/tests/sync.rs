//! The server on a loopback port driven by `SyncClient` from real journal
//! files: a school founded by its first PC's upload, a second PC joining by
//! login and password, idempotent pushes, paged pulls, refusals with their
//! Russian messages, revoked devices.

mod common;

use classbook_core::demo::DEMO_PASSWORD;
use classbook_core::{AccountPerson, Journal};
use classbook_domain::model::Role;
use classbook_domain::sync::Verdict;
use classbook_server::StoreOptions;
use classbook_sync::SyncError;
use classbook_sync::protocol::{RegisterRequest, RevokeRequest};
use common::*;

const PASSWORD: &str = "Parol-2025";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_without_a_token() {
    let server = TestServer::start(StoreOptions::default()).await;
    let health = server.client().health().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.protocol, classbook_sync::PROTOCOL_VERSION);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_uploaded_by_its_first_pc_reaches_a_second_pc_by_login() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut first = demo_pc(&pcs.path().join("first.journal"));
    let (_, batches) = found_and_upload(&server, &mut first, DEMO_PASSWORD, 2000).await;
    assert!(batches.len() > 1, "the demo school takes several batches");
    for (ops, answer) in &batches {
        assert_eq!(answer.verdicts.len(), ops.len());
        for verdict in &answer.verdicts {
            assert_eq!(verdict.verdict, Verdict::Accepted, "{verdict:?}");
        }
    }
    assert_eq!(first.journal.outbox_len().unwrap(), 0);
    assert_eq!(batches.last().unwrap().1.server_head, first.journal.own_head().unwrap());
    let school_id = first.journal.school_id().unwrap().unwrap();
    assert!(server.dir.path().join("server.db").exists());
    assert!(server.dir.path().join("schools").join(format!("{school_id}.journal")).exists());

    // A new PC with an empty journal knows no school id: its login finds the school.
    let mut second = Journal::open(&pcs.path().join("second.journal")).unwrap();
    let request = RegisterRequest {
        school_id: None,
        school_name: None,
        login: first.admin.login.clone(),
        password: DEMO_PASSWORD.to_owned(),
        device_id: second.device(),
        device_name: "Кабинет 12".to_owned(),
    };
    let registered = server.client().register(&request).await.unwrap();
    assert_eq!(registered.school_id, school_id);
    assert!(!registered.founded);
    assert_ne!(registered.device_token, "");
    let client = server.client().with_token(registered.device_token);
    let pages = pull_all(&client, &mut second, 1000).await;
    assert!(pages > 2, "pulled in {pages} pages");
    assert_eq!(second.digest().unwrap(), first.journal.digest().unwrap());
    assert_eq!(second.school_id().unwrap(), Some(school_id));
    // Nothing new after the last page.
    let page = client.pull(second.pull_cursor().unwrap(), second.own_head().unwrap(), 1000).await.unwrap();
    assert!(page.ops.is_empty() && !page.more, "{} ops, more: {}", page.ops.len(), page.more);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushing_the_same_batch_again_changes_nothing() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let (client, batches) = found_and_upload(&server, &mut pc, PASSWORD, 2000).await;
    let (ops, first) = &batches[0];
    assert!(first.verdicts.iter().any(|v| v.verdict == Verdict::Accepted), "{first:?}");
    // The answer was lost, say: the PC pushes the same ops again. What was
    // taken is a duplicate now; a refusal stays the same refusal.
    let again = client.push(ops).await.unwrap();
    assert_eq!(again.verdicts.len(), ops.len());
    for (before, after) in first.verdicts.iter().zip(&again.verdicts) {
        assert_eq!(before.id, after.id);
        match &before.verdict {
            Verdict::Accepted => assert_eq!(after.verdict, Verdict::Duplicate),
            refused => assert_eq!(&after.verdict, refused),
        }
    }
    assert_eq!(again.server_head, first.server_head);
    let page = client.pull(0, 0, 5000).await.unwrap();
    assert_eq!(page.ops.len(), ops.len(), "each op stored once");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_pages_follow_the_cursor_and_skip_own_ops() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let (client, batches) = found_and_upload(&server, &mut pc, PASSWORD, 2000).await;
    let pushed: Vec<_> = batches.iter().flat_map(|(ops, _)| ops.iter().map(|op| op.id)).collect();
    assert!(pushed.len() >= 3, "{} ops", pushed.len());

    let mut seen = Vec::new();
    let mut cursor = 0;
    loop {
        let page = client.pull(cursor, 0, 1).await.unwrap();
        assert!(page.ops.len() <= 1);
        assert!(page.cursor > cursor || page.ops.is_empty());
        seen.extend(page.ops.iter().map(|p| p.op.id));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, pushed, "every op once, in the order stored");
    // The pushing PC already has its own ops up to its head.
    let own = client.pull(0, pc.journal.own_head().unwrap(), 5000).await.unwrap();
    assert!(own.ops.is_empty(), "{} own ops served back", own.ops.len());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_or_a_non_administrator_cannot_register() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let (_, start) = pc.journal.create_account(&pc.admin, "ivanova", vec![Role::Teacher], AccountPerson::None).unwrap();
    let (client, _) = found_and_upload(&server, &mut pc, PASSWORD, 2000).await;
    let school_id = pc.journal.school_id().unwrap();
    let newcomer = Journal::open(&pcs.path().join("new.journal")).unwrap();
    let attempt = |school_id, login: &str, password: &str| RegisterRequest {
        school_id,
        school_name: None,
        login: login.to_owned(),
        password: password.to_owned(),
        device_id: newcomer.device(),
        device_name: "Новый ПК".to_owned(),
    };

    for school in [school_id, None] {
        let error = client.register(&attempt(school, "director", "not-the-password")).await.unwrap_err();
        match &error {
            SyncError::Server { status: 401, code, .. } => assert_eq!(code, "wrong_password"),
            other => panic!("{other:?}"),
        }
        assert!(error.to_string().contains("Неверный логин или пароль"), "{error}");
        assert!(!error.is_offline() && !error.needs_registration());
    }

    let error = client.register(&attempt(school_id, "ivanova", &start)).await.unwrap_err();
    assert_eq!(error.code(), "not_admin");
    assert!(matches!(error, SyncError::Server { status: 403, .. }), "{error:?}");
    assert!(error.to_string().contains("только администратор"), "{error}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_refused_until_registered_again() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut first = new_school_pc(&pcs.path().join("first.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let (first_client, _) = found_and_upload(&server, &mut first, PASSWORD, 2000).await;
    let second = Journal::open(&pcs.path().join("second.journal")).unwrap();
    let registered = server
        .client()
        .register(&RegisterRequest {
            school_id: None,
            school_name: None,
            login: "director".to_owned(),
            password: PASSWORD.to_owned(),
            device_id: second.device(),
            device_name: "Кабинет 12".to_owned(),
        })
        .await
        .unwrap();
    let second_client = server.client().with_token(registered.device_token);

    // The first PC was stolen: the administrator revokes it from the second.
    let revoke =
        RevokeRequest { device_id: first.journal.device(), login: "director".into(), password: PASSWORD.into() };
    let wrong = RevokeRequest { password: "wrong-password".into(), ..revoke.clone() };
    assert_eq!(second_client.revoke(&wrong).await.unwrap_err().code(), "wrong_password");
    let revoked = second_client.revoke(&revoke).await.unwrap();
    assert!(!revoked.already_revoked);

    let error = first_client.pull(0, 0, 10).await.unwrap_err();
    assert!(matches!(&error, SyncError::Unauthorized { code, .. } if code == "device_revoked"), "{error:?}");
    assert!(error.needs_registration());
    assert!(error.to_string().contains("отключён от синхронизации"), "{error}");
    let error = first_client.push(&[]).await.unwrap_err();
    assert_eq!(error.code(), "device_revoked");
    assert_eq!(first_client.revoke(&revoke).await.unwrap_err().code(), "device_revoked");
    assert!(second_client.revoke(&revoke).await.unwrap().already_revoked);

    // Registering again (an administrator's password) gives a new token; the old one stays dead.
    let school_id = first.journal.school_id().unwrap();
    let again = server.client().register(&register_request(&first, school_id, PASSWORD)).await.unwrap();
    assert!(!again.founded);
    let renewed = server.client().with_token(again.device_token);
    assert!(renewed.pull(0, 0, 10).await.is_ok());
    assert_eq!(first_client.pull(0, 0, 10).await.unwrap_err().code(), "invalid_token");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_of_several_schools_needs_the_school_id() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut seventh = new_school_pc(&pcs.path().join("7.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let mut ninth = new_school_pc(&pcs.path().join("9.journal"), "МБОУ СОШ № 9", "director", PASSWORD);
    found_and_upload(&server, &mut seventh, PASSWORD, 2000).await;
    found_and_upload(&server, &mut ninth, PASSWORD, 2000).await;

    let newcomer = Journal::open(&pcs.path().join("new.journal")).unwrap();
    let mut request = RegisterRequest {
        school_id: None,
        school_name: None,
        login: "director".to_owned(),
        password: PASSWORD.to_owned(),
        device_id: newcomer.device(),
        device_name: "Новый ПК".to_owned(),
    };
    let error = server.client().register(&request).await.unwrap_err();
    assert!(matches!(error, SyncError::Server { status: 409, .. }), "{error:?}");
    assert_eq!(error.code(), "ambiguous_login");
    assert!(error.to_string().contains("укажите код школы"), "{error}");

    request.school_id = ninth.journal.school_id().unwrap();
    let registered = server.client().register(&request).await.unwrap();
    assert_eq!(Some(registered.school_id), request.school_id);

    // One PC, one school.
    request.school_id = seventh.journal.school_id().unwrap();
    let error = server.client().register(&request).await.unwrap_err();
    assert_eq!(error.code(), "device_other_school");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_new_schools_refuses_to_found_one() {
    let server = TestServer::start(StoreOptions { allow_new_schools: false }).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut pc = new_school_pc(&pcs.path().join("pc.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let school_id = pc.journal.ensure_school_id(&pc.admin).unwrap();
    let error = server.client().register(&register_request(&pc, Some(school_id), PASSWORD)).await.unwrap_err();
    assert!(matches!(error, SyncError::Server { status: 403, .. }), "{error:?}");
    assert_eq!(error.code(), "new_schools_refused");
    assert!(error.to_string().contains("не принимает новые школы"), "{error}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_cannot_push_another_devices_ops() {
    let server = TestServer::start(StoreOptions::default()).await;
    let pcs = tempfile::tempdir().unwrap();
    let mut first = new_school_pc(&pcs.path().join("first.journal"), "МБОУ СОШ № 7", "director", PASSWORD);
    let school_id = first.journal.ensure_school_id(&first.admin).unwrap();
    let ops = first.journal.outbox(100).unwrap();
    let second = Journal::open(&pcs.path().join("second.journal")).unwrap();
    // The school is founded by the second PC, which then offers the first one's ops.
    let registered = server
        .client()
        .register(&RegisterRequest {
            school_id: Some(school_id),
            school_name: None,
            login: "director".to_owned(),
            password: PASSWORD.to_owned(),
            device_id: second.device(),
            device_name: "ПК 2".to_owned(),
        })
        .await
        .unwrap();
    let client = server.client().with_token(registered.device_token);
    let answer = client.push(&ops).await.unwrap();
    assert!(answer.verdicts.iter().all(|v| matches!(v.verdict, Verdict::Deferred { .. })), "{answer:?}");
    assert_eq!(answer.server_head, 0);
    assert!(client.pull(0, 0, 100).await.unwrap().ops.is_empty());
    server.stop().await;
}

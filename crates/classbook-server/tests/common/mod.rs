//! A real server on a loopback port (the library, as the binary runs it) and
//! real journal files for the PCs that talk to it through `SyncClient`.

#![allow(dead_code)]

use classbook_core::demo::{DEMO_PASSWORD, DemoConfig};
use classbook_core::{Journal, Session};
use classbook_domain::op::Op;
use classbook_server::{SqliteStore, StartError, StoreOptions, router, serve};
use classbook_sync::protocol::{PushResponse, RegisterRequest};
use classbook_sync::{RetryPolicy, SyncClient};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestServer {
    pub url: String,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), StartError>>>,
}

impl TestServer {
    pub async fn start(options: StoreOptions) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path(), options).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, router(Arc::new(store)), None, async {
            let _ = stopped.await;
        }));
        TestServer { url, dir, stop: Some(stop), task: Some(task) }
    }

    /// A client that gives up quickly: the tests' server is local.
    pub fn client(&self) -> SyncClient {
        SyncClient::new(&self.url).unwrap().with_retry(quick_retry())
    }

    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap().unwrap();
    }
}

pub fn quick_retry() -> RetryPolicy {
    RetryPolicy { max_retries: 2, min_delay: Duration::from_millis(10), max_delay: Duration::from_millis(50) }
}

/// A PC's journal file holding the small demo school, its administrator
/// logged in.
pub struct Pc {
    pub journal: Journal,
    pub admin: Session,
}

pub fn demo_pc(path: &Path) -> Pc {
    let mut journal = Journal::open(path).unwrap();
    let config = DemoConfig { classes: 2, students: 40, ..DemoConfig::default() };
    let school = journal.create_demo(&config, |_, _| {}).unwrap();
    let login = school.accounts.iter().find(|a| a.account_id == school.admin_account).unwrap().login.clone();
    let admin = journal.login(&login, DEMO_PASSWORD).unwrap();
    Pc { journal, admin }
}

/// A PC's journal file with a new school of one administrator (`login`,
/// password `password`).
pub fn new_school_pc(path: &Path, name: &str, login: &str, password: &str) -> Pc {
    let mut journal = Journal::open(path).unwrap();
    let (_, start) = journal.create_school(name, login).unwrap();
    let mut admin = journal.login(login, &start).unwrap();
    journal.change_password(&mut admin, &start, password).unwrap();
    Pc { journal, admin }
}

pub fn register_request(pc: &Pc, school_id: Option<uuid::Uuid>, password: &str) -> RegisterRequest {
    RegisterRequest {
        school_id,
        school_name: Some("МБОУ СОШ № 7".to_owned()),
        login: pc.admin.login.clone(),
        password: password.to_owned(),
        device_id: pc.journal.device(),
        device_name: "Учительская, ПК 1".to_owned(),
    }
}

/// Found the PC's school on the server and upload its whole outbox;
/// returns the client with its token and every pushed batch with its answer.
pub async fn found_and_upload(
    server: &TestServer,
    pc: &mut Pc,
    password: &str,
    batch: usize,
) -> (SyncClient, Vec<(Vec<Op>, PushResponse)>) {
    let school_id = pc.journal.ensure_school_id(&pc.admin).unwrap();
    let registered = server.client().register(&register_request(pc, Some(school_id), password)).await.unwrap();
    assert!(registered.founded);
    assert_eq!(registered.school_id, school_id);
    let client = server.client().with_token(registered.device_token);
    let batches = push_outbox(&client, &mut pc.journal, batch).await;
    (client, batches)
}

pub async fn push_outbox(client: &SyncClient, journal: &mut Journal, batch: usize) -> Vec<(Vec<Op>, PushResponse)> {
    let mut batches = Vec::new();
    loop {
        let ops = journal.outbox(batch).unwrap();
        if ops.is_empty() {
            return batches;
        }
        let answer = client.push(&ops).await.unwrap();
        let settled = journal.settle_push(&ops, &answer.verdicts).unwrap();
        assert_eq!(settled.deferred, None, "{settled:?}");
        batches.push((ops, answer));
    }
}

/// Pull everything new into `journal`; returns the number of pages.
pub async fn pull_all(client: &SyncClient, journal: &mut Journal, limit: usize) -> usize {
    let mut pages = 0;
    loop {
        let page = client.pull(journal.pull_cursor().unwrap(), journal.own_head().unwrap(), limit).await.unwrap();
        journal.apply_pulled(&page).unwrap();
        pages += 1;
        if !page.more {
            return pages;
        }
    }
}

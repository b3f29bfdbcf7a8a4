//! `classbook-server`: the sync server binary. Binds first, then prints
//! `listening on http(s)://ADDR` with the port actually bound (scripts and
//! tests pass `:0` and read it), logs requests to stderr, and stops
//! gracefully on SIGTERM or Ctrl-C.

use anyhow::{Context, Result};
use clap::Parser;
use classbook_server::{SqliteStore, StartError, StoreOptions, TlsFiles, check_listen, router, serve};
use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;

// Admitting a batch allocates many small strings, as on the PCs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for the store's blocking work (SQLite, password checks). Each
/// thread keeps the memory its last request used in its own allocator heap,
/// so tokio's default of 512 let a burst of requests grow the server by
/// megabytes a thread; a school's pushes take turns anyway (`api.rs`), and
/// requests beyond this wait in tokio's queue.
const BLOCKING_THREADS: usize = 16;

/// Сервер синхронизации Classbook: принимает записи ПК школ и раздаёт их остальным ПК.
#[derive(Parser)]
#[command(name = "classbook-server", version)]
struct Args {
    /// Папка данных сервера (реестр server.db и журналы школ в schools/).
    #[arg(long, env = "CLASSBOOK_SERVER_DATA")]
    data: PathBuf,
    /// Адрес и порт, например 0.0.0.0:8443; без TLS — только 127.0.0.1 или ::1.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Сертификат TLS (PEM, с цепочкой).
    #[arg(long)]
    tls_cert: Option<PathBuf>,
    /// Закрытый ключ TLS (PEM).
    #[arg(long)]
    tls_key: Option<PathBuf>,
    /// Не заводить новые школы: регистрировать ПК только уже известных школ.
    #[arg(long)]
    no_new_schools: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (None, None) => None,
        _ => return Err(StartError::TlsHalf.into()),
    };
    let addr = resolve(&args.listen)?;
    check_listen(addr, tls.as_ref())?;
    let store = SqliteStore::open(&args.data, StoreOptions { allow_new_schools: !args.no_new_schools })?;
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| StartError::Bind { addr: args.listen.clone(), source })?;
    let bound = listener.local_addr().context("адрес сервера")?;

    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {scheme}://{bound}")?;
    stdout.flush()?;
    drop(stdout);
    tracing::info!(%bound, data = %args.data.display(), new_schools = !args.no_new_schools, "classbook-server started");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .context("запуск сервера")?;
    runtime.block_on(serve(listener, router(Arc::new(store)), tls, shutdown_signal()))?;
    tracing::info!("classbook-server stopped");
    Ok(())
}

fn resolve(listen: &str) -> Result<SocketAddr> {
    listen.to_socket_addrs().ok().and_then(|mut addrs| addrs.next()).with_context(|| {
        format!("Неверный адрес «{listen}»: укажите адрес и порт, например 127.0.0.1:8080 или 0.0.0.0:8443.")
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("stopping: finishing requests in flight");
}

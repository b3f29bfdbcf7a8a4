//! Listening: plain HTTP only on a loopback address (a test, or behind a
//! reverse proxy on the same machine), TLS otherwise, and a graceful stop
//! that lets requests in flight — a push being admitted — finish.

use crate::error::StartError;
use axum::Router;
use axum_server::tls_rustls::RustlsConfig;
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::time::Duration;

/// Certificate chain and private key, PEM files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How long a stop waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Refuse plain HTTP on any address other than this machine's own: device
/// tokens, passwords and the journal would cross the network readable.
pub fn check_listen(addr: SocketAddr, tls: Option<&TlsFiles>) -> Result<(), StartError> {
    if tls.is_none() && !addr.ip().is_loopback() {
        return Err(StartError::PlainHttpNotLoopback { addr });
    }
    Ok(())
}

/// Serve `app` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsFiles>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    check_listen(addr, tls.as_ref())?;
    match tls {
        None => {
            listener.set_nonblocking(true).map_err(StartError::Serve)?;
            let listener = tokio::net::TcpListener::from_std(listener).map_err(StartError::Serve)?;
            axum::serve(listener, app).with_graceful_shutdown(shutdown).await.map_err(StartError::Serve)
        }
        Some(files) => {
            let config = RustlsConfig::from_pem_file(&files.cert, &files.key)
                .await
                .map_err(|source| StartError::Tls { cert: files.cert.clone(), key: files.key.clone(), source })?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                stopper.graceful_shutdown(Some(DRAIN));
            });
            axum_server::from_tcp_rustls(listener, config)
                .map_err(StartError::Serve)?
                .handle(handle)
                .serve(app.into_make_service())
                .await
                .map_err(StartError::Serve)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_loopback_only() {
        assert!(check_listen("127.0.0.1:8080".parse().unwrap(), None).is_ok());
        assert!(check_listen("[::1]:8080".parse().unwrap(), None).is_ok());
        let refused = check_listen("0.0.0.0:8080".parse().unwrap(), None).unwrap_err();
        assert!(refused.to_string().contains("--tls-cert"), "{refused}");
        let tls = TlsFiles { cert: "c.pem".into(), key: "k.pem".into() };
        assert!(check_listen("0.0.0.0:8443".parse().unwrap(), Some(&tls)).is_ok());
    }
}

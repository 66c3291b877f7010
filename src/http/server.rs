//! The HTTP server: our own accept loop over hyper's HTTP/1 connections (`axum::serve` has no
//! header timeout, no idle timeout and no connection cap), so a slow or idle client cannot hold
//! the server:
//!
//! - at most `max_connections` open connections per listener. A permit is taken *before*
//!   `accept`, so at the cap new connections wait in the kernel's listen backlog instead of
//!   using file descriptors; one WARN (at most one a minute) says the cap was reached;
//! - a request's headers must arrive within `header_timeout`, counted from the accept, or on a
//!   kept-alive connection from the first byte of the next request ([`connection`]);
//! - a kept-alive connection waiting for its next request, or a client that stops reading its
//!   answer, is closed after `idle_timeout`;
//! - a request, body included, is answered within `request_timeout` (a 503 if it cannot be).
//!
//! The routes come through a `watch` channel, so `serve` can answer "starting" before Redis is
//! up and swap in the real router once it is. Shutdown stops accepting, lets the requests in
//! flight finish (each bounded by the timeouts) and returns once every connection is closed.

mod connection;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// How long a listener's connections may take, and how many it may have open.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub request_timeout: Duration,
}

/// One bound listener and what it serves.
pub struct Listener {
    /// Its name in logs and metrics: `http`, `webhook` or `metrics`.
    pub name: &'static str,
    /// The setting that sets its cap, named when the cap is reached (None: a fixed cap).
    pub cap_setting: Option<&'static str>,
    pub listener: TcpListener,
    pub limits: Limits,
}

/// The router in force; `serve` reads it for every request, so a new one applies at once.
pub type Routes = watch::Receiver<Router>;

/// Serves `listener` until `shutdown` resolves, then drains: no new connections, requests in
/// flight finish, idle connections close. Returns when the last connection has closed.
pub async fn serve(listener: Listener, routes: Routes, shutdown: impl Future<Output = ()>) {
    let Listener { name, cap_setting, listener, limits } = listener;
    let cap = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    // One permit per open connection, held by its task until the connection closes.
    let permits = Arc::new(Semaphore::new(cap as usize));
    let (stop, stopping) = watch::channel(false);
    let mut at_cap = CapWarning::default();
    tokio::pin!(shutdown);
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                at_cap.reached(name, cap_setting, cap);
                tokio::select! {
                    permit = permits.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_closed) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    accept_failed(name, &error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = connection::Connection { name, limits, routes: routes.clone(), stopping: stopping.clone() };
        tokio::spawn(connection.drive(stream, permit));
    }
    // Closing the listener refuses what waits in the backlog; the open connections drain.
    drop(listener);
    let _ = stop.send(true);
    let _all_closed = permits.acquire_many(cap).await;
}

/// A failed accept: a connection that died in the backlog is nobody's problem; running out of
/// file descriptors is logged and waited out.
async fn accept_failed(name: &str, error: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(error.kind(), ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted) {
        return;
    }
    tracing::error!(listener = name, %error, "accept failed; trying again in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// The WARN for a listener at its cap: the first time, then at most once a minute.
#[derive(Default)]
struct CapWarning {
    last: Option<Instant>,
    since_last: u64,
}

impl CapWarning {
    const EVERY: Duration = Duration::from_secs(60);

    fn reached(&mut self, name: &str, setting: Option<&str>, cap: u32) {
        metrics::counter!("starmine_http_connection_cap_reached_total", "listener" => name.to_owned()).increment(1);
        self.since_last += 1;
        if self.last.is_some_and(|last| last.elapsed() < Self::EVERY) {
            return;
        }
        let set_by = setting.map_or_else(|| "its fixed cap".to_owned(), |setting| format!("{setting}={cap}"));
        tracing::warn!(
            listener = name,
            open = cap,
            times = self.since_last,
            "connection cap reached: {cap} connections open on the {name} listener ({set_by}); new connections \
             wait in the listen backlog until one closes (this warning: at most once a minute)"
        );
        self.last = Some(Instant::now());
        self.since_last = 0;
    }
}

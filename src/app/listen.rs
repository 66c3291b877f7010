//! The listeners `serve` opens first, before Redis: the public one (`HTTP_ADDR`), the
//! webhook's own (`WEBHOOK_ADDR`, webhook mode only) and the metrics one (`METRICS_ADDR`). They
//! answer "not ready" until [`Servers::ready`] swaps the real routes in. Also the open-files
//! limit, which `serve` raises to its hard maximum and sizes the default connection cap from.

use std::net::SocketAddr;

use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::HttpConfig;
use crate::exit::{Exit, Failure};
use crate::http::{self, server};

/// File descriptors kept for everything but the public listener's connections: the webhook
/// and metrics listeners, Redis, the Bot API client, files.
const RESERVED_FDS: u64 = 512;
/// The default cap when the open-files limit allows more: enough for a busy bot, and a bound
/// on the memory idle connections may hold.
const DEFAULT_MAX_CONNECTIONS: u64 = 10_000;
/// Telegram opens at most 100 connections to a webhook (`max_connections`).
const WEBHOOK_MAX_CONNECTIONS: usize = 128;
/// Scrapers: a few at a time.
const METRICS_MAX_CONNECTIONS: usize = 16;

/// The running HTTP servers and the handles to their routes.
pub struct Servers {
    /// Where the public listener listens (port 0 resolved).
    pub public_addr: SocketAddr,
    public: watch::Sender<Router>,
    webhook: Option<watch::Sender<Router>>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Servers {
    /// Binds every listener and serves "not ready" on each. `webhook_listener`: whether the
    /// webhook gets `WEBHOOK_ADDR` (webhook mode with the variable set).
    pub async fn start(
        config: &HttpConfig,
        webhook_listener: bool,
        metrics: PrometheusHandle,
    ) -> Result<Self, Failure> {
        let open_files = raise_open_files_limit();
        let limits = limits(config, open_files);
        let (stop, stopping) = watch::channel(false);
        let mut tasks = Vec::new();
        let mut run = |listener: server::Listener, routes: server::Routes| {
            let mut stopping = stopping.clone();
            let shutdown = async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            };
            tasks.push(tokio::spawn(server::serve(listener, routes, shutdown)));
        };

        let (public, routes) = watch::channel(http::starting_router());
        let listener = bind(config.addr, "HTTP_ADDR").await?;
        let public_addr = local_addr(&listener)?;
        tracing::info!(
            max_connections = limits.max_connections,
            header_timeout_ms = limits.header_timeout.as_millis() as u64,
            idle_timeout_s = limits.idle_timeout.as_secs(),
            "listening on http://{public_addr}"
        );
        run(server::Listener { name: "http", cap_setting: Some("HTTP_MAX_CONNECTIONS"), listener, limits }, routes);

        let mut webhook = None;
        if let Some(addr) = config.webhook_addr.filter(|_| webhook_listener) {
            let (sender, routes) = watch::channel(http::starting_router());
            let listener = bind(addr, "WEBHOOK_ADDR").await?;
            tracing::info!("serving the webhook on http://{} (WEBHOOK_ADDR)", local_addr(&listener)?);
            let limits = server::Limits { max_connections: WEBHOOK_MAX_CONNECTIONS, ..limits };
            run(server::Listener { name: "webhook", cap_setting: None, listener, limits }, routes);
            webhook = Some(sender);
        }
        if let Some(addr) = config.metrics_addr {
            let listener = bind(addr, "METRICS_ADDR").await?;
            tracing::info!("serving metrics on http://{}/metrics", local_addr(&listener)?);
            let limits = server::Limits { max_connections: METRICS_MAX_CONNECTIONS, ..limits };
            let (_fixed, routes) = watch::channel(http::metrics_router(metrics));
            run(server::Listener { name: "metrics", cap_setting: None, listener, limits }, routes);
        }
        Ok(Self { public_addr, public, webhook, stop, tasks })
    }

    /// The real routes, from the next request on. The webhook's routes go to its own listener
    /// when it has one (with `/healthz` from `health`), else onto the public one.
    pub fn ready(&self, public: Router, webhook: Option<Router>, health: Router) {
        let public = match (&self.webhook, webhook) {
            (Some(own), Some(webhook)) => {
                let _starting = own.send_replace(health.merge(webhook));
                public
            }
            (None, Some(webhook)) => public.merge(webhook),
            (_, None) => public,
        };
        let _starting = self.public.send_replace(public);
    }

    /// Stops accepting and waits until every connection has closed.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

async fn bind(addr: SocketAddr, setting: &str) -> Result<TcpListener, Failure> {
    TcpListener::bind(addr)
        .await
        .map_err(|error| Failure::new(Exit::Usage, format!("cannot listen on {addr} ({setting}): {error}")))
}

fn local_addr(listener: &TcpListener) -> Result<SocketAddr, Failure> {
    listener.local_addr().map_err(|error| Failure::new(Exit::Usage, error.to_string()))
}

/// The public listener's limits: `HTTP_MAX_CONNECTIONS`, or what the open-files limit leaves.
fn limits(config: &HttpConfig, open_files: Option<u64>) -> server::Limits {
    let room = open_files.unwrap_or(1024).saturating_sub(RESERVED_FDS);
    let max_connections = match config.limits.max_connections {
        Some(set) => {
            if set as u64 > room {
                tracing::warn!(
                    "HTTP_MAX_CONNECTIONS={set} is more than the open-files limit ({}) leaves for connections \
                     ({room}): accepting may fail with 'too many open files' before the cap is reached",
                    open_files.map_or_else(|| "unknown".to_owned(), |limit| limit.to_string())
                );
            }
            set
        }
        None => room.clamp(32, DEFAULT_MAX_CONNECTIONS) as usize,
    };
    server::Limits {
        max_connections,
        header_timeout: config.limits.header_timeout,
        idle_timeout: config.limits.idle_timeout,
        request_timeout: config.limits.request_timeout,
    }
}

/// Raises the soft open-files limit to the hard one (each connection is a file descriptor) and
/// returns the limit in force; None when it cannot be read.
fn raise_open_files_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes one `rlimit` into memory we own and reads nothing else.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    // An "unlimited" hard limit is not a real one for descriptors (the kernel caps them at
    // fs.nr_open): ask for a million, and keep what we have if refused.
    let wanted = if limit.rlim_max == libc::RLIM_INFINITY { 1 << 20 } else { limit.rlim_max };
    if limit.rlim_cur >= wanted {
        return Some(limit.rlim_cur);
    }
    let raised = libc::rlimit { rlim_cur: wanted, rlim_max: limit.rlim_max };
    // SAFETY: setrlimit reads one `rlimit` from memory we own.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Some(limit.rlim_cur);
    }
    tracing::info!(from = limit.rlim_cur, to = wanted, "raised the open-files limit");
    Some(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HttpLimits;

    fn cap(set: Option<usize>, open_files: Option<u64>) -> usize {
        let mut config = HttpConfig {
            addr: ([127, 0, 0, 1], 0).into(),
            webhook_addr: None,
            metrics_addr: None,
            limits: HttpLimits::default(),
        };
        config.limits.max_connections = set;
        limits(&config, open_files).max_connections
    }

    #[test]
    fn the_default_cap_stays_below_the_open_files_limit() {
        assert_eq!(cap(None, Some(1024)), 512);
        assert_eq!(cap(None, Some(20_000)), 10_000);
        assert_eq!(cap(None, Some(4096)), 3584);
        assert_eq!(cap(None, None), 512, "unknown: as if 1024");
        assert_eq!(cap(None, Some(256)), 32, "a floor even when the limit is tiny");
        assert_eq!(cap(Some(3), Some(1024)), 3, "the setting wins");
    }
}

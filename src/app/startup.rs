//! What `serve` waits for while it starts: the stop signal (SIGTERM or Ctrl-C, from the first
//! moment on), and Redis, tried again with back-off until it answers.

use std::time::Duration;

use tokio::sync::watch;

use crate::config::{redact_url, Config};
use crate::store::Store;

/// SIGTERM or SIGINT (Ctrl-C), as a value every part of `serve` can wait on. Both signals are
/// registered when this is made, so one that arrives while the rest still starts is not fatal.
#[derive(Clone)]
pub struct Stopping(watch::Receiver<bool>);

impl Stopping {
    /// Stops when `shutdown` resolves: [`stop_signal`] for `serve`, a test's own trigger for an
    /// app run in-process.
    pub fn on(shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Self {
        let (stop, stopping) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        Self(stopping)
    }

    /// Resolves once a stop signal has come.
    pub async fn wait(&self) {
        let mut stopping = self.0.clone();
        let _ = stopping.wait_for(|stop| *stop).await;
    }
}

/// SIGTERM or SIGINT, both registered when this is called.
pub fn stop_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let terminate = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// The first wait after a failed attempt; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Connects to Redis, trying again with back-off (one log line per attempt) while it does not
/// answer; `/healthz` says "not ready" meanwhile. None when a stop signal comes first.
pub async fn connect_store(config: &Config, stopping: &Stopping) -> Option<Store> {
    let urls = config.redis_urls();
    let shown: Vec<String> = urls.iter().map(|url| redact_url(url)).collect();
    let mut delay = FIRST_BACKOFF;
    for attempt in 1u32.. {
        let connected = tokio::select! {
            connected = Store::connect(&urls) => connected,
            () = stopping.wait() => return None,
        };
        let error = match connected {
            Ok(store) => {
                if attempt > 1 {
                    tracing::info!(attempt, "Redis answers; starting");
                }
                return Some(store);
            }
            Err(error) => error,
        };
        tracing::warn!(
            attempt,
            "Redis at {} does not answer ({error}); not ready, next attempt in {} ms",
            shown.join(","),
            delay.as_millis()
        );
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = stopping.wait() => return None,
        }
        delay = (delay * 2).min(MAX_BACKOFF);
    }
    None
}

//! One connection's life. hyper parses requests and writes answers; the driver here decides
//! how long the connection may take, by phase:
//!
//! - `Head`: waiting for a request's headers, from the accept (or, on a kept-alive connection,
//!   from the next request's first byte), for at most the header timeout;
//! - `Busy`: a request in hand (its body being read, its handler running), bounded by the
//!   request timeout inside the service, which answers 503 when it passes;
//! - `Idle`: from an answer until the next request's first byte, for at most the idle timeout
//!   (an answer the client does not read counts as idle too).
//!
//! The phase follows three counters: bytes read (bumped by the socket wrapper), requests begun
//! and requests finished (bumped by the service). Each bump wakes the driver through a
//! `Notify`, which keeps a wake-up that comes while the driver is busy, so none is lost.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{watch, Notify, OwnedSemaphorePermit};
use tokio::time::Instant;
use tower::ServiceExt;

use super::{Limits, Routes};

/// What a connection's task needs besides its socket.
pub(super) struct Connection {
    pub name: &'static str,
    pub limits: Limits,
    pub routes: Routes,
    /// Becomes true when the server drains.
    pub stopping: watch::Receiver<bool>,
}

impl Connection {
    /// Serves one connection until it closes, times out or the server drains; `permit` (the
    /// connection's place under the cap) is released when this returns.
    pub async fn drive(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
        let _permit = permit;
        let _open = OpenConnection::new(self.name);
        // Answers are written whole; do not hold their last segment back.
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::default());
        let io = TokioIo::new(Tracked { stream, activity: activity.clone() });
        let service = self.service(activity.clone());
        let mut builder = http1::Builder::new();
        // hyper's own header timer would also run while a kept-alive connection is idle; the
        // phases below time headers and idleness separately.
        builder.header_read_timeout(None);
        let connection = builder.serve_connection(io, service);
        tokio::pin!(connection);

        let mut stopping = self.stopping;
        let mut draining = false;
        let mut phase = Phase::Head(Instant::now());
        let mut seen = activity.counts();
        loop {
            let deadline = phase.deadline(&self.limits);
            let timer = async move {
                match deadline {
                    Some(deadline) => tokio::time::sleep_until(deadline).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                closed = connection.as_mut() => {
                    if let Err(error) = closed {
                        tracing::debug!(listener = self.name, %error, "connection ended with an error");
                    }
                    return;
                }
                () = activity.changed.notified() => {}
                () = timer => {}
                _ = stopping.wait_for(|stop| *stop), if !draining => {
                    draining = true;
                    // Finish the request in hand, then close.
                    connection.as_mut().graceful_shutdown();
                }
            }
            let counts = activity.counts();
            phase = phase.advance(counts, seen, Instant::now());
            seen = counts;
            if draining && phase != Phase::Busy {
                return;
            }
            if let Some(expired) = phase.expired(&self.limits, Instant::now()) {
                metrics::counter!("starmine_http_timeouts_total", "listener" => self.name, "phase" => expired)
                    .increment(1);
                tracing::debug!(listener = self.name, phase = expired, "closed a connection that took too long");
                return;
            }
        }
    }

    /// The router in force for each request, within the request timeout.
    fn service(
        &self,
        activity: Arc<Activity>,
    ) -> impl hyper::service::Service<Request<Incoming>, Response = Response<Body>, Error = Infallible, Future: Send>
    {
        let routes = self.routes.clone();
        let (name, timeout) = (self.name, self.limits.request_timeout);
        hyper::service::service_fn(move |request: Request<Incoming>| {
            let router = routes.borrow().clone();
            let in_hand = activity.begin();
            async move {
                let _in_hand = in_hand;
                let answer = tokio::time::timeout(timeout, router.oneshot(request.map(Body::new))).await;
                Ok(match answer {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_elapsed) => too_slow(name),
                })
            }
        })
    }
}

/// The answer to a request not done within the request timeout (a body that trickles in, or
/// a handler that hangs); the connection closes after it.
fn too_slow(name: &'static str) -> Response<Body> {
    metrics::counter!("starmine_http_timeouts_total", "listener" => name, "phase" => "request").increment(1);
    let mut response = Response::new(Body::from("{\"error\":\"the request took too long\"}"));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
    headers.insert(header::CONNECTION, header::HeaderValue::from_static("close"));
    response
}

/// Where a connection is in its life (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Head(Instant),
    Busy,
    Idle(Instant),
}

impl Phase {
    /// The phase after the counters moved from `seen` to `now`.
    fn advance(self, now: Counts, seen: Counts, at: Instant) -> Self {
        if now.begun > now.finished {
            return Self::Busy;
        }
        if now.finished != seen.finished {
            // A request ended since the last look (however short it was).
            return Self::Idle(at);
        }
        match self {
            Self::Busy => Self::Idle(at),
            Self::Idle(_) if now.reads != seen.reads => Self::Head(at),
            unchanged => unchanged,
        }
    }

    fn deadline(self, limits: &Limits) -> Option<Instant> {
        match self {
            Self::Head(since) => Some(since + limits.header_timeout),
            Self::Busy => None,
            Self::Idle(since) => Some(since + limits.idle_timeout),
        }
    }

    /// The timeout that has passed, if one has, as its metric label.
    fn expired(self, limits: &Limits, now: Instant) -> Option<&'static str> {
        let deadline = self.deadline(limits)?;
        (now >= deadline).then_some(match self {
            Self::Head(_) => "header",
            Self::Busy | Self::Idle(_) => "idle",
        })
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    reads: u64,
    begun: u64,
    finished: u64,
}

/// The counters a connection's socket and service bump, and the driver's wake-up.
#[derive(Default)]
struct Activity {
    reads: AtomicU64,
    begun: AtomicU64,
    finished: AtomicU64,
    changed: Notify,
}

impl Activity {
    fn counts(&self) -> Counts {
        // `finished` before `begun`: a request that begins in between looks in hand, never
        // finished before it began.
        let finished = self.finished.load(Ordering::Acquire);
        Counts { begun: self.begun.load(Ordering::Acquire), finished, reads: self.reads.load(Ordering::Acquire) }
    }

    fn bump(&self, counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::AcqRel);
        self.changed.notify_one();
    }

    fn begin(self: &Arc<Self>) -> InHand {
        self.bump(&self.begun);
        InHand(self.clone())
    }
}

/// A request in hand; finished when dropped (answered, or abandoned with its connection).
struct InHand(Arc<Activity>);

impl Drop for InHand {
    fn drop(&mut self) {
        self.0.bump(&self.0.finished);
    }
}

/// The open-connections gauge, for as long as the connection lives.
struct OpenConnection(&'static str);

impl OpenConnection {
    fn new(name: &'static str) -> Self {
        metrics::gauge!("starmine_http_connections_open", "listener" => name).increment(1.0);
        Self(name)
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        metrics::gauge!("starmine_http_connections_open", "listener" => self.0).decrement(1.0);
    }
}

/// The socket, counting the reads that bring bytes.
struct Tracked {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bump(&self.activity.reads);
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const LIMITS: Limits = Limits {
        max_connections: 1,
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(75),
        request_timeout: Duration::from_secs(30),
    };

    fn counts(reads: u64, begun: u64, finished: u64) -> Counts {
        Counts { reads, begun, finished }
    }

    #[test]
    fn phases_follow_the_counters() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(1);
        let head = Phase::Head(t0);
        // (phase, now, seen, expected)
        for (phase, now, seen, expected) in [
            // Bytes of a first request: still its headers, timed from the accept.
            (head, counts(3, 0, 0), counts(0, 0, 0), head),
            (head, counts(3, 1, 0), counts(3, 0, 0), Phase::Busy),
            (Phase::Busy, counts(9, 1, 0), counts(3, 1, 0), Phase::Busy),
            (Phase::Busy, counts(9, 1, 1), counts(9, 1, 0), Phase::Idle(t1)),
            // A request that began and ended between two looks still ends the header phase.
            (head, counts(5, 1, 1), counts(0, 0, 0), Phase::Idle(t1)),
            // Idle until the next request's first byte, which starts its header clock.
            (Phase::Idle(t0), counts(9, 1, 1), counts(9, 1, 1), Phase::Idle(t0)),
            (Phase::Idle(t0), counts(10, 1, 1), counts(9, 1, 1), Phase::Head(t1)),
            (Phase::Head(t1), counts(12, 1, 1), counts(10, 1, 1), Phase::Head(t1)),
        ] {
            assert_eq!(phase.advance(now, seen, t1), expected, "{phase:?} {seen:?} -> {now:?}");
        }
    }

    #[test]
    fn each_phase_has_its_timeout() {
        let t0 = Instant::now();
        let check = |phase: Phase, after: u64| phase.expired(&LIMITS, t0 + Duration::from_secs(after));
        assert_eq!(check(Phase::Head(t0), 9), None);
        assert_eq!(check(Phase::Head(t0), 10), Some("header"));
        assert_eq!(check(Phase::Idle(t0), 74), None);
        assert_eq!(check(Phase::Idle(t0), 75), Some("idle"));
        assert_eq!(check(Phase::Busy, 3600), None, "the service times a request out itself");
    }
}

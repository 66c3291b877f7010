//! The webhook endpoint (`WEBHOOK_URL`'s path): Telegram POSTs one update per request with the
//! secret from `WEBHOOK_SECRET` in `X-Telegram-Bot-Api-Secret-Token`. The secret is compared in
//! constant time; the answer is 200 only once the update is safe ([`Intake::accept`] journaled
//! it if it moves money), so a crash before that makes Telegram deliver it again (to this
//! process after a restart, or to another one behind the same URL). Refused requests are all
//! counted (`starmine_webhook_total{outcome="bad_secret"}`) but logged sparingly ([`Refusals`]).
//!
//! At intake's in-flight limit a delivery waits for room before it is accepted, for at most
//! [`wait_within`] the request timeout; past that it gets a 503 (`outcome="busy"`) and Telegram
//! delivers it again later. Telegram sends at most `max_connections` (40) deliveries at once, so
//! while the bot is at its limit Telegram just sees slower answers and sends no faster.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use subtle::ConstantTimeEq;

use crate::telegram::intake::{update_id, Intake, RawUpdate, Refused};

/// The header Telegram echoes the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Updates are small; anything near this is not from Telegram.
const MAX_BODY: usize = 1 << 20;

#[derive(Clone)]
struct Hook {
    secret: Arc<Vec<u8>>,
    intake: Intake,
    /// How long a delivery may wait for room under the in-flight limit.
    wait: Duration,
    refusals: Arc<Refusals>,
}

/// How long a delivery may wait for room at the in-flight limit, given the request timeout: all
/// of it but a second (or half of a short one) for the journal write and the answer, so the
/// route answers its own 503 rather than having the request cut off.
pub fn wait_within(request_timeout: Duration) -> Duration {
    request_timeout.saturating_sub(Duration::from_secs(1)).max(request_timeout / 2)
}

/// The route at `path`, answering POSTs with the status Telegram acts on; a delivery waits at
/// most `wait` for room under the in-flight limit. Starts the task that logs the refusals'
/// summary once a minute (it ends with the router).
pub fn router(path: &str, secret: &str, intake: Intake, wait: Duration) -> Router {
    let refusals = Arc::new(Refusals::new());
    tokio::spawn(summarise(Arc::downgrade(&refusals)));
    let hook = Hook { secret: Arc::new(secret.as_bytes().to_vec()), intake, wait, refusals };
    Router::new().route(path, post(receive)).layer(axum::extract::DefaultBodyLimit::max(MAX_BODY)).with_state(hook)
}

/// Requests without the right secret token. A scanner or a forger would write a WARN line per
/// request, so: the first after a quiet minute is logged at once, the rest go into one summary
/// line a minute (with how many there were) for as long as they keep coming.
struct Refusals {
    /// Refusals since the last summary.
    count: AtomicU64,
    /// Whether the last minute had none (so the next one is news, logged at once).
    quiet: AtomicBool,
    /// Whether this minute's first refusal was logged at once.
    told: AtomicBool,
}

impl Refusals {
    const EVERY: Duration = Duration::from_secs(60);

    fn new() -> Self {
        Self { count: AtomicU64::new(0), quiet: AtomicBool::new(true), told: AtomicBool::new(false) }
    }

    /// Counts one refusal; true when it is to be logged now.
    fn note(&self) -> bool {
        self.count.fetch_add(1, Ordering::Relaxed);
        let news = self.quiet.swap(false, Ordering::Relaxed);
        if news {
            self.told.store(true, Ordering::Relaxed);
        }
        news
    }

    /// Closes a minute: how many refusals its summary line reports (None: no line, because
    /// there were none, or only the one already logged).
    fn minute_passed(&self) -> Option<u64> {
        let count = self.count.swap(0, Ordering::Relaxed);
        let told = self.told.swap(false, Ordering::Relaxed);
        if count == 0 {
            self.quiet.store(true, Ordering::Relaxed);
        }
        (count > 1 || (count == 1 && !told)).then_some(count)
    }
}

async fn summarise(refusals: Weak<Refusals>) {
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + Refusals::EVERY, Refusals::EVERY);
    loop {
        every.tick().await;
        let Some(refusals) = refusals.upgrade() else { return };
        if let Some(count) = refusals.minute_passed() {
            tracing::warn!(
                count,
                "webhook: refused {count} request(s) without the right secret token in the last minute"
            );
        }
    }
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> (StatusCode, &'static str) {
    let given = headers.get(SECRET_HEADER).map(|value| value.as_bytes()).unwrap_or_default();
    // ct_eq on slices of different lengths is false without looking at the contents; the
    // length of the secret is not what it protects.
    if !bool::from(given.ct_eq(hook.secret.as_slice())) {
        metrics::counter!("starmine_webhook_total", "outcome" => "bad_secret").increment(1);
        if hook.refusals.note() {
            tracing::warn!(
                secret_given = !given.is_empty(),
                "webhook: refused a request without the right secret token (more are summed up once a minute)"
            );
        }
        return (StatusCode::UNAUTHORIZED, "wrong or missing secret token\n");
    }
    let update = match serde_json::from_slice::<RawUpdate>(&body) {
        Ok(update) if update_id(update.get()).is_some() => update,
        _ => {
            metrics::counter!("starmine_webhook_total", "outcome" => "malformed").increment(1);
            tracing::warn!(bytes = body.len(), "webhook: refused a body that is not an Update");
            return (StatusCode::BAD_REQUEST, "the body is not a Telegram Update\n");
        }
    };
    match hook.intake.accept(vec![update], Some(hook.wait)).await {
        Ok(_) => {
            metrics::counter!("starmine_webhook_total", "outcome" => "accepted").increment(1);
            (StatusCode::OK, "")
        }
        Err(Refused::Stopping) => (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n"),
        // Counted and logged (once a minute) by intake; Telegram delivers it again later.
        Err(Refused::Busy) => {
            metrics::counter!("starmine_webhook_total", "outcome" => "busy").increment(1);
            (StatusCode::SERVICE_UNAVAILABLE, "busy, try again\n")
        }
        Err(error @ Refused::Unavailable(_)) => {
            metrics::counter!("starmine_webhook_total", "outcome" => "unavailable").increment(1);
            tracing::warn!(%error, "webhook: cannot take an update now; Telegram will deliver it again");
            (StatusCode::SERVICE_UNAVAILABLE, "try again\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{wait_within, Refusals};

    #[test]
    fn a_delivery_waits_for_room_within_the_request_timeout() {
        assert_eq!(wait_within(Duration::from_secs(30)), Duration::from_secs(29));
        assert_eq!(wait_within(Duration::from_secs(2)), Duration::from_secs(1));
        assert_eq!(wait_within(Duration::from_secs(1)), Duration::from_millis(500));
    }

    /// Each minute: how many refusals, then (how many were logged at once, the summary).
    fn check(minutes: &[u64], expected: &[(u64, Option<u64>)]) {
        let refusals = Refusals::new();
        let seen: Vec<(u64, Option<u64>)> = minutes
            .iter()
            .map(|&count| {
                let told = (0..count).filter(|_| refusals.note()).count() as u64;
                (told, refusals.minute_passed())
            })
            .collect();
        assert_eq!(seen, expected, "minutes {minutes:?}");
    }

    #[test]
    fn the_log_gets_the_first_refusal_then_one_line_a_minute() {
        check(&[1], &[(1, None)]);
        check(&[50], &[(1, Some(50))]);
        // While they keep coming: one summary a minute and nothing at once, even a single one.
        check(&[50, 1, 7], &[(1, Some(50)), (0, Some(1)), (0, Some(7))]);
        // A quiet minute makes the next refusal news again.
        check(&[3, 0, 2], &[(1, Some(3)), (0, None), (1, Some(2))]);
        check(&[0, 0], &[(0, None), (0, None)]);
    }
}

//! Webhook delivery, as Telegram does it: once `setWebhook` names a URL, every queued update
//! is POSTed there as JSON with the secret in `X-Telegram-Bot-Api-Secret-Token`, up to
//! `max_connections` at a time; a 2xx confirms it, anything else (or no answer) leaves it
//! queued for another attempt after a short back-off. Tests may put a load balancer in front:
//! [`Emulator::route_webhook`] spreads deliveries round-robin over several local servers (the
//! webhook URL's path kept), moving on to the next one after a failure.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::task::JoinSet;

use super::model::WebhookDelivery;
use super::state::{Shared, State};
use super::Emulator;

/// How long one delivery may take before it counts as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(20);
/// The first retry of a failed update, doubled per failure up to the maximum. Much quicker
/// than Telegram, so tests do not wait.
const RETRY_FIRST: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(2);

/// Where an update goes on this attempt.
struct Attempt {
    update_id: i64,
    update: Value,
    target: String,
    secret: Option<String>,
}

/// Per-update delivery bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
    /// Update ids being POSTed now.
    in_flight: std::collections::HashSet<i64>,
    /// Update id -> (failed attempts, not before).
    retry: std::collections::HashMap<i64, (u32, Instant)>,
    /// Round-robin position over the routes.
    next_route: usize,
    /// Base URLs standing in for the webhook URL's host (a load balancer), if any.
    pub routes: Vec<String>,
    /// Every attempt, oldest first.
    pub log: Vec<WebhookDelivery>,
    /// The last failure, for getWebhookInfo: (unix time, message).
    pub last_error: Option<(i64, String)>,
}

impl Deliveries {
    /// Forgets attempts in progress (a new or deleted webhook).
    pub fn reset(&mut self) {
        self.in_flight.clear();
        self.retry.clear();
    }
}

impl State {
    /// The updates to POST now, marked in flight.
    fn next_attempts(&mut self, now: Instant) -> Vec<Attempt> {
        let Some(hook) = self.webhook.clone() else { return Vec::new() };
        let free = (hook.max_connections as usize).saturating_sub(self.deliveries.in_flight.len());
        let ready: Vec<(i64, Value)> = self
            .updates
            .iter()
            .filter_map(|update| Some((update["update_id"].as_i64()?, update)))
            .filter(|(id, _)| !self.deliveries.in_flight.contains(id))
            .filter(|(id, _)| self.deliveries.retry.get(id).is_none_or(|(_, not_before)| *not_before <= now))
            .take(free)
            .map(|(id, update)| (id, update.clone()))
            .collect();
        ready
            .into_iter()
            .map(|(update_id, update)| {
                self.deliveries.in_flight.insert(update_id);
                let target = self.webhook_target(&hook.url);
                Attempt { update_id, update, target, secret: hook.secret.clone() }
            })
            .collect()
    }

    fn webhook_target(&mut self, url: &str) -> String {
        let routes = &self.deliveries.routes;
        if routes.is_empty() {
            return url.to_owned();
        }
        let base = &routes[self.deliveries.next_route % routes.len()];
        self.deliveries.next_route += 1;
        let path = url::Url::parse(url).map(|url| url.path().to_owned()).unwrap_or_default();
        format!("{}{path}", base.trim_end_matches('/'))
    }

    /// The soonest moment a backed-off update may be tried again.
    fn next_retry(&self) -> Option<Instant> {
        self.deliveries.retry.values().map(|(_, not_before)| *not_before).min()
    }

    fn finish_attempt(&mut self, attempt: &Attempt, status: Option<u16>, error: Option<String>) {
        let id = attempt.update_id;
        self.deliveries.in_flight.remove(&id);
        let delivered = status.is_some_and(|code| (200..300).contains(&code));
        self.deliveries.log.push(WebhookDelivery { update_id: id, target: attempt.target.clone(), status, delivered });
        if delivered {
            self.deliveries.retry.remove(&id);
            self.updates.retain(|update| update["update_id"].as_i64() != Some(id));
            return;
        }
        let message = match (status, error) {
            (_, Some(error)) => error,
            (Some(code), None) => format!("Wrong response from the webhook: {code}"),
            (None, None) => "no answer".to_owned(),
        };
        self.deliveries.last_error = Some((super::wire::unix_now(), message));
        let failures = self.deliveries.retry.get(&id).map_or(0, |(failures, _)| *failures) + 1;
        let wait = RETRY_FIRST.saturating_mul(1 << failures.min(8)).min(RETRY_MAX);
        self.deliveries.retry.insert(id, (failures, Instant::now() + wait));
    }
}

/// Runs for the emulator's lifetime: delivers whenever a webhook is set and updates wait.
pub(crate) async fn run(shared: Arc<Shared>) {
    let client = match reqwest::Client::builder().timeout(DELIVERY_TIMEOUT).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "emulator: no HTTP client for webhook delivery");
            return;
        }
    };
    let mut posts = JoinSet::new();
    loop {
        // Take the wake-up ticket before looking, so a change in between still wakes us.
        let notified = shared.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let (attempts, next_retry) = {
            let mut state = shared.lock();
            (state.next_attempts(Instant::now()), state.next_retry())
        };
        for attempt in attempts {
            posts.spawn(post(shared.clone(), client.clone(), attempt));
        }
        let wake = next_retry.unwrap_or_else(|| Instant::now() + Duration::from_secs(1));
        tokio::select! {
            () = &mut notified => {}
            Some(_) = posts.join_next(), if !posts.is_empty() => {}
            () = tokio::time::sleep_until(wake.into()) => {}
        }
    }
}

async fn post(shared: Arc<Shared>, client: reqwest::Client, attempt: Attempt) {
    let mut request = client.post(&attempt.target).json(&attempt.update);
    if let Some(secret) = &attempt.secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    let (status, error) = match request.send().await {
        Ok(response) => (Some(response.status().as_u16()), None),
        Err(error) => (None, Some(error.without_url().to_string())),
    };
    shared.change(|state| state.finish_attempt(&attempt, status, error));
}

impl Emulator {
    /// Puts a load balancer in front of the webhook: deliveries go round-robin to these base
    /// URLs (e.g. `http://127.0.0.1:4100`) with the webhook URL's path, instead of to its host.
    pub fn route_webhook(&self, bases: Vec<String>) {
        self.shared.change(|state| state.deliveries.routes = bases);
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared.lock().deliveries.log.clone()
    }
}

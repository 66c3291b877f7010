//! Every metric `serve` exports on `METRICS_ADDR`, in one table: its name, kind, HELP text and
//! the label values it is created with at start. The code that counts an event names the metric
//! where the event happens (`metrics::counter!("starmine_…")`); this table is what makes
//! `/metrics` complete from the first scrape — HELP and TYPE lines for all, and every counter an
//! alert watches already at zero (Prometheus' `increase()` misses a series' first sample, so a
//! failure counter born at 1 would never fire).
//!
//! Histograms are exported as Prometheus histograms with fixed buckets ([`SECONDS_BUCKETS`]),
//! not the exporter's default summaries: a summary's quantiles cover a sliding window, so they
//! fall to zero a minute after the last sample while `_sum` keeps its total, and summaries cannot
//! be aggregated over processes. `histogram_quantile()` works on the buckets.

use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder};

/// Upper bounds (seconds) of the latency histograms: 5 ms to a minute.
pub const SECONDS_BUCKETS: [f64; 14] =
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0];

/// Upper bounds (seconds) of the update lag: Telegram dates updates to the second.
pub const LAG_BUCKETS: [f64; 12] = [1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0];

/// What kind of series a metric is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// One exported metric.
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// Created at start with each of these values of its one label (empty: created without
    /// labels when `at_start`; label sets only known at run time appear with their first event).
    pub label: Option<(&'static str, &'static [&'static str])>,
    /// Created (at zero) at start.
    pub at_start: bool,
}

const fn metric(name: &'static str, kind: Kind, help: &'static str) -> Metric {
    Metric { name, kind, help, label: None, at_start: true }
}

/// A metric whose labels are only known when its first event comes (a listener, a method).
const fn on_event(name: &'static str, kind: Kind, help: &'static str) -> Metric {
    Metric { name, kind, help, label: None, at_start: false }
}

const fn labelled(
    name: &'static str,
    kind: Kind,
    help: &'static str,
    label: &'static str,
    values: &'static [&'static str],
) -> Metric {
    Metric { name, kind, help, label: Some((label, values)), at_start: true }
}

use Kind::{Counter, Gauge, Histogram};

/// Every metric the binary exports.
pub const METRICS: &[Metric] = &[
    // Money.
    metric("starmine_invoices_total", Counter, "Invoices sent."),
    labelled(
        "starmine_precheckout_total",
        Counter,
        "Pre-checkout queries answered, by outcome (ok or the refusal's code).",
        "outcome",
        &["ok"],
    ),
    metric(
        "starmine_precheckout_answer_seconds",
        Histogram,
        "Time from a pre-checkout query's arrival to our answer (Telegram waits 10 s at most).",
    ),
    labelled(
        "starmine_payments_total",
        Counter,
        "successful_payment updates handled, by outcome.",
        "outcome",
        &["granted"],
    ),
    metric(
        "starmine_stars_received_total",
        Counter,
        "Stars received in payments we granted or refunded automatically.",
    ),
    metric(
        "starmine_stars_refunded_total",
        Counter,
        "Stars returned by our refundStarPayment calls that Telegram confirmed.",
    ),
    metric("starmine_payments_voided_total", Counter, "Payments voided because the Star ledger never showed them."),
    metric("starmine_stars_voided_total", Counter, "Stars of voided payments."),
    on_event(
        "starmine_refund_calls_total",
        Counter,
        "refundStarPayment calls, by who asked (by) and Telegram's answer (result).",
    ),
    metric(
        "starmine_refunds_pending",
        Gauge,
        "Refunds begun and not settled (queued for another refundStarPayment attempt).",
    ),
    labelled(
        "starmine_reconcile_passes_total",
        Counter,
        "Periodic passes over the Star ledger, by result (ok, failed).",
        "result",
        &["ok", "failed"],
    ),
    metric(
        "starmine_reconcile_last_success_timestamp_seconds",
        Gauge,
        "Unix time of the last reconciliation pass that read the ledger (0: none yet in this process).",
    ),
    // The game.
    labelled(
        "starmine_digs_total",
        Counter,
        "Digs, by outcome (found, no_energy, failed).",
        "outcome",
        &["found", "no_energy", "failed"],
    ),
    labelled(
        "starmine_item_uses_total",
        Counter,
        "Item uses, by outcome (used, not_owned, not_usable, energy_full, failed).",
        "outcome",
        &["used", "not_owned", "not_usable", "energy_full", "failed"],
    ),
    labelled(
        "starmine_gem_purchases_total",
        Counter,
        "Upgrade levels and cosmetics bought with gems, by outcome (bought or the refusal).",
        "outcome",
        &["bought", "failed"],
    ),
    labelled(
        "starmine_arcade_starts_total",
        Counter,
        "Arcade runs asked for, by outcome (started, slow_down, failed).",
        "outcome",
        &["started", "slow_down", "failed"],
    ),
    labelled(
        "starmine_arcade_finishes_total",
        Counter,
        "Arcade run finishes, by verdict (finished, or why the score was refused).",
        "verdict",
        &["finished", "impossible", "failed"],
    ),
    labelled(
        "starmine_catalog_reloads_total",
        Counter,
        "Reloads of game_data/, by result (ok, failed).",
        "result",
        &["ok", "failed"],
    ),
    // Telegram.
    metric(
        "starmine_update_lag_seconds",
        Histogram,
        "Messages: from Telegram's date on the update to the end of its handling (1 s resolution).",
    ),
    metric(
        "starmine_journal_updates",
        Gauge,
        "Payment updates journaled and not yet finished (the replay loop's backlog).",
    ),
    on_event(
        "starmine_bot_api_errors_total",
        Counter,
        "Failed Bot API calls (each attempt), by method and code (HTTP error code, or transport).",
    ),
    metric(
        "starmine_outbox_sends",
        Gauge,
        "Sends in the outbox: waiting for their chat's turn or the send budget, or on the wire.",
    ),
    metric("starmine_outbox_full_total", Counter, "Sends that found the outbox full and waited for room."),
    metric("starmine_send_wait_seconds", Histogram, "Time a send waited in the outbox before its first attempt."),
    labelled(
        "starmine_sends_total",
        Counter,
        "Sends through the outbox, by result (sent, failed).",
        "result",
        &["sent", "failed"],
    ),
    labelled(
        "starmine_send_retries_total",
        Counter,
        "Sends retried, by reason (429, transient).",
        "reason",
        &["429", "transient"],
    ),
    metric("starmine_intake_in_flight", Gauge, "Updates handed to the handlers and not finished."),
    metric("starmine_intake_queries_in_flight", Gauge, "Pre-checkout and inline queries among them."),
    metric("starmine_intake_max_in_flight", Gauge, "INTAKE_MAX_IN_FLIGHT."),
    metric("starmine_intake_max_queries_in_flight", Gauge, "INTAKE_MAX_QUERIES_IN_FLIGHT."),
    metric("starmine_intake_waiting", Gauge, "Batches or deliveries waiting for room under the in-flight limit."),
    metric("starmine_intake_waits_total", Counter, "Times intake waited at its in-flight limit."),
    on_event("starmine_webhook_total", Counter, "Webhook deliveries, by outcome."),
    // HTTP and Redis.
    on_event("starmine_http_connections_open", Gauge, "Open connections, by listener."),
    on_event(
        "starmine_http_connection_cap_reached_total",
        Counter,
        "Times a listener was at its connection cap, by listener.",
    ),
    on_event("starmine_http_timeouts_total", Counter, "Connections closed by a timeout, by listener and phase."),
    metric("starmine_http_api_busy_total", Counter, "Game API requests refused past HTTP_API_MAX_IN_FLIGHT."),
    metric("starmine_redis_up", Gauge, "1 while Redis answers (checked every 2 s), 0 while it does not."),
];

/// The recorder's builder: histograms with buckets (see the module docs).
pub fn builder() -> Result<PrometheusBuilder, BuildError> {
    PrometheusBuilder::new()
        .set_buckets(&SECONDS_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full("starmine_update_lag_seconds".to_owned()), &LAG_BUCKETS)
}

/// Describes every metric and creates the ones born at start. Call once, right after the
/// recorder is installed (a second call would zero gauges that are live).
pub fn register() {
    for metric in METRICS {
        describe(metric);
        if !metric.at_start {
            continue;
        }
        match metric.label {
            None => create(metric.kind, metric.name, None),
            Some((label, values)) => {
                for value in values {
                    create(metric.kind, metric.name, Some((label, value)));
                }
            }
        }
    }
}

fn describe(metric: &Metric) {
    let (name, help) = (metric.name, metric.help);
    match metric.kind {
        Kind::Counter => metrics::describe_counter!(name, help),
        Kind::Gauge => metrics::describe_gauge!(name, help),
        Kind::Histogram => metrics::describe_histogram!(name, help),
    }
}

/// Creates a series with no events yet: a counter or gauge at 0, an empty histogram.
fn create(kind: Kind, name: &'static str, label: Option<(&'static str, &'static str)>) {
    let labels: Vec<metrics::Label> = label.map(|(key, value)| metrics::Label::new(key, value)).into_iter().collect();
    match kind {
        Kind::Counter => metrics::counter!(name, labels).absolute(0),
        Kind::Gauge => metrics::gauge!(name, labels).set(0.0),
        Kind::Histogram => drop(metrics::histogram!(name, labels)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_prometheus_style_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for metric in METRICS {
            assert!(seen.insert(metric.name), "{} twice", metric.name);
            assert!(metric.name.starts_with("starmine_"), "{}", metric.name);
            assert!(metric.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
            let counts = metric.name.ends_with("_total");
            assert_eq!(counts, metric.kind == Kind::Counter, "{}: counters, and only they, end in _total", metric.name);
            if metric.kind == Kind::Histogram {
                assert!(metric.name.ends_with("_seconds"), "{}: a histogram names its unit", metric.name);
            }
            assert!(metric.help.ends_with('.'), "{}: HELP is a sentence", metric.name);
        }
    }

    #[test]
    fn buckets_rise() {
        for buckets in [&SECONDS_BUCKETS[..], &LAG_BUCKETS[..]] {
            assert!(buckets.windows(2).all(|pair| pair[0] < pair[1]), "{buckets:?}");
        }
    }
}

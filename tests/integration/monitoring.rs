//! The metrics a real `serve` exports after a short scripted session — a purchase, a refund, a
//! dig, a use, an arcade run, a failed send — read from `METRICS_ADDR` and parsed: HELP and TYPE
//! for every family, the game's counters moved, histograms with buckets whose quantiles are not
//! zero while their sums are not. Then the monitoring shipped in `monitoring/` (the Grafana
//! dashboard, the Prometheus alert rules): every metric their expressions name is one the server
//! exported.
//!
//! The rules file is read with a few lines of parsing (`expr:` values, plain or folded blocks)
//! rather than a YAML crate: that is all the test needs of it, and serde_yaml is unmaintained.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Value};
use starmine::sandbox::emulator::Fault;
use starmine::telemetry::{Kind, METRICS};

use crate::harness::poll_until;
use crate::play::{api, open_game, spawn_play, token_of};
use crate::support::*;

/// A parsed Prometheus text exposition.
#[derive(Debug, Default)]
struct Scrape {
    help: BTreeSet<String>,
    types: BTreeMap<String, String>,
    /// Every sample line: series (name and labels as written) -> value.
    samples: BTreeMap<String, f64>,
}

impl Scrape {
    fn parse(text: &str) -> Self {
        let mut scrape = Self::default();
        for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
            if let Some(rest) = line.strip_prefix("# HELP ") {
                scrape.help.insert(rest.split(' ').next().unwrap_or_default().to_owned());
            } else if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
                scrape.types.insert(name.to_owned(), kind.to_owned());
            } else if !line.starts_with('#') {
                let (series, value) = line.rsplit_once(' ').expect("series value");
                scrape.samples.insert(series.to_owned(), value.parse().unwrap_or_else(|_| panic!("{line}")));
            }
        }
        scrape
    }

    /// The metric names of the sample lines (`x_bucket`, `x_sum` and `x_count` for a histogram).
    fn series_names(&self) -> BTreeSet<&str> {
        self.samples.keys().map(|series| series.split('{').next().unwrap_or(series)).collect()
    }

    fn value(&self, series: &str) -> f64 {
        self.samples.get(series).copied().unwrap_or(0.0)
    }

    /// `histogram_quantile(q, …)` of an unlabelled histogram, as Prometheus computes it.
    fn quantile(&self, name: &str, q: f64) -> f64 {
        let prefix = format!("{name}_bucket{{le=\"");
        let mut buckets: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter_map(|(series, count)| {
                let le = series.strip_prefix(&prefix)?.strip_suffix("\"}")?;
                Some((if le == "+Inf" { f64::INFINITY } else { le.parse().unwrap() }, *count))
            })
            .collect();
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total = buckets.last().map_or(0.0, |bucket| bucket.1);
        let rank = q * total;
        let mut below = (0.0, 0.0);
        for (le, count) in buckets {
            if count >= rank {
                if le.is_infinite() {
                    return below.0;
                }
                return below.0 + (le - below.0) * (rank - below.1) / (count - below.1).max(f64::MIN_POSITIVE);
            }
            below = (le, count);
        }
        0.0
    }
}

async fn scrape(app: &crate::harness::TestApp) -> Scrape {
    let url = format!("http://{}/metrics", app.metrics_addr().await);
    Scrape::parse(&reqwest::get(url).await.unwrap().text().await.unwrap())
}

/// The `starmine_…` names in a PromQL expression.
fn metric_names(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("starmine_") {
        let name: String = rest[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        rest = &rest[at + name.len()..];
        names.push(name);
    }
    names
}

/// The `expr:` values of a rules file: on the line, or a folded/literal block below it.
fn rule_expressions(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut expressions = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(value) = line.trim_start().strip_prefix("expr:") else { continue };
        let indent = line.len() - line.trim_start().len();
        let value = value.trim();
        if !matches!(value, ">" | ">-" | "|" | "|-") {
            expressions.push(value.trim_matches('"').to_owned());
            continue;
        }
        let block: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|next| next.trim().is_empty() || next.len() - next.trim_start().len() > indent)
            .map(|next| next.trim())
            .collect();
        expressions.push(block.join(" "));
    }
    expressions
}

/// The names of the alert rules.
fn alert_names(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|line| line.trim_start().strip_prefix("- alert:"))
        .map(|name| name.trim().to_owned())
        .collect()
}

/// Every `expr` of the dashboard's panels.
fn dashboard_expressions(dashboard: &Value) -> Vec<String> {
    let panels = dashboard["panels"].as_array().expect("panels");
    panels
        .iter()
        .flat_map(|panel| panel["targets"].as_array().cloned().unwrap_or_default())
        .map(|target| target["expr"].as_str().expect("a target's expr").to_owned())
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_rules_reader_reads_plain_and_folded_expressions() {
    let yaml = "groups:\n  - rules:\n      - alert: A\n        expr: up == 0\n        for: 1m\n      - alert: B\n        expr: >-\n          a_total > 0\n          unless b\n        labels: {}\n";
    assert_eq!(rule_expressions(yaml), ["up == 0", "a_total > 0 unless b"]);
    assert_eq!(alert_names(yaml), ["A", "B"]);
    assert_eq!(metric_names("rate(starmine_x_total[5m]) / starmine_y"), ["starmine_x_total", "starmine_y"]);
}

#[tokio::test]
async fn metrics_cover_the_game_and_the_shipped_monitoring_uses_only_exported_ones() {
    let (app, base) = spawn_play().await;
    let at_start = scrape(&app).await;
    for metric in METRICS.iter().filter(|metric| metric.at_start) {
        assert!(at_start.help.contains(metric.name), "{} has HELP from the start", metric.name);
    }
    assert_eq!(at_start.value(r#"starmine_reconcile_passes_total{result="failed"}"#), 0.0, "born at zero");

    // A purchase, a refund, a dig, a use, a failed send, an arcade run refused at its finish.
    buy_and_pay(&app, ALICE, "energy").await;
    let refunded = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, &format!("/refund {refunded}"), "Refunded 5").await;
    say(&app, ALICE, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("You found"))).await;
    say(&app, ALICE, "/use energy", |m| m.text.is_some()).await;
    // The answer to this /me is refused (403): nothing to wait for but the count.
    let blocked = Fault::Error { code: 403, description: "Forbidden: bot was blocked by the user".into() };
    app.emulator.fault("sendMessage", blocked, 1);
    app.emulator.send_text(ALICE, "/me");
    let token = token_of(&open_game(&app, ALICE).await);
    let (status, run) = api(&base, &token, "POST", "/api/runs", None).await;
    assert_eq!(status, 200, "{run}");
    let finish = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
    let (status, _) = api(&base, &token, "POST", &finish, Some(json!({ "score": 10 }))).await;
    assert_eq!(status, 400, "too early: refused");

    let settled = || async {
        let scrape = scrape(&app).await;
        let blocked = r#"starmine_bot_api_errors_total{method="sendMessage",code="403"}"#;
        (scrape.value("starmine_redis_up") == 1.0 && scrape.value(blocked) == 1.0).then_some(scrape)
    };
    let Some(scrape) = poll_until(WAIT, settled).await else {
        let last = scrape(&app).await;
        let seen: Vec<_> =
            last.samples.iter().filter(|(s, _)| s.contains("redis_up") || s.contains("errors")).collect();
        panic!("Redis reported up (the replay loop) and the 403 counted: {seen:?}");
    };
    for (series, at_least) in [
        (r#"starmine_payments_total{outcome="granted"}"#, 2.0),
        ("starmine_stars_received_total", 10.0),
        ("starmine_stars_refunded_total", 5.0),
        (r#"starmine_refund_calls_total{by="player",result="refunded"}"#, 1.0),
        (r#"starmine_digs_total{outcome="found"}"#, 1.0),
        (r#"starmine_arcade_starts_total{outcome="started"}"#, 1.0),
        (r#"starmine_arcade_finishes_total{verdict="too_early"}"#, 1.0),
        (r#"starmine_bot_api_errors_total{method="sendMessage",code="403"}"#, 1.0),
        ("starmine_update_lag_seconds_count", 4.0),
        ("starmine_precheckout_answer_seconds_count", 2.0),
    ] {
        assert!(scrape.value(series) >= at_least, "{series} >= {at_least}: {}", scrape.value(series));
    }
    let uses: f64 = ["used", "energy_full"]
        .iter()
        .map(|outcome| scrape.value(&format!(r#"starmine_item_uses_total{{outcome="{outcome}"}}"#)))
        .sum();
    assert!(uses >= 1.0, "the /use is counted");

    for family in scrape.types.keys().filter(|name| name.starts_with("starmine_")) {
        assert!(scrape.help.contains(family), "{family} has a HELP line");
    }
    for metric in METRICS.iter().filter(|metric| metric.kind == Kind::Histogram) {
        assert_eq!(scrape.types.get(metric.name).map(String::as_str), Some("histogram"), "{}", metric.name);
    }
    for name in ["starmine_precheckout_answer_seconds", "starmine_update_lag_seconds", "starmine_send_wait_seconds"] {
        let count = scrape.value(&format!("{name}_count"));
        assert!(count > 0.0, "{name} has samples");
        assert_eq!(scrape.value(&format!("{name}_bucket{{le=\"+Inf\"}}")), count, "{name}: +Inf bucket = count");
        let sum = scrape.value(&format!("{name}_sum"));
        let (p50, p99) = (scrape.quantile(name, 0.5), scrape.quantile(name, 0.99));
        assert!(sum <= 0.0 || (p50 > 0.0 && p99 >= p50), "{name}: sum {sum}, p50 {p50}, p99 {p99}");
    }

    let exported = scrape.series_names();
    let rules = read("monitoring/alerts.yml");
    let dashboard: Value = serde_json::from_str(&read("monitoring/grafana-dashboard.json")).expect("dashboard JSON");
    let alerts = alert_names(&rules);
    for wanted in [
        "StarmineJournalBacklogGrowing",
        "StarmineRefundsPending",
        "StarminePrecheckoutSlow",
        "StarmineReconciliationFailing",
        "StarmineRedisUnavailable",
    ] {
        assert!(alerts.iter().any(|alert| alert == wanted), "{wanted} in alerts.yml: {alerts:?}");
    }
    let expressions = [rule_expressions(&rules), dashboard_expressions(&dashboard)].concat();
    assert!(expressions.len() >= alerts.len() + 16, "every rule and panel has an expression: {expressions:?}");
    for expr in &expressions {
        let names = metric_names(expr);
        assert!(!names.is_empty(), "{expr} names a Starmine metric");
        for name in names {
            assert!(exported.contains(name.as_str()), "{name} (in `{expr}`) is not exported: {exported:?}");
        }
    }
}

//! What operators run Starmine with — the Dockerfile, `deploy/` (compose file, Caddyfile,
//! systemd unit, environment example) and the README's going-live guide — checked against the
//! binary: every environment variable they name is one `Config` reads (`config::VARIABLES`, the
//! list `from_lookup` is tested against), the example environment is a valid configuration, and
//! the supervisors' stop timeouts outlast `serve`'s drain bound, which a stuck handler shows is
//! a real bound.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use starmine::config::{Config, LOG_FILTER, VARIABLES};

use crate::support::*;

/// Upper-case names with an underscore that are not environment variables: the socket families
/// of the systemd unit's `RestrictAddressFamilies`.
const NOT_VARIABLES: [&str; 3] = ["AF_INET", "AF_INET6", "AF_UNIX"];

/// The files operators run Starmine with.
const DEPLOYMENT_FILES: [&str; 5] =
    ["Dockerfile", "deploy/compose.yaml", "deploy/Caddyfile", "deploy/starmine.service", "deploy/starmine.env.example"];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `NAME_LIKE_THIS` in `text`: upper case, digits and at least one underscore.
fn variable_names(text: &str) -> Vec<&str> {
    let is_part = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
    text.split(|c: char| !is_part(c) && !c.is_ascii_lowercase())
        .filter(|word| {
            word.contains('_') && word.starts_with(|c: char| c.is_ascii_uppercase()) && word.chars().all(is_part)
        })
        .filter(|word| word.split('_').all(|part| !part.is_empty()))
        .collect()
}

/// The README's section `title` (from its heading to the next `## `).
fn readme_section(title: &str) -> String {
    let readme = read("README.md");
    let heading = format!("## {title}\n");
    let start = readme.find(&heading).unwrap_or_else(|| panic!("README has a `{heading}` section"));
    let body = &readme[start + heading.len()..];
    body[..body.find("\n## ").unwrap_or(body.len())].to_owned()
}

/// `NAME=value` lines of an environment file (comments and blanks skipped).
fn environment_file(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, value) = line.split_once('=').unwrap_or_else(|| panic!("`{line}` is NAME=value"));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

/// The value of `key` on the lines of `text` that set it (`key=value` or `key: value`).
fn settings<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    text.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix(key)?.strip_prefix(['=', ':']))
        .map(str::trim)
        .collect()
}

fn seconds(value: &str) -> u64 {
    value.trim_end_matches('s').parse().unwrap_or_else(|_| panic!("`{value}` is a number of seconds"))
}

fn default_drain_bound() -> Duration {
    starmine::app::drain_bound(&Config::from_lookup(|_| None).expect("the defaults are a configuration"))
}

#[test]
fn variable_names_are_read_from_prose_and_files() {
    let text = "set `WEBHOOK_URL` and {$PUBLIC_URL}, HTTPS, TLS, Environment=GAME_DATA_DIR=/x, ${REDIS_URL:?x} a_b";
    assert_eq!(variable_names(text), ["WEBHOOK_URL", "PUBLIC_URL", "GAME_DATA_DIR", "REDIS_URL"]);
}

#[test]
fn the_deployment_files_and_the_guide_name_only_variables_config_reads() {
    let mut sources: Vec<(String, String)> =
        DEPLOYMENT_FILES.iter().map(|path| ((*path).to_owned(), read(path))).collect();
    sources.push(("README.md, Going live".to_owned(), readme_section("Going live")));
    for (source, text) in &sources {
        let names = variable_names(text);
        assert!(!names.is_empty(), "{source} names the variables it sets");
        for name in names {
            let known = VARIABLES.contains(&name) || name == LOG_FILTER || NOT_VARIABLES.contains(&name);
            assert!(known, "{source} names {name}, which Config does not read (config::VARIABLES)");
        }
    }
    let guide = readme_section("Going live");
    for needed in ["TELOXIDE_TOKEN", "GAME_SHORT_NAME", "WEBHOOK_URL", "WEBHOOK_SECRET", "REDIS_URL", "PUBLIC_URL"] {
        assert!(guide.contains(needed), "the guide says how to set {needed}");
    }
}

#[test]
fn the_example_environment_is_a_valid_configuration_for_a_real_bot_with_a_webhook() {
    let example = environment_file(&read("deploy/starmine.env.example"));
    let config = Config::from_lookup(|name| example.get(name).cloned()).expect("the example passes Config's checks");
    assert!(config.token.is_some() && config.webhook.is_some() && config.play.is_some());
    assert!(matches!(config.redis, starmine::config::RedisTarget::Urls(_)), "a real Redis, not the private one");
    for name in example.keys() {
        assert!(VARIABLES.contains(&name.as_str()) || name == LOG_FILTER, "{name}");
    }
}

#[test]
fn supervisors_give_serve_longer_than_its_drain_bound_to_stop() {
    let bound = default_drain_bound();
    assert_eq!(bound, Duration::from_secs(65), "the figure the files' comments quote");
    let unit = read("deploy/starmine.service");
    assert_eq!(settings(&unit, "KillSignal"), ["SIGTERM"]);
    assert_eq!(settings(&unit, "Restart"), ["on-failure"]);
    assert_eq!(settings(&unit, "User"), ["starmine"], "a dedicated user");
    assert_eq!(settings(&unit, "EnvironmentFile").len(), 1);
    let stop = settings(&unit, "TimeoutStopSec");
    assert!(stop.len() == 1 && seconds(stop[0]) > bound.as_secs(), "TimeoutStopSec {stop:?} > {bound:?}");

    let compose = read("deploy/compose.yaml");
    let graces = settings(&compose, "stop_grace_period");
    assert!(!graces.is_empty(), "compose sets a stop grace period (Docker's default is 10 s)");
    for grace in graces {
        assert!(seconds(grace) > bound.as_secs(), "stop_grace_period {grace} > {bound:?}");
    }
    assert!(compose.contains(r#""--appendfsync", "always""#), "Redis writes every change to disk first");

    let dockerfile = read("Dockerfile");
    let runtime = dockerfile.rsplit("\nFROM ").next().expect("a last stage");
    assert!(runtime.starts_with("debian:bookworm-slim"), "{runtime}");
    assert!(runtime.lines().any(|line| line == "USER starmine"), "the runtime stage runs as a dedicated user");
    let copies: Vec<&str> = runtime.lines().filter(|line| line.starts_with("COPY")).collect();
    assert_eq!(copies.len(), 2, "the binary and game_data only: {copies:?}");
}

/// A handler that never returns does not hold a stop past the drain bound: `serve` exits 0
/// after `HTTP_REQUEST_TIMEOUT_S`, the payment it held stays in the journal, and the next
/// process grants it.
#[tokio::test]
async fn a_stop_cuts_off_a_stuck_handler_and_the_journal_keeps_its_payment() {
    let env = [("RECONCILE_EVERY_S", "0"), ("HTTP_REQUEST_TIMEOUT_S", "1"), ("STARMINE_FAILPOINTS", "payment_handler")];
    let mut app = spawn_with_env(&env).await;
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    app.wait_until(WAIT, || async { app.run_log().contains("failpoint: stalled here") }).await;

    let asked = Instant::now();
    let exit = app.sigterm().await;
    let took = asked.elapsed();
    assert!(exit.success(), "{exit:?}");
    let lookup = |name: &str| env.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned());
    let bound = starmine::app::drain_bound(&Config::from_lookup(lookup).unwrap());
    assert!(took >= Duration::from_secs(1) && took < bound, "stopped after {took:?}, bound {bound:?}");
    assert!(app.run_log().contains("stopping with handlers still running"), "{}", app.log_tail(20));
    assert_eq!(status(&app, ALICE, &charge).await, "absent", "the stuck handler recorded nothing");

    app.set_env("STARMINE_FAILPOINTS", None);
    app.restart().await;
    wait_status(&app, ALICE, &charge, "paid").await;
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1, "granted once, from the journal");
}

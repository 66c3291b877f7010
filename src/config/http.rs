//! The HTTP side's settings: the addresses to listen on (`HTTP_ADDR`, `METRICS_ADDR`,
//! `WEBHOOK_ADDR`) and the limits that keep slow or idle clients from holding the server
//! (`HTTP_MAX_CONNECTIONS`, `HTTP_HEADER_TIMEOUT_MS`, `HTTP_IDLE_TIMEOUT_S`,
//! `HTTP_REQUEST_TIMEOUT_S`, `HTTP_API_MAX_IN_FLIGHT`).

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// `HTTP_ADDR`: health, the game page and API, the sandbox, and the webhook unless
    /// `WEBHOOK_ADDR` gives it a listener of its own.
    pub addr: SocketAddr,
    /// `WEBHOOK_ADDR`: the webhook's own listener (webhook mode only), so it stays answerable
    /// while the public listener is saturated.
    pub webhook_addr: Option<SocketAddr>,
    /// `METRICS_ADDR` (default loopback `127.0.0.1:9464`; `off`: no metrics).
    pub metrics_addr: Option<SocketAddr>,
    pub limits: HttpLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// `HTTP_MAX_CONNECTIONS`: open connections on `HTTP_ADDR`; None = derived at start from
    /// the open-files limit.
    pub max_connections: Option<usize>,
    /// `HTTP_HEADER_TIMEOUT_MS` (default 10 s): a request's headers must arrive within this.
    pub header_timeout: Duration,
    /// `HTTP_IDLE_TIMEOUT_S` (default 75 s): a kept-alive connection waiting for its next
    /// request, or a client not reading its answer, is closed after this.
    pub idle_timeout: Duration,
    /// `HTTP_REQUEST_TIMEOUT_S` (default 30 s): a request, body included, is answered within
    /// this (503 when it cannot be).
    pub request_timeout: Duration,
    /// `HTTP_API_MAX_IN_FLIGHT` (default 1024): game API requests handled at once; more get a
    /// fast 503.
    pub api_max_in_flight: usize,
}

impl HttpConfig {
    pub const DEFAULT_ADDR: &'static str = "127.0.0.1:8080";
    pub const DEFAULT_METRICS_ADDR: &'static str = "127.0.0.1:9464";
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_connections: None,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
            request_timeout: Duration::from_secs(30),
            api_max_in_flight: 1024,
        }
    }
}

/// Reads every HTTP variable, adding a line to `problems` for each bad one.
pub(super) fn read(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> HttpConfig {
    let defaults = HttpLimits::default();
    let limits = HttpLimits {
        max_connections: number(get, problems, "HTTP_MAX_CONNECTIONS", 1..=1_000_000, "connections"),
        header_timeout: number(get, problems, "HTTP_HEADER_TIMEOUT_MS", 100..=600_000, "milliseconds")
            .map_or(defaults.header_timeout, Duration::from_millis),
        idle_timeout: number(get, problems, "HTTP_IDLE_TIMEOUT_S", 1..=3600, "seconds")
            .map_or(defaults.idle_timeout, Duration::from_secs),
        request_timeout: number(get, problems, "HTTP_REQUEST_TIMEOUT_S", 1..=3600, "seconds")
            .map_or(defaults.request_timeout, Duration::from_secs),
        api_max_in_flight: number(get, problems, "HTTP_API_MAX_IN_FLIGHT", 1..=1_000_000, "requests")
            .unwrap_or(defaults.api_max_in_flight),
    };
    let addr = address(get, problems, "HTTP_ADDR").unwrap_or_else(|| parse_default(HttpConfig::DEFAULT_ADDR));
    let webhook_addr = address(get, problems, "WEBHOOK_ADDR");
    let metrics_addr = match get("METRICS_ADDR").as_deref() {
        Some("off") => None,
        Some(_) => address(get, problems, "METRICS_ADDR"),
        None => Some(parse_default(HttpConfig::DEFAULT_METRICS_ADDR)),
    };
    if let (Some(metrics), Some(webhook)) = (metrics_addr, webhook_addr) {
        if metrics == webhook && metrics.port() != 0 {
            problems.push(format!("METRICS_ADDR and WEBHOOK_ADDR are both {metrics}: give each its own port"));
        }
    }
    for (name, other) in [("METRICS_ADDR", metrics_addr), ("WEBHOOK_ADDR", webhook_addr)] {
        if other == Some(addr) && addr.port() != 0 {
            problems.push(format!("{name} is the same address as HTTP_ADDR ({addr}): give it its own port"));
        }
    }
    HttpConfig { addr, webhook_addr, metrics_addr, limits }
}

fn parse_default(address: &str) -> SocketAddr {
    address.parse().unwrap_or_else(|_| unreachable!("the default {address} is an address"))
}

fn address(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>, name: &str) -> Option<SocketAddr> {
    let raw = get(name)?;
    match raw.parse() {
        Ok(address) => Some(address),
        Err(_) => {
            problems.push(format!("{name}: `{raw}` is not an address like 127.0.0.1:8080"));
            None
        }
    }
}

pub(super) fn number<T: FromStr + PartialOrd + std::fmt::Display>(
    get: &impl Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
    name: &str,
    range: RangeInclusive<T>,
    unit: &str,
) -> Option<T> {
    let raw = get(name)?;
    match raw.parse::<T>() {
        Ok(value) if range.contains(&value) => Some(value),
        _ => {
            problems.push(format!("{name}: `{raw}` must be {} to {} {unit}", range.start(), range.end()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn check(vars: &[(&str, &str)]) -> Result<HttpConfig, Vec<String>> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        let mut problems = Vec::new();
        let config = read(&|name: &str| vars.get(name).map(|value| (*value).to_owned()), &mut problems);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    #[test]
    fn defaults() {
        let config = check(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.metrics_addr.unwrap().to_string(), "127.0.0.1:9464");
        assert_eq!(config.webhook_addr, None);
        assert_eq!(config.limits, HttpLimits::default());
    }

    #[test]
    fn each_setting_is_read_and_checked() {
        let config = check(&[
            ("HTTP_MAX_CONNECTIONS", "64"),
            ("HTTP_HEADER_TIMEOUT_MS", "1500"),
            ("HTTP_IDLE_TIMEOUT_S", "5"),
            ("HTTP_REQUEST_TIMEOUT_S", "7"),
            ("HTTP_API_MAX_IN_FLIGHT", "3"),
            ("METRICS_ADDR", "off"),
            ("WEBHOOK_ADDR", "0.0.0.0:8443"),
        ])
        .unwrap();
        let limits = config.limits;
        assert_eq!(limits.max_connections, Some(64));
        assert_eq!(limits.header_timeout, Duration::from_millis(1500));
        assert_eq!(limits.idle_timeout, Duration::from_secs(5));
        assert_eq!(limits.request_timeout, Duration::from_secs(7));
        assert_eq!(limits.api_max_in_flight, 3);
        assert_eq!(config.metrics_addr, None);
        assert_eq!(config.webhook_addr.unwrap().to_string(), "0.0.0.0:8443");
        for (vars, expected) in [
            (vec![("HTTP_MAX_CONNECTIONS", "0")], "HTTP_MAX_CONNECTIONS: `0` must be 1 to 1000000"),
            (vec![("HTTP_HEADER_TIMEOUT_MS", "fast")], "HTTP_HEADER_TIMEOUT_MS"),
            (vec![("HTTP_IDLE_TIMEOUT_S", "0")], "HTTP_IDLE_TIMEOUT_S"),
            (vec![("HTTP_REQUEST_TIMEOUT_S", "-1")], "HTTP_REQUEST_TIMEOUT_S"),
            (vec![("HTTP_API_MAX_IN_FLIGHT", "0")], "HTTP_API_MAX_IN_FLIGHT"),
            (vec![("METRICS_ADDR", "loopback")], "METRICS_ADDR: `loopback` is not an address"),
            (vec![("METRICS_ADDR", "127.0.0.1:8080")], "same address as HTTP_ADDR"),
            (vec![("WEBHOOK_ADDR", "127.0.0.1:9464")], "both 127.0.0.1:9464"),
        ] {
            let problems = check(&vars).unwrap_err();
            assert!(problems.len() == 1 && problems[0].contains(expected), "{vars:?}: {problems:?}");
        }
    }

    #[test]
    fn port_zero_may_repeat() {
        let config = check(&[("HTTP_ADDR", "127.0.0.1:0"), ("METRICS_ADDR", "127.0.0.1:0")]).unwrap();
        assert_eq!(config.metrics_addr, Some(config.addr));
    }
}

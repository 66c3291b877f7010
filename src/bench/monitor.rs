//! Counting what clients send Redis with `MONITOR`: requests (the commands a client sent) apart
//! from the commands scripts run inside Redis, and each script's first call for replaying.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::exit::{Exit, Failure};

/// Counts what clients sent while it runs, from `MONITOR`: requests (round trips' worth of
/// commands) apart from the commands scripts ran inside Redis. MONITOR slows the server down,
/// so benchmarks use it in an untimed pass of its own.
pub struct Monitor {
    task: tokio::task::JoinHandle<Result<Seen, String>>,
    url: String,
}

/// What a [`Monitor`] saw.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Commands clients sent, by name (lower case).
    pub requests: BTreeMap<String, u64>,
    /// Commands scripts ran inside Redis.
    pub in_scripts: u64,
    /// Each distinct EVALSHA's first call, split into arguments, by script SHA.
    pub first_call: BTreeMap<String, Vec<String>>,
}

impl Seen {
    pub fn requests_total(&self) -> u64 {
        self.requests.values().sum()
    }

    /// Prints the requests per `what` (e.g. "run") over `ops` monitored operations and returns
    /// them for a table cell.
    pub fn print_per_op(&self, ops: usize, what: &str) -> String {
        let requests = self.per_op(ops);
        let ops_f = ops.max(1) as f64;
        println!(
            "  requests per {what} (MONITOR, {ops} of them): {:.2}: {requests}; {:.2} commands inside scripts",
            self.requests_total() as f64 / ops_f,
            self.in_scripts as f64 / ops_f
        );
        requests
    }

    /// `evalsha 1.00, set 1.00` per operation, most frequent first.
    pub fn per_op(&self, ops: usize) -> String {
        let mut named: Vec<(&String, &u64)> = self.requests.iter().collect();
        named.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let ops = ops.max(1) as f64;
        named.iter().map(|(name, count)| format!("{name} {:.2}", **count as f64 / ops)).collect::<Vec<_>>().join(", ")
    }
}

/// Marks the end of a monitored pass in the command stream.
const MONITOR_END: &str = "starmine-bench-monitor-end";

impl Monitor {
    /// Starts monitoring the server at `url` (a plain `redis://host:port` without a password).
    pub async fn start(url: &str) -> Result<Self, Failure> {
        let unavailable = |error: String| Failure::new(Exit::Unavailable, format!("MONITOR: {error}"));
        let parsed = url::Url::parse(url).map_err(|error| unavailable(error.to_string()))?;
        if parsed.scheme() != "redis" || parsed.password().is_some() {
            return Err(unavailable("only a plain redis://host:port can be monitored".to_owned()));
        }
        let host = parsed.host_str().unwrap_or("127.0.0.1").to_owned();
        let port = parsed.port().unwrap_or(6379);
        let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| unavailable(error.to_string()))?;
        stream.write_all(b"MONITOR\r\n").await.map_err(|error| unavailable(error.to_string()))?;
        let mut lines = BufReader::new(stream).lines();
        match lines.next_line().await {
            Ok(Some(line)) if line.starts_with("+OK") => {}
            other => return Err(unavailable(format!("unexpected answer {other:?}"))),
        }
        let task = tokio::spawn(async move {
            let mut seen = Seen::default();
            loop {
                let line = lines.next_line().await.map_err(|error| error.to_string())?;
                let Some(line) = line else { return Err("MONITOR connection closed".to_owned()) };
                let Some((client, command)) = parse_monitor_line(&line) else { continue };
                if command.first().is_some_and(|name| name.eq_ignore_ascii_case("echo"))
                    && command.get(1).map(String::as_str) == Some(MONITOR_END)
                {
                    return Ok(seen);
                }
                if client == "lua" {
                    seen.in_scripts += 1;
                    continue;
                }
                let name = command.first().map(|name| name.to_ascii_lowercase()).unwrap_or_default();
                if name == "evalsha" {
                    if let Some(sha) = command.get(1) {
                        seen.first_call.entry(sha.to_ascii_lowercase()).or_insert_with(|| command.clone());
                    }
                }
                *seen.requests.entry(name).or_default() += 1;
            }
        });
        Ok(Self { task, url: url.to_owned() })
    }

    /// Marks the end in the command stream, then returns what was seen up to it.
    pub async fn finish(self) -> Result<Seen, Failure> {
        let failed = |error: String| Failure::new(Exit::Unavailable, format!("MONITOR: {error}"));
        let marked: redis::RedisResult<String> = async {
            let mut conn = redis::Client::open(self.url.as_str())?.get_multiplexed_async_connection().await?;
            redis::cmd("ECHO").arg(MONITOR_END).query_async(&mut conn).await
        }
        .await;
        marked.map_err(|error| failed(error.to_string()))?;
        match tokio::time::timeout(Duration::from_secs(60), self.task).await {
            Ok(Ok(seen)) => seen.map_err(failed),
            Ok(Err(error)) => Err(failed(error.to_string())),
            Err(_) => Err(failed("the end marker did not come back within 60 s".to_owned())),
        }
    }
}

/// `+1700000000.123456 [0 127.0.0.1:5000] "SET" "a" "1"` -> ("127.0.0.1:5000", [SET, a, 1]);
/// the client is `lua` for commands a script ran.
fn parse_monitor_line(line: &str) -> Option<(String, Vec<String>)> {
    let rest = line.strip_prefix('+')?;
    let open = rest.find('[')?;
    let close = rest[open..].find(']')? + open;
    let client = rest[open + 1..close].split_once(' ')?.1.to_owned();
    Some((client, split_quoted(&rest[close + 1..])))
}

/// The quoted, C-escaped arguments of a MONITOR line.
fn split_quoted(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut bytes = text.bytes().peekable();
    while let Some(byte) = bytes.next() {
        if byte != b'"' {
            continue;
        }
        let mut arg = Vec::new();
        while let Some(byte) = bytes.next() {
            match byte {
                b'"' => break,
                b'\\' => match bytes.next() {
                    Some(b'n') => arg.push(b'\n'),
                    Some(b'r') => arg.push(b'\r'),
                    Some(b't') => arg.push(b'\t'),
                    Some(b'a') => arg.push(7),
                    Some(b'b') => arg.push(8),
                    Some(b'x') => {
                        let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                        let value = std::str::from_utf8(&hex).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                        arg.push(value.unwrap_or(b'?'));
                    }
                    Some(other) => arg.push(other),
                    None => break,
                },
                other => arg.push(other),
            }
        }
        args.push(String::from_utf8_lossy(&arg).into_owned());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_lines() {
        let line = r#"+1700000000.123456 [0 127.0.0.1:5000] "EVALSHA" "ab12" "1" "{i:x}:o:\"q\"" "a\x41\\b""#;
        let (client, args) = parse_monitor_line(line).expect("a command line");
        assert_eq!(client, "127.0.0.1:5000");
        assert_eq!(args, ["EVALSHA", "ab12", "1", "{i:x}:o:\"q\"", "aA\\b"]);
        let (client, args) = parse_monitor_line(r#"+1.5 [0 lua] "ZADD" "k" "1" "m""#).expect("a script's command");
        assert_eq!((client.as_str(), args.len()), ("lua", 4));
        assert!(parse_monitor_line("+OK").is_none());
    }
}

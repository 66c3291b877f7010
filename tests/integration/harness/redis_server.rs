//! A private `redis-server` per test: a free loopback port, AOF with `appendfsync always`, data
//! and log in the test's temp dir.

use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use super::POLL_STEP;

/// Starts `redis-server` on a free port with AOF (`appendfsync always`) under `dir`.
pub(super) async fn start_redis(dir: &Path) -> (std::process::Child, String) {
    for _attempt in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = File::create(dir.join("redis.log")).expect("the Redis log");
        let mut child = spawn(dir, port, log);
        let url = format!("redis://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while child.try_wait().ok().flatten().is_none() && tokio::time::Instant::now() < deadline {
            if ping(&url).await {
                return (child, url);
            }
            tokio::time::sleep(POLL_STEP).await;
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let log = std::fs::read_to_string(dir.join("redis.log")).unwrap_or_default();
    panic!("redis-server did not start; its log:\n{log}");
}

/// `redis-server` on `port` with AOF (`appendfsync always`) under `dir`, stdout to `log`.
fn spawn(dir: &Path, port: u16, log: File) -> std::process::Child {
    std::process::Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
        .args(["--appendonly", "yes", "--appendfsync", "always", "--dir"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is on PATH (apt-get install redis-server)")
}

async fn ping(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let Ok(mut connection) = client.get_multiplexed_async_connection().await else {
        return false;
    };
    redis::cmd("PING").query_async::<String>(&mut connection).await.is_ok_and(|pong| pong == "PONG")
}

/// Starts `redis-server` again on `port` with the same settings and `dir`, so it loads the AOF
/// a killed server left there (its log is appended to). Waits until it answers PING (loading
/// done).
pub(super) async fn restart_redis_on(dir: &Path, port: u16) -> std::process::Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("redis.log")).expect("the Redis log");
    let mut child = spawn(dir, port, log);
    let url = format!("redis://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tokio::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.join("redis.log")).unwrap_or_default();
            panic!("redis-server exited ({status}) on restart; its log:\n{log}");
        }
        if ping(&url).await {
            return child;
        }
        tokio::time::sleep(POLL_STEP).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(dir.join("redis.log")).unwrap_or_default();
    panic!("redis-server did not answer within 10 s of a restart; its log:\n{log}");
}

//! The private `redis-server` that `serve` without `REDIS_URL` runs on `<dir>/data/redis.sock`.
//! By design it outlives a killed `serve` (the next one reuses it), so a test that kills `serve`
//! must stop it before its folder goes: [`PrivateRedisGuard`] does that when dropped, panicking
//! tests included.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Stops the private Redis on `<dir>/data/redis.sock` (`SHUTDOWN NOSAVE`) when dropped. Create
/// it before starting `serve` in `dir` and drop it after killing `serve` and before `dir` goes.
pub struct PrivateRedisGuard {
    socket: PathBuf,
}

impl PrivateRedisGuard {
    /// Guards the private Redis of a `serve` running in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self { socket: dir.join("data/redis.sock") }
    }

    /// Whether a server answers PING on the socket.
    pub fn answers(&self) -> bool {
        let Some(mut connection) = self.connect() else {
            return false;
        };
        redis::cmd("PING").query::<String>(&mut connection).is_ok_and(|pong| pong == "PONG")
    }

    /// Stops the server on the socket if one answers, and waits (up to 10 s) until it is gone.
    /// A `serve` still running on it should be killed first, or it may start another.
    pub fn shutdown(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.answers() {
            if let Some(mut connection) = self.connect() {
                // The server closes the connection as it exits, so the reply is an I/O error.
                let _closed: redis::RedisResult<()> =
                    redis::cmd("SHUTDOWN").arg("NOSAVE").arg("NOW").arg("FORCE").query(&mut connection);
            }
            if Instant::now() > deadline {
                eprintln!("the private redis-server on {} did not stop within 10 s", self.socket.display());
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn connect(&self) -> Option<redis::Connection> {
        if !self.socket.exists() {
            return None;
        }
        let client = redis::Client::open(format!("redis+unix://{}", self.socket.display())).ok()?;
        let connection = client.get_connection_with_timeout(Duration::from_secs(2)).ok()?;
        connection.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        Some(connection)
    }
}

impl Drop for PrivateRedisGuard {
    fn drop(&mut self) {
        self.shutdown();
    }
}

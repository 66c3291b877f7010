//! The private `redis-server` used when `REDIS_URL` is unset: a unix socket under `./data/`,
//! AOF with `appendfsync always`, reused when one already answers there (left by a crash).
//! Its command comes from [`RedisServer`], the one way the crate starts `redis-server`
//! (`throwaway.rs`: also the benches' and the tests' servers on loopback ports).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::{Child, Command};

pub use self::throwaway::{Persistence, RedisServer, StartError, Throwaway};

mod throwaway;

/// A private server this process started (stopped by [`PrivateRedis::stop`]), or one it found.
pub struct PrivateRedis {
    socket: PathBuf,
    child: Option<Child>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrivateRedisError {
    #[error("redis-server is not installed; install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL")]
    NotInstalled,
    #[error("could not prepare {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("redis-server did not answer on {0} within 10 s; see {1}")]
    NoAnswer(PathBuf, PathBuf),
}

impl PrivateRedis {
    /// The `redis+unix://` URL of the private server's socket in `data_dir`.
    pub fn url(data_dir: &Path) -> String {
        format!("redis+unix://{}", absolute(data_dir).join("redis.sock").display())
    }

    /// Starts `redis-server` on `<data_dir>/redis.sock` unless one already answers there.
    pub async fn ensure(data_dir: &Path) -> Result<Self, PrivateRedisError> {
        let dir = absolute(data_dir);
        std::fs::create_dir_all(&dir).map_err(|error| PrivateRedisError::Io(dir.clone(), error))?;
        let socket = dir.join("redis.sock");
        if answers(&socket).await {
            tracing::info!(socket = %socket.display(), "reusing the private redis-server already running");
            return Ok(Self { socket, child: None });
        }
        let log = dir.join("redis.log");
        let server = RedisServer::new(&dir).unix_socket(&socket).persistence(Persistence::AofAlways).log_file(&log);
        let child =
            Command::from(server.command(0, 0)).kill_on_drop(false).spawn().map_err(|error| match error.kind() {
                std::io::ErrorKind::NotFound => PrivateRedisError::NotInstalled,
                _ => PrivateRedisError::Io(PathBuf::from("redis-server"), error),
            })?;
        for _ in 0..100 {
            if answers(&socket).await {
                tracing::info!(socket = %socket.display(), "started a private redis-server");
                return Ok(Self { socket, child: Some(child) });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(PrivateRedisError::NoAnswer(socket, log))
    }

    /// Shuts down the server if this process started it (SHUTDOWN flushes the AOF).
    pub async fn stop(mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let url = format!("redis+unix://{}", self.socket.display());
        if let Ok(client) = redis::Client::open(url) {
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                let _: redis::RedisResult<()> = redis::cmd("SHUTDOWN").query_async(&mut conn).await;
            }
        }
        match tokio::time::timeout(Duration::from_secs(10), child.wait()).await {
            Ok(_) => tracing::info!("stopped the private redis-server"),
            Err(_) => {
                let _ = child.kill().await;
                tracing::warn!("the private redis-server did not stop in 10 s; killed it");
            }
        }
    }
}

/// Whether a Redis server answers PING on this unix socket.
pub async fn answers(socket: &Path) -> bool {
    if !socket.exists() {
        return false;
    }
    let url = format!("redis+unix://{}", absolute(socket).display());
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let ping = async {
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    matches!(tokio::time::timeout(Duration::from_secs(2), ping).await, Ok(Ok(_)))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

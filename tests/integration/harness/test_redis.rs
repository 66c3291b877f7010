//! Redis for the harness: [`TestRedis`], a server of its own for tests that build the bot's
//! parts in-process, and the server each [`super::TestApp`] runs, both from the crate's one
//! `redis-server` builder.

use std::path::Path;

use starmine::store::private_server::{Persistence, RedisServer, Throwaway};
use tempfile::TempDir;

/// A private `redis-server` on its own, for tests that build the bot's parts in-process (the
/// router, the game loop); killed when dropped.
pub struct TestRedis {
    pub url: String,
    _server: Throwaway,
    _dir: TempDir,
}

impl TestRedis {
    /// With AOF (`appendfsync always`), as the bot's tests run it.
    pub async fn start() -> Self {
        Self::start_with(Persistence::AofAlways).await
    }

    pub async fn start_with(persistence: Persistence) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let server = start_redis(dir.path(), persistence, None).await;
        Self { url: server.url(), _server: server, _dir: dir }
    }

    /// On `port` (one a bot already points at); returns once it answers PING.
    pub async fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let server = start_redis(dir.path(), Persistence::AofAlways, Some(port)).await;
        Self { url: server.url(), _server: server, _dir: dir }
    }
}

/// `redis-server` with its data and `redis.log` in `dir`, on `port` or a free one; panics with
/// its log when it does not start.
pub(super) async fn start_redis(dir: &Path, persistence: Persistence, port: Option<u16>) -> Throwaway {
    let mut server = RedisServer::new(dir).persistence(persistence).log_file(dir.join("redis.log"));
    if let Some(port) = port {
        server = server.port(port);
    }
    server.start().await.unwrap_or_else(|error| panic!("{error}"))
}

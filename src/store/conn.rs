//! One connection type for a single Redis server or a Redis Cluster, so the rest of `store`
//! never cares which one it talks to.

use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Value};

/// A cheap-to-clone multiplexed connection. Both variants pipeline concurrent requests over
/// shared sockets, so every task clones this instead of holding a pool.
#[derive(Clone)]
pub enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl Conn {
    /// Connects to `urls`: one URL is a single server, several are the seed nodes of a cluster.
    /// Fails fast (a few seconds) when nothing answers, instead of retrying forever.
    pub async fn connect(urls: &[String]) -> redis::RedisResult<Self> {
        if let [url] = urls {
            let client = redis::Client::open(url.as_str())?;
            let config = ConnectionManagerConfig::new()
                .set_number_of_retries(2)
                .set_max_delay(Duration::from_millis(500))
                .set_connection_timeout(Some(Duration::from_secs(3)))
                .set_response_timeout(Some(Duration::from_secs(10)));
            let manager = ConnectionManager::new_with_config(client, config).await?;
            return Ok(Self::Single(manager));
        }
        let client = ClusterClient::builder(urls.iter().map(String::as_str))
            .retries(3)
            .connection_timeout(Duration::from_secs(3))
            .response_timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self::Cluster(client.get_async_connection().await?))
    }
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Single(conn) => conn.req_packed_command(cmd),
            Self::Cluster(conn) => conn.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(conn) => conn.req_packed_commands(pipeline, offset, count),
            Self::Cluster(conn) => conn.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Single(conn) => conn.get_db(),
            Self::Cluster(conn) => conn.get_db(),
        }
    }
}

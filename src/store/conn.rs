//! One connection type for a single Redis server or a Redis Cluster, so the rest of `store`
//! never cares which one it talks to.

use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
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

/// Keys a SCAN step asks each node for.
const SCAN_COUNT: usize = 1000;

impl Conn {
    /// Every key matching `pattern`: one SCAN over the server, or over each master of a cluster
    /// (a cluster spreads keys over its masters; replicas hold copies). Keys created or removed
    /// while it runs may or may not be in the answer (SCAN's guarantee).
    pub async fn scan_match(&self, pattern: &str) -> redis::RedisResult<Vec<String>> {
        let mut keys = Vec::new();
        match self {
            Self::Single(conn) => {
                let mut conn = conn.clone();
                let mut cursor = 0u64;
                loop {
                    let (next, batch): (u64, Vec<String>) = scan(cursor, pattern).query_async(&mut conn).await?;
                    keys.extend(batch);
                    cursor = next;
                    if cursor == 0 {
                        break;
                    }
                }
            }
            Self::Cluster(conn) => {
                let mut conn = conn.clone();
                for (host, port) in masters(&mut conn).await? {
                    let mut cursor = 0u64;
                    loop {
                        let node = SingleNodeRoutingInfo::ByAddress { host: host.clone(), port };
                        let reply = conn.route_command(scan(cursor, pattern), RoutingInfo::SingleNode(node)).await?;
                        let (next, batch): (u64, Vec<String>) = redis::from_redis_value(reply)?;
                        keys.extend(batch);
                        cursor = next;
                        if cursor == 0 {
                            break;
                        }
                    }
                }
            }
        }
        Ok(keys)
    }
}

fn scan(cursor: u64, pattern: &str) -> Cmd {
    let mut command = redis::cmd("SCAN");
    command.arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(SCAN_COUNT);
    command
}

/// Each master's address as the cluster names it (`CLUSTER SLOTS`: the first node of each
/// slot range is its master), which is how the connection knows its nodes.
async fn masters(conn: &mut ClusterConnection) -> redis::RedisResult<Vec<(String, u16)>> {
    let reply = conn
        .route_command(
            redis::cmd("CLUSTER").arg("SLOTS").clone(),
            RoutingInfo::SingleNode(SingleNodeRoutingInfo::Random),
        )
        .await?;
    let ranges: Vec<Vec<Value>> = redis::from_redis_value(reply)?;
    let mut masters = Vec::new();
    for range in ranges {
        let Some(master) = range.into_iter().nth(2) else { continue };
        let node: Vec<Value> = redis::from_redis_value(master)?;
        let mut node = node.into_iter();
        let (Some(host), Some(port)) = (node.next(), node.next()) else { continue };
        let address = (redis::from_redis_value::<String>(host)?, redis::from_redis_value::<u16>(port)?);
        if !masters.contains(&address) {
            masters.push(address);
        }
    }
    Ok(masters)
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

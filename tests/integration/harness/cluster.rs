//! [`TestCluster`]: a private 3-master Redis Cluster on loopback, its nodes started by the
//! crate's one `redis-server` builder.

use std::process::Stdio;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use starmine::store::private_server::{Persistence, RedisServer, Throwaway};
use tempfile::TempDir;
use tokio::process::Command;

use super::{poll_until, READY_TIMEOUT};

/// A private 3-master Redis Cluster on loopback (no replicas), each node with AOF
/// (`appendfsync always`) under one temp dir; every node is killed when dropped. Give it to a
/// bot with `REDIS_URL` = [`TestCluster::redis_url`] (in `TestOptions.env`, which wins).
pub struct TestCluster {
    /// `redis://127.0.0.1:PORT` of each master.
    pub urls: Vec<String>,
    nodes: Vec<Throwaway>,
    dir: TempDir,
}

impl TestCluster {
    pub const MASTERS: usize = 3;

    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut cluster = Self { urls: Vec::new(), nodes: Vec::new(), dir };
        for index in 0..Self::MASTERS {
            let node = cluster.start_node(index).await;
            cluster.urls.push(node.url());
            cluster.nodes.push(node);
        }
        let addresses: Vec<String> =
            cluster.urls.iter().map(|url| url.trim_start_matches("redis://").to_owned()).collect();
        let create = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&addresses)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(Duration::from_secs(30), create)
            .await
            .expect("redis-cli --cluster create finishes within 30 s")
            .expect("redis-cli is on PATH");
        assert!(
            output.status.success(),
            "redis-cli --cluster create failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for url in &cluster.urls {
            let ready = poll_until(READY_TIMEOUT, || async {
                let info = cluster_info(url).await?;
                let ok = info.contains("cluster_state:ok")
                    && info.contains("cluster_slots_ok:16384")
                    && info.contains(&format!("cluster_known_nodes:{}", Self::MASTERS));
                ok.then_some(())
            });
            if ready.await.is_none() {
                panic!("{url} did not reach cluster_state:ok:\n{}", cluster_info(url).await.unwrap_or_default());
            }
        }
        cluster
    }

    /// Starts one cluster-enabled node on a free port (and a free cluster bus port).
    async fn start_node(&self, index: usize) -> Throwaway {
        let dir = self.dir.path().join(format!("node{index}"));
        let node = RedisServer::new(&dir).cluster_node().persistence(Persistence::AofAlways);
        let started = node.log_file(dir.join("redis.log")).start().await;
        started.unwrap_or_else(|error| panic!("cluster node {index} did not start: {error}"))
    }

    /// The `REDIS_URL` naming every master as a seed node.
    pub fn redis_url(&self) -> String {
        self.urls.join(",")
    }

    /// A cluster connection (follows MOVED) for checks.
    pub async fn connection(&self) -> redis::cluster_async::ClusterConnection {
        let client = redis::cluster::ClusterClient::new(self.urls.clone()).expect("valid node URLs");
        client.get_async_connection().await.expect("the cluster answers")
    }

    /// A plain connection to one master, e.g. for `DBSIZE` or `KEYS` on that node alone.
    pub async fn node(&self, index: usize) -> MultiplexedConnection {
        let client = redis::Client::open(self.urls[index].as_str()).expect("a valid Redis URL");
        client.get_multiplexed_async_connection().await.expect("the node answers")
    }
}

/// `CLUSTER INFO` of one node, if it answers.
async fn cluster_info(url: &str) -> Option<String> {
    let client = redis::Client::open(url).ok()?;
    let mut connection = client.get_multiplexed_async_connection().await.ok()?;
    redis::cmd("CLUSTER").arg("INFO").query_async(&mut connection).await.ok()
}

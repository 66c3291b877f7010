//! The one way this crate starts `redis-server`: [`RedisServer`] says where it listens, where its
//! data and log go, how it persists and whether it is a cluster node; the private server builds
//! its command from it, and [`Throwaway`] runs one on a free loopback port for the benches and
//! the tests, killed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

/// How often a starting server is asked for PING, and how long it gets.
const POLL_STEP: Duration = Duration::from_millis(25);
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries with another free port when a server started on one exits (someone took the port).
const FREE_PORT_ATTEMPTS: usize = 3;

/// How a server keeps its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// `--appendonly no`: nothing survives the process.
    None,
    /// `--appendonly yes --appendfsync always`: every write on disk before it is answered.
    AofAlways,
}

impl Persistence {
    fn args(self) -> &'static [&'static str] {
        match self {
            Self::None => &["--appendonly", "no"],
            Self::AofAlways => &["--appendonly", "yes", "--appendfsync", "always"],
        }
    }
}

/// Where a server listens.
#[derive(Clone, Debug)]
enum Listen {
    /// Loopback TCP on this port, or on a free one.
    Tcp(Option<u16>),
    /// Only a unix socket (`--port 0`), mode 700.
    Unix(PathBuf),
}

/// A `redis-server` to start. RDB snapshots are always off (`--save ""`); everything else is
/// chosen here.
#[derive(Clone, Debug)]
pub struct RedisServer {
    dir: PathBuf,
    listen: Listen,
    persistence: Persistence,
    cluster: bool,
    log: Option<PathBuf>,
    remove_dir: bool,
}

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("redis-server is not installed (Debian/Ubuntu: `sudo apt-get install redis-server`)")]
    NotInstalled,
    #[error("cannot start redis-server: {0}")]
    Io(#[from] std::io::Error),
    #[error("redis-server on port {port} exited ({status}); its log:\n{log}")]
    Exited { port: u16, status: ExitStatus, log: String },
    #[error("redis-server on port {port} did not answer within {START_TIMEOUT:?}; its log:\n{log}")]
    NoAnswer { port: u16, log: String },
}

impl RedisServer {
    /// A server on a free loopback port with its data in `dir`, no persistence, no log.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            listen: Listen::Tcp(None),
            persistence: Persistence::None,
            cluster: false,
            log: None,
            remove_dir: false,
        }
    }

    /// On this loopback port instead of a free one (e.g. a restart where clients point).
    pub fn port(mut self, port: u16) -> Self {
        self.listen = Listen::Tcp(Some(port));
        self
    }

    /// Only on the unix socket at `socket` (no TCP port).
    pub fn unix_socket(mut self, socket: impl Into<PathBuf>) -> Self {
        self.listen = Listen::Unix(socket.into());
        self
    }

    pub fn persistence(mut self, persistence: Persistence) -> Self {
        self.persistence = persistence;
        self
    }

    /// A Redis Cluster node (`nodes.conf` in its dir) with its bus on a free port.
    pub fn cluster_node(mut self) -> Self {
        self.cluster = true;
        self
    }

    /// The server's log (`--logfile`, appended to).
    pub fn log_file(mut self, log: impl Into<PathBuf>) -> Self {
        self.log = Some(log.into());
        self
    }

    /// The [`Throwaway`] removes the dir when dropped.
    pub fn remove_dir_when_dropped(mut self) -> Self {
        self.remove_dir = true;
        self
    }

    /// The command for this server, listening on `port` (cluster bus on `bus_port`) when TCP.
    /// Its stdin and stdout are closed; it writes to its log file only.
    pub fn command(&self, port: u16, bus_port: u16) -> Command {
        let mut command = Command::new("redis-server");
        match &self.listen {
            Listen::Tcp(_) => command.args(["--port", &port.to_string(), "--bind", "127.0.0.1"]),
            Listen::Unix(socket) => {
                command.args(["--port", "0", "--unixsocket"]).arg(socket).args(["--unixsocketperm", "700"])
            }
        };
        if self.cluster {
            command.args(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]);
            command.args(["--cluster-port", &bus_port.to_string(), "--cluster-node-timeout", "5000"]);
        }
        command.args(["--save", "", "--daemonize", "no"]).args(self.persistence.args()).arg("--dir").arg(&self.dir);
        if let Some(log) = &self.log {
            command.arg("--logfile").arg(log);
        }
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        command
    }

    /// Starts the server on loopback TCP and returns once it answers PING. On a free port, a
    /// server that exits at once (the port was taken meanwhile) is tried again on another.
    pub async fn start(self) -> Result<Throwaway, StartError> {
        std::fs::create_dir_all(&self.dir)?;
        let fixed = match self.listen {
            Listen::Tcp(port) => port,
            Listen::Unix(_) => return Err(std::io::Error::other("Throwaway servers listen on TCP").into()),
        };
        let attempts = if fixed.is_some() { 1 } else { FREE_PORT_ATTEMPTS };
        let mut last = None;
        for _ in 0..attempts {
            let port = match fixed {
                Some(port) => port,
                None => free_port()?,
            };
            let bus_port = if self.cluster { free_port()? } else { 0 };
            match self.spawn_and_wait(port, bus_port).await {
                Ok(child) => return Ok(Throwaway { child: Some(child), port, bus_port, spec: self }),
                Err(error) => last = Some(error),
            }
        }
        Err(last.expect("at least one attempt"))
    }

    async fn spawn_and_wait(&self, port: u16, bus_port: u16) -> Result<Child, StartError> {
        let mut child = self.command(port, bus_port).spawn().map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => StartError::NotInstalled,
            _ => StartError::Io(error),
        })?;
        let url = format!("redis://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(StartError::Exited { port, status, log: self.log_text() });
            }
            if pings(&url).await {
                return Ok(child);
            }
            tokio::time::sleep(POLL_STEP).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(StartError::NoAnswer { port, log: self.log_text() })
    }

    fn log_text(&self) -> String {
        self.log.as_deref().and_then(|log| std::fs::read_to_string(log).ok()).unwrap_or_default()
    }
}

/// A `redis-server` this process started on loopback TCP; killed (SIGKILL) when dropped.
pub struct Throwaway {
    child: Option<Child>,
    port: u16,
    bus_port: u16,
    spec: RedisServer,
}

impl Throwaway {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills the server with SIGKILL and reaps it; its data stays in its dir.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port (and bus port) and dir, so it loads what a
    /// killed one left there (killing it first if it still runs); returns once it answers PING.
    pub async fn restart(&mut self) -> Result<(), StartError> {
        self.kill();
        self.child = Some(self.spec.spawn_and_wait(self.port, self.bus_port).await?);
        Ok(())
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        self.kill();
        if self.spec.remove_dir {
            let _ = std::fs::remove_dir_all(&self.spec.dir);
        }
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Whether a server at `url` answers PING.
async fn pings(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let ping = async {
        let mut connection = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut connection).await
    };
    matches!(tokio::time::timeout(Duration::from_secs(2), ping).await, Ok(Ok(pong)) if pong == "PONG")
}

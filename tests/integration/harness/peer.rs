//! [`Peer`]: another `serve` process beside a [`super::TestApp`], on the same Redis and emulator.

use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::process::Child;

use super::{parse_address, poll_until, LISTENING, READY_TIMEOUT};

/// A second bot process made by [`TestApp::spawn_peer`]; killed when dropped.
pub struct Peer {
    pub(super) child: Option<Child>,
    pub(super) log_path: PathBuf,
}

impl Peer {
    /// The peer's HTTP address from its log.
    pub async fn http_addr(&self) -> SocketAddr {
        let found = poll_until(READY_TIMEOUT, || async { parse_address(&self.log(), LISTENING) }).await;
        found.unwrap_or_else(|| panic!("the peer logged no `{LISTENING}` line:\n{}", self.log()))
    }

    pub fn log(&self) -> String {
        std::fs::read(&self.log_path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
    }

    pub async fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _already_gone = child.kill().await;
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = self.log();
            let lines: Vec<&str> = log.lines().collect();
            eprintln!("----- peer log tail -----\n{}\n-----", lines[lines.len().saturating_sub(60)..].join("\n"));
        }
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
    }
}

//! The whole app run in this test process (`starmine::app::serve_until`), for tests that need
//! no crash: no child process, the stop passed in instead of SIGTERM.

use std::time::Duration;

use starmine::config::Config;
use starmine::exit::Failure;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a stopped app may take to drain before the test fails.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// An app running on the test's runtime until [`InProcess::stop`] (or drop).
pub struct InProcess {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), Failure>>,
}

impl InProcess {
    /// Starts the app with exactly `env` as its environment (nothing of the test's own).
    pub fn start(env: &[(String, String)]) -> Self {
        let lookup = |name: &str| env.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        let config = Config::from_lookup(lookup).unwrap_or_else(|problems| panic!("bad test config: {problems:?}"));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(starmine::app::serve_until(config, async move {
            let _ = stopped.await;
        }));
        Self { stop: Some(stop), task }
    }

    /// Whether the app returned already (it should not before [`InProcess::stop`]).
    pub fn has_returned(&self) -> bool {
        self.task.is_finished()
    }

    /// Stops the app and waits (bounded) for it to drain; what `serve_until` returned.
    pub async fn stop(mut self) -> Result<(), Failure> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match tokio::time::timeout(STOP_TIMEOUT, &mut self.task).await {
            Ok(joined) => joined.expect("the app task does not panic"),
            Err(_) => panic!("the in-process app did not drain within {STOP_TIMEOUT:?} of its stop"),
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

//! `REDIS_URL` unset: `serve` runs a private redis-server on `./data/redis.sock`, reuses one left
//! by a crash, stops the one it started; `player` uses that socket or exits 3. Each test holds a
//! [`PrivateRedisGuard`], so a server left running (by design, or by a failing test) is stopped.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use starmine::sandbox::emulator::{Emulator, EmulatorConfig};
use tokio::process::{Child, Command};

use crate::harness::PrivateRedisGuard;
use crate::support::*;

fn starmine(dir: &Path, emulator: &Emulator) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_starmine"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TELOXIDE_TOKEN", emulator.token())
        .env("TELOXIDE_API_URL", emulator.api_url())
        .env("GAME_DATA_DIR", Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data"))
        .env("HTTP_ADDR", "127.0.0.1:0")
        .env("METRICS_ADDR", "127.0.0.1:0")
        .env("SEND_LIMITS", "off")
        .stdin(Stdio::null());
    command
}

async fn serve(dir: &Path, emulator: &Emulator) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("bot.log")).unwrap();
    let child =
        starmine(dir, emulator).arg("serve").stdout(Stdio::null()).stderr(log).kill_on_drop(true).spawn().unwrap();
    let before = emulator.request_count();
    emulator
        .wait_for_request(before, Duration::from_secs(20), |r| r.method == "getUpdates")
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", std::fs::read_to_string(dir.join("bot.log")).unwrap_or_default()));
    child
}

async fn player_exit(dir: &Path, emulator: &Emulator) -> (Option<i32>, String) {
    let output = starmine(dir, emulator).args(["player", &ALICE.to_string()]).output().await.unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr),
    )
}

#[tokio::test]
async fn serve_runs_reuses_and_stops_a_private_redis() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let redis = PrivateRedisGuard::new(dir.path());
    let (code, output) = player_exit(dir.path(), &emulator).await;
    assert_eq!(code, Some(3), "nothing answers yet: {output}");
    assert!(output.contains("redis.sock"), "{output}");

    let mut bot = serve(dir.path(), &emulator).await;
    assert!(redis.answers());
    assert!(dir.path().join("data/appendonlydir").exists(), "AOF under ./data");
    emulator.send_text(ALICE, "/buy energy");
    let invoice = emulator.wait_for(ALICE, WAIT, |m| m.invoice.is_some()).await.unwrap();
    let charge = emulator.pay_invoice(ALICE, ALICE, invoice.message_id).await.charge_id();
    emulator.wait_for(ALICE, WAIT, |m| m.text.as_deref().is_some_and(|t| t.contains(&charge))).await.unwrap();

    // kill -9 leaves the private server running; the next serve reuses it.
    bot.kill().await.unwrap();
    assert!(redis.answers());
    let (code, output) = player_exit(dir.path(), &emulator).await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains(&charge));
    let bot = serve(dir.path(), &emulator).await;
    let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap();
    assert!(log.contains("reusing the private redis-server"), "{log}");

    // SIGTERM: the bot exits 0 and stops the server it uses... only the one it started.
    let pid = bot.id().unwrap() as i32;
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let status = tokio::time::timeout(Duration::from_secs(20), wait(bot)).await.expect("exits");
    assert_eq!(status, Some(0));
    assert!(redis.answers(), "a reused server is not ours to stop");

    // A serve that started its own server stops it on SIGTERM (after flushing the AOF).
    redis.shutdown();
    assert!(!redis.answers());
    let bot = serve(dir.path(), &emulator).await;
    let (code, output) = player_exit(dir.path(), &emulator).await;
    assert_eq!(code, Some(0));
    assert!(output.contains(&charge), "the AOF kept the payment: {output}");
    unsafe { libc::kill(bot.id().unwrap() as i32, libc::SIGTERM) };
    assert_eq!(tokio::time::timeout(Duration::from_secs(20), wait(bot)).await.unwrap(), Some(0));
    assert!(!redis.answers(), "the server it started is stopped");
}

async fn wait(mut child: Child) -> Option<i32> {
    child.wait().await.ok().and_then(|status| status.code())
}

#[tokio::test]
async fn a_missing_redis_server_is_reported_with_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let output = starmine(dir.path(), &emulator).env("PATH", "/nonexistent").arg("serve").output().await.unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("apt-get install redis-server"), "{stderr}");
}

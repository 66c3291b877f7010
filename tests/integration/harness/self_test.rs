//! The harness tested on its own, with a shell script standing in for the bot.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::time::Duration;

use redis::AsyncCommands;

use super::{parse_address, TestApp, TestOptions, LISTENING, SERVING_METRICS};

#[tokio::test]
async fn the_harness_runs_redis_and_manages_the_bot_process() {
    let script = "echo \"api=$TELOXIDE_API_URL redis=$REDIS_URL\"; \
                  echo 'INFO starmine::http: listening on http://127.0.0.1:4567' >&2; exec sleep 600";
    let options = TestOptions {
        program: PathBuf::from("sh"),
        args: vec!["-c".to_owned(), script.to_owned()],
        wait_for_polling: false,
        ..TestOptions::default()
    };
    let mut app = TestApp::spawn_with(options).await;
    assert_eq!(app.http_addr().await, "127.0.0.1:4567".parse().expect("an address"));
    let expected = format!("api={} redis={}", app.emulator.api_url(), app.redis_url);
    app.wait_until(Duration::from_secs(5), || async { app.log().contains(&expected) }).await;

    let mut redis = app.redis().await;
    let _: () = redis.set("harness:probe", 7).await.expect("SET");
    assert!(app.dir().join("appendonlydir").exists(), "AOF is on");

    app.restart().await;
    app.http_addr().await;
    assert_eq!(app.log().matches("listening on http://").count(), 2);
    let status = app.sigterm().await;
    assert_eq!(status.signal(), Some(libc::SIGTERM));

    let probe: i64 = app.redis().await.get("harness:probe").await.expect("GET");
    assert_eq!(probe, 7, "the same Redis across restarts");
    let cli = app.run_cli(&["-c", "echo \"$REDIS_URL $HTTP_ADDR\""]).await;
    assert_eq!(String::from_utf8_lossy(&cli.stdout).trim(), format!("{} 127.0.0.1:0", app.redis_url));
    assert_eq!(parse_address("x listening on http://[::1]:80.", LISTENING), Some("[::1]:80".parse().expect("v6")));
    let both = "listening on http://127.0.0.1:1\nserving metrics on http://127.0.0.1:2/metrics";
    assert_eq!(parse_address(both, LISTENING), Some("127.0.0.1:1".parse().expect("v4")));
    assert_eq!(parse_address(both, SERVING_METRICS), Some("127.0.0.1:2".parse().expect("v4")));
}

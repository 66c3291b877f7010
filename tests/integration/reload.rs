//! Hot reload of `game_data/`: a valid edit applies atomically, an invalid one is logged and the
//! old catalog stays, SIGHUP reloads, and open invoices keep their snapshot price.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::harness::{TestApp, TestOptions};
use crate::support::*;

/// Copies the tests' `game_data` into `to`.
pub fn copy_fixture(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

pub async fn spawn_on_copy() -> (TestApp, PathBuf, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("game_data");
    copy_fixture(&dir);
    let mut options = TestOptions { game_data_dir: dir.clone(), admin_user_ids: vec![ADMIN], ..TestOptions::default() };
    options.env.push(("SEND_LIMITS".into(), "off".into()));
    (TestApp::spawn_with(options).await, dir, data)
}

/// Rewrites `items.toml` with `from` replaced by `to` (once).
pub fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("items.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in items.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

pub async fn wait_for_log(app: &TestApp, needle: &str) {
    let found =
        crate::harness::poll_until(Duration::from_secs(10), || async { app.log().contains(needle).then_some(()) })
            .await;
    assert!(found.is_some(), "`{needle}` not logged:\n{}", app.log_tail(30));
}

#[tokio::test]
async fn valid_edits_apply_and_open_invoices_keep_their_price() {
    let (app, dir, _keep) = spawn_on_copy().await;
    let old = invoice(&app, ALICE, "energy").await;
    assert_eq!(old.invoice.as_ref().unwrap().amount, 5);
    edit(&dir, "price_stars = 5", "price_stars = 9");
    wait_for_log(&app, "game data reloaded").await;
    let fresh = invoice(&app, BOB, "energy").await;
    assert_eq!(fresh.invoice.as_ref().unwrap().amount, 9, "new invoices use the new price");
    // Alice's invoice was made at 5 Stars: it stays payable at exactly that price.
    let charge = pay(&app, ALICE, &old).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    assert_eq!(player(&app, ALICE).await["payments"][0]["amount"], 5);
}

#[tokio::test]
async fn an_invalid_edit_is_logged_and_the_old_catalog_stays() {
    let (app, dir, _keep) = spawn_on_copy().await;
    edit(&dir, "price_stars = 5", "price_stars = 0");
    wait_for_log(&app, "game data NOT reloaded").await;
    assert!(app.log().contains("items.toml:"), "each problem is logged as file:line");
    let still = invoice(&app, ALICE, "energy").await;
    assert_eq!(still.invoice.unwrap().amount, 5);
    // Fixed again, it applies.
    edit(&dir, "price_stars = 0", "price_stars = 6");
    wait_for_log(&app, "game data reloaded").await;
    assert_eq!(invoice(&app, BOB, "energy").await.invoice.unwrap().amount, 6);
}

#[tokio::test]
async fn sighup_reloads_and_a_stock_change_keeps_the_sold_count() {
    let (app, dir, _keep) = spawn_on_copy().await;
    buy_and_pay(&app, ALICE, "rare").await;
    buy_and_pay(&app, BOB, "rare").await;
    // Stock 3 -> 2 while 2 are sold: sold out, not reset.
    edit(&dir, "stock = 3", "stock = 2");
    let pid = app.bot_pid().expect("the bot runs");
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(pid as i32, libc::SIGHUP) };
    wait_for_log(&app, "reason=\"SIGHUP\"").await;
    say_expect(&app, 3003, "/buy rare", "sold out").await;
    assert_eq!(sold(&app, "rare").await, 2);
}

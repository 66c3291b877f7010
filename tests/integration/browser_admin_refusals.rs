//! The console's refusals in a real browser: headless Chromium driven by
//! `tests/browser/admin_refusals.mjs` against the real bot. A genuinely signed link for Alice (not
//! an admin), an expired link and a link used a second time each show a page that says why and
//! how to get a link, with no sign-in button and nothing of the console; a session cookie changed
//! in the browser is refused by the page and the API alike and removed. Signed in on a phone, a
//! refund from the Players tab sent without the CSRF token says it was refused and the payment
//! stays paid, and an answer to a support message without the token is refused with no data.
//! Screenshots in `test-artifacts/browser/admin_refusals/`.

use serde_json::{json, Value};
use starmine::admin::LoginToken;
use starmine::domain::UserId;

use crate::admin::{console, link_from_chat, spawn_console};
use crate::admin_sales::{read, signed_in};
use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::support::{buy_and_pay, say_expect, ADMIN, ALICE};

fn refused(out: &Value, name: &str, state: &str, says: &str) {
    let gate = &out[name];
    assert_eq!(gate["state"], state, "{name}: {gate}");
    let text = gate["text"].as_str().unwrap_or_default();
    assert!(text.contains(says) && text.contains("send /admin to the bot"), "{name}: {gate}");
    assert_eq!((gate["console"].as_bool(), gate["sign_in"].as_u64()), (Some(false), Some(0)), "{name}: {gate}");
}

/// An API refusal: its status and code, and nothing but a sentence.
fn refused_api(answer: &Value, status: u16, code: &str) {
    assert_eq!((answer["status"].as_u64(), answer["code"].as_str()), (Some(u64::from(status)), Some(code)), "{answer}");
    assert_eq!(answer["keys"], json!(["code", "error"]), "no data: {answer}");
}

#[tokio::test]
async fn links_cookies_and_changes_the_console_refuses_say_so_in_chromium() {
    assert_prerequisites();
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, "/paysupport", "next message").await;
    say_expect(&app, ALICE, "Where is my energy?", "saved").await;

    let now = starmine::clock::now_ms();
    let signer = console(addr);
    let not_admin = signer.login_link(UserId(ALICE as u64), now);
    let expired = LoginToken { admin: UserId(ADMIN as u64), expires_at_ms: now - 1_000, nonce: "browser-old".into() };
    let expired = format!("http://{addr}/admin/login?t={}", signer.sign_login(&expired));
    let (first, second) = (link_from_chat(&app, ADMIN).await, link_from_chat(&app, ADMIN).await);
    let screenshots = screenshot_dir("admin_refusals");
    let alice = ALICE.to_string();
    let env = [
        ("NON_ADMIN_LINK", not_admin.as_str()),
        ("EXPIRED_LINK", expired.as_str()),
        ("LINK", first.as_str()),
        ("LINK2", second.as_str()),
        ("PLAYER", alice.as_str()),
        ("SUPPORT_ID", "1"),
    ];
    let driven = drive(&app, ADMIN, "admin_refusals.mjs", &env, &first, &screenshots).await;
    let out = driven.output(&app, "admin_refusals.mjs");

    refused(&out, "not_admin", "not_admin", "not an operator");
    refused(&out, "expired", "expired", "expired");
    refused(&out, "reused", "reused", "already used");
    refused(&out, "tampered", "tampered", "could not be verified");
    refused_api(&out["tampered_api"], 401, "tampered");
    assert_eq!(out["cookie_after_tampered"], false, "the refused cookie is removed");

    let refund = &out["csrf_refund"];
    let result = refund["result"].as_str().unwrap_or_default();
    assert!(result.starts_with("Refund failed:") && result.contains("refused"), "{refund}");
    assert_eq!(refund["statuses"], json!(["paid"]), "{refund}");
    refused_api(&out["csrf_api"], 403, "csrf");
    assert!(!app.emulator.is_refunded(&charge), "nothing was refunded");
    let cookie = signed_in(&app).await;
    assert!(read(&app, &cookie, "/admin/api/support").await["messages"][0]["answer"].is_null(), "nothing answered");
    let log = app.run_log();
    assert!(log.contains("failed the CSRF check"), "{log}");
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(5), "{out}");
}

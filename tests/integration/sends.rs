//! The outbox (`telegram::outbox`) with Telegram's limits on both sides: a reply in a quiet chat
//! leaves without waiting for any pass, a chat's replies keep their order under a burst, a 429
//! holds only its chat and the message still arrives once, a 5xx costs one short retry (not
//! teloxide's 10 s), two processes sharing one Redis stay within the overall budget, and a
//! player who blocked the bot (403) is still granted while each send to them is tried once.

use std::time::{Duration, Instant};

use starmine::sandbox::emulator::{Fault, RecordedRequest};

use crate::harness::{poll_until, TestApp};
use crate::support::*;
use crate::webhook::{HOOK_URL, SECRET};

/// The bot paces itself by Telegram's limits, and the emulator enforces them with 429s.
async fn limited(env: &[(&str, &str)]) -> TestApp {
    let app = spawn_with_env(&[&[("SEND_LIMITS", "telegram")], env].concat()).await;
    app.emulator.enforce_send_limits(true);
    app
}

fn texts(app: &TestApp, chat: i64) -> Vec<String> {
    app.emulator.messages(chat).into_iter().filter_map(|message| message.text).collect()
}

#[tokio::test]
async fn a_reply_in_a_quiet_chat_leaves_without_waiting_for_a_pass() {
    let app = limited(&[]).await;
    for user in 9101..9109 {
        say_expect(&app, user, "/terms", "terms of sale").await;
    }
    // From the handler's call to the request leaving: a Redis reservation, no pass to wait for
    // (teloxide's Throttle held each send up to 250 ms).
    let count = metric(&app, "starmine_send_wait_seconds_count").await;
    let waited = metric(&app, "starmine_send_wait_seconds_sum").await;
    assert!(count >= 8.0, "every reply went through the outbox ({count})");
    assert!(waited / count < 0.05, "a quiet chat's reply waited {:.1} ms on average", waited / count * 1000.0);
    assert_eq!(app.emulator.limit_refusals(), 0);
}

#[tokio::test]
async fn a_chats_replies_keep_their_order_under_a_burst() {
    let app = limited(&[]).await;
    let user = 9201;
    let before = last_id(&app, user);
    for n in 0..6 {
        app.emulator.send_text(user, &format!("/use zz{n}"));
    }
    // Three at once, then one a chat-second apart: about 3 s.
    let replies = poll_until(Duration::from_secs(20), || async {
        let fresh: Vec<String> = app
            .emulator
            .messages(user)
            .into_iter()
            .filter(|message| message.message_id > before)
            .filter_map(|message| message.text)
            .collect();
        (fresh.len() >= 6).then_some(fresh)
    })
    .await
    .expect("six replies");
    for (n, reply) in replies.iter().enumerate() {
        assert!(reply.contains(&format!("zz{n}")), "reply {n} out of order: {replies:?}");
    }
    assert_eq!(app.emulator.limit_refusals(), 0, "paced within the chat's budget");
}

#[tokio::test]
async fn a_429_holds_only_its_chat_and_the_message_arrives_once() {
    let app = spawn().await;
    app.emulator.fault("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    let (held, free) = (9301, 9302);
    let started = Instant::now();
    app.emulator.send_text(held, "/terms");
    app.emulator.send_text(held, "/paysupport");
    tokio::time::sleep(Duration::from_millis(100)).await;
    say_expect(&app, free, "/terms", "terms of sale").await;
    assert!(texts(&app, held).is_empty(), "the other chat was answered while this one is held");
    poll_until(Duration::from_secs(10), || async { (texts(&app, held).len() >= 2).then_some(()) })
        .await
        .expect("both replies after the hold");
    assert!(started.elapsed() >= Duration::from_millis(900), "held for retry_after");
    let replies = texts(&app, held);
    assert_eq!(replies.len(), 2, "each reply once: {replies:?}");
    assert!(replies[0].contains("terms of sale") && !replies[1].contains("terms of sale"), "in order: {replies:?}");
}

#[tokio::test]
async fn a_send_answered_5xx_is_retried_once_without_holding_the_chat_for_long() {
    let app = spawn().await;
    let bad_gateway = Fault::Error { code: 502, description: "Bad Gateway".into() };
    app.emulator.fault("sendMessage", bad_gateway, 1);
    let started = Instant::now();
    say_expect(&app, 9401, "/terms", "terms of sale").await;
    // One retry after 500 ms; teloxide's own request path slept 10 s before even returning.
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    let sends = app.emulator.requests().iter().filter(|r| r.method == "sendMessage").count();
    assert_eq!(sends, 2, "one failed, one retried");
    assert_eq!(texts(&app, 9401).len(), 1, "sent once");

    // Two failures in a row: the handler gets the error, the chat is free again at once.
    let broken = || Fault::Error { code: 500, description: "Internal Server Error".into() };
    app.emulator.fault("sendMessage", broken(), 2);
    app.emulator.send_text(9402, "/terms");
    app.wait_until(WAIT, || async { app.log().contains("an update handler failed") }).await;
    say_expect(&app, 9402, "/terms", "terms of sale").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_redis_keep_the_overall_budget() {
    let app = spawn_webhook(HOOK_URL, SECRET, &[("SEND_LIMITS", "telegram"), ("RECONCILE_EVERY_S", "0")]).await;
    let peer = app.spawn_peer("peer").await;
    route_webhook(&app, HOOK_URL, &[app.http_addr().await, peer.http_addr().await]).await;
    // Both ready (a starting process registers the webhook again, and answers 503 until then).
    poll_until(WAIT, || async { peer.log().contains("waiting for webhook deliveries").then_some(()) })
        .await
        .expect("the peer is ready");
    app.emulator.enforce_send_limits(true);
    let mut sends = app.emulator.tap_sends();

    // 75 players at once, each answered in their own chat: 2.5 s of the overall budget, so two
    // processes each sending at the full rate would meet 429s.
    let players: Vec<i64> = (9501..9576).collect();
    for user in &players {
        app.emulator.send_text(*user, "/terms");
    }
    let mut times = Vec::new();
    while times.len() < players.len() {
        let send = tokio::time::timeout(Duration::from_secs(20), sends.recv()).await.expect("every reply").unwrap();
        times.push(send.at);
    }
    let span = *times.last().unwrap() - times[0];
    assert_eq!(app.emulator.limit_refusals(), 0, "no 429: the budget is shared");
    assert!(span >= Duration::from_millis(1400), "75 sends paced at about 28/s took only {span:?}");
    for user in &players {
        assert_eq!(texts(&app, *user).len(), 1, "player {user} answered once");
    }
    let delivered: Vec<String> =
        app.emulator.webhook_deliveries().into_iter().filter(|d| d.delivered).map(|d| d.target).collect();
    let peer_addr = peer.http_addr().await.to_string();
    let to_peer = delivered.iter().filter(|target| target.contains(&peer_addr)).count();
    assert!(to_peer >= 10 && delivered.len() - to_peer >= 10, "both processes sent ({to_peer} of {})", delivered.len());
}

#[tokio::test]
async fn pre_checkout_answers_never_wait_for_the_send_budget() {
    let app = limited(&[]).await;
    let buyer = 9601;
    let bill = invoice(&app, buyer, "energy").await;
    let mut sends = app.emulator.tap_sends();
    let players = 9610..9660_i64;
    for user in players.clone() {
        app.emulator.send_text(user, "/terms");
    }
    // The burst is out; the other replies wait for the overall budget (about 1.4 s more).
    for _ in 0..10 {
        tokio::time::timeout(WAIT, sends.recv()).await.expect("the burst leaves").unwrap();
    }
    let charge = pay(&app, buyer, &bill).await.charge_id();
    let mut out = 10;
    while sends.try_recv().is_ok() {
        out += 1;
    }
    assert!(out < players.count(), "the pre-checkout was answered only after {out} queued replies");
    text_after(&app, buyer, bill.message_id, &charge).await;
    assert_eq!(app.emulator.limit_refusals(), 0);
}

/// The requests the bot addressed to `chat` among those numbered `range` (in arrival order).
fn sent_to(app: &TestApp, chat: i64, range: std::ops::Range<usize>) -> Vec<RecordedRequest> {
    let requests = app.emulator.requests();
    let range = range.start..range.end.min(requests.len());
    let to_chat =
        |request: &&RecordedRequest| request.params["chat_id"].to_string().trim_matches('"') == chat.to_string();
    requests[range].iter().filter(to_chat).cloned().collect()
}

/// The player blocked the bot after opening an invoice and pays it anyway: Telegram answers 403
/// to every send to them. The payment is granted and recorded, and the refused receipt is tried
/// once: no retry while blocked, none after unblocking (the chat's next reply comes after
/// anything its lane still held).
#[tokio::test]
async fn a_player_who_blocked_the_bot_is_granted_and_each_send_to_them_is_tried_once() {
    let app = TestApp::spawn().await;
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    app.emulator.set_blocked(ALICE, true);
    let blocked_from = app.emulator.request_count();
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1, "the blocked player's purchase is granted");
    let mentions_charge = |request: &RecordedRequest| request.params.to_string().contains(&charge);
    let receipt_tried = poll_until(WAIT, || async {
        sent_to(&app, ALICE, blocked_from..usize::MAX).iter().any(mentions_charge).then_some(())
    });
    receipt_tried.await.expect("the bot tries to send the receipt");

    app.emulator.set_blocked(ALICE, false);
    let unblocked_from = app.emulator.request_count();
    say_expect(&app, ALICE, "/inventory", "Pickaxe ×1").await;
    let while_blocked = sent_to(&app, ALICE, blocked_from..unblocked_from);
    let receipts = while_blocked.iter().filter(|request| mentions_charge(request)).count();
    assert_eq!(receipts, 1, "the refused receipt is sent once, not retried: {while_blocked:#?}");
    for (index, request) in while_blocked.iter().enumerate() {
        let again = while_blocked[index + 1..]
            .iter()
            .any(|other| other.method == request.method && other.params == request.params);
        assert!(!again, "a send refused with 403 was repeated: {request:?}");
    }
    let after = sent_to(&app, ALICE, unblocked_from..usize::MAX);
    assert!(!after.iter().any(mentions_charge), "the refused receipt was retried after unblocking: {after:#?}");
    let delivered = app.emulator.messages(ALICE);
    let receipt_delivered =
        delivered.iter().any(|message| message.text.as_deref().is_some_and(|text| text.contains(&charge)));
    assert!(!receipt_delivered, "a receipt refused with 403 must not arrive later");
}

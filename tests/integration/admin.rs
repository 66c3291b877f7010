//! The operator console's sign-in against the real binary, the emulator and a real Redis: `/admin`
//! in the chat (an admin gets a one-time link, anyone else the unknown-command answer) and
//! `starmine admin-link`; the link's confirmation page and the sign-in that claims it once
//! (also across two processes) and sets a strict, HttpOnly session cookie; expired, tampered and
//! reused links, tampered cookies and removed admins refused with a page that says how to sign
//! in; CSRF checks on changes; the overview's figures from Telegram and Redis (polling, and a
//! webhook Telegram delivers to); the Players tab's API: a player's card (by id, or by the
//! @username they last wrote to the bot under, as `starmine player` finds them too) and an admin
//! refund (CSRF-guarded, the CLI's flow, idempotent).

use std::net::SocketAddr;

use reqwest::header::{HeaderMap, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use starmine::admin::{Console, LoginToken, COOKIE as COOKIE_NAME};
use starmine::domain::{Lang, UserId};
use starmine::telegram::texts;

use crate::harness::{poll_until, TestApp};
use crate::support::{buy_and_pay, held, say_expect, spawn_with_env, status, text_after, ADMIN, ALICE, BOB, WAIT};

/// `ADMIN_SESSION_SECRET`.
pub const SECRET: &str = "admin-console-test-secret-0123456789ab";

pub async fn spawn_console() -> TestApp {
    spawn_with_env(&[("ADMIN_SESSION_SECRET", SECRET)]).await
}

/// A client that shows redirects instead of following them.
pub fn client() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client")
}

/// The link the bot sends `user` for `/admin`.
pub async fn link_from_chat(app: &TestApp, user: i64) -> String {
    let reply = say_expect(app, user, "/admin", "/admin/login?t=").await;
    let text = reply.text.expect("a text");
    let link = text.split_whitespace().find(|word| word.starts_with("http")).expect("a link in the reply");
    link.to_owned()
}

/// The `t` of a sign-in link.
pub fn token_of(link: &str) -> String {
    let url = url::Url::parse(link).expect("a URL");
    url.query_pairs().find(|(name, _)| name == "t").map(|(_, value)| value.into_owned()).expect("a token")
}

/// Signs in at `addr` with `token` as the confirmation form does.
pub async fn sign_in(addr: SocketAddr, token: &str) -> reqwest::Response {
    client()
        .post(format!("http://{addr}/admin/login"))
        .header(ORIGIN, format!("http://{addr}"))
        .form(&[("t", token)])
        .send()
        .await
        .expect("the server answers")
}

/// The session cookie's `name=value` from a sign-in's `Set-Cookie`, and the whole header.
pub fn session_cookie(headers: &HeaderMap) -> (String, String) {
    let header = headers.get(SET_COOKIE).expect("a Set-Cookie").to_str().expect("ascii").to_owned();
    let pair = header.split(';').next().expect("name=value").to_owned();
    (pair, header)
}

pub async fn get(addr: SocketAddr, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut request = client().get(format!("http://{addr}{path}"));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.expect("the server answers");
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.expect("a body"))
}

pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("not JSON ({error}): {body}"))
}

/// A console with `SECRET` at `addr`, to sign links the server would never make.
pub fn console(addr: SocketAddr) -> Console {
    Console::new(SECRET.as_bytes(), Console::base_url(None, addr))
}

#[tokio::test]
async fn an_admin_signs_in_with_a_link_from_the_chat_and_sees_the_overview() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    buy_and_pay(&app, ALICE, "energy").await;

    // Anyone else gets the answer to a command that does not exist, and no link.
    let reply = say_expect(&app, ALICE, "/admin", &texts::unknown_command(Lang::En)).await;
    assert_eq!(reply.text, Some(texts::unknown_command(Lang::En)));

    let link = link_from_chat(&app, ADMIN).await;
    assert!(link.starts_with(&format!("http://{addr}/admin/login?t=v1.")), "{link}");
    let sent = app.emulator.requests().into_iter().rev().find(|r| r.method == "sendMessage").expect("the link's send");
    assert_eq!(sent.params["link_preview_options"]["is_disabled"], true, "no preview fetches the link: {sent:?}");

    // Not signed in: a page that says how to get a link, and JSON for the API.
    let (status, _, page) = get(addr, "/admin/", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("send /admin to the bot") && page.contains("admin-link"), "{page}");
    assert!(!page.contains("admin.js"), "the console itself is not shown: {page}");
    let (status, _, body) = get(addr, "/admin/api/overview", None).await;
    assert_eq!((status, json(&body)["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("not_signed_in")));

    // The link asks first (a preview or a prefetch spends nothing), then signs in.
    let (status, headers, page) = get(addr, &format!("/admin/login?t={}", token_of(&link)), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("operator <strong>{ADMIN}</strong>")) && page.contains("method=\"post\""), "{page}");
    assert!(headers
        .get("content-security-policy")
        .is_some_and(|csp| csp.to_str().unwrap().contains("frame-ancestors 'none'")));
    let response = sign_in(addr, &token_of(&link)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers().get(LOCATION).map(|l| l.to_str().unwrap()), Some("/admin/"));
    let (cookie, header) = session_cookie(response.headers());
    assert!(cookie.starts_with(&format!("{COOKIE_NAME}=v1.")), "{header}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/admin", "Max-Age=43200"] {
        assert!(header.split("; ").any(|part| part == attribute), "{attribute} in {header}");
    }
    assert!(!header.contains("Secure"), "plain http: no Secure ({header})");

    let (status, _, page) = get(addr, "/admin/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<script type=\"module\" src=\"admin.js\"></script>"), "{page}");
    let (_, _, body) = get(addr, "/admin/api/session", Some(&cookie)).await;
    let session = json(&body);
    assert_eq!(session["admin"], ADMIN);
    assert!(session["csrf"].as_str().is_some_and(|csrf| csrf.len() > 20), "{session}");
    let (status, headers, body) = get(addr, "/admin/api/overview", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    let overview = json(&body);
    assert_eq!(overview["star_balance"]["ok"]["amount"], app.emulator.star_balance(), "{overview}");
    assert!(app.emulator.star_balance() > 0, "Alice's purchase is in the balance");
    assert_eq!(overview["webhook"]["ok"]["url"], "", "polling: {overview}");
    assert_eq!(overview["journal_backlog"]["ok"], 0, "{overview}");
    assert_eq!(overview["pending_refunds"]["ok"], 0, "{overview}");
    assert_eq!(overview["sales"]["ok"]["windows"][0]["received"], 5, "Alice's energy: {overview}");
    assert_eq!(overview["sales"]["ok"]["windows"][0]["purchases"], 1, "{overview}");
    assert_eq!(overview["sales"]["ok"]["paying_players_today"], 1, "{overview}");

    let log = app.run_log();
    assert!(
        log.contains("starmine::admin") && log.contains("signed in") && log.contains(&format!("admin={ADMIN}")),
        "{log}"
    );
    assert!(!log.contains(&token_of(&link)) && !log.contains(&cookie[COOKIE_NAME.len() + 1..]), "no token in the log");
    assert!(!log.contains(SECRET));
}

#[tokio::test]
async fn a_link_works_once_across_processes() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let peer = app.spawn_peer("second").await;
    let peer_addr = peer.http_addr().await;
    // Its real routes are live once it polls (until then every path answers 503 "not ready").
    let ready = poll_until(WAIT, || async { peer.log().contains("polling for updates").then_some(()) }).await;
    assert!(ready.is_some(), "the second process starts:\n{}", peer.log());
    let token = token_of(&link_from_chat(&app, ADMIN).await);

    assert_eq!(sign_in(peer_addr, &token).await.status(), StatusCode::SEE_OTHER, "the second process signs in");
    for at in [addr, peer_addr] {
        let response = sign_in(at, &token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(SET_COOKIE).is_none());
        assert!(response.text().await.unwrap().contains("already used"));
        let (status, _, page) = get(at, &format!("/admin/login?t={token}"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(page.contains("already used") && page.contains("send /admin to the bot"), "{page}");
        assert!(!page.contains("method=\"post\""), "no sign-in button for a used link");
    }
    assert!(app.run_log().contains("the link was used before"));
}

#[tokio::test]
async fn expired_and_tampered_links_and_cookies_are_refused() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let now = starmine::clock::now_ms();

    let expired = LoginToken { admin: UserId(ADMIN as u64), expires_at_ms: now - 1_000, nonce: "old-link".into() };
    let expired = console(addr).sign_login(&expired);
    let (status, _, page) = get(addr, &format!("/admin/login?t={expired}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("expired") && page.contains("send /admin to the bot"), "{page}");
    assert_eq!(sign_in(addr, &expired).await.status(), StatusCode::UNAUTHORIZED);

    // Another admin's id in a genuine link's payload; a link signed with another secret.
    let token = token_of(&link_from_chat(&app, ADMIN).await);
    let mac = token.rsplit('.').next().unwrap();
    let forged_payload = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ALICE}|{}|n", now + 60_000))
    };
    let other = Console::new(b"a-guessed-secret-0123456789abcdefgh", Console::base_url(None, addr));
    for bad in
        [format!("v1.{forged_payload}.{mac}"), token_of(&other.login_link(UserId(ADMIN as u64), now)), "v1.x".into()]
    {
        let (status, _, page) = get(addr, &format!("/admin/login?t={bad}"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(page.contains("not valid"), "{page}");
        let response = sign_in(addr, &bad).await;
        assert!(response.headers().get(SET_COOKIE).is_none(), "{bad}");
    }
    assert_eq!(sign_in(addr, &token).await.status(), StatusCode::SEE_OTHER, "the genuine link still works");

    // Cookies: a changed signature, another secret's, and one that ran out.
    let genuine = console(addr).sign_session(&console(addr).new_session(UserId(ADMIN as u64), now));
    let mut changed = genuine.clone().into_bytes();
    let at = changed.len() - 10;
    changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8(changed).unwrap();
    let foreign = other.sign_session(&other.new_session(UserId(ADMIN as u64), now));
    let old = console(addr)
        .sign_session(&starmine::admin::AdminSession { admin: UserId(ADMIN as u64), expires_at_ms: now - 1 });
    for (value, code, sentence) in [
        (&changed, "tampered", "could not be verified"),
        (&foreign, "tampered", "could not be verified"),
        (&old, "expired", "session has ended"),
    ] {
        let cookie = format!("{COOKIE_NAME}={value}");
        let (status, headers, page) = get(addr, "/admin/", Some(&cookie)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{value}");
        assert!(page.contains(sentence) && !page.contains("admin.js"), "{page}");
        let cleared = headers.get(SET_COOKIE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(cleared.starts_with(&format!("{COOKIE_NAME}=;")) && cleared.contains("Max-Age=0"), "{cleared}");
        let (status, _, body) = get(addr, "/admin/api/overview", Some(&cookie)).await;
        assert_eq!((status, json(&body)["code"].as_str()), (StatusCode::UNAUTHORIZED, Some(code)), "{body}");
    }
    let (status, _, _) = get(addr, "/admin/api/overview", Some(&format!("{COOKIE_NAME}={genuine}"))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_change_needs_the_sessions_csrf_token_from_the_same_origin() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let response = sign_in(addr, &token_of(&link_from_chat(&app, ADMIN).await)).await;
    let (cookie, _) = session_cookie(response.headers());
    let (_, _, body) = get(addr, "/admin/api/session", Some(&cookie)).await;
    let csrf = json(&body)["csrf"].as_str().expect("a CSRF token").to_owned();
    let other_csrf = {
        let other = console(addr).sign_session(&console(addr).new_session(UserId(ADMIN as u64), 1));
        console(addr).csrf_token(&other)
    };
    let same = format!("http://{addr}");
    let logout = |headers: Vec<(&'static str, String)>| {
        let mut request = client().post(format!("http://{addr}/admin/api/logout")).header(COOKIE, &cookie);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    for (headers, why) in [
        (vec![("origin", same.clone())], "no token"),
        (vec![("x-csrf-token", other_csrf), ("origin", same.clone())], "another session's token"),
        (vec![("x-csrf-token", csrf.clone()), ("origin", "http://evil.example".into())], "another site"),
        (vec![("x-csrf-token", csrf.clone()), ("sec-fetch-site", "cross-site".into())], "cross-site fetch"),
    ] {
        let response = logout(headers).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{why}");
        assert!(response.headers().get(SET_COOKIE).is_none(), "{why}: nothing changed");
        assert_eq!(json(&response.text().await.unwrap())["code"], "csrf", "{why}");
    }
    // A cross-site sign-in form is refused too.
    let token = token_of(&link_from_chat(&app, ADMIN).await);
    let response = client()
        .post(format!("http://{addr}/admin/login"))
        .header(ORIGIN, "http://evil.example")
        .form(&[("t", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = logout(vec![("x-csrf-token", csrf), ("origin", same), ("sec-fetch-site", "same-origin".into())])
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let cleared = response.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let log = app.run_log();
    assert!(log.contains("failed the CSRF check") && log.contains("signed out"), "{log}");
}

#[tokio::test]
async fn a_removed_admin_is_refused_and_admin_link_prints_links_for_admins_only() {
    let mut app = spawn_console().await;
    let addr = app.http_addr().await;

    // The CLI's link (under HTTP_ADDR as configured: port 0 here) signs in at the real address.
    let output = app.run_cli(&["admin-link", &ADMIN.to_string()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let link = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(link.starts_with("http://127.0.0.1:0/admin/login?t=v1."), "{link}");
    let response = sign_in(addr, &token_of(&link)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (cookie, _) = session_cookie(response.headers());

    let output = app.run_cli(&["admin-link", &ALICE.to_string()]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty() && String::from_utf8_lossy(&output.stderr).contains("not an admin"));
    let output = app.run_cli_with_env(&["admin-link", &ADMIN.to_string()], &[("ADMIN_SESSION_SECRET", "")]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ADMIN_SESSION_SECRET"));

    // ADMIN is removed from ADMIN_USER_IDS: the cookie and a fresh link stop working.
    let unused = token_of(&link_from_chat(&app, ADMIN).await);
    app.set_env("ADMIN_USER_IDS", Some("1"));
    app.restart().await;
    let addr = app.http_addr().await;
    let (status, _, page) = get(addr, "/admin/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("not an operator") && !page.contains("admin.js"), "{page}");
    let (status, _, body) = get(addr, "/admin/api/overview", Some(&cookie)).await;
    assert_eq!((status, json(&body)["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_admin")));
    let response = sign_in(addr, &unused).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(SET_COOKIE).is_none());
    // And /admin in the chat is an unknown command for them now.
    say_expect(&app, ADMIN, "/admin", &texts::unknown_command(Lang::En)).await;
    assert!(app.run_log().contains("no longer in ADMIN_USER_IDS"));
}

#[tokio::test]
async fn the_overview_shows_the_webhook_telegram_delivers_to() {
    let hook = "https://starmine.test/telegram/console-hook";
    let app =
        crate::support::spawn_webhook(hook, "console_webhook_secret_0123", &[("ADMIN_SESSION_SECRET", SECRET)]).await;
    let addr = app.http_addr().await;
    let output = app.run_cli(&["admin-link", &ADMIN.to_string()]).await;
    let link = String::from_utf8(output.stdout).unwrap();
    let response = sign_in(addr, &token_of(link.trim())).await;
    let (cookie, _) = session_cookie(response.headers());
    let (status, _, body) = get(addr, "/admin/api/overview", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let webhook = &json(&body)["webhook"]["ok"];
    assert_eq!(webhook["url"], hook, "{body}");
    assert_eq!(webhook["pending_update_count"], 0, "{body}");
    assert!(webhook["last_error_message"].is_null(), "{body}");
}

/// A signed-in admin's cookie and CSRF token.
async fn signed_in_admin(app: &TestApp, addr: SocketAddr) -> (String, String) {
    let response = sign_in(addr, &token_of(&link_from_chat(app, ADMIN).await)).await;
    let (cookie, _) = session_cookie(response.headers());
    let (_, _, body) = get(addr, "/admin/api/session", Some(&cookie)).await;
    let csrf = json(&body)["csrf"].as_str().expect("a CSRF token").to_owned();
    (cookie, csrf)
}

/// `POST /admin/api/refund` as the page sends it (`csrf`: its `X-CSRF-Token`, if any).
async fn console_refund(addr: SocketAddr, cookie: &str, csrf: Option<&str>, body: Value) -> (StatusCode, Value) {
    console_post(addr, "/admin/api/refund", cookie, csrf, body).await
}

/// A console POST from the console's origin, with the CSRF token when given.
pub async fn console_post(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = client()
        .post(format!("http://{addr}{path}"))
        .header(COOKIE, cookie)
        .header(ORIGIN, format!("http://{addr}"))
        .json(&body);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    (status, json(&response.text().await.expect("a body")))
}

#[tokio::test]
async fn an_admin_finds_a_player_and_refunds_a_payment_once() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    assert_eq!(held(&app, ALICE, "energy").await, 1);
    let (cookie, csrf) = signed_in_admin(&app, addr).await;

    // The card: what `starmine player` prints, each payment with whether an admin may refund it.
    let (status_code, _, body) = get(addr, &format!("/admin/api/players/{ALICE}"), Some(&cookie)).await;
    assert_eq!(status_code, StatusCode::OK, "{body}");
    let card = json(&body);
    assert_eq!(card["user_id"], ALICE);
    assert_eq!(card["inventory"]["energy"], 1, "{card}");
    assert!(card["energy"].is_u64() && card["gems"].is_u64() && card["boosts"].is_array(), "{card}");
    let payment = &card["payments"][0];
    assert_eq!(payment["telegram_payment_charge_id"], charge.as_str(), "{card}");
    assert_eq!((payment["status"].as_str(), payment["refundable"].as_bool()), (Some("paid"), Some(true)), "{card}");
    let cli = crate::support::player(&app, ALICE).await;
    assert_eq!(cli["payments"][0]["refundable"], true, "the CLI prints the same card: {cli}");
    assert_eq!(cli["inventory"], card["inventory"]);

    // Unknown and malformed ids are told apart from an empty card.
    let (status_code, _, body) = get(addr, "/admin/api/players/987654321", Some(&cookie)).await;
    assert_eq!((status_code, json(&body)["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_player")), "{body}");
    let (status_code, _, body) = get(addr, "/admin/api/players/@nobody_here", Some(&cookie)).await;
    assert_eq!((status_code, json(&body)["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_player")), "{body}");
    for bad in ["@al", "ali-ce", "0"] {
        let (status_code, _, body) = get(addr, &format!("/admin/api/players/{bad}"), Some(&cookie)).await;
        assert_eq!((status_code, json(&body)["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_id")), "{body}");
    }

    // Without the CSRF token nothing happens.
    let request = serde_json::json!({ "user": ALICE, "charge": charge });
    let (status_code, body) = console_refund(addr, &cookie, None, request.clone()).await;
    assert_eq!((status_code, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("csrf")), "{body}");
    assert!(!app.emulator.is_refunded(&charge));
    assert_eq!(status(&app, ALICE, &charge).await, "paid");

    // With it: refunded through the CLI's flow, the player told, the item taken back.
    let before = crate::support::last_id(&app, ALICE);
    let (status_code, body) = console_refund(addr, &cookie, Some(&csrf), request.clone()).await;
    assert_eq!((status_code, body["result"].as_str()), (StatusCode::OK, Some("refunded")), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains(&charge)), "{body}");
    assert!(app.emulator.is_refunded(&charge));
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    assert_eq!(held(&app, ALICE, "energy").await, 0);
    text_after(&app, ALICE, before, &charge).await;
    let (_, _, body) = get(addr, &format!("/admin/api/players/{ALICE}"), Some(&cookie)).await;
    let payment = &json(&body)["payments"][0];
    assert_eq!((payment["status"].as_str(), payment["refundable"].as_bool()), (Some("refunded"), Some(false)));

    // A second click: already refunded, nothing more.
    let (status_code, body) = console_refund(addr, &cookie, Some(&csrf), request).await;
    assert_eq!((status_code, body["result"].as_str()), (StatusCode::OK, Some("already_refunded")), "{body}");
    let refund_calls = app.emulator.requests().iter().filter(|r| r.method == "refundStarPayment").count();
    assert_eq!(refund_calls, 1);
    // Another player's charge is refused.
    let request = serde_json::json!({ "user": ADMIN, "charge": charge });
    let (_, body) = console_refund(addr, &cookie, Some(&csrf), request).await;
    assert_eq!(body["result"], "refused", "{body}");

    let log = app.run_log();
    assert!(
        log.contains("refund from the console")
            && log.contains(&format!("admin={ADMIN}"))
            && log.contains("result=\"refunded\""),
        "{log}"
    );
}

/// The card `GET /admin/api/players/<who>` finds, once one does (names are recorded off the
/// handler's path, a moment after the message).
async fn found(addr: SocketAddr, cookie: &str, who: &str, user: i64) -> Value {
    let card = poll_until(WAIT, || async {
        let (status_code, _, body) = get(addr, &format!("/admin/api/players/{who}"), Some(cookie)).await;
        let card = json(&body);
        (status_code == StatusCode::OK && card["user_id"] == user).then_some(card)
    })
    .await;
    card.unwrap_or_else(|| panic!("{who} never found player {user}"))
}

#[tokio::test]
async fn a_player_is_found_by_the_username_they_last_wrote_to_the_bot_under() {
    let app = spawn_console().await;
    let addr = app.http_addr().await;
    let (cookie, _) = signed_in_admin(&app, addr).await;
    app.emulator.set_user_name(ALICE, "Alice", Some("Alice_Digs"));
    say_expect(&app, ALICE, "/start", &texts::start(Lang::En)).await;

    // Any case, with or without the @; the card names them.
    let card = found(addr, &cookie, "@alice_digs", ALICE).await;
    assert_eq!((card["username"].as_str(), card["name"].as_str()), (Some("Alice_Digs"), Some("Alice")), "{card}");
    found(addr, &cookie, "ALICE_DIGS", ALICE).await;
    let cli = app.run_cli(&["player", "@Alice_Digs"]).await;
    assert_eq!(cli.status.code(), Some(0), "{}", String::from_utf8_lossy(&cli.stderr));
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("player prints JSON");
    assert_eq!((cli["user_id"].as_i64(), cli["username"].as_str()), (Some(ALICE), Some("Alice_Digs")));

    // A rename moves the entry: the old name finds nobody, then whoever takes it.
    app.emulator.set_user_name(ALICE, "Alice", Some("ali_new"));
    say_expect(&app, ALICE, "/start", &texts::start(Lang::En)).await;
    found(addr, &cookie, "@ali_new", ALICE).await;
    let (status_code, _, body) = get(addr, "/admin/api/players/@alice_digs", Some(&cookie)).await;
    assert_eq!((status_code, json(&body)["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_player")), "{body}");
    let cli = app.run_cli(&["player", "@alice_digs"]).await;
    assert_eq!(cli.status.code(), Some(1), "nobody goes by it: {}", String::from_utf8_lossy(&cli.stdout));
    assert!(String::from_utf8_lossy(&cli.stderr).contains("nobody who wrote to the bot in private goes by @alice_digs"));
    app.emulator.set_user_name(BOB, "Bob", Some("alice_digs"));
    say_expect(&app, BOB, "/start", &texts::start(Lang::En)).await;
    let card = found(addr, &cookie, "@alice_digs", BOB).await;
    assert_eq!(card["name"], "Bob", "{card}");
    found(addr, &cookie, "@ali_new", ALICE).await;

    // Dropping one's username drops the entry.
    app.emulator.set_user_name(ALICE, "Alice", None);
    say_expect(&app, ALICE, "/start", &texts::start(Lang::En)).await;
    let gone = poll_until(WAIT, || async {
        let (status_code, _, _) = get(addr, "/admin/api/players/@ali_new", Some(&cookie)).await;
        (status_code == StatusCode::NOT_FOUND).then_some(())
    })
    .await;
    assert!(gone.is_some(), "@ali_new still finds Alice after she dropped it");
    let card = found(addr, &cookie, &ALICE.to_string(), ALICE).await;
    assert!(card["username"].is_null(), "{card}");
}

#[tokio::test]
async fn the_money_path_shows_the_last_reconciliation_pass_and_what_the_last_repair_did() {
    let app = spawn_with_env(&[("ADMIN_SESSION_SECRET", SECRET), ("RECONCILE_EVERY_S", "0")]).await;
    let addr = app.http_addr().await;
    let (cookie, _) = signed_in_admin(&app, addr).await;
    let passes = || async {
        let (_, _, body) = get(addr, "/admin/api/overview", Some(&cookie)).await;
        json(&body)["reconciliation"]["ok"].clone()
    };
    assert_eq!(passes().await, serde_json::json!({ "last": null, "last_repair": null }), "no pass yet");

    // A payment whose update never came: the pass grants it from the ledger.
    let invoice = crate::support::invoice(&app, ALICE, "energy").await;
    app.emulator.lose_updates("message", 1);
    let charge = crate::support::pay(&app, ALICE, &invoice).await.charge_id();
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
    let seen = passes().await;
    let last = &seen["last"];
    assert_eq!((last["ok"].as_bool(), last["report"]["payments_recovered"].as_u64()), (Some(true), Some(1)), "{seen}");
    assert_eq!(seen["last_repair"], *last, "that pass repaired: {seen}");

    // A pass that finds nothing to repair is the last; the repair stays the one before.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let later = passes().await;
    assert_eq!(later["last"]["report"]["payments_recovered"], 0, "{later}");
    assert!(later["last"]["at_ms"].as_i64() > seen["last"]["at_ms"].as_i64(), "{later}");
    assert_eq!(later["last_repair"], seen["last_repair"], "{later}");
}

//! The operator console under `/admin`: sign-in with a one-time link (`GET /admin/login?t=`
//! shows who signs in, its form `POST`s the token, which is claimed in Redis once and turned
//! into a signed session cookie), the page (`/admin/`, shown to a signed-in admin only; its
//! modules from [`assets::ADMIN`]) and its JSON API (`/admin/api/…`). Every request checks the
//! cookie and that its admin is still in `ADMIN_USER_IDS`; a request that changes anything also
//! needs the session's CSRF token in `X-CSRF-Token` and no cross-site `Origin` or
//! `Sec-Fetch-Site`. Refusals are pages (or JSON) of their own ([`pages`]); every admin action
//! is logged under the target `starmine::admin` with who did it, never a token.

mod guard;
mod overview;
mod pages;
mod players;
mod sales;
mod support;
mod transactions;

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use self::guard::{signed_in, SignedIn};
use self::pages::Context;
use super::{assets, headers};
use crate::admin::{AdminPort, Console, LoginToken, Refusal, PATH};
use crate::clock::now_ms;
use crate::domain::UserId;
use crate::reload::SharedCatalog;
use crate::store::Store;

/// What the console needs.
#[derive(Clone)]
pub struct AdminState {
    pub store: Store,
    pub console: Arc<Console>,
    /// `ADMIN_USER_IDS`, checked on every request.
    pub admins: Arc<Vec<UserId>>,
    pub telegram: Arc<dyn AdminPort>,
    /// The catalog in force: the items whose sales the console shows; a player's energy is
    /// derived with its rules.
    pub catalog: SharedCatalog,
}

impl AdminState {
    fn is_admin(&self, user: UserId) -> bool {
        self.admins.contains(&user)
    }
}

/// The console's routes, with its security headers ([`headers::with_console_headers`]).
pub fn router(state: AdminState) -> Router {
    let api = Router::new()
        .route("/admin/api/session", get(session))
        .route("/admin/api/overview", get(overview::overview))
        .route("/admin/api/players/{id}", get(players::player))
        .route("/admin/api/refund", post(players::refund))
        .route("/admin/api/items", get(sales::items))
        .route("/admin/api/support", get(support::inbox))
        .route("/admin/api/support/{id}/reply", post(support::reply))
        .route("/admin/api/transactions", get(transactions::page))
        .route("/admin/api/transactions.csv", get(transactions::csv))
        .route("/admin/api/logout", post(logout))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), guard::api));
    let pages = Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(page))
        .route("/admin/login", get(login_page).post(login))
        .merge(assets::routes_but_index(PATH, assets::ADMIN))
        .merge(api);
    headers::with_console_headers(pages).with_state(state)
}

/// `/admin/`: the console to a signed-in admin, else the page that says why not and how to sign in.
async fn page(State(state): State<AdminState>, request_headers: HeaderMap) -> Response {
    match signed_in(&state, &request_headers, now_ms()) {
        Ok(_) => {
            let mut response = assets::index(assets::ADMIN);
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(refusal) => guard::refused_page(&state, refusal, Context::Session),
    }
}

#[derive(Deserialize)]
struct LinkToken {
    #[serde(default)]
    t: String,
}

/// `GET /admin/login?t=…`: checks the link without using it and asks to confirm, so a link
/// preview or a prefetch never spends it.
async fn login_page(State(state): State<AdminState>, Query(link): Query<LinkToken>) -> Response {
    match check_link(&state, &link.t).await {
        Ok(admin) => pages::confirm(admin, &link.t),
        Err(refusal) => guard::refused_page(&state, refusal, Context::Link),
    }
}

/// `POST /admin/login` (the confirmation's form): claims the link once across processes, sets
/// the session cookie and sends the browser to `/admin/` (the token leaves the address bar).
async fn login(State(state): State<AdminState>, request_headers: HeaderMap, Form(link): Form<LinkToken>) -> Response {
    if let Err(why) = guard::same_origin(&state.console, &request_headers) {
        tracing::warn!(target: "starmine::admin", why, "sign-in refused: cross-site form");
        return pages::refusal(StatusCode::FORBIDDEN, pages::CROSS_SITE);
    }
    let now = now_ms();
    let token = match verified_link(&state, &link.t, now) {
        Ok(token) => token,
        Err(refusal) => return guard::refused_page(&state, refusal, Context::Link),
    };
    match state.store.claim_admin_link(&token.nonce, token.admin, token.expires_at_ms, now).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(target: "starmine::admin", admin = %token.admin, "sign-in refused: the link was used before");
            return guard::refused_page(&state, Refusal::Reused, Context::Link);
        }
        Err(error) => {
            tracing::warn!(target: "starmine::admin", %error, "sign-in failed: Redis unavailable");
            return pages::refusal(StatusCode::SERVICE_UNAVAILABLE, pages::UNAVAILABLE);
        }
    }
    let session = state.console.new_session(token.admin, now);
    let cookie = guard::session_cookie(&state.console, &state.console.sign_session(&session));
    tracing::info!(target: "starmine::admin", admin = %token.admin, "signed in");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/admin/")).into_response()
}

/// A genuine, unexpired link of someone who is still an admin.
fn verified_link(state: &AdminState, token: &str, now_ms: i64) -> Result<LoginToken, Refusal> {
    if token.is_empty() {
        return Err(Refusal::Missing);
    }
    let token = state.console.check_login(token, now_ms)?;
    if !state.is_admin(token.admin) {
        return Err(Refusal::NotAdmin);
    }
    Ok(token)
}

/// The link's admin, if [`verified_link`] and not used yet.
async fn check_link(state: &AdminState, token: &str) -> Result<UserId, Refusal> {
    let token = verified_link(state, token, now_ms())?;
    match state.store.admin_link_claimed(&token.nonce).await {
        Ok(true) => Err(Refusal::Reused),
        // Redis down: the sign-in itself says so.
        Ok(false) | Err(_) => Ok(token.admin),
    }
}

/// `GET /admin/api/session`: who is signed in, until when, and the CSRF token for changes.
async fn session(State(state): State<AdminState>, Extension(signed): Extension<SignedIn>) -> Response {
    Json(json!({
        "admin": signed.admin.0,
        "expires_at": signed.expires_at_ms,
        "csrf": state.console.csrf_token(&signed.cookie),
    }))
    .into_response()
}

/// `POST /admin/api/logout`: forgets the cookie in this browser.
async fn logout(State(state): State<AdminState>, Extension(signed): Extension<SignedIn>) -> Response {
    tracing::info!(target: "starmine::admin", admin = %signed.admin, "signed out");
    ([(header::SET_COOKIE, guard::clear_cookie(&state.console))], Json(json!({ "signed_out": true }))).into_response()
}

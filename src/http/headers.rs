//! Security headers for the pages the server shows: the game (`/game/`), the sandbox
//! (`/sandbox/`) and the operator console (`/admin/`). Each gets a Content-Security-Policy
//! naming exactly what it loads, `X-Content-Type-Options: nosniff` and a `Referrer-Policy`:
//! `no-referrer` (a game link carries its token in the query, which must not travel to
//! telegram.org in a `Referer`), `same-origin` for the console (see [`with_console_headers`]).

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

/// The game page: its own scripts plus Telegram's `telegram-web-app.js`; its own origin for the
/// API. Telegram's web clients frame it (`frame-ancestors`), and so does the sandbox (`'self'`),
/// so no `X-Frame-Options`. Inline styles are allowed because `telegram-web-app.js`, framed
/// by web.telegram.org, themes the page through a `<style>` element it fills; the page's own
/// markup has no inline script or style.
pub const GAME_CSP: &str = "default-src 'self'; script-src 'self' https://telegram.org; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'self' https://web.telegram.org https://*.telegram.org; \
     base-uri 'none'; form-action 'self'; object-src 'none'";

/// The sandbox page: nothing but its own files; it frames the game (same origin) and is
/// framed by nobody.
pub const SANDBOX_CSP: &str = "default-src 'self'; img-src 'self' data:; frame-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// The operator console: nothing but its own files and API; framed by nobody (a signed-in
/// admin's page must not be clickjacked).
pub const ADMIN_CSP: &str = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'; object-src 'none'";

/// `router` with the security headers and `csp` on every answer.
pub fn with_page_headers<S: Clone + Send + Sync + 'static>(router: Router<S>, csp: &'static str) -> Router<S> {
    with_headers(router, csp, "no-referrer")
}

/// The console's headers: its CSP, and `Referrer-Policy: same-origin`, because with
/// `no-referrer` a browser sends `Origin: null` with the sign-in form, and the console checks
/// that a form or a change comes from its own origin (nothing of it leaves for another site).
pub fn with_console_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    with_headers(router, ADMIN_CSP, "same-origin")
}

fn with_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    csp: &'static str,
    referrer: &'static str,
) -> Router<S> {
    router.route_layer(middleware::from_fn_with_state((csp, referrer), add))
}

async fn add(
    State((csp, referrer)): State<(&'static str, &'static str)>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    response
}

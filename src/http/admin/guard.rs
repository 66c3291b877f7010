//! Who may use the console: the session cookie checked on every request (signature, expiry,
//! still in `ADMIN_USER_IDS`), the CSRF checks on changes, and the cookie itself.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::pages::{self, Context};
use super::AdminState;
use crate::admin::{AdminSession, Console, Refusal, COOKIE, PATH, SESSION_TTL};
use crate::clock::now_ms;
use crate::domain::UserId;

/// A signed-in admin, as the guard found them (a request extension of the API's handlers).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub admin: UserId,
    pub expires_at_ms: i64,
    /// The cookie's value, which the CSRF token is bound to.
    pub cookie: String,
}

/// The request's admin, or why there is none.
pub fn signed_in(state: &AdminState, headers: &HeaderMap, now_ms: i64) -> Result<SignedIn, Refusal> {
    let cookie = cookie_value(headers, COOKIE).ok_or(Refusal::Missing)?;
    let AdminSession { admin, expires_at_ms } = state.console.check_session(cookie, now_ms)?;
    if !state.is_admin(admin) {
        tracing::warn!(target: "starmine::admin", admin = %admin, "refused: no longer in ADMIN_USER_IDS");
        return Err(Refusal::NotAdmin);
    }
    Ok(SignedIn { admin, expires_at_ms, cookie: cookie.to_owned() })
}

/// The API's guard: a signed-in admin, and for anything but GET and HEAD the CSRF checks.
/// Answers are never cached.
pub async fn api(State(state): State<AdminState>, mut request: Request, next: Next) -> Response {
    let signed = match signed_in(&state, request.headers(), now_ms()) {
        Ok(signed) => signed,
        Err(refusal) => return refused_json(&state, refusal),
    };
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Err(why) = csrf(&state, &signed, request.headers()) {
            let path = request.uri().path().to_owned();
            tracing::warn!(target: "starmine::admin", admin = %signed.admin, %path, why, "refused: failed the CSRF check");
            let body = json!({ "error": pages::CROSS_SITE, "code": "csrf" });
            return (StatusCode::FORBIDDEN, Json(body)).into_response();
        }
    }
    request.extensions_mut().insert(signed);
    let mut response = next.run(request).await;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A change needs the session's CSRF token and a same-origin browser (when it says where from).
fn csrf(state: &AdminState, signed: &SignedIn, headers: &HeaderMap) -> Result<(), &'static str> {
    same_origin(&state.console, headers)?;
    let token = headers.get("x-csrf-token").and_then(|value| value.to_str().ok()).ok_or("no X-CSRF-Token")?;
    if !state.console.csrf_matches(&signed.cookie, token) {
        return Err("wrong X-CSRF-Token");
    }
    Ok(())
}

/// `Sec-Fetch-Site`, when sent, is `same-origin`; `Origin`, when sent, is this server (the
/// public URL, or the `Host` the browser asked).
pub fn same_origin(console: &Console, headers: &HeaderMap) -> Result<(), &'static str> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if text("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return Err("Sec-Fetch-Site is not same-origin");
    }
    let Some(origin) = text("origin") else { return Ok(()) };
    let Ok(origin) = url::Url::parse(origin) else { return Err("Origin is not a URL") };
    let authority = origin.port().map_or_else(
        || origin.host_str().unwrap_or_default().to_owned(),
        |port| format!("{}:{port}", origin.host_str().unwrap_or_default()),
    );
    if origin.origin() == console.origin() || text("host") == Some(authority.as_str()) {
        return Ok(());
    }
    Err("Origin is another site")
}

/// The value of the cookie `name` in the request's `Cookie` headers.
fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a session: HttpOnly, SameSite=Strict, `Secure` on https, only under `/admin`.
pub fn session_cookie(console: &Console, value: &str) -> String {
    cookie(console, value, SESSION_TTL.as_secs())
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(console: &Console) -> String {
    cookie(console, "", 0)
}

fn cookie(console: &Console, value: &str, max_age_s: u64) -> String {
    let secure = if console.is_https() { "; Secure" } else { "" };
    format!("{COOKIE}={value}; Path={PATH}; Max-Age={max_age_s}; HttpOnly; SameSite=Strict{secure}")
}

/// A refusal as a page; a cookie that failed its check is removed.
pub fn refused_page(state: &AdminState, refusal: Refusal, context: Context) -> Response {
    log_refusal(refusal, context);
    let mut response = pages::refused(refusal, context);
    if context == Context::Session && refusal != Refusal::Missing {
        clear(state, &mut response);
    }
    response
}

fn refused_json(state: &AdminState, refusal: Refusal) -> Response {
    log_refusal(refusal, Context::Session);
    let (status, code) = pages::status_and_code(refusal);
    let body = json!({ "error": pages::explain(refusal, Context::Session), "code": code });
    let mut response = (status, Json(body)).into_response();
    if refusal != Refusal::Missing {
        clear(state, &mut response);
    }
    response
}

fn clear(state: &AdminState, response: &mut Response) {
    if let Ok(value) = HeaderValue::from_str(&clear_cookie(&state.console)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
}

fn log_refusal(refusal: Refusal, context: Context) {
    if refusal != Refusal::Missing {
        tracing::warn!(target: "starmine::admin", reason = %refusal, what = context.name(), "console refused");
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn console(base: &str) -> Console {
        Console::new(b"k", url::Url::parse(base).unwrap())
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let request = headers(&[("cookie", "a=1; starmine_admin=v1.x.y"), ("cookie", "b=2")]);
        assert_eq!(cookie_value(&request, COOKIE), Some("v1.x.y"));
        assert_eq!(cookie_value(&headers(&[("cookie", "starmine_admin=; a=1")]), COOKIE), None);
        assert_eq!(cookie_value(&headers(&[("cookie", "xstarmine_admin=v1")]), COOKIE), None);
    }

    #[test]
    fn the_cookie_is_secure_on_https_only() {
        let https = session_cookie(&console("https://ops.example.com/"), "v1.a.b");
        assert_eq!(https, "starmine_admin=v1.a.b; Path=/admin; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
        assert!(!session_cookie(&console("http://127.0.0.1:8080/"), "v1.a.b").contains("Secure"));
        assert!(
            clear_cookie(&console("http://127.0.0.1:8080/")).starts_with("starmine_admin=; Path=/admin; Max-Age=0;")
        );
    }

    #[test]
    fn only_this_origin_may_send_forms_and_changes() {
        let ours = console("https://ops.example.com/");
        for (pairs, expected) in [
            (vec![], true),
            (vec![("origin", "https://ops.example.com"), ("sec-fetch-site", "same-origin")], true),
            (vec![("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")], true),
            (vec![("origin", "https://evil.example"), ("host", "ops.example.com")], false),
            (vec![("origin", "null")], false),
            (vec![("sec-fetch-site", "same-site")], false),
            (vec![("sec-fetch-site", "cross-site"), ("origin", "https://ops.example.com")], false),
        ] {
            assert_eq!(same_origin(&ours, &headers(&pairs)).is_ok(), expected, "{pairs:?}");
        }
    }
}

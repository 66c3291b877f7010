//! The console's server-drawn pages: the sign-in confirmation and every refusal, each saying
//! what happened and how to get a link, and nothing else. Their sentences are here.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::admin::Refusal;
use crate::domain::UserId;

/// What was refused: a sign-in link, or the session cookie of a later request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Link,
    Session,
}

impl Context {
    pub fn name(self) -> &'static str {
        match self {
            Self::Link => "sign-in link",
            Self::Session => "session",
        }
    }
}

/// How to get a sign-in link (on every refusal).
pub const HOW_TO_SIGN_IN: &str = "To sign in, send /admin to the bot in a private chat, or run \
     `starmine admin-link <your user id>` on the server. Either gives you a link that works once, \
     for 5 minutes.";

pub const CROSS_SITE: &str = "This request did not come from the console's own page, so it was refused. \
     Reload the console and try again.";

pub const UNAVAILABLE: &str = "The console cannot reach its database right now. Try the link again in a moment.";

/// The sentence for a refusal.
pub fn explain(refusal: Refusal, context: Context) -> &'static str {
    match (refusal, context) {
        (Refusal::Missing, _) => "This is the console for Starmine's operators, and you are not signed in.",
        (Refusal::Tampered, Context::Link) => {
            "This sign-in link is not valid: it was changed or cut short. Copy the whole link, or get a new one."
        }
        (Refusal::Tampered, Context::Session) => "Your session could not be verified, so you were signed out.",
        (Refusal::Expired, Context::Link) => "This sign-in link has expired: links work for 5 minutes.",
        (Refusal::Expired, Context::Session) => "Your session has ended.",
        (Refusal::Reused, _) => "This sign-in link was already used: each link works once.",
        (Refusal::NotAdmin, _) => "This account is not an operator of this bot (any more).",
    }
}

/// The HTTP status and the API's `code` for a refusal.
pub fn status_and_code(refusal: Refusal) -> (StatusCode, &'static str) {
    match refusal {
        Refusal::Missing => (StatusCode::UNAUTHORIZED, "not_signed_in"),
        Refusal::Tampered => (StatusCode::UNAUTHORIZED, "tampered"),
        Refusal::Expired => (StatusCode::UNAUTHORIZED, "expired"),
        Refusal::Reused => (StatusCode::UNAUTHORIZED, "reused"),
        Refusal::NotAdmin => (StatusCode::FORBIDDEN, "not_admin"),
    }
}

/// A refusal's page.
pub fn refused(refusal: Refusal, context: Context) -> Response {
    let (status, code) = status_and_code(refusal);
    let title = match (refusal, context) {
        (Refusal::Missing, _) => "Sign in to the Starmine console",
        (Refusal::NotAdmin, _) => "Access refused",
        (_, Context::Link) => "This link does not work",
        (_, Context::Session) => "You are not signed in",
    };
    let body =
        format!("<p class=\"lead\">{}</p>\n<p>{}</p>", escape(explain(refusal, context)), with_code(HOW_TO_SIGN_IN));
    html(status, &page(title, code, &body))
}

/// A refusal that is no sign-in matter (a cross-site form, Redis down).
pub fn refusal(status: StatusCode, text: &str) -> Response {
    html(status, &page("The console refused this", "refused", &format!("<p class=\"lead\">{}</p>", escape(text))))
}

/// `GET /admin/login`: who is about to sign in, and the button that does.
pub fn confirm(admin: UserId, token: &str) -> Response {
    let body = format!(
        "<p class=\"lead\">This link signs you in as operator <strong>{admin}</strong> for 12 hours.</p>\n\
         <form method=\"post\" action=\"/admin/login\">\n\
         <input type=\"hidden\" name=\"t\" value=\"{}\">\n\
         <button type=\"submit\" class=\"primary\" data-testid=\"sign-in\">Sign in</button>\n\
         </form>\n<p class=\"note\">The link works once. Never forward it.</p>",
        escape(token)
    );
    html(StatusCode::OK, &page("Sign in to the Starmine console", "confirm", &body))
}

/// A page around `body`. Its stylesheet is fetched without a `Referer`: the confirmation page's
/// address still holds the unused token, which must not reach a proxy's access log.
fn page(title: &str, state: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>{title} · Starmine</title>\n\
         <link rel=\"stylesheet\" href=\"/admin/admin.css\" referrerpolicy=\"no-referrer\">\n</head>\n\
         <body class=\"gate\">\n<main class=\"gate-card\" data-testid=\"gate\" data-state=\"{state}\">\n\
         <div class=\"brand\"><span class=\"logo\" aria-hidden=\"true\">⛏</span> Starmine console</div>\n\
         <h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

fn html(status: StatusCode, body: &str) -> Response {
    let headers = [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    (status, headers, body.to_owned()).into_response()
}

/// `text` escaped, with its `backquoted` parts as `<code>`.
fn with_code(text: &str) -> String {
    let parts: Vec<String> = escape(text).split('`').map(str::to_owned).collect();
    let mut html = String::new();
    for (at, part) in parts.iter().enumerate() {
        match at % 2 {
            0 => html.push_str(part),
            _ => html.push_str(&format!("<code>{part}</code>")),
        }
    }
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_says_how_to_sign_in_and_names_no_secret() {
        for refusal in [Refusal::Missing, Refusal::Tampered, Refusal::Expired, Refusal::Reused, Refusal::NotAdmin] {
            for context in [Context::Link, Context::Session] {
                let sentence = explain(refusal, context);
                let page = page("t", "s", &format!("<p>{sentence}</p><p>{HOW_TO_SIGN_IN}</p>"));
                assert!(page.contains("send /admin to the bot"), "{refusal:?}");
                assert!(!sentence.is_empty());
            }
        }
        assert_eq!(escape("<a href=\"x\">&"), "&lt;a href=&quot;x&quot;&gt;&amp;");
        assert_eq!(with_code("run `a <b>` now"), "run <code>a &lt;b&gt;</code> now");
    }
}

//! The operator console's sign-in, on neither side of chat and page (like `game_link`): one-time
//! sign-in links and session cookies signed with `ADMIN_SESSION_SECRET` ([`Console`]: the chat's
//! `/admin` and `starmine admin-link` make links, `http::admin` checks them and the cookies), and
//! what the console needs from Telegram ([`AdminPort`], implemented by `telegram`, so that `http`
//! knows no Bot API types), and a player's card as support sees it ([`player_card`], shared with
//! `starmine player`).

mod player;
mod port;
mod signed;

use std::net::SocketAddr;
use std::time::Duration;

use url::Url;

pub use self::player::{admin_may_refund, player_card, PaymentLine, PlayerCard, PlayerQuery};
pub use self::port::{
    checked_answer, AdminPort, BadAnswer, RefundReport, ReplyReport, StarBalance, WebhookStatus, ANSWER_MAX,
};
use self::signed::Purpose;
use crate::domain::UserId;

/// How long a sign-in link works.
pub const LINK_TTL: Duration = Duration::from_secs(5 * 60);
/// How long a session cookie works.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// The session cookie's name.
pub const COOKIE: &str = "starmine_admin";
/// Where the console lives; also the cookie's `Path`.
pub const PATH: &str = "/admin";

/// A sign-in link's token as checked: who, until when, and the nonce that makes it single-use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginToken {
    pub admin: UserId,
    pub expires_at_ms: i64,
    pub nonce: String,
}

/// A signed-in admin, as the cookie says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminSession {
    pub admin: UserId,
    pub expires_at_ms: i64,
}

/// Why a link or a cookie was refused (each a page of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("not signed in")]
    Missing,
    #[error("tampered or malformed")]
    Tampered,
    #[error("expired")]
    Expired,
    #[error("already used")]
    Reused,
    #[error("not an admin")]
    NotAdmin,
}

/// The console's signing key and public address.
#[derive(Clone)]
pub struct Console {
    secret: Vec<u8>,
    base: Url,
}

impl Console {
    /// `secret` signs links and cookies; `base` is where browsers reach this server.
    pub fn new(secret: &[u8], base: Url) -> Self {
        Self { secret: secret.to_vec(), base }
    }

    /// `PUBLIC_URL` when set, else `http://<HTTP_ADDR>`.
    pub fn base_url(public_url: Option<&Url>, http_addr: SocketAddr) -> Url {
        match public_url {
            Some(url) => url.clone(),
            None => Url::parse(&format!("http://{http_addr}/")).expect("an address makes a URL"),
        }
    }

    /// The console's origin (a same-origin request's `Origin`).
    pub fn origin(&self) -> url::Origin {
        self.base.origin()
    }

    /// Whether browsers reach us over https (then the cookie is `Secure`).
    pub fn is_https(&self) -> bool {
        self.base.scheme() == "https"
    }

    /// A fresh one-time sign-in link for `admin`, valid for [`LINK_TTL`].
    pub fn login_link(&self, admin: UserId, now_ms: i64) -> String {
        let token = self.sign_login(&LoginToken {
            admin,
            expires_at_ms: now_ms + LINK_TTL.as_millis() as i64,
            nonce: crate::config::new_secret(22),
        });
        let mut url = self.base.join("admin/login").expect("a relative path joins");
        url.query_pairs_mut().append_pair("t", &token);
        url.into()
    }

    /// The token of a sign-in link (tests sign expired ones with it).
    pub fn sign_login(&self, token: &LoginToken) -> String {
        let payload = format!("{}|{}|{}", token.admin, token.expires_at_ms, token.nonce);
        signed::sign(Purpose::Login, &payload, &self.secret)
    }

    pub fn check_login(&self, token: &str, now_ms: i64) -> Result<LoginToken, Refusal> {
        let payload = signed::open(Purpose::Login, token, &self.secret)?;
        let mut fields = payload.splitn(3, '|');
        let (Some(admin), Some(expires), Some(nonce)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(Refusal::Tampered);
        };
        let token = LoginToken {
            admin: UserId(admin.parse().map_err(|_| Refusal::Tampered)?),
            expires_at_ms: expires.parse().map_err(|_| Refusal::Tampered)?,
            nonce: nonce.to_owned(),
        };
        if token.nonce.is_empty() {
            return Err(Refusal::Tampered);
        }
        if token.expires_at_ms <= now_ms {
            return Err(Refusal::Expired);
        }
        Ok(token)
    }

    /// A session cookie's value for `admin`, valid for [`SESSION_TTL`].
    pub fn sign_session(&self, session: &AdminSession) -> String {
        signed::sign(Purpose::Session, &format!("{}|{}", session.admin, session.expires_at_ms), &self.secret)
    }

    pub fn new_session(&self, admin: UserId, now_ms: i64) -> AdminSession {
        AdminSession { admin, expires_at_ms: now_ms + SESSION_TTL.as_millis() as i64 }
    }

    pub fn check_session(&self, cookie: &str, now_ms: i64) -> Result<AdminSession, Refusal> {
        let payload = signed::open(Purpose::Session, cookie, &self.secret)?;
        let (admin, expires) = payload.split_once('|').ok_or(Refusal::Tampered)?;
        let session = AdminSession {
            admin: UserId(admin.parse().map_err(|_| Refusal::Tampered)?),
            expires_at_ms: expires.parse().map_err(|_| Refusal::Tampered)?,
        };
        if session.expires_at_ms <= now_ms {
            return Err(Refusal::Expired);
        }
        Ok(session)
    }

    /// The CSRF token bound to a session cookie: what the page sends back in `X-CSRF-Token`.
    pub fn csrf_token(&self, cookie: &str) -> String {
        signed::digest(Purpose::Csrf, cookie, &self.secret)
    }

    /// Whether `token` is the CSRF token of `cookie` (in constant time).
    pub fn csrf_matches(&self, cookie: &str, token: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.csrf_token(cookie).as_bytes().ct_eq(token.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests;

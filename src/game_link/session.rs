//! A game session as the game link carries it: who plays and where the score goes, signed as
//! `v1.<payload>.<mac>` (HMAC-SHA256 with `GAME_TOKEN_SECRET`, checked in constant time). The
//! chat makes the link (`telegram::play`), the game API checks it (`http::auth`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::UserId;

type HmacSha256 = Hmac<Sha256>;

/// Where the game was opened: the game message (for `setGameScore`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ScoreTarget {
    Message {
        chat: i64,
        message: i32,
    },
    Inline {
        id: String,
    },
    /// A Mini App session: no game message to score.
    None,
}

/// A verified game session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: UserId,
    pub target: ScoreTarget,
    pub expires_at_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no credentials")]
    Missing,
    #[error("malformed credentials")]
    Malformed,
    #[error("bad signature")]
    BadSignature,
    #[error("expired")]
    Expired,
}

/// HMAC-SHA256 keyed by `key` (also Telegram's initData check uses it).
pub(crate) fn mac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length")
}

impl Session {
    /// `v1.<payload>.<mac>`, both base64url; the payload is `user|expiry|target` (the target
    /// last, since an inline message id may contain anything).
    pub fn sign(&self, secret: &[u8]) -> String {
        let target = match &self.target {
            ScoreTarget::Message { chat, message } => format!("m:{chat}:{message}"),
            ScoreTarget::Inline { id } => format!("i:{id}"),
            ScoreTarget::None => "n".to_owned(),
        };
        let payload = format!("{}|{}|{target}", self.user, self.expires_at_ms);
        let mut signer = mac(secret);
        signer.update(payload.as_bytes());
        let signature = signer.finalize().into_bytes();
        format!("v1.{}.{}", URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(signature))
    }

    pub fn verify(token: &str, secret: &[u8], now_ms: i64) -> Result<Self, AuthError> {
        let mut parts = token.split('.');
        let (Some("v1"), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthError::Malformed);
        };
        let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| AuthError::Malformed)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| AuthError::Malformed)?;
        let mut verifier = mac(secret);
        verifier.update(&payload);
        verifier.verify_slice(&signature).map_err(|_| AuthError::BadSignature)?;
        let payload = String::from_utf8(payload).map_err(|_| AuthError::Malformed)?;
        let session = parse_payload(&payload).ok_or(AuthError::Malformed)?;
        if session.expires_at_ms <= now_ms {
            return Err(AuthError::Expired);
        }
        Ok(session)
    }
}

fn parse_payload(payload: &str) -> Option<Session> {
    let mut fields = payload.splitn(3, '|');
    let user = UserId(fields.next()?.parse().ok()?);
    let expires_at_ms = fields.next()?.parse().ok()?;
    let target = fields.next()?;
    let target = match target.split_once(':') {
        Some(("m", rest)) => {
            let (chat, message) = rest.split_once(':')?;
            ScoreTarget::Message { chat: chat.parse().ok()?, message: message.parse().ok()? }
        }
        Some(("i", id)) if !id.is_empty() => ScoreTarget::Inline { id: id.to_owned() },
        None if target == "n" => ScoreTarget::None,
        _ => return None,
    };
    Some(Session { user, target, expires_at_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-secret";

    fn session(target: ScoreTarget) -> Session {
        Session { user: UserId(42), target, expires_at_ms: 10_000 }
    }

    #[test]
    fn tokens_round_trip_for_every_target() {
        for target in [
            ScoreTarget::Message { chat: -100123, message: 7 },
            ScoreTarget::Inline { id: "AgAAAB|x:y".into() },
            ScoreTarget::None,
        ] {
            let expected = session(target);
            let token = expected.sign(SECRET);
            assert_eq!(Session::verify(&token, SECRET, 5_000), Ok(expected));
        }
    }

    #[test]
    fn forged_expired_and_malformed_tokens_are_refused() {
        let token = session(ScoreTarget::None).sign(SECRET);
        assert_eq!(Session::verify(&token, b"other", 5_000), Err(AuthError::BadSignature));
        assert_eq!(Session::verify(&token, SECRET, 10_000), Err(AuthError::Expired));
        // Another user's payload under this token's signature.
        let forged = Session { user: UserId(1), ..session(ScoreTarget::None) }.sign(b"guess");
        let forged_payload = forged.split('.').nth(1).unwrap();
        let real_mac = token.split('.').nth(2).unwrap();
        assert_eq!(
            Session::verify(&format!("v1.{forged_payload}.{real_mac}"), SECRET, 0),
            Err(AuthError::BadSignature)
        );
        for bad in ["", "v1", "v1.x", "v2.a.b", "v1.!!.??", "v1.a.b.c"] {
            assert!(Session::verify(bad, SECRET, 0).is_err(), "{bad}");
        }
    }
}

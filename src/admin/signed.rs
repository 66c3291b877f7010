//! `v1.<payload>.<mac>` (both base64url), the MAC an HMAC-SHA256 over the purpose and the payload,
//! so a value signed for one purpose (a sign-in link) never passes for another (a session cookie).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;

use super::Refusal;
use crate::game_link::session::mac;

/// What a signature is for.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    Login,
    Session,
    Csrf,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Login => b"starmine-admin-login\0",
            Self::Session => b"starmine-admin-session\0",
            Self::Csrf => b"starmine-admin-csrf\0",
        }
    }
}

fn signer(purpose: Purpose, payload: &[u8], secret: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    let mut signer = mac(secret);
    signer.update(purpose.label());
    signer.update(payload);
    signer
}

/// The MAC of `payload` alone, base64url.
pub fn digest(purpose: Purpose, payload: &str, secret: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(signer(purpose, payload.as_bytes(), secret).finalize().into_bytes())
}

pub fn sign(purpose: Purpose, payload: &str, secret: &[u8]) -> String {
    format!("v1.{}.{}", URL_SAFE_NO_PAD.encode(payload), digest(purpose, payload, secret))
}

/// The payload of a value signed for `purpose` with `secret`; anything else is `Tampered`.
pub fn open(purpose: Purpose, value: &str, secret: &[u8]) -> Result<String, Refusal> {
    let mut parts = value.split('.');
    let (Some("v1"), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Tampered);
    };
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| Refusal::Tampered)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refusal::Tampered)?;
    signer(purpose, &payload, secret).verify_slice(&signature).map_err(|_| Refusal::Tampered)?;
    String::from_utf8(payload).map_err(|_| Refusal::Tampered)
}

//! Who is calling the game API: a signed game token from the game link
//! ([`crate::game_link::Session`], HMAC-SHA256 with `GAME_TOKEN_SECRET`), or Mini App
//! `initData` signed by Telegram (HMAC-SHA256 keyed by HMAC("WebAppData", bot token)). Both
//! checks are constant-time.

use hmac::Mac;

use crate::domain::UserId;
use crate::game_link::session::mac;
pub use crate::game_link::{AuthError, ScoreTarget, Session};

/// Checks Mini App `initData` (a query string) and returns the user it names. `max_age_secs`
/// bounds `auth_date`.
pub fn verify_init_data(
    init_data: &str,
    bot_token: &str,
    now_ms: i64,
    max_age_secs: i64,
) -> Result<Session, AuthError> {
    let mut hash = None;
    let mut fields: Vec<(String, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(init_data.as_bytes()) {
        if key == "hash" {
            hash = Some(value.into_owned());
        } else {
            fields.push((key.into_owned(), value.into_owned()));
        }
    }
    let hash = hash.ok_or(AuthError::Malformed)?;
    let expected = hex_decode(&hash).ok_or(AuthError::Malformed)?;
    fields.sort();
    let check_string = fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    let mut secret = mac(b"WebAppData");
    secret.update(bot_token.as_bytes());
    let mut verifier = mac(&secret.finalize().into_bytes());
    verifier.update(check_string.as_bytes());
    verifier.verify_slice(&expected).map_err(|_| AuthError::BadSignature)?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let auth_date: i64 = field("auth_date").and_then(|d| d.parse().ok()).ok_or(AuthError::Malformed)?;
    let age = (now_ms / 1000).checked_sub(auth_date).ok_or(AuthError::Malformed)?;
    if age > max_age_secs {
        return Err(AuthError::Expired);
    }
    let expires_at_ms =
        auth_date.checked_add(max_age_secs).and_then(|secs| secs.checked_mul(1000)).ok_or(AuthError::Malformed)?;
    let user: serde_json::Value =
        serde_json::from_str(field("user").ok_or(AuthError::Malformed)?).map_err(|_| AuthError::Malformed)?;
    let id = user.get("id").and_then(serde_json::Value::as_u64).ok_or(AuthError::Malformed)?;
    Ok(Session { user: UserId(id), target: ScoreTarget::None, expires_at_ms })
}

/// Mini App `initData` as Telegram signs it for the bot with `bot_token`: the fields in the
/// order given, then `hash` over their sorted `key=value` lines. The bot itself never signs
/// initData; the tests and the sandbox's pages stand in for Telegram with it.
pub fn sign_init_data<K: AsRef<str>, V: AsRef<str>>(
    bot_token: &str,
    fields: impl IntoIterator<Item = (K, V)>,
) -> String {
    let fields: Vec<(K, V)> = fields.into_iter().collect();
    let mut sorted: Vec<(&str, &str)> = fields.iter().map(|(key, value)| (key.as_ref(), value.as_ref())).collect();
    sorted.sort();
    let lines: Vec<String> = sorted.iter().map(|(key, value)| format!("{key}={value}")).collect();
    let mut secret = mac(b"WebAppData");
    secret.update(bot_token.as_bytes());
    let mut signer = mac(&secret.finalize().into_bytes());
    signer.update(lines.join("\n").as_bytes());
    let hash: String = signer.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(fields.iter().map(|(key, value)| (key.as_ref(), value.as_ref())));
    query.append_pair("hash", &hash).finish()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mini_app_init_data_is_checked() {
        let fields = [("auth_date", "1000"), ("query_id", "AAF"), ("user", r#"{"id":77,"first_name":"Ann"}"#)];
        let data = sign_init_data("123:ABC", fields);
        let session = verify_init_data(&data, "123:ABC", 1_000_000, 3600).unwrap();
        assert_eq!(session.user, UserId(77));
        assert_eq!(verify_init_data(&data, "123:XYZ", 1_000_000, 3600), Err(AuthError::BadSignature));
        assert_eq!(verify_init_data(&data, "123:ABC", 10_000_000, 3600), Err(AuthError::Expired));
        let tampered = data.replace("77", "78");
        assert_eq!(verify_init_data(&tampered, "123:ABC", 1_000_000, 3600), Err(AuthError::BadSignature));
        assert_eq!(verify_init_data("user=1", "123:ABC", 0, 3600), Err(AuthError::Malformed));
        // Extreme dates are refused, never overflow.
        for date in [i64::MIN.to_string(), i64::MAX.to_string(), "10000000000000000".to_owned()] {
            let fields = [("auth_date", date.as_str()), ("user", r#"{"id":77}"#)];
            let data = sign_init_data("123:ABC", fields);
            assert!(verify_init_data(&data, "123:ABC", 1_000_000, 3600).is_err(), "{date}");
        }
    }
}

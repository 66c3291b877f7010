//! Game tokens and Mini App initData: what was signed verifies, nothing else does.

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::Index;
use starmine::clock::now_ms;
use starmine::domain::UserId;
use starmine::game_link::{AuthError, ScoreTarget, Session};
use starmine::http::auth::{sign_init_data, verify_init_data};

use super::{config, untrusted_text};

// Game tokens and Mini App initData.

pub(super) const SECRET: &[u8] = b"properties-game-token-secret-32b";
pub(super) const BOT_TOKEN: &str = "123456789:PROPERTIES-bot-token";
/// How old initData may be in these checks (the API allows a day).
const MAX_AGE_SECS: i64 = 24 * 3600;

fn score_target() -> impl Strategy<Value = ScoreTarget> {
    prop_oneof![
        (any::<i64>(), any::<i32>()).prop_map(|(chat, message)| ScoreTarget::Message { chat, message }),
        // Telegram's inline message ids are never empty.
        vec(any::<char>(), 1..64).prop_map(|id| ScoreTarget::Inline { id: String::from_iter(id) }),
        Just(ScoreTarget::None),
    ]
}

fn session() -> impl Strategy<Value = Session> {
    (any::<u64>(), score_target(), any::<i64>()).prop_map(|(user, target, expires_at_ms)| Session {
        user: UserId(user),
        target,
        expires_at_ms,
    })
}

/// A `GAME_TOKEN_SECRET`: at least 16 characters from the environment, so never NUL (HMAC pads
/// keys with zero bytes: `k` and `k\0` are one key).
fn secret() -> impl Strategy<Value = Vec<u8>> {
    "[^\\x00]{16,80}".prop_map(String::into_bytes)
}

/// A moment `ago` + 1 ms before `expires_at_ms`, or the earliest there is.
fn before(expires_at_ms: i64, ago: u64) -> i64 {
    i64::try_from(i128::from(expires_at_ms) - 1 - i128::from(ago)).unwrap_or(i64::MIN)
}

/// One byte of an ASCII token replaced, inserted or deleted; the result is still ASCII.
#[derive(Clone, Debug)]
pub(super) enum ByteEdit {
    /// XOR with a non-zero mask below 128.
    Replace(Index, u8),
    Insert(Index, u8),
    Delete(Index),
}

pub(super) fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), 1..128u8).prop_map(|(at, mask)| ByteEdit::Replace(at, mask)),
        (any::<Index>(), 0..128u8).prop_map(|(at, byte)| ByteEdit::Insert(at, byte)),
        any::<Index>().prop_map(ByteEdit::Delete),
    ]
}

impl ByteEdit {
    pub(super) fn apply(&self, token: &str) -> String {
        let mut bytes = token.as_bytes().to_vec();
        let len = bytes.len();
        match *self {
            Self::Replace(at, mask) => bytes[at.index(len)] ^= mask,
            Self::Insert(at, byte) => bytes.insert(at.index(len + 1), byte),
            Self::Delete(at) => {
                bytes.remove(at.index(len));
            }
        }
        String::from_utf8(bytes).expect("an edited ASCII token is ASCII")
    }
}

/// `v1.<payload>.<mac>`, both base64url, as `Session::sign` writes tokens.
fn token_of(payload: &[u8], mac: &[u8]) -> String {
    use base64::Engine;
    let base64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("v1.{}.{}", base64.encode(payload), base64.encode(mac))
}

/// Tokens nobody signed: any text, and well-formed tokens with a made-up MAC.
fn unsigned_token() -> impl Strategy<Value = String> {
    let payload = prop_oneof![
        vec(any::<u8>(), 0..64),
        (any::<u64>(), any::<i64>(), "n|m:-1:2|i:[a-z]{1,8}")
            .prop_map(|(user, expiry, target)| format!("{user}|{expiry}|{target}").into_bytes()),
    ];
    prop_oneof![
        untrusted_text(),
        (payload, prop_oneof![vec(any::<u8>(), 32), vec(any::<u8>(), 0..40)])
            .prop_map(|(payload, mac)| token_of(&payload, &mac)),
    ]
}

/// Fields besides `auth_date`, `user` and `hash`, as a Mini App may get them (no raw newlines:
/// Telegram's check string joins fields with them).
fn extra_fields() -> impl Strategy<Value = BTreeMap<String, String>> {
    let key = "[a-z_]{1,12}"
        .prop_filter("not a field the check reads", |key| !matches!(key.as_str(), "auth_date" | "user" | "hash"));
    btree_map(key, "[^\\n]{0,24}", 0..4)
}

/// Form-encoded fields nobody signed, with the names initData uses among others.
fn unsigned_init_data() -> impl Strategy<Value = String> {
    let key = prop_oneof![Just("auth_date".to_owned()), Just("user".to_owned()), Just("hash".to_owned()), ".{0,8}"];
    let value = prop_oneof![".{0,40}", "[0-9a-f]{64}", Just(r#"{"id":42}"#.to_owned()), "[0-9]{1,12}"];
    let form = vec((key, value), 0..6)
        .prop_map(|fields| url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish());
    prop_oneof![untrusted_text(), form]
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn tokens_verify_as_the_session_they_were_signed_for_until_it_expires(
        session in session(),
        secret in secret(),
        ago in any::<u64>(),
    ) {
        prop_assume!(session.expires_at_ms > i64::MIN, "no moment is before the earliest expiry");
        let token = session.sign(&secret);
        prop_assert_eq!(Session::verify(&token, &secret, before(session.expires_at_ms, ago)), Ok(session.clone()));
        let after = session.expires_at_ms.saturating_add_unsigned(ago);
        prop_assert_eq!(Session::verify(&token, &secret, after), Err(AuthError::Expired));
    }

    #[test]
    fn any_one_byte_edit_of_a_token_is_refused(session in session(), secret in secret(), edit in byte_edit()) {
        let token = session.sign(&secret);
        let edited = edit.apply(&token);
        let verdict = Session::verify(&edited, &secret, i64::MIN);
        prop_assert!(
            matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)),
            "{edited} (from {token}) gave {verdict:?}"
        );
    }

    #[test]
    fn a_token_never_verifies_under_another_secret(session in session(), secret in secret(), other in secret()) {
        prop_assume!(secret != other);
        prop_assert_eq!(Session::verify(&session.sign(&secret), &other, i64::MIN), Err(AuthError::BadSignature));
    }

    #[test]
    fn unsigned_tokens_are_refused(token in unsigned_token()) {
        let verdict = Session::verify(&token, SECRET, i64::MIN);
        prop_assert!(matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)), "{verdict:?}");
    }

    #[test]
    fn unsigned_init_data_is_refused(init_data in unsigned_init_data()) {
        let verdict = verify_init_data(&init_data, BOT_TOKEN, now_ms(), MAX_AGE_SECS);
        prop_assert!(matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)), "{verdict:?}");
    }

    #[test]
    fn signed_init_data_names_its_user_for_its_bot_only(
        user in any::<u64>(),
        age in 0..=MAX_AGE_SECS,
        extra in extra_fields(),
        other_bot in "[0-9]{1,10}:[A-Za-z0-9_-]{1,40}",
        tamper in any::<Index>(),
    ) {
        prop_assume!(other_bot != BOT_TOKEN);
        let now = now_ms();
        let auth_date = now / 1000 - age;
        let mut fields = extra;
        fields.insert("auth_date".into(), auth_date.to_string());
        fields.insert("user".into(), format!(r#"{{"id":{user},"first_name":"Ann"}}"#));
        let init_data = sign_init_data(BOT_TOKEN, &fields);
        let session = verify_init_data(&init_data, BOT_TOKEN, now, MAX_AGE_SECS);
        prop_assert_eq!(session.map(|session| session.user), Ok(UserId(user)));
        prop_assert_eq!(verify_init_data(&init_data, &other_bot, now, MAX_AGE_SECS), Err(AuthError::BadSignature));
        // The same hash over one changed value.
        let hash = url::form_urlencoded::parse(init_data.as_bytes()).find(|(key, _)| key == "hash").unwrap().1;
        let key = fields.keys().nth(tamper.index(fields.len())).unwrap().clone();
        fields.get_mut(&key).unwrap().push('0');
        let mut tampered = url::form_urlencoded::Serializer::new(String::new());
        tampered.extend_pairs(&fields).append_pair("hash", &hash);
        let verdict = verify_init_data(&tampered.finish(), BOT_TOKEN, now, MAX_AGE_SECS);
        prop_assert_eq!(verdict, Err(AuthError::BadSignature), "{} changed", key);
    }
}

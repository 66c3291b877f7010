use super::*;

const NOW: i64 = 1_000_000;

fn console() -> Console {
    Console::new(b"console-test-secret-0123456789abcdef", Url::parse("https://ops.example.com/").unwrap())
}

fn token_of(link: &str) -> String {
    let url = Url::parse(link).unwrap();
    url.query_pairs().find(|(name, _)| name == "t").map(|(_, value)| value.into_owned()).unwrap()
}

#[test]
fn a_link_names_its_admin_expires_and_is_unique() {
    let console = console();
    let link = console.login_link(UserId(9000), NOW);
    assert!(link.starts_with("https://ops.example.com/admin/login?t=v1."), "{link}");
    let token = console.check_login(&token_of(&link), NOW).unwrap();
    assert_eq!(token.admin, UserId(9000));
    assert_eq!(token.expires_at_ms, NOW + LINK_TTL.as_millis() as i64);
    assert_eq!(console.check_login(&token_of(&link), token.expires_at_ms), Err(Refusal::Expired));
    let again = console.check_login(&token_of(&console.login_link(UserId(9000), NOW)), NOW).unwrap();
    assert_ne!(again.nonce, token.nonce, "each link has a nonce of its own");
}

#[test]
fn forged_and_cross_purpose_values_are_tampered() {
    let console = console();
    let session = console.sign_session(&console.new_session(UserId(9000), NOW));
    let link_token = token_of(&console.login_link(UserId(9000), NOW));
    assert_eq!(console.check_session(&link_token, NOW), Err(Refusal::Tampered), "a link is no cookie");
    assert_eq!(console.check_login(&session, NOW), Err(Refusal::Tampered), "a cookie is no link");
    let other = Console::new(b"another-secret-0123456789abcdefghij", Url::parse("http://x/").unwrap());
    assert_eq!(other.check_session(&session, NOW), Err(Refusal::Tampered));
    // Another admin's payload under this cookie's signature.
    let forged = other.sign_session(&AdminSession { admin: UserId(1), expires_at_ms: i64::MAX });
    let mac = session.rsplit('.').next().unwrap();
    let payload = forged.split('.').nth(1).unwrap();
    assert_eq!(console.check_session(&format!("v1.{payload}.{mac}"), NOW), Err(Refusal::Tampered));
    for bad in ["", "v1", "v1.x", "v2.a.b", "v1.!!.??", "v1.a.b.c"] {
        assert_eq!(console.check_session(bad, NOW), Err(Refusal::Tampered), "{bad}");
    }
    assert_eq!(console.check_session(&session, NOW).unwrap().admin, UserId(9000));
}

#[test]
fn the_csrf_token_is_bound_to_its_cookie() {
    let console = console();
    let mine = console.sign_session(&console.new_session(UserId(9000), NOW));
    let theirs = console.sign_session(&console.new_session(UserId(9001), NOW));
    assert!(console.csrf_matches(&mine, &console.csrf_token(&mine)));
    assert!(!console.csrf_matches(&mine, &console.csrf_token(&theirs)));
    assert!(!console.csrf_matches(&mine, ""));
}

#[test]
fn the_base_url_is_public_url_else_the_http_address() {
    let public = Url::parse("https://bot.example.com/").unwrap();
    let addr: SocketAddr = "127.0.0.1:8080".parse().unwrap();
    assert_eq!(Console::base_url(Some(&public), addr).as_str(), "https://bot.example.com/");
    let local = Console::new(b"k", Console::base_url(None, addr));
    assert!(local.login_link(UserId(1), NOW).starts_with("http://127.0.0.1:8080/admin/login?t="));
    assert!(!local.is_https());
    assert!(console().is_https());
}

//! The conformance checker must accept good requests and name every problem in bad ones.

use serde_json::json;

use super::*;

fn request(method: &str, params: Value) -> RecordedRequest {
    RecordedRequest { method: method.to_owned(), params, form: false }
}

fn check(method: &str, params: Value, expected: &[&str]) {
    let found = violations(&[request(method, params.clone())]);
    assert_eq!(found.len(), expected.len(), "{method} {params}: {found:#?}");
    for (problem, fragment) in found.iter().zip(expected) {
        assert!(problem.contains(fragment), "{problem:?} should contain {fragment:?}");
    }
}

#[test]
fn good_requests_pass() {
    let keyboard =
        json!({"inline_keyboard": [[{"text": "Dig", "callback_data": "dig"}], [{"text": "Pay", "pay": true}]]});
    check("getMe", json!({}), &[]);
    check("sendMessage", json!({"chat_id": 1, "text": "hi", "reply_markup": keyboard}), &[]);
    check("sendMessage", json!({"chat_id": "@chan", "text": "hi", "parse_mode": null}), &[]);
    check(
        "sendInvoice",
        json!({"chat_id": 1, "title": "T", "description": "D", "payload": "p",
        "currency": "XTR", "prices": [{"label": "x", "amount": 5}]}),
        &[],
    );
    check(
        "setMyCommands",
        json!({"commands": [{"command": "dig", "description": "Dig"}],
        "scope": {"type": "chat", "chat_id": 5}}),
        &[],
    );
    check(
        "sendGame",
        json!({"chat_id": 1, "game_short_name": "g",
        "reply_markup": {"inline_keyboard": [[{"text": "Play", "callback_game": {}}]]}}),
        &[],
    );
    let form =
        RecordedRequest { method: "getUpdates".into(), params: json!({"offset": "3", "timeout": "10"}), form: true };
    assert!(violations(&[form]).is_empty());
}

#[test]
fn bad_requests_are_reported() {
    check("fooBar", json!({}), &["no such method"]);
    check("sendMessage", json!({"chat_id": 1}), &["text: required field missing"]);
    check("sendMessage", json!({"chat_id": 1, "text": "x", "colour": "red"}), &["colour: unknown field"]);
    check("sendMessage", json!({"chat_id": true, "text": "x"}), &["chat_id: true matches none of"]);
    check("getUpdates", json!({"offset": "3"}), &["offset: expected Integer"]);
    check(
        "sendMessage",
        json!({"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [[{"callback_data": "d", "colr": 1}]]}}),
        &[
            "reply_markup.inline_keyboard[0][0].text: required field missing",
            "reply_markup.inline_keyboard[0][0].colr: unknown field",
        ],
    );
    check(
        "sendInvoice",
        json!({"chat_id": 1, "title": "T", "description": "D", "payload": "p",
        "currency": "XTR", "prices": [{"label": "x", "amount": "5"}]}),
        &["prices[0].amount: expected Integer"],
    );
    check(
        "setMyCommands",
        json!({"commands": [], "scope": {"type": "nonsense"}}),
        &["scope.type: must be \"default\""],
    );
    let form = RecordedRequest { method: "getUpdates".into(), params: json!({"limit": "ten"}), form: true };
    assert_eq!(violations(&[form]).len(), 1);
}

#[test]
fn nested_object_problems_are_detailed() {
    let markup = json!({"inline_keyboard": [[{"callback_data": "d", "colr": 1}]]});
    let mut problems = Vec::new();
    check_value(&markup, &["InlineKeyboardMarkup"], "reply_markup", false, 0, &mut problems);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("reply_markup.inline_keyboard[0][0].text: required field missing"));
    assert!(problems[1].contains("reply_markup.inline_keyboard[0][0].colr: unknown field"));
}

#[test]
fn assert_conforms_panics_with_every_violation() {
    let bad = [request("sendMessage", json!({"chat_id": 1})), request("nope", json!({}))];
    let panic = std::panic::catch_unwind(|| assert_conforms(&bad)).expect_err("must fail");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("2 Bot API violation(s)") && message.contains("#1 nope"), "{message}");
}

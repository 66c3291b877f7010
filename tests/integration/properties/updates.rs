//! Payment updates: what Telegram sends reads as a payment, edits of it never panic.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

use super::api::json_value;
use super::config;

/// A real `successful_payment` or `refunded_payment` update as Telegram sends it.
fn payment_update(refund: bool) -> Value {
    let payment = if refund {
        serde_json::json!({ "refunded_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "energy.AbCdEf12",
            "telegram_payment_charge_id": "stx123"
        }})
    } else {
        serde_json::json!({ "successful_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "energy.AbCdEf12",
            "telegram_payment_charge_id": "stx123", "provider_payment_charge_id": ""
        }})
    };
    let mut message = serde_json::json!({
        "message_id": 7, "date": 1_700_000_000,
        "chat": { "id": 42, "type": "private", "first_name": "A" },
        "from": { "id": 42, "is_bot": false, "first_name": "A" },
    });
    if let (Some(object), Some(fields)) = (message.as_object_mut(), payment.as_object()) {
        object.extend(fields.clone());
    }
    serde_json::json!({ "update_id": 10, "message": message })
}

/// Every JSON pointer in `value` (objects and arrays), the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(key, inner)| pointers(inner, format!("{at}/{key}"), out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, inner)| pointers(inner, format!("{at}/{i}"), out))
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Webhook and getUpdates input: a payment update with one field replaced by anything, or
    /// removed. Reading it never panics, and an update that reads as a payment message is
    /// always one the intake journals before confirming it.
    #[test]
    fn payment_updates_with_any_field_changed_are_read_or_skipped_and_never_slip_past_the_journal(
        refund in any::<bool>(),
        at in any::<Index>(),
        replacement in prop_oneof![json_value().prop_map(Some), Just(None)],
    ) {
        use starmine::telegram::intake::{moves_money, parse};
        use teloxide::types::{MessageKind, UpdateKind};
        let mut raw = payment_update(refund);
        let mut all = Vec::new();
        pointers(&raw, String::new(), &mut all);
        let target = all[at.index(all.len())].clone();
        match (target.rsplit_once('/'), replacement) {
            (None, Some(value)) => raw = value,
            (None, None) => raw = Value::Null,
            (Some(_), Some(value)) => *raw.pointer_mut(&target).expect("a pointer from the value") = value,
            (Some((parent, key)), None) => {
                match raw.pointer_mut(parent) {
                    Some(Value::Object(map)) => { map.remove(key); }
                    Some(Value::Array(items)) => { items.remove(key.parse::<usize>().unwrap_or(0).min(items.len().saturating_sub(1))); }
                    _ => {}
                }
            }
        }
        if let Some(update) = parse(&raw.to_string()) {
            let is_payment = matches!(
                &update.kind,
                UpdateKind::Message(message)
                    if message.successful_payment().is_some() || matches!(message.kind, MessageKind::RefundedPayment(_))
            );
            prop_assert_eq!(is_payment, moves_money(&update), "journaled if and only if a payment: {}", raw);
        }
    }
}

/// The property above starts from updates that do read as payments.
#[test]
fn the_payment_update_templates_read_as_payments_and_move_money() {
    use starmine::telegram::intake::{moves_money, parse};
    for refund in [false, true] {
        let raw = payment_update(refund);
        let update = parse(&raw.to_string()).unwrap_or_else(|| panic!("the template reads: {raw}"));
        assert!(moves_money(&update));
        let teloxide::types::UpdateKind::Message(message) = update.kind else { panic!("a message: {raw}") };
        assert!(
            message.successful_payment().is_some()
                || matches!(message.kind, teloxide::types::MessageKind::RefundedPayment(_))
        );
    }
}

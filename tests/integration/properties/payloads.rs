//! Invoice payloads and ids: each newtype accepts exactly its documented grammar.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use starmine::domain::{ChargeId, ItemId, OrderId, Stars};

use super::{config, untrusted_text};

// Payload parsing: the documented grammar of each newtype.

fn is_item_id(raw: &str) -> bool {
    (1..=32).contains(&raw.len()) && raw.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

fn is_order_token(raw: &str) -> bool {
    (8..=32).contains(&raw.len()) && raw.bytes().all(|b| matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'))
}

/// `<item_id>.<token>`, split at the first dot.
fn is_order_id(raw: &str) -> bool {
    match raw.find('.') {
        Some(dot) => is_item_id(&raw[..dot]) && is_order_token(&raw[dot + 1..]),
        None => false,
    }
}

/// 1–128 bytes of printable ASCII without spaces.
fn is_charge_id(raw: &str) -> bool {
    (1..=128).contains(&raw.len()) && raw.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn order_ids_parse_exactly_their_grammar_and_round_trip(raw in untrusted_text()) {
        let parsed = OrderId::parse(&raw);
        prop_assert_eq!(parsed.is_some(), is_order_id(&raw));
        if let Some(order) = parsed {
            prop_assert_eq!(order.to_string(), raw.as_str());
            prop_assert!(is_item_id(order.item().as_str()), "{order}");
            prop_assert_eq!(&ItemId::parse(order.item().as_str()), &Ok(order.item().clone()));
        }
    }

    #[test]
    fn order_ids_made_of_valid_parts_parse_back(item in "[a-z0-9_]{1,32}", token in "[A-Za-z0-9]{8,32}") {
        let order = OrderId::new(ItemId::parse(&item).map_err(TestCaseError::fail)?, token);
        prop_assert_eq!(OrderId::parse(&order.to_string()), Some(order));
    }

    #[test]
    fn item_ids_are_exactly_1_to_32_of_lowercase_digits_and_underscores(raw in untrusted_text()) {
        let parsed = ItemId::parse(&raw).ok().map(|id| id.to_string());
        prop_assert_eq!(parsed, is_item_id(&raw).then(|| raw.clone()));
    }

    #[test]
    fn charge_ids_are_exactly_1_to_128_printable_ascii_bytes(raw in untrusted_text()) {
        let parsed = ChargeId::parse(&raw).ok().map(|id| id.to_string());
        prop_assert_eq!(parsed, is_charge_id(&raw).then(|| raw.clone()));
    }

    #[test]
    fn stars_are_whole_amounts_from_1_to_10000(
        amount in prop_oneof![any::<i64>(), -3i64..3, 9_997i64..10_004, Just(i64::MIN), Just(i64::MAX)],
    ) {
        let expected = u32::try_from(amount).ok().filter(|amount| (1..=10_000).contains(amount));
        prop_assert_eq!(Stars::new(amount).ok().map(Stars::get), expected);
    }
}

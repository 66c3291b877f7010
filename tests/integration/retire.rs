//! Retiring items and selling out: `retired = true` takes an item off sale while its owners keep
//! it — named in `/inventory`, `/me` and the refund list, usable, refundable by the policy — and
//! an open invoice of it can no longer be paid; `stock = 0` is sold out, shown and refused as
//! such.

use starmine::sandbox::emulator::PayOutcome;

use crate::reload::{edit, spawn_on_copy, wait_for_log};
use crate::support::*;

#[tokio::test]
async fn a_retired_item_is_off_sale_but_still_owned_named_usable_and_refundable() {
    let (app, dir, _keep) = spawn_on_copy().await;
    let pickaxe = buy_and_pay(&app, ALICE, "pickaxe").await;
    buy_and_pay(&app, ALICE, "lantern").await;
    // Bob's invoice was sent while the Lantern was on sale.
    let open = invoice(&app, BOB, "lantern").await;

    edit(&dir, "yield_multiplier = 2", "yield_multiplier = 2\nretired = true");
    edit(&dir, "luck = 1000", "luck = 1000\nretired = true");
    wait_for_log(&app, "game data reloaded").await;

    // Off sale: /buy says so, the shop's shelves leave it out, the open invoice is refused.
    say_expect(&app, BOB, "/buy lantern", "Lantern is no longer sold").await;
    let shop = say_expect(&app, BOB, "/shop", "Starmine shop").await;
    let shelves = shop.text.unwrap_or_default();
    let gone = !shelves.contains("Tools") && !shelves.contains("Boosts") && shelves.contains("Energy");
    assert!(gone, "the shelves of the only tool and the only boost are gone: {shelves}");
    let paid = pay(&app, BOB, &open).await;
    assert!(
        matches!(&paid, PayOutcome::Declined { error_message } if error_message.contains("no longer sold")),
        "{paid:?}"
    );
    assert_eq!(held(&app, BOB, "lantern").await, 0);

    // Still Alice's, by name, everywhere.
    let inventory = say_expect(&app, ALICE, "/inventory", "Your inventory").await.text.unwrap_or_default();
    assert!(inventory.contains("• Pickaxe ×1") && inventory.contains("• Lantern ×1"), "{inventory}");
    let me = say_expect(&app, ALICE, "/me", "Your miner").await.text.unwrap_or_default();
    assert!(me.contains("🛠 Tools: Pickaxe"), "{me}");
    let refunds = say_expect(&app, ALICE, "/refund", "Pickaxe").await.text.unwrap_or_default();
    assert!(!refunds.contains("pickaxe"), "named, not a raw id: {refunds}");
    // Usable, and refundable by the normal policy.
    say_expect(&app, ALICE, "/use lantern", "Lantern is active").await;
    say_expect(&app, ALICE, &format!("/refund {pickaxe}"), "Refunded 50 ⭐").await;
    assert_eq!(held(&app, ALICE, "pickaxe").await, 0);
}

#[tokio::test]
async fn stock_zero_is_sold_out_and_shown_as_such() {
    let (app, dir, _keep) = spawn_on_copy().await;
    edit(&dir, "stock = 3", "stock = 0");
    wait_for_log(&app, "game data reloaded").await;
    say_expect(&app, ALICE, "/buy rare", "Rare Gem is sold out").await;
    let shop = say_expect(&app, ALICE, "/shop", "Starmine shop").await;
    let page = press_until(&app, ALICE, &shop, "Rare Gem").await;
    assert!(page.contains("Rare Gem — 7 ⭐ · SOLD OUT"), "shown, as sold out: {page}");
    assert_eq!(sold(&app, "rare").await, 0);
}

/// Presses the shop's shelf tabs one after another until the shop message shows `needle`.
async fn press_until(
    app: &crate::harness::TestApp,
    user: i64,
    shop: &starmine::sandbox::emulator::SentMessage,
    needle: &str,
) -> String {
    let tabs = shop.buttons().into_iter().filter_map(|(_, data, _)| data).filter(|data| data.starts_with("shop:"));
    for tab in tabs {
        let pressed = app.emulator.press_button(user, user, shop.message_id, &tab);
        crate::harness::poll_until(WAIT, || async { app.emulator.callback_answer(&pressed) }).await;
        let now = app.emulator.messages(user).into_iter().find(|m| m.message_id == shop.message_id).expect("the shop");
        let text = now.text.unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
    }
    panic!("no shelf shows {needle}");
}

//! Languages end to end, real binary and real Redis: a player whose Telegram speaks Russian
//! buys, pays, gets a Russian invoice and receipt, refunds, and gets the game loop's notice in
//! Russian; `/language` switches for good, whatever the updates' `language_code` says later;
//! a Persian player reads Persian; an unshipped language falls back to English.

use std::time::Duration;

use starmine::sandbox::emulator::SentMessage;

use crate::harness::TestApp;
use crate::support::*;

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

#[tokio::test]
async fn a_russian_speaking_player_buys_and_refunds_in_russian() {
    let app = spawn().await;
    app.emulator.set_user_language(ALICE, "ru-RU");

    let requests = app.emulator.request_count();
    let invoice = say(&app, ALICE, "/buy energy", |m| m.invoice.is_some()).await;
    let details = invoice.invoice.clone().unwrap();
    assert_eq!(details.title, "Энергия");
    assert_eq!(details.description, "Добавляет 5 энергии при использовании.");
    let sent = app.emulator.wait_for_request(requests, WAIT, |r| r.method == "sendInvoice").await.unwrap();
    assert_eq!(sent.params["prices"][0]["label"], "Энергия", "the price label: {}", sent.params);

    let before = last_id(&app, ALICE);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    let receipt = text(&text_after(&app, ALICE, before, "Оплата получена").await);
    assert!(receipt.contains("Энергия за 5 ⭐"), "{receipt}");
    assert!(receipt.contains("Добавлено: Энергия"), "{receipt}");
    assert!(receipt.contains("⚡ Используйте, когда понадобится энергия: /use energy."), "{receipt}");
    assert!(receipt.contains(&format!("Идентификатор платежа: {charge}")), "{receipt}");

    // Plural forms: 3 units of an item, 50 gems ("самоцветов", the "many" form).
    let bundle = buy_and_pay(&app, ALICE, "starter").await;
    let list = say_expect(&app, ALICE, "/refund", "Покупки, за которые можно вернуть деньги").await;
    assert!(text(&list).contains("заберём: Энергия × 3 и 50 самоцветов"), "{}", text(&list));
    assert!(list.button_data("Вернуть «Набор новичка»").is_some(), "{:?}", list.buttons());

    let refunded = say_expect(&app, ALICE, &format!("/refund {charge}"), "Возвращено 5 ⭐ за «Энергия»").await;
    assert!(text(&refunded).contains("Забрано: Энергия"), "{}", text(&refunded));
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    say_expect(&app, ALICE, &format!("/refund {charge}"), "За эту покупку деньги уже возвращены").await;
    assert_eq!(status(&app, ALICE, &bundle).await, "paid");

    // Refused at pre-checkout in Russian too: another player's invoice.
    let bobs = invoice_for(&app, BOB, "energy").await;
    let outcome = app.emulator.pay_payload(ALICE, &bobs, "XTR", 5).await;
    assert!(format!("{outcome:?}").contains("выставлен другому игроку"), "{outcome:?}");
    conforms(&app);
}

/// The payload of a fresh invoice for `item` bought by `user`.
async fn invoice_for(app: &TestApp, user: i64, item: &str) -> String {
    invoice(app, user, item).await.invoice.unwrap().payload
}

#[tokio::test]
async fn the_game_loop_tells_a_russian_player_in_russian() {
    let app = spawn_with_env(&[("GAME_TICK_MS", "10")]).await;
    app.emulator.set_user_language(ALICE, "ru");
    buy_and_pay(&app, ALICE, "lantern").await;
    say_expect(&app, ALICE, "/use lantern", "«Фонарь» действует ещё").await;
    app.emulator
        .wait_for(ALICE, Duration::from_secs(15), |m| {
            m.text.as_deref().is_some_and(|t| t.contains("⌛ Действие «Фонарь» закончилось."))
        })
        .await
        .expect("the boost's end, in Russian");
}

/// The mine's zones and finds are designer data translated in loot.toml: a Russian player digs
/// in «Шахта» and finds «Камешек», and /me names the zone in Russian too.
#[tokio::test]
async fn a_russian_player_digs_through_zones_and_finds_named_in_russian() {
    let app = spawn().await;
    app.emulator.set_user_language(ALICE, "ru");
    let dug = say(&app, ALICE, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("Вы нашли"))).await;
    let text = dug.text.unwrap_or_default();
    assert!(text.contains("Шахта"), "{text}");
    assert!(text.contains("Камешек") || text.contains("Алмаз"), "{text}");
    say_expect(&app, ALICE, "/me", "Шахта").await;
}

#[tokio::test]
async fn language_is_chosen_with_buttons_and_kept() {
    let app = spawn().await;
    app.emulator.set_user_language(ALICE, "ru");
    let menu = say_expect(&app, ALICE, "/language", "Выберите язык").await;
    let names: Vec<String> = menu.buttons().into_iter().map(|(text, _, _)| text).collect();
    assert_eq!(names, ["English", "✓ Русский", "فارسی"]);

    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, menu.message_id, &menu.button_data("English").unwrap());
    text_after(&app, ALICE, before, "Starmine speaks English with you now").await;
    // Telegram still says ru: the choice stands.
    say_expect(&app, ALICE, "/inventory", "Your inventory is empty").await;
    let invoice = invoice(&app, ALICE, "energy").await;
    assert_eq!(invoice.invoice.unwrap().title, "Energy");

    let menu = say_expect(&app, ALICE, "/language", "Choose your language").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, menu.message_id, &menu.button_data("فارسی").unwrap());
    text_after(&app, ALICE, before, "فارسی صحبت").await;
    let start = say_expect(&app, ALICE, "/start", "به Starmine خوش آمدید").await;
    assert!(text(&start).contains("/language — انتخاب زبان"), "{}", text(&start));
}

#[tokio::test]
async fn the_first_language_seen_is_kept_and_unknown_ones_read_english() {
    let app = spawn().await;
    app.emulator.set_user_language(ALICE, "fa");
    app.emulator.set_user_language(BOB, "de");
    say_expect(&app, ALICE, "/shop", "فروشگاه Starmine").await;
    say_expect(&app, BOB, "/shop", "Starmine shop").await;
    // Telegram's language changes later: the player's stored language does not.
    app.emulator.set_user_language(ALICE, "en");
    say_expect(&app, ALICE, "/inventory", "دارایی شما خالی است").await;
    let russian = app.emulator.commands_in("ru");
    assert!(russian.contains(&("dig".to_owned(), "Копать самоцветы".to_owned())), "{russian:?}");
    assert!(app.emulator.commands().contains(&("language".to_owned(), "Choose your language".to_owned())));
}

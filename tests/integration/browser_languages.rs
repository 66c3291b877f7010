//! The game page in the player's language in a real browser: headless Chromium driven by
//! `tests/browser/languages.mjs` against the real bot. A Russian-speaking player's page is in
//! Russian (its words and the shop's item names from the server), a Persian-speaking player's is
//! in Persian and laid out right to left; neither overflows a 390x844 phone. The numbers the
//! server words per player (the run's seconds, the upgrades card) read as each language writes
//! them. Screenshots of home, the upgrades card and the shop for each.

use serde_json::Value;

use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::play::{open_game, spawn_play};
use crate::support::{ALICE, BOB};

/// Opens the game for `user`, whose Telegram speaks `language_code`, and drives the page.
async fn page_in(language_code: &str, user: i64, test: &str, env: &[(&str, &str)]) -> Value {
    assert_prerequisites();
    let (app, _) = spawn_play().await;
    app.emulator.set_user_language(user, language_code);
    let game_url = open_game(&app, user).await;
    let screenshots = screenshot_dir(test);
    let driven = drive(&app, user, "languages.mjs", env, &game_url, &screenshots).await;
    driven.output(&app, "languages.mjs")
}

#[tokio::test]
async fn the_game_page_is_in_russian_for_a_russian_speaking_player_in_chromium() {
    let test = "the_game_page_is_in_russian_for_a_russian_speaking_player_in_chromium";
    let out = page_in("ru", ALICE, test, &[("BUY_BOOST", "lantern")]).await;
    assert_eq!((&out["lang"], &out["dir"], &out["direction"]), (&"ru".into(), &"ltr".into(), &"ltr".into()), "{out}");
    assert_eq!(out["tagline"], "Бейте по руде. Собирайте комбо. Успейте до конца.");
    assert_eq!(out["play"], "Играть");
    assert_eq!(out["back_label"], "Назад", "what a screen reader says for the back arrow: {out}");
    assert_eq!(out["allowance"], "Самоцветов аркады на сегодня: 50 из 50");
    assert_eq!(out["run_seconds"], "4 с", "{out}");
    assert_eq!(out["stock"], serde_json::json!(["Осталось 2", "Осталось 3"]), "{out}");
    assert_eq!(out["skin"], "Классический облик", "{out}");
    let upgrades = &out["upgrades"];
    assert_eq!(upgrades["have"], "у вас 0 💎", "{out}");
    assert_eq!(upgrades["now"], "Не начато", "{out}");
    assert_eq!(upgrades["buy"], "Уровень 1 · 50 💎", "{out}");
    assert_eq!(upgrades["why"], "Нужно ещё 50 💎", "{out}");
    assert_eq!(out["shop_title"], "Магазин");
    assert!(out["shop_note"].as_str().unwrap_or_default().starts_with("Оплата в Telegram Stars"), "{out}");
    let items: Vec<&str> = out["items"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(items.contains(&"Энергия") && items.contains(&"Фонарь"), "translated item names: {items:?}");
    assert!(items.contains(&"Pickaxe"), "an untranslated item keeps its English name: {items:?}");
    assert_eq!(out["overflow"], false, "{out}");
    // Buying and starting a boost: every sentence from the server, in Russian.
    let bought = &out["bought"];
    assert_eq!(bought["pay"], "Оплатить 20 ⭐", "{out}");
    assert_eq!(
        bought["receipt"], "Куплено! «Фонарь» у вас в запасах — нажмите «Старт»; время действия — 10 секунд.",
        "{out}"
    );
    assert!(bought["held"].as_str().unwrap_or_default().ends_with("время действия — 10 секунд"), "{out}");
    assert_eq!(bought["notice"], "«Фонарь»: действует, до конца — 10 секунд.", "{out}");
    assert!(bought["running"].as_str().unwrap_or_default().ends_with(" осталось"), "{out}");
    assert_eq!(bought["running_name"], "Фонарь", "the running boost by its Russian name: {out}");
}

#[tokio::test]
async fn the_game_page_is_in_persian_and_right_to_left_for_a_persian_speaking_player_in_chromium() {
    let out = page_in(
        "fa",
        BOB,
        "the_game_page_is_in_persian_and_right_to_left_for_a_persian_speaking_player_in_chromium",
        &[],
    )
    .await;
    assert_eq!((&out["lang"], &out["dir"], &out["direction"]), (&"fa".into(), &"rtl".into(), &"rtl".into()), "{out}");
    assert_eq!(out["play"], "بازی");
    // Persian digits; each value isolated (U+2068 … U+2069) so it keeps its place in the sentence.
    assert_eq!(out["allowance"], "جواهر آرکیدِ باقی‌ماندهٔ امروز: \u{2068}۵۰\u{2069} از \u{2068}۵۰\u{2069}");
    assert_eq!(out["run_seconds"], "\u{2068}۴\u{2069} ث", "{out}");
    assert_eq!(
        out["stock"],
        serde_json::json!(["\u{2068}۲\u{2069} عدد مانده", "\u{2068}۳\u{2069} عدد مانده"]),
        "{out}"
    );
    assert_eq!(out["skin"], "پوستهٔ کلاسیک", "{out}");
    let upgrades = &out["upgrades"];
    assert_eq!(upgrades["have"], "موجودی شما: \u{2068}۰\u{2069} 💎", "{out}");
    assert_eq!(upgrades["now"], "شروع نشده", "{out}");
    assert_eq!(upgrades["buy"], "سطح \u{2068}۱\u{2069} با \u{2068}۵۰\u{2069} 💎", "{out}");
    assert_eq!(upgrades["why"], "\u{2068}۵۰\u{2069} 💎 دیگر لازم است", "{out}");
    assert_eq!(out["shop_title"], "فروشگاه");
    let items: Vec<&str> = out["items"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(items.contains(&"انرژی"), "{items:?}");
    assert_eq!(out["overflow"], false, "{out}");
}

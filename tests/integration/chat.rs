//! A tidy chat through the emulator: `/shop` is one message whose short pages are edited in
//! place, a dig edits its own message, stale buttons get a toast and change nothing, and `/buy`
//! and `/use` suggest real items of the live catalog.

use std::path::Path;

use starmine::sandbox::emulator::{CallbackAnswer, SentMessage};

use crate::harness::{poll_until, TestApp, TestOptions};
use crate::support::*;

/// The tallest a message may be to fit a phone's chat (390 x 844 CSS px, less the header and
/// the composer).
const PHONE_CHAT_PX: usize = 700;

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

/// Roughly how tall `message` is in a phone's chat: about 34 characters to a line at 20 px,
/// 42 px per keyboard row, 40 px of bubble padding.
fn phone_height(message: &SentMessage) -> usize {
    let lines: usize = text(message).split('\n').map(|line| line.chars().count().div_ceil(34).max(1)).sum();
    let rows = message.reply_markup.as_ref().and_then(|m| m["inline_keyboard"].as_array().map(Vec::len)).unwrap_or(0);
    lines * 20 + rows * 42 + 40
}

/// Whether one of the message's buttons carries exactly `data`.
fn has_data(message: &SentMessage, data: &str) -> bool {
    message.buttons().iter().any(|(_, button_data, _)| button_data.as_deref() == Some(data))
}

/// Presses the button with `data` on `message` and waits for the bot's answer to the press.
async fn press(app: &TestApp, user: i64, message: &SentMessage, data: &str) -> CallbackAnswer {
    let id = app.emulator.press_button(user, user, message.message_id, data);
    let answer = poll_until(WAIT, || async { app.emulator.callback_answer(&id) }).await;
    answer.unwrap_or_else(|| panic!("no answer to {data}\n{}", app.log_tail(40)))
}

/// The message as it is now (after edits).
fn now(app: &TestApp, message: &SentMessage) -> SentMessage {
    app.emulator.message(message.chat_id, message.message_id).expect("the message is still there")
}

fn bot_messages(app: &TestApp, user: i64) -> usize {
    app.emulator.messages(user).len()
}

fn edits_of(app: &TestApp, message: &SentMessage) -> usize {
    let requests = app.emulator.requests();
    let edits = requests.iter().filter(|r| r.method == "editMessageText");
    edits.filter(|r| r.params["message_id"] == message.message_id).count()
}

#[tokio::test]
async fn the_shop_is_one_message_whose_short_pages_are_edited_in_place() {
    let app = spawn().await;
    let shop = say(&app, ALICE, "/shop", |m| text(m).contains("Starmine shop")).await;
    let messages = bot_messages(&app, ALICE);
    let mut pages = vec![shop.clone()];
    for (shelf, item) in [("energy", "Energy"), ("tools", "Pickaxe"), ("other", "Rare Gem"), ("arcade", "Gold Skin")] {
        let current = now(&app, &shop);
        let data = format!("shop:{shelf}:0");
        assert!(has_data(&current, &data), "a {shelf} tab on {:?}", current.buttons());
        let answer = press(&app, ALICE, &current, &data).await;
        assert_eq!(answer.text, None, "a page that exists opens without a toast");
        let page = now(&app, &shop);
        assert!(text(&page).contains(item), "{item} on the {shelf} page: {}", text(&page));
        pages.push(page);
    }
    assert_eq!(bot_messages(&app, ALICE), messages, "every page replaced the same message");
    assert!(edits_of(&app, &shop) >= 4, "pages are editMessageText on the shop message");
    assert!(text(&pages[3]).contains("3 left"), "limited stock is shown: {}", text(&pages[3]));
    for page in &pages {
        assert!(phone_height(page) <= PHONE_CHAT_PX, "{} px: {}\n{:?}", phone_height(page), text(page), page.buttons());
        for (label, data, _) in page.buttons() {
            assert!(label.chars().count() <= 24, "a phone-wide label: {label}");
            assert!(data.is_some_and(|data| data.len() <= 64), "callback data within 64 bytes");
        }
    }
    // A Buy button on a page sends the invoice.
    let energy = &pages[1];
    let buy = energy.button_data("Energy ·").expect("a Buy button with the price");
    let before = last_id(&app, ALICE);
    press(&app, ALICE, energy, &buy).await;
    let invoice = reply_after(&app, ALICE, before, |m| m.invoice.is_some()).await;
    assert_eq!(invoice.invoice.unwrap().amount, 5);
    // A page is drawn for the player who presses: a tool they own has no Buy button.
    buy_and_pay(&app, ALICE, "pickaxe").await;
    press(&app, ALICE, &now(&app, &shop), "shop:tools:0").await;
    let tools = now(&app, &shop);
    assert!(text(&tools).contains("Pickaxe — 50 ⭐ · you own it"), "{}", text(&tools));
    assert!(!has_data(&tools, "buy:pickaxe") && has_data(&tools, "shop:energy:0"), "{:?}", tools.buttons());
}

/// `/dig` and its message (a find).
async fn dig(app: &TestApp, user: i64) -> SentMessage {
    say(app, user, "/dig", |m| text(m).contains("You found")).await
}

#[tokio::test]
async fn a_dig_edits_its_own_message() {
    let app = spawn_with_env(&[("LOOT_SEED", "7"), ("GAME_TICK_MS", "10")]).await;
    let live = dig(&app, ALICE).await;
    assert!(text(&live).contains("1 m · Mine"), "{}", text(&live));
    let messages = bot_messages(&app, ALICE);
    for depth in 2..=4 {
        let again = now(&app, &live).button_data("Dig again").expect("the live message keeps Dig again");
        let answer = press(&app, ALICE, &live, &again).await;
        assert_eq!(answer.text, None);
        let shown = now(&app, &live);
        assert!(text(&shown).contains(&format!("{depth} m · Mine")), "{}", text(&shown));
    }
    assert_eq!(bot_messages(&app, ALICE), messages, "no new message per dig");
    assert_eq!(edits_of(&app, &live), 3);
    assert_eq!(player(&app, ALICE).await["energy"], 6, "four digs spent four energy");
}

#[tokio::test]
async fn stale_buttons_get_a_toast_and_change_nothing() {
    let (app, dir, _keep) = crate::reload::spawn_on_copy().await;
    // Dig again on a dig message that is no longer the live one.
    let old = dig(&app, ALICE).await;
    let live = dig(&app, ALICE).await;
    let energy = player(&app, ALICE).await["energy"].clone();
    let messages = bot_messages(&app, ALICE);
    let again = old.button_data("Dig again").unwrap();
    let answer = press(&app, ALICE, &old, &again).await;
    assert!(answer.text.as_deref().is_some_and(|t| t.contains("This dig is over")), "{answer:?}");
    assert_eq!((now(&app, &old), now(&app, &live)), (old.clone(), live.clone()), "both messages unchanged");
    assert_eq!(bot_messages(&app, ALICE), messages);
    assert_eq!(player(&app, ALICE).await["energy"], energy, "nothing was dug");

    // A page opened before an item left the shop, and a page the shop no longer has.
    let shop = say(&app, ALICE, "/shop", |m| text(m).contains("Starmine shop")).await;
    press(&app, ALICE, &shop, "shop:other:0").await;
    let other = now(&app, &shop);
    let buy_crate = other.button_data("Crate").expect("a Buy button for the crate");
    crate::reload::edit(&dir, "id = \"crate\"", "id = \"box\"");
    crate::reload::wait_for_log(&app, "game data reloaded").await;
    let messages = bot_messages(&app, ALICE);
    let answer = press(&app, ALICE, &other, &buy_crate).await;
    assert!(answer.text.as_deref().is_some_and(|t| t.contains("no longer for sale")), "{answer:?}");
    assert_eq!(bot_messages(&app, ALICE), messages, "no invoice, no message");
    let answer = press(&app, ALICE, &other, "shop:other:4").await;
    assert!(answer.text.as_deref().is_some_and(|t| t.contains("shop has changed")), "{answer:?}");
    let shown = now(&app, &shop);
    assert!(text(&shown).contains("Rare Gem"), "the shelf as it is now: {}", text(&shown));
    assert!(has_data(&shown, "buy:box") && !has_data(&shown, "buy:crate"), "{:?}", shown.buttons());

    // A Buy button for an item that sold out after the page was shown.
    let shop = say(&app, BOB, "/shop", |m| text(m).contains("Starmine shop")).await;
    press(&app, BOB, &shop, "shop:other:0").await;
    let other = now(&app, &shop);
    let buy_golden = other.button_data("Golden Pickaxe").expect("golden is on sale");
    buy_and_pay(&app, ALICE, "golden").await;
    buy_and_pay(&app, 3003, "golden").await;
    let messages = bot_messages(&app, BOB);
    let answer = press(&app, BOB, &other, &buy_golden).await;
    assert!(answer.text.as_deref().is_some_and(|t| t.contains("sold out")), "{answer:?}");
    assert_eq!(bot_messages(&app, BOB), messages, "no invoice, no message");
}

/// Every `/buy <id>` and `/use <id>` in `text`, as ids.
fn named_ids(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let named = words.windows(2).filter(|pair| pair[0] == "/buy" || pair[0] == "/use");
    let ids = named.map(|pair| pair[1].trim_end_matches(['.', ',', '?', ')']).to_owned());
    ids.filter(|id| id != "<item>").collect()
}

/// `/buy` and `/use` with nothing, a near miss and a typo name only items of the catalog the
/// bot runs on (the shipped one and the tests' one differ).
#[tokio::test]
async fn buy_and_use_suggest_real_items_of_the_live_catalog() {
    for dir in ["game_data", "tests/fixtures/game_data"] {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let catalog = starmine::game_data::load_dir(&data).expect("valid data");
        let mut options = TestOptions { game_data_dir: data, ..TestOptions::default() };
        options.env.push(("SEND_LIMITS".into(), "off".into()));
        let app = TestApp::spawn_with(options).await;
        let real = |id: &str| catalog.find(id).is_some();
        for (typed, needle) in [("/buy", "for example"), ("/use", "for example"), ("/buy pickax", "Did you mean")] {
            let reply = say_expect(&app, ALICE, typed, needle).await;
            let ids = named_ids(&text(&reply));
            assert!(!ids.is_empty() && ids.iter().all(|id| real(id)), "{dir}: {typed} names {ids:?}: {}", text(&reply));
            for (_, data, _) in reply.buttons() {
                let id = data.unwrap().split_once(':').unwrap().1.to_owned();
                assert!(real(&id), "{dir}: a button for {id}");
            }
        }
        let lantern = say_expect(&app, ALICE, "/use lanter", "Did you mean").await;
        assert!(named_ids(&text(&lantern)).iter().any(|id| id.contains("lantern")), "{}", text(&lantern));
        let use_button = lantern.button_data("Lantern").expect("a Use button");
        assert!(use_button.starts_with("use:"), "{use_button}");
    }
    // In the shipped catalog "pickaxe" is not an id: the real pickaxes are offered, with Buy buttons.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("game_data");
    let app = TestApp::spawn_with(TestOptions { game_data_dir: data, ..TestOptions::default() }).await;
    let reply = say_expect(&app, ALICE, "/buy pickaxe", "Did you mean").await;
    assert_eq!(named_ids(&text(&reply)), ["iron_pickaxe", "founders_golden_pickaxe"], "{}", text(&reply));
    let buy = reply.button_data("Iron Pickaxe").expect("a Buy button");
    let before = last_id(&app, ALICE);
    press(&app, ALICE, &reply, &buy).await;
    let invoice = reply_after(&app, ALICE, before, |m| m.invoice.is_some()).await;
    assert_eq!(invoice.invoice.unwrap().title, "Iron Pickaxe");
}

//! The simulated side of Telegram: users who write, press buttons, pay, dispute, and raw
//! update injection.

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::model::{CallbackAnswer, Invoice, PayOutcome};
use super::payments::{self, Checkout};
use super::state::{PendingCallback, State};
use super::wire::{utf16_len, UserInfo};
use super::Emulator;

impl Emulator {
    /// Names a simulated user (default: first name `User <id>`, username `user<id>`).
    pub fn set_user_name(&self, user: i64, first_name: &str, username: Option<&str>) {
        self.shared.change(|state| {
            let language_code =
                state.users.get(&user).map_or_else(|| "en".to_owned(), |known| known.language_code.clone());
            let (first_name, username) = (first_name.to_owned(), username.map(str::to_owned));
            state.users.insert(user, UserInfo { id: user, first_name, username, language_code })
        });
    }

    /// Sets the `language_code` a simulated user's updates carry (`en` by default), as their
    /// Telegram app's language would.
    pub fn set_user_language(&self, user: i64, language_code: &str) {
        self.shared.change(|state| {
            let mut info = state.user(user).clone();
            info.language_code = language_code.to_owned();
            state.users.insert(user, info)
        });
    }

    /// `user` sends `text` in the private chat with the bot; returns the message_id.
    pub fn send_text(&self, user: i64, text: &str) -> i64 {
        self.shared.change(|state| {
            state.open_private(user);
            state.user_message(user, user, text_fields(text))
        })
    }

    /// `user` sends `text` in the basic group `chat`; panics unless `chat` is negative.
    pub fn send_group_text(&self, chat: i64, user: i64, text: &str) -> i64 {
        assert!(chat < 0, "group chat ids are negative, got {chat}");
        self.shared.change(|state| {
            state.open_group(chat);
            state.user(user);
            state.user_message(chat, user, text_fields(text))
        })
    }

    /// `user` presses an inline button with `data` on message `message_id` of `chat`; returns
    /// the callback query id. Any data can be sent (forged buttons); a message that is gone
    /// arrives as an inaccessible message.
    pub fn press_button(&self, user: i64, chat: i64, message_id: i64, data: &str) -> String {
        self.callback(user, chat, message_id, ("data", data.to_owned()))
    }

    /// `user` presses Play on the game message `message_id` of `chat`; `None` if that is not
    /// a game message of the bot.
    pub fn press_game(&self, user: i64, chat: i64, message_id: i64) -> Option<String> {
        let game = self.message(chat, message_id)?.game_short_name?;
        Some(self.callback(user, chat, message_id, ("game_short_name", game)))
    }

    fn callback(&self, user: i64, chat: i64, message_id: i64, payload: (&str, String)) -> String {
        let id = State::fresh_id("cbq", 16);
        self.shared.change(|state| {
            let from = state.user(user).to_json();
            let message = match state.message_mut(chat, message_id) {
                Some(stored) => stored.json.clone(),
                None => {
                    json!({ "chat": state.chat_json(chat), "message_id": message_id, "date": 0 })
                }
            };
            let pending = PendingCallback { created: Instant::now(), answer: None };
            state.callbacks.insert(id.clone(), pending);
            let mut query = json!({
                "id": id,
                "from": from,
                "message": message,
                "chat_instance": format!("ci{chat}"),
            });
            query[payload.0] = json!(payload.1);
            state.enqueue("callback_query", query);
        });
        id
    }

    /// `user` types `@bot <query>` in any chat: an inline query. Returns its id.
    pub fn inline_query(&self, user: i64, query: &str) -> String {
        let id = State::fresh_id("iq", 16);
        self.shared.change(|state| {
            let from = state.user(user).to_json();
            state.enqueue("inline_query", json!({ "id": id, "from": from, "query": query, "offset": "" }));
        });
        id
    }

    /// The results the bot answered an inline query with, once it has.
    pub fn inline_answer(&self, id: &str) -> Option<Value> {
        self.shared.lock().inline_answers.get(id).cloned()
    }

    /// `user` presses Play on an inline game message (sent through inline mode): a callback
    /// query with `inline_message_id` and no message. Returns the callback id.
    pub fn press_inline_game(&self, user: i64, inline_message_id: &str, game_short_name: &str) -> String {
        let id = State::fresh_id("cbq", 16);
        self.shared.change(|state| {
            let from = state.user(user).to_json();
            state.callbacks.insert(id.clone(), PendingCallback { created: Instant::now(), answer: None });
            let query = json!({
                "id": id,
                "from": from,
                "inline_message_id": inline_message_id,
                "chat_instance": format!("ci-inline-{inline_message_id}"),
                "game_short_name": game_short_name,
            });
            state.enqueue("callback_query", query);
        });
        id
    }

    /// How the bot answered a callback query, once it has.
    pub fn callback_answer(&self, id: &str) -> Option<CallbackAnswer> {
        self.shared.lock().callbacks.get(id)?.answer.clone()
    }

    /// `user` pays the invoice message `message_id` the bot sent in `chat`.
    pub async fn pay_invoice(&self, user: i64, chat: i64, message_id: i64) -> PayOutcome {
        let Some(invoice) = self.message(chat, message_id).and_then(|message| message.invoice) else {
            let reason = format!("message {message_id} in chat {chat} is not an invoice of the bot");
            return PayOutcome::Unpayable { reason };
        };
        payments::pay(&self.shared, Checkout { payer: user, chat, invoice }).await
    }

    /// `user` pays an invoice that the bot never made (forged or tampered payments); the
    /// payment is announced in the user's private chat.
    pub async fn pay_payload(&self, user: i64, payload: &str, currency: &str, amount: i64) -> PayOutcome {
        let invoice = Invoice {
            title: "Forged".to_owned(),
            description: "Forged".to_owned(),
            payload: payload.to_owned(),
            currency: currency.to_owned(),
            amount,
            subscription_period: None,
        };
        payments::pay(&self.shared, Checkout { payer: user, chat: user, invoice }).await
    }

    /// `user` opens an invoice link made by createInvoiceLink and pays it.
    pub async fn pay_link(&self, user: i64, link: &str) -> PayOutcome {
        let Some(invoice) = self.shared.lock().invoice_links.get(link).cloned() else {
            return PayOutcome::Unpayable { reason: format!("unknown invoice link {link}") };
        };
        payments::pay(&self.shared, Checkout { payer: user, chat: user, invoice }).await
    }

    /// A refund started on Telegram's side (a dispute): recorded like refundStarPayment and
    /// announced with refunded_payment. False if `user` has no unrefunded charge `charge_id`.
    pub fn dispute(&self, user: i64, charge_id: &str) -> bool {
        self.shared.change(|state| payments::refund(state, user, charge_id).is_ok())
    }

    /// Enqueues any JSON as an update (malformed or unknown kinds too), as given: allowed_updates,
    /// losses and `deliver_twice` do not apply. Assigns and returns its update_id.
    pub fn inject_update(&self, update_without_id: Value) -> i64 {
        self.shared.change(|state| state.inject(update_without_id))
    }
}

/// The fields of a user's text message; a leading command gets its `bot_command` entity.
fn text_fields(text: &str) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("text".to_owned(), json!(text));
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        fields.insert(
            "entities".to_owned(),
            json!([{ "type": "bot_command", "offset": 0, "length": utf16_len(command) }]),
        );
    }
    fields
}

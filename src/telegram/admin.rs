//! The operator console from the chat: `/admin` sends an admin a one-time sign-in link (anyone
//! else gets the answer to an unknown command), and [`ConsoleApi`] answers what the console
//! reads from Telegram ([`crate::admin::AdminPort`]) with our own Bot API calls, and its refunds
//! with the CLI's admin refund ([`refunds::refund_as_admin`]).

use futures::future::BoxFuture;
use futures::FutureExt;
use teloxide::prelude::*;
use teloxide::types::LinkPreviewOptions;

use super::{bot_api, refunds, support, texts, HandlerResult, Shop, TgBot};
use crate::admin::{AdminPort, RefundReport, ReplyReport, StarBalance, WebhookStatus, LINK_TTL};
use crate::clock::now_ms;
use crate::domain::{ChargeId, UserId};
use crate::i18n::Lang;

/// `/admin` in the private chat.
pub async fn on_admin_command(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, user: UserId) -> HandlerResult {
    if !shop.is_admin(user) {
        bot.send_message(chat, texts::unknown_command(lang)).await?;
        return Ok(());
    }
    let Some(console) = &shop.console else {
        bot.send_message(chat, texts::ADMIN_CONSOLE_OFF).await?;
        return Ok(());
    };
    let link = console.login_link(user, now_ms());
    // No preview: Telegram's preview fetcher must not be the one to open the link.
    let no_preview = LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    };
    bot.send_message(chat, texts::admin_link(&link, LINK_TTL)).link_preview_options(no_preview).await?;
    tracing::info!(target: "starmine::admin", admin = %user, via = "chat", "sign-in link issued");
    Ok(())
}

/// The console's reads from the Bot API, through the plain Bot (they are not sends), and its
/// refunds through the shop (the player is told through the paced `TgBot`).
pub struct ConsoleApi {
    bot: Bot,
    sender: TgBot,
    shop: Shop,
}

impl ConsoleApi {
    pub fn new(sender: TgBot, shop: Shop) -> Self {
        Self { bot: shop.raw_bot.clone(), sender, shop }
    }
}

#[derive(serde::Deserialize)]
struct BalanceAnswer {
    amount: i64,
    #[serde(default)]
    nanostar_amount: i64,
}

#[derive(serde::Deserialize)]
struct WebhookAnswer {
    #[serde(default)]
    url: String,
    #[serde(default)]
    pending_update_count: u64,
    last_error_date: Option<i64>,
    last_error_message: Option<String>,
}

impl AdminPort for ConsoleApi {
    fn star_balance(&self) -> BoxFuture<'_, Result<StarBalance, String>> {
        async move {
            let answer: BalanceAnswer = bot_api::call(&self.bot, "getMyStarBalance", &serde_json::json!({}))
                .await
                .map_err(|e| e.to_string())?;
            Ok(StarBalance { amount: answer.amount, nanostar_amount: answer.nanostar_amount })
        }
        .boxed()
    }

    fn webhook_status(&self) -> BoxFuture<'_, Result<WebhookStatus, String>> {
        async move {
            let answer: WebhookAnswer =
                bot_api::call(&self.bot, "getWebhookInfo", &serde_json::json!({})).await.map_err(|e| e.to_string())?;
            Ok(WebhookStatus {
                url: answer.url,
                pending_update_count: answer.pending_update_count,
                last_error_date: answer.last_error_date,
                last_error_message: answer.last_error_message,
            })
        }
        .boxed()
    }

    fn refund<'a>(&'a self, user: UserId, charge: &'a str) -> BoxFuture<'a, Result<RefundReport, String>> {
        async move {
            let Ok(charge) = ChargeId::parse(charge) else {
                let message = format!("refused: `{}` is not a charge id", charge.escape_debug());
                return Ok(RefundReport { result: "refused", message });
            };
            let outcome =
                refunds::refund_as_admin(&self.sender, &self.shop, user, &charge).await.map_err(|e| e.to_string())?;
            Ok(RefundReport { result: outcome.code(), message: outcome.admin_summary(user, &charge) })
        }
        .boxed()
    }

    fn answer_support<'a>(
        &'a self,
        id: u64,
        admin: UserId,
        text: &'a str,
    ) -> BoxFuture<'a, Result<ReplyReport, String>> {
        async move { support::answer(&self.sender, &self.shop, id, admin, text).await.map_err(|e| e.to_string()) }
            .boxed()
    }
}

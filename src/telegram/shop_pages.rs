//! `/shop` as one message whose pages are edited in place: a first page with every shelf, then
//! a page per shelf (a few items each, so a page fits a phone) with Buy buttons, the shelf tabs
//! and, on a long shelf, previous/next. Button data: `shop` (the first page) or
//! `shop:<shelf>:<page>`.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::keyboard::{button, edit_in_place, rows};
use super::{texts, HandlerError, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::shelf::shelves;
use crate::domain::{Catalog, Item, Shelf, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::{Availability, StoreResult};

/// Items on one shelf page.
pub const ITEMS_PER_PAGE: usize = 3;

/// Shelf tabs in one keyboard row.
const TABS_PER_ROW: usize = 3;

/// One page of the shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    /// A shelf and a page of it, from 0.
    Shelf(Shelf, usize),
}

impl Page {
    /// The callback data of a button that opens this page.
    pub fn data(self) -> String {
        match self {
            Self::Home => "shop".to_owned(),
            Self::Shelf(shelf, page) => format!("shop:{}:{page}", shelf.slug()),
        }
    }

    /// The page named by the data after `shop:` (empty: the first page).
    pub fn parse(arg: &str) -> Option<Self> {
        if arg.is_empty() {
            return Some(Self::Home);
        }
        let (slug, page) = arg.split_once(':')?;
        Some(Self::Shelf(Shelf::from_slug(slug)?, page.parse().ok()?))
    }
}

/// `/shop`: sends the first page.
pub async fn show_shop(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId) -> HandlerResult {
    let catalog = shop.catalog.current();
    if catalog.on_sale().next().is_none() {
        bot.send_message(chat, texts::shop_empty(lang)).await?;
        return Ok(());
    }
    let (text, keyboard) = home(lang, &catalog);
    bot.send_message(chat, text).reply_markup(keyboard).await?;
    Ok(())
}

/// A tab or previous/next on a shop message: shows that page in the same message, for the
/// player who pressed (what they can buy). A page the shop no longer has (items removed or
/// moved) shows what is there now, with a toast.
pub async fn on_page_pressed(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    message: MessageId,
    player: PlayerId,
    arg: &str,
) -> Result<Option<String>, HandlerError> {
    let catalog = shop.catalog.current();
    if catalog.on_sale().next().is_none() {
        edit_in_place(&bot, chat, message, texts::shop_empty(lang), None).await?;
        return Ok(Some(texts::stale_shelf(lang)));
    }
    let asked = Page::parse(arg);
    if let Some(page) = asked {
        if let Some((text, keyboard)) = render(&shop, lang, &catalog, player, page).await? {
            edit_in_place(&bot, chat, message, text, Some(keyboard)).await?;
            return Ok(None);
        }
    }
    let nearest = match asked {
        Some(Page::Shelf(shelf, _)) => last_page(&catalog, shelf),
        _ => None,
    };
    let shown = render(&shop, lang, &catalog, player, nearest.unwrap_or(Page::Home)).await?;
    let (text, keyboard) = shown.unwrap_or_else(|| home(lang, &catalog));
    edit_in_place(&bot, chat, message, text, Some(keyboard)).await?;
    Ok(Some(texts::stale_shelf(lang)))
}

/// The first page: every shelf, how many items and from what price; the tabs.
fn home(lang: Lang, catalog: &Catalog) -> (String, InlineKeyboardMarkup) {
    let shelves = shelves(catalog);
    let mut keyboard = tabs(lang, &shelves, None);
    keyboard.push(gift_row(lang));
    (texts::shop_home(lang, &shelves), InlineKeyboardMarkup::new(keyboard))
}

/// The Gift button's row (`gift`: the items to give, then the recipient; see `gifts`).
fn gift_row(lang: Lang) -> Vec<InlineKeyboardButton> {
    vec![button(texts::gift_button(lang), "gift")]
}

/// The last page of `shelf`, if the shelf still has items.
fn last_page(catalog: &Catalog, shelf: Shelf) -> Option<Page> {
    let shelves = shelves(catalog);
    let (_, items) = shelves.iter().find(|(found, _)| *found == shelf)?;
    Some(Page::Shelf(shelf, items.len().div_ceil(ITEMS_PER_PAGE) - 1))
}

/// The text and keyboard of `page` for `player` (Buy buttons only for what they can buy now);
/// None if the shop has no such page.
async fn render(
    shop: &Shop,
    lang: Lang,
    catalog: &Catalog,
    player: PlayerId,
    page: Page,
) -> StoreResult<Option<(String, InlineKeyboardMarkup)>> {
    let Page::Shelf(shelf, at) = page else {
        return Ok(Some(home(lang, catalog)));
    };
    let shelves = shelves(catalog);
    let Some((_, items)) = shelves.iter().find(|(found, _)| *found == shelf) else {
        return Ok(None);
    };
    let pages = items.len().div_ceil(ITEMS_PER_PAGE);
    let Some(on_page) = items.chunks(ITEMS_PER_PAGE).nth(at) else {
        return Ok(None);
    };
    let now = now_ms();
    let mut listed: Vec<(&Item, Availability)> = Vec::new();
    for item in on_page {
        listed.push((item, shop.store.availability(item, player, now).await?));
    }
    let text = texts::shelf_page(lang, shelf, at, pages, &listed, catalog);
    let buys = listed
        .iter()
        .filter(|(_, availability)| availability.refusal.is_none())
        .map(|(item, _)| button(texts::price_button(lang, item), format!("buy:{}", item.id)));
    let mut keyboard = rows(buys);
    let mut pager = Vec::new();
    if at > 0 {
        pager.push(button(texts::previous_page(lang), Page::Shelf(shelf, at - 1).data()));
    }
    if at + 1 < pages {
        pager.push(button(texts::next_page(lang), Page::Shelf(shelf, at + 1).data()));
    }
    if !pager.is_empty() {
        keyboard.push(pager);
    }
    keyboard.push(gift_row(lang));
    keyboard.extend(tabs(lang, &shelves, Some(shelf)));
    Ok(Some((text, InlineKeyboardMarkup::new(keyboard))))
}

/// One tab per shelf that has items, a few to a row; the open one marked.
fn tabs(lang: Lang, shelves: &[(Shelf, Vec<&Item>)], open: Option<Shelf>) -> Vec<Vec<InlineKeyboardButton>> {
    let tabs: Vec<InlineKeyboardButton> = shelves
        .iter()
        .map(|(shelf, _)| button(texts::shelf_tab(lang, *shelf, open == Some(*shelf)), Page::Shelf(*shelf, 0).data()))
        .collect();
    tabs.chunks(TABS_PER_ROW).map(<[InlineKeyboardButton]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ItemId;

    #[test]
    fn page_data_round_trips_and_fits_telegram() {
        for page in [Page::Home, Page::Shelf(Shelf::Bundles, 0), Page::Shelf(Shelf::Arcade, 12)] {
            let data = page.data();
            let arg = data.strip_prefix("shop").unwrap().trim_start_matches(':');
            assert_eq!(Page::parse(arg), Some(page), "{data}");
        }
        for bad in ["nope:0", "tools", "tools:x", "tools:-1"] {
            assert_eq!(Page::parse(bad), None, "{bad}");
        }
        let longest_item = format!("buy:{}", "z".repeat(ItemId::MAX_LEN));
        assert!(longest_item.len() <= crate::telegram::keyboard::MAX_CALLBACK_DATA);
        assert!(Page::Shelf(Shelf::Bundles, usize::MAX).data().len() <= crate::telegram::keyboard::MAX_CALLBACK_DATA);
    }
}

# Starmine's chat texts in English, the source language: every other language has these
# messages with these placeholders (`starmine check-data` and the unit tests hold them to it).
# Numbers are passed as numbers: plurals and digits follow the language.

## Units

unit-hours = { $n }h
unit-minutes = { $n }m
unit-seconds = { $n }s
time-hours-minutes = { $h }h { $m }m
time-minutes-seconds = { $m }m { $s }s
time-seconds = { $s }s
multiplier = ×{ NUMBER($x, useGrouping: "false") }
count-gems = { $n ->
    [one] { $n } gem
   *[other] { $n } gems
}
# `item` is the item's name, made plural by the code for English ("5 Energy Refills").
count-items = { $n } { $item }
list-and = { $rest } and { $last }
list-or = { $rest } or { $last }
nothing = nothing

## Menu and buttons

start = ⛏ Welcome to Starmine!

    Dig for gems, go deeper into the mine, spend your gems on upgrades, and gear up with tools and boosts bought with Telegram Stars.

    /dig — dig for gems (uses energy)
    /me — your energy, gems, depth and boosts
    /upgrades — spend gems on a sharper pickaxe, more energy and skins
    /top — the best miners
    /play — Starmine Rush, the arcade run
    /use <item> — use a refill or start a boost
    /shop — items for sale
    /buy <item> — buy an item directly
    /inventory — what you own
    /refund — refund a recent purchase
    /terms — terms of sale
    /paysupport — help with a payment
    /language — choose your language
menu-start = What Starmine is and how to play
menu-dig = Dig for gems
menu-me = Your energy, gems, depth and boosts
menu-top = The best miners
menu-upgrades = Spend gems on upgrades and skins
menu-use = Use an item: /use <item>
menu-play = Play Starmine Rush, the arcade run
menu-shop = Items for sale
menu-buy = Buy an item: /buy <item>
menu-inventory = What you own
menu-refund = Refund a recent purchase
menu-terms = Terms of sale
menu-paysupport = Help with a payment
menu-language = Choose your language
button-dig = ⛏ Dig
button-dig-again = ⛏ Dig again
button-me = 👤 Me
button-upgrades = ⬆️ Upgrades
button-top = 🏆 Top
language-choose = 🌐 Choose your language:
language-set = ✅ Starmine speaks English with you now. /start shows what it can do.

## Terms and support

terms = 📜 Starmine terms of sale

    • Items are virtual goods for use in Starmine only and are sold for Telegram Stars (⭐).
    • You receive an item as soon as Telegram confirms your payment; the receipt shows its charge id.
    • You can refund a purchase yourself with /refund within { $window } while you still hold every unit it gave you (used consumables and started boosts can no longer be refunded). Stars go back to your Telegram balance.
    • If we ever cannot deliver what you paid for, we refund you automatically.
    • Refunded or disputed purchases are removed from your inventory.
    • Questions about a payment: /paysupport.
paysupport = 🛟 Payment support

    Tell us what went wrong in your next message (what you bought, when, and what you expected). We forward it to our team together with your recent payments and answer here.

    You can refund a recent purchase yourself at any time with /refund. Telegram support cannot help with purchases made in bots; we can.
support-sent = ✅ Thanks — your message is saved and went to our support team with your recent payments. We usually answer here within a day.
support-no-admins = ✅ Thanks — your message is saved in our support inbox. Nobody from the team is online in chat right now, so it may take a day or two; we will answer here.
support-answer = 💬 Answer from our support team (your message #{ $id }):

    { $answer }
support-not-stored = ⚠️ Sorry — we could not save your message just now. Please send /paysupport and your message again in a few minutes.
unknown-command = I don't know that command. Try /shop, /inventory or /start.
not-understood = ⛏ Send /shop to see items for sale, or /start for everything I can do.
slow-down = 🐢 You're buying very fast — please wait a minute and try again.
group-shop = 🛒 The shop is in our private chat — tap below to open it.
group-button = Open the shop
shop-empty = The shop is empty right now — check back soon.
inventory-empty = 🎒 Your inventory is empty. Have a look at /shop.
inventory = 🎒 Your inventory

    { $lines }
service-trouble = ⚠️ Something went wrong on our side. Please try again in a moment.
play-off = The arcade isn't open here yet — /dig in the meantime!

## Buying

cannot-buy-sold-out = 😔 { $item } is sold out.
cannot-buy-limit = You already have the most { $item } one player may buy ({ $max }).
cannot-buy-more = You can't buy more { $item } right now.
cannot-buy-owned = You already own { $item } — it's yours for good.
cannot-buy-retired = { $item } is no longer sold — it has been retired from the shop. If you own one, it stays yours. See /shop for what's on sale.
cannot-buy-other = { $item } can't be bought right now ({ $code }).
# The error Telegram shows when a pre-checkout is refused; `reason` is a refusal code.
checkout-refused = { $reason ->
    [unknown_order] This invoice is not one of ours or is no longer valid. Use /shop to buy again.
    [not_your_invoice] This invoice was created for another player. Use /shop to buy your own.
    [amount_mismatch] The amount does not match this invoice's price. Nothing was charged.
    [expired] This invoice has expired. Use /shop to get a new one.
    [already_paid] This invoice is already paid. Use /shop to buy again.
    [sold_out] Sorry, this item just sold out. Nothing was charged.
    [limit_reached] You have reached the limit for this item. Nothing was charged.
    [already_owned] You already own this item. Nothing was charged.
   *[other] This item is no longer sold. Nothing was charged.
}
next-boost = ▶️ It waits in your inventory until you start it — /use { $id } here or Start in Starmine Rush — and then runs for { $duration }.
next-permanent = ✨ It works from now on — there is nothing to start.
next-energy = ⚡ Use it when you need energy: /use { $id }.
receipt = ✅ Payment received — thank you!

    { $item } for { $amount } ⭐
    Added: { $granted }{ $next }

    Charge id: { $charge }
    Keep it for /refund or /paysupport.
auto-refund = ↩️ We could not deliver { $item } because { $reason ->
    [sold_out] it sold out before your payment arrived
    [limit_reached] you reached this item's limit
    [already_owned] you already own it
    [expired] the invoice had expired
    [already_paid] that invoice was already paid
    [not_your_invoice] the invoice was made for another player
    [amount_mismatch] the amount did not match the price
    [unknown_order] we could not find its order
   *[other] it is no longer sold
}, so your { $amount } ⭐ are being refunded.

## The game in chat

energy-line = ⚡ { $energy }/{ $max }
energy-line-next = ⚡ { $energy }/{ $max } (+1 in { $time })
dig-rare = ✨ Rare find!
dig-bonus-yield = yield { $mult }
dig-bonus-luck = luck { $mult }
dig-found = ⛏ { $depth } m · { $zone }
    { $rare }You found { $drop }: +{ $gems } 💎{ $bonus }

    💎 { $total } gems · { $energy }
no-energy-next = in { $time }
no-energy-soon = soon
no-energy-full = (full in { $time })
no-energy = 🪫 You're out of energy ({ $energy }/{ $max }). The next point comes { $next }{ $full }.
    A refill gets you digging right away.
me-title = 👤 Your miner
me-gems = 💎 { $gems } gems ({ $mined } mined{ $rank })
me-rank = , rank #{ $rank }
me-depth = ⛏ Depth { $depth } m · { $zone }
me-tool-yield = { $item } ({ $mult } yield)
me-tools = 🛠 Tools: { $tools }
me-boost = 🔮 { $item } — { $time } left
me-upgrades = ⬆️ Upgrades: { $levels } — /upgrades
me-every-find = 📈 Every find: gems { $gems } · rare finds { $luck }
arcade-won = 🕹 Arcade gems: today's { $per_day } are won — runs still count for points and the leaderboard (new gems at 00:00 UTC)
arcade-left = 🕹 Arcade gems left today: { $left } of { $per_day }
top-empty = 🏆 Nobody has mined anything yet — /dig to be first!
top-miners = 🏆 Top miners (gems mined)
top-arcade = 🕹 Starmine Rush (best run)
top-you-marker = ← you
top-you = You: #{ $rank } with { $score }
used-boost = 🔮 { $item } is active for { $time }.
used-energy = ⚡ Used { $item }: { $energy }
not-owned = You don't have any { $item } to use. /buy { $id } gets one.
not-usable = { $item } works on its own — there's nothing to use.
energy-already-full = ⚡ Your energy is already full ({ $energy }/{ $max }) — keep it for later.
energy-full-notice = ⚡ Your energy is full again ({ $energy }). Time to dig!
boost-expired-notice = ⌛ Your { $item } has run out.

## Upgrades

track-yield = +{ $amount }% gems per find
track-luck = +{ $amount }% rare-find luck
track-energy-cap = +{ $amount } max energy
track-regen = energy { $amount }s faster a point
track-run-seconds = +{ $amount }s per arcade run
upgrades-none = ⬆️ There are no upgrades yet — check back soon.
upgrades-title = ⬆️ Upgrades — you have { $gems } 💎
upgrade-not-started = not started
upgrade-next = next: { $effect } for { $cost } 💎
upgrade-maxed = maxed out
upgrade-line = { $track } · level { $level }/{ $max }: { $now }
    {"   "}{ $next }
cosmetic-owned = owned — pick it in the game
cosmetic-line = 🎨 { $name }: { $status }
    {"   "}{ $description }
gems-spent-level = ✅ { $track } level { $level }: { $effect } (−{ $cost } 💎)
gems-spent-level-unknown = ✅ Level { $level } (−{ $cost } 💎)
gems-spent-cosmetic = ✅ { $name } is yours — pick it in the game (−{ $cost } 💎)
gems-refused-unknown = That upgrade is no longer offered.
gems-refused-maxed = That track is maxed out.
gems-refused-have = You already have that.
gems-refused-order = Buy the levels in order — the screen is updated.
gems-refused-poor = Not enough gems: you have { $gems } 💎. Dig or play to earn more.

## Refunds

nothing-to-refund = You have no purchases you can refund right now (refunds are open for a limited time after buying).
refund-usage = Use /refund to list your refundable purchases, or /refund <charge id>.
refund-yes = Yes, refund
refund-no = Keep it
refund-keep = 👍 Kept — nothing was refunded.
not-admin = Only admins can refund someone else's purchase.
already-refunded = That purchase is already refunded.
unknown-charge = I can't find a purchase of yours with that charge id. /refund lists them.
voided-charge = Telegram has no record of that payment, so it was cancelled and there is nothing to refund. /paysupport if you think this is wrong.
foreign-charge = That charge belongs to another player.
refund-busy = Your inventory kept changing while we checked that purchase — please try /refund again in a moment.
not-refundable = { $item } — { $why }
not-refundable-window = bought more than { $window } ago, can't be refunded
not-refundable-gems = { $spent } of { $granted } gems spent
not-refundable-started = started, can't be refunded
not-refundable-gone = no longer held, can't be refunded
not-refundable-used = used, can't be refunded
not-refundable-units = { $used } of { $granted } { $item } used
refund-refused = 🚫 { $line }.
    A purchase can be refunded within the refund window while you still hold everything it gave you. /paysupport can help.
refund-line = • { $item } — { $amount } ⭐ · takes back { $takes }
    {"   "}charge id: { $charge }
refund-list = ↩️ Purchases you can refund:

    { $lines }
refund-list-blocked = Can't be refunded:
    { $lines }
refund-button = Refund { $item } · { $amount } ⭐
refund-confirm = Refund { $item } for { $amount } ⭐?
    We'll take back: { $takes }.
refunded = ↩️ Refunded { $amount } ⭐ for { $item }.
    Taken back: { $taken }
    Charge id: { $charge }
refund-pending = ⏳ Your refund of { $amount } ⭐ for { $item } is being processed. We'll tell you when it's done.
disputed = ↩️ Telegram refunded { $amount } ⭐ for { $item }. Taken back: { $taken }.
refund-failed = ⚠️ The refund was declined ({ $reason }). Your purchase is unchanged. /paysupport can help.

## The shop

shelf-energy = Energy
shelf-gems = Gems
shelf-tools = Tools
shelf-boosts = Boosts
shelf-arcade = Arcade
shelf-bundles = Bundles
shelf-other = Other
previous-page = ‹ Previous
next-page = Next ›
shop-title = 🛒 Starmine shop — prices in Telegram Stars (⭐)
shop-shelf = { $shelf } — { $n ->
    [one] 1 item, { $price } ⭐
   *[other] { $n } items from { $price } ⭐
}
shop-pick = Pick a shelf below.
shelf-sold-out = SOLD OUT
shelf-left = { $n } left
shelf-owned = you own it
shelf-limit = limit reached ({ $max } per player)
effect-energy = +{ $n } energy when used
effect-gems = +{ $n } gems at once
effect-yield = { $mult } gems per dig
effect-luck = rare finds { $mult }
effect-run-seconds = +{ $n }s per Rush run
effect-score = { $mult } Rush points
effect-skin = { $skin } skin
effect-collectible = a collectible
summary-keep = yours to keep
summary-boost = { $duration } once started
summary-per-player = { $max } per player
use-button = Use { $item }
buy-usage = Which item? Send /buy <item>, for example /buy { $id }. /shop lists everything for sale.
use-usage = Which item? Send /use <item>, for example /use { $id } ({ $item }).
use-usage-none = Nothing in the shop can be used right now — tools and packs work on their own.
unknown-item = There is no item called “{ $raw }”.
unknown-item-shop = /shop lists everything for sale.
did-you-mean = Did you mean { $ideas }?
stale-dig = This dig is over — use your latest one, or send /dig.
stale-shelf = The shop has changed — here it is now.
not-for-sale = “{ $raw }” is no longer for sale. /shop has what is.

## The game page's shop (GET /api/shop, POST /api/buy)

api-sold-out-label = Sold out
api-sold-out = Every { $item } has been sold.
api-limit-label = Limit reached
api-limit = You've bought { $max }, the most one player may.
api-owned-label = Owned
api-owned = You own the { $item } — it's yours for good.
api-retired-label = No longer sold
api-retired = The { $item } is no longer sold.
api-unavailable-label = Unavailable
api-unavailable = { $item } can't be bought right now.
api-refused-sold-out = Sorry — the { $item } just sold out. Nothing was charged.
api-refused-limit = You've reached the limit for { $item } ({ $max } per player). Nothing was charged.
api-refused-retired = The { $item } is no longer sold. Nothing was charged.
api-refused-other = { $item } can't be bought right now. Nothing was charged.
api-effect-energy = +{ $n } energy
api-effect-gems = +{ $n } gems
api-effect-yield = ×{ NUMBER($x, useGrouping: "false") } dig yield
api-effect-luck = ×{ NUMBER($x, useGrouping: "false") } rare finds
api-effect-run-seconds = +{ $n } s per run
api-effect-score = ×{ NUMBER($x, useGrouping: "false") } score
api-effect-for = for { $duration }
api-arcade-left = Arcade gems left today: { $left } of { $per_day }

## Skins (the arcade's looks), by the game's id
skin-name-classic = Classic
skin-name-gold = Gold
skin-name-crystal = Crystal
skin-name-dragon = Dragon
skin-name-aurora = Aurora

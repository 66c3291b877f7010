# The game page's words (assets/game), sent already formatted in GET /api/me's `texts`: the
# page shows index.html's `data-text` elements and its scripts' `say(...)` keys with them.

page-loading = Lighting the lanterns…
page-expired-title = This game link has expired
page-expired-hint = Open the game again from the chat to keep mining.
page-miner = Miner
page-tagline = Tap the ore. Chain combos. Beat the clock.
page-best = Best
page-run = Run
page-score = Score
page-play = Play
page-your-gear = Your gear
page-shop = Shop
page-upgrades = Upgrades
page-looks = Looks
page-arcade-top = Arcade top
page-all-miners = all miners
page-footer = Scores also land in the chat's game message.
page-time = Time
page-times-up = Time's up!
page-what-a-run = What a run!
page-new-best = New best!
page-saving = Saving your score…
page-gems = Gems
page-rank = Rank
page-ore-mined = Ore mined
page-top-combo = Top combo
page-bonus = Bonus
page-play-again = Play again
page-share = Share score
page-back-to-camp = Back to camp
page-shop-note = Paid with Telegram Stars. Items arrive as soon as Telegram confirms the payment.
page-purchase = Purchase
page-mine = Mine!
page-gear-boosts = Boosts
page-gear-tools = Tools
page-gear-supplies = Supplies
page-gear-other = Other
page-running = Running
page-start = Start
page-use = Use
page-buy = Buy
page-no-gear = No gear yet — the shop has pickaxes, time and more.
page-top-resting = The leaderboard is resting. Try again soon.
page-no-runs = No runs yet — be the first!
page-offline = Cannot reach the mine. Check your connection and try again.
page-too-fast = You're tapping very fast — wait a moment and try again.
page-busy = The mine is busy right now — try again in a moment.
page-went-wrong = Something went wrong — please try again.
page-kind-permanent = Keep forever
page-kind-bundle = Bundle
page-kind-boost = Boost
page-kind-consumable = Consumable
page-kind-skin = Skin
page-items-for = items for
page-more-in = More in
page-runs-still-count = runs still count for the leaderboard
page-up-not-started = Not started
page-up-not-enough = Not enough gems yet
page-up-maxed = Maxed
page-up-buying = Buying…
page-up-owned = Owned
page-up-wearing = You're wearing it
page-up-wear-with-pill = Wear it with the skin pill ⇄
page-skin-classic = Classic skin
page-skin-gold = Gold skin
page-skin-crystal = Crystal skin
page-skin-dragon = Dragon skin
page-skin-aurora = Aurora skin
page-skin-classic-on = Classic skin on
page-skin-gold-on = Gold skin on
page-skin-crystal-on = Crystal skin on
page-skin-dragon-on = Dragon skin on
page-skin-aurora-on = Aurora skin on
page-shop-loading = Loading the shelves…
page-shop-empty = The shop is empty right now.
page-shop-none-left = None left
page-order-creating = Creating your invoice…
page-order-waiting = Waiting for payment…
page-order-sent = Payment sent — confirming with Telegram…
page-order-cancelled = Payment cancelled — nothing was charged. You can still pay below.
page-order-failed = The payment did not go through — nothing was charged. You can try again below.
page-order-timeout = Still no payment. If you paid, your item will show up in a moment.
page-order-unknown = This order is no longer known — tap Buy to start again.
page-order-purchased = Purchased!
page-order-expired = The invoice expired. Tap Buy to try again.
page-order-refunded = This purchase was refunded.
page-daily-gems-reached = Daily arcade gems reached — your score still counts for the leaderboard
page-score-not-saved = Score not saved:
page-score-lost = Your score could not be saved.

# Formatted per player by the server where the API answers with the numbers (they take
# placeholders, so they are not in `texts`): the upgrades card, the run's length, the shop's
# stock. 💎 becomes the page's gem glyph.
page-up-you-have = you have { $gems } 💎
page-up-now = Now { $effect }
page-up-need = Need { $gems } more 💎
page-up-level-cost = Level { $level } · { $cost } 💎
page-up-level-of = Level { $level } of { $max }
page-up-all-bought = All { $max } levels bought
page-up-buy-cost = Buy · { $cost } 💎
page-run-seconds = { $n } s
page-shop-left = { $n } left
page-shop-you-have = You have { $n }

# More fixed words (in `texts`).
page-left = left
page-starts-on-start = starts when you tap Start
page-you = You
page-combo = Combo
page-no-share = Sharing is not available here.
page-change-skin = Change your skin
page-your-skin = Your skin
page-link-expired = This game link has expired — open the game again from the chat.
page-up-gone = That isn't offered any more.
page-stars = Stars
page-back = Back
page-close = Close

# Sentences the server formats for the page where the API answers: what a bought item does
# next (the shop), what a used item did (POST /api/use), an upgrade bought or refused
# (POST /api/upgrades), and what each upgrade level gives.
page-receipt-boost = { $item } is in your inventory — press Start to run it for { $duration }.
page-receipt-permanent = { $item } is yours for good — it's already working.
page-receipt-bundle = { $item } delivered: { $delivers }.
page-receipt-gems = { $delivers } added to your stash.
page-receipt-energy = { $item } is in your inventory — press Use when you need energy.
page-receipt-item = { $item } is in your inventory.
page-boost-runs-for = runs { $duration } once started
page-boost-adds = Start adds { $duration } more
page-pay = Pay { $n }
page-used-boost = { $item } is running — { $duration } left.
page-used-boost-score = { $item } is running — { $duration } left. Runs you start now score ×{ NUMBER($x, useGrouping: "false") }.
page-used-energy = { $item } used — energy { $energy }/{ $max }.
page-use-unknown = There is no such item.
page-use-not-owned = You have no { $item } to use — the shop has it.
page-use-not-usable = The { $item } works by being owned — there is nothing to start.
page-use-energy-full = Your energy is already full ({ $energy }/{ $max }) — keep the { $item } for later.
page-up-bought-level = { $name } is now level { $level }: { $effect }. { $gems } 💎 left.
page-up-bought-look = { $name } is yours — tap the skin pill to wear it. { $gems } 💎 left.
page-up-poor-level = Not enough gems for { $name } level { $level } — you have { $gems } 💎. Dig or play to earn more.
page-up-poor-look = Not enough gems for the { $name } — you have { $gems } 💎. Dig or play to earn more.
page-up-have-level = You already have { $name } level { $level }.
page-up-have-look = You already own the { $name }.
page-up-maxed-out = { $name } is maxed out.
page-up-first = { $name }: level { $level } comes first.
page-effect-yield = +{ $amount }% gems per find
page-effect-luck = +{ $amount }% rare-find luck
page-effect-energy-cap = +{ $amount } max energy
page-effect-regen = energy { $amount }s faster
page-effect-run-seconds = +{ $amount }s per run
page-duration-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
page-duration-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
page-duration-seconds = { $n ->
    [one] { $n } second
   *[other] { $n } seconds
}
page-duration-minutes-seconds = { $m } min { $s } s

# Gifts from the shop (gift.js): a friend from the chat's scoreboard.
page-gift = Gift
page-gift-loading = Loading the chat's scoreboard…
page-gift-nobody = Nobody else is on this chat's scoreboard yet.
page-gift-choose = Who is it for? Pick a friend from this chat's scoreboard.
page-order-gifted = Gift sent! Your friend has it now, with a message from you in the chat.

# The Miner's Pass (a monthly Stars subscription): /pass, its invoice, renewals, notices.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

menu-pass = Miner's Pass: a monthly subscription
pass-perk-energy-cap = +{ $n } energy cap
pass-perk-regen = energy back { $n } s faster a point
pass-perk-daily-gems = { $n ->
    [one] { $n } gem to claim every day
   *[other] { $n } gems to claim every day
}
pass-perk-skin = the { $skin } skin in Starmine Rush
pass-offer = 🎫 { $name } — { $price } ⭐ every 30 days

    While it runs: { $perks }.

    Telegram renews it every 30 days until you stop it; you can stop renewals here at any time and the pass still runs to the end of the month you paid for.
pass-off-sale = 🎫 The Miner's Pass is not on sale right now.
pass-button-subscribe = Subscribe · { $price } ⭐
pass-button = 🎫 Miner's Pass
pass-button-stop = Stop renewals
pass-button-resume = Turn renewals back on
pass-status = 🎫 { $name } runs until { $until } (UTC).

    Perks: { $perks }.
pass-renews = 🔄 Telegram renews it on { $until } for { $price } ⭐.
pass-stopped = ⏹ Renewals are stopped: the pass ends on { $until } and no more Stars are charged.
pass-ended = 🎫 Your { $name } ended on { $until } (UTC).
pass-telegram-note = If you cancelled the subscription in Telegram's own settings, the bot cannot see that or undo it: turn it back on there.
pass-stopped-now = ⏹ Renewals stopped. Your pass runs until { $until } (UTC) and then ends; no more Stars will be charged.
pass-resumed = ▶️ Renewals are back on: Telegram charges the next month on { $until } (UTC).
pass-not-stopped-by-bot = The bot did not stop this subscription, so it cannot turn it back on. If you cancelled it in Telegram's settings, turn it back on there.
pass-edit-refused = Telegram did not accept the change to your subscription ({ $reason }). Nothing changed; try again later or ask /paysupport.
pass-started = ✅ { $name } is yours — thank you!

    { $amount } ⭐ for 30 days, until { $until } (UTC).
    Perks: { $perks }.

    Charge id: { $charge }
    /pass shows it and stops renewals.
pass-renewed = 🔄 { $name } renewed: { $amount } ⭐, it now runs until { $until } (UTC).

    Charge id: { $charge }
pass-ended-notice = 🎫 Your { $name } has ended and its perks with it. /pass to subscribe again.
not-refundable-pass-older = only the latest month of a pass can be refunded
not-refundable-pass-used = used for { $allowed } or more, can't be refunded
terms-pass = 🎫 The Miner's Pass is a subscription: Telegram charges it every 30 days until you stop renewals (in /pass, or in Telegram's settings); a stopped pass runs to the end of the month paid. You can refund the latest month yourself with /refund within { $window } of its payment while it has run for less than { $used }; a refunded month ends at once and takes its perks with it, and refunding the first payment also stops renewals. Our team can refund any month when something went wrong.
pass-button-claim = 💎 Claim { $n } gems
pass-gems-claimed = 💎 +{ $n } gems from your pass — you have { $total } now. More tomorrow (UTC).
pass-gems-already = 💎 You have claimed today's gems from your pass. More tomorrow (UTC).
pass-gems-ended = Your pass is not running, so there are no gems to claim. /pass to subscribe again.

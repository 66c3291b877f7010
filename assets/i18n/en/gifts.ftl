# Item gifts: /gift, the Gift button, refusals, the giver's and the recipient's messages.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

gift-button = 🎁 Gift
gift-choose = 🎁 Which item would you like to give? Press it, then tell me who it is for.
gift-ask-recipient = 🎁 Who is { $item } for? Send their @username or user id. They must have started this bot.
gift-usage = 🎁 Send /gift <item> <@username or user id>, for example /gift { $id } @friend. Your friend must have started this bot.
gift-unknown-recipient = I can't find { $who } among our players. Ask them to open this bot and press Start, then try again.
gift-to-self = That's you! To buy it for yourself, send /buy { $id }.
gift-refused-sold-out = 😔 { $item } is sold out.
gift-refused-limit = { $name } already has the most { $item } one player may have ({ $max }).
gift-refused-more = { $name } can't get more { $item } right now.
gift-refused-owned = { $name } already owns { $item } — it's theirs for good.
gift-invoice-description = 🎁 A gift for { $name }. { $description }
gift-receipt = ✅ Payment received — thank you!

    🎁 { $item } for { $amount } ⭐ went to { $name }, and we told them it is from you.

    Charge id: { $charge }
    Keep it for /refund or /paysupport.
gift-received = 🎁 { $giver } sent you a gift: { $item }!
    Added: { $granted }{ $next }
gift-for = { $item } → 🎁 { $name }
gift-refund-not-yours = That purchase was a gift to you — only the player who paid for it can ask for its refund.
gift-revoked = ↩️ { $giver } had the gift { $item } refunded, so it was taken back: { $taken }.
menu-gift = Give a friend an item: /gift <item> <@username>
api-gift-unknown-recipient = That player hasn't started this bot yet, so a gift can't reach them.
api-gift-to-self = That's you! Buy it for yourself with Buy.

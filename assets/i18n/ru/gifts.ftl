# Item gifts: /gift, the Gift button, refusals, the giver's and the recipient's messages.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

gift-button = 🎁 Подарить
gift-choose = 🎁 Что вы хотите подарить? Нажмите на предмет, а потом напишите, кому он.
gift-ask-recipient = 🎁 Кому подарить «{ $item }»? Пришлите @username или id пользователя. Получатель должен был запустить этого бота.
gift-usage = 🎁 Напишите /gift <предмет> <@username или id пользователя>, например /gift { $id } @friend. Ваш друг должен был запустить этого бота.
gift-unknown-recipient = Среди наших игроков нет { $who }. Попросите друга открыть этого бота и нажать «Старт», затем попробуйте снова.
gift-to-self = Это же вы! Чтобы купить себе, отправьте /buy { $id }.
gift-refused-sold-out = 😔 «{ $item }» распродан.
gift-refused-limit = У { $name } уже максимум «{ $item }», который может быть у одного игрока ({ $max }).
gift-refused-more = { $name } сейчас не может получить больше «{ $item }».
gift-refused-owned = У { $name } уже есть «{ $item }» — навсегда.
gift-invoice-description = 🎁 Подарок для { $name }. { $description }
gift-receipt = ✅ Оплата получена — спасибо!

    🎁 «{ $item }» за { $amount } ⭐ получил(а) { $name }; мы сообщили, что это подарок от вас.

    Идентификатор платежа: { $charge }
    Сохраните его для /refund или /paysupport.
gift-received = 🎁 { $giver } дарит вам подарок: «{ $item }»!
    Добавлено: { $granted }{ $next }
gift-for = { $item } → 🎁 { $name }
gift-refund-not-yours = Эту покупку вам подарили — вернуть за неё деньги может только тот, кто за неё заплатил.
gift-revoked = ↩️ { $giver } вернул(а) деньги за подарок «{ $item }», поэтому он изъят: { $taken }.
menu-gift = Подарить предмет другу: /gift <предмет> <@username>
api-gift-unknown-recipient = Этот игрок ещё не запускал бота, поэтому подарок до него не дойдёт.
api-gift-to-self = Это же вы! Чтобы купить себе, нажмите «Купить».

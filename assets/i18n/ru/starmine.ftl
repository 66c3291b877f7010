# Тексты Starmine в чате по-русски. Те же сообщения и те же подстановки, что в en/starmine.ftl
# (это проверяют `starmine check-data` и юнит-тесты). Числа приходят числами: формы слов
# (один/несколько/много) и запись чисел — по-русски.

## Единицы

unit-hours = { $n } ч
unit-minutes = { $n } мин
unit-seconds = { $n } с
time-hours-minutes = { $h } ч { $m } мин
time-minutes-seconds = { $m } мин { $s } с
time-seconds = { $s } с
multiplier = ×{ NUMBER($x, useGrouping: "false") }
count-gems = { $n ->
    [one] { $n } самоцвет
    [few] { $n } самоцвета
   *[many] { $n } самоцветов
}
count-items = { $item } × { $n }
list-and = { $rest } и { $last }
list-or = { $rest } или { $last }
nothing = ничего

## Меню и кнопки

start = ⛏ Добро пожаловать в Starmine!

    Копайте самоцветы, спускайтесь глубже в шахту, тратьте самоцветы на улучшения и снаряжайтесь инструментами и усилителями за Telegram Stars.

    /dig — копать самоцветы (тратит энергию)
    /me — ваша энергия, самоцветы, глубина и усилители
    /upgrades — самоцветы на острую кирку, больше энергии и облики
    /top — лучшие шахтёры
    /play — Starmine Rush, аркадный забег
    /use <предмет> — использовать заряд или запустить усилитель
    /shop — товары в магазине
    /buy <предмет> — купить предмет сразу
    /inventory — что у вас есть
    /refund — вернуть деньги за недавнюю покупку
    /terms — условия продажи
    /paysupport — помощь с оплатой
    /language — выбрать язык
menu-start = Что такое Starmine и как играть
menu-dig = Копать самоцветы
menu-me = Энергия, самоцветы, глубина и усилители
menu-top = Лучшие шахтёры
menu-upgrades = Улучшения и облики за самоцветы
menu-use = Использовать предмет: /use <предмет>
menu-play = Играть в Starmine Rush
menu-shop = Товары в магазине
menu-buy = Купить предмет: /buy <предмет>
menu-inventory = Что у вас есть
menu-refund = Вернуть деньги за покупку
menu-terms = Условия продажи
menu-paysupport = Помощь с оплатой
menu-language = Выбрать язык
button-dig = ⛏ Копать
button-dig-again = ⛏ Копать ещё
button-me = 👤 Я
button-upgrades = ⬆️ Улучшения
button-top = 🏆 Рейтинг
language-choose = 🌐 Выберите язык:
language-set = ✅ Теперь Starmine говорит с вами по-русски. /start покажет, что я умею.

## Условия и поддержка

terms = 📜 Условия продажи Starmine

    • Предметы — виртуальные товары только для игры в Starmine, они продаются за Telegram Stars (⭐).
    • Предмет ваш, как только Telegram подтвердит оплату; в чеке указан идентификатор платежа.
    • Вы можете сами вернуть деньги за покупку командой /refund в течение { $window }, пока у вас остаётся всё, что она дала (использованные расходники и запущенные усилители вернуть нельзя). Звёзды вернутся на ваш баланс в Telegram.
    • Если мы не сможем выдать оплаченное, мы вернём деньги автоматически.
    • Возвращённые и оспоренные покупки убираются из инвентаря.
    • Вопросы об оплате: /paysupport.
paysupport = 🛟 Помощь с оплатой

    Напишите следующим сообщением, что пошло не так (что вы купили, когда и чего ожидали). Мы передадим его команде вместе с вашими недавними платежами и ответим здесь.

    Вернуть деньги за недавнюю покупку можно и самому, в любой момент: /refund. Поддержка Telegram не помогает с покупками в ботах, а мы — помогаем.
support-sent = ✅ Спасибо — сообщение сохранено и отправлено нашей поддержке вместе с вашими недавними платежами. Обычно мы отвечаем здесь в течение дня.
support-no-admins = ✅ Спасибо — сообщение сохранено в нашем ящике поддержки. Сейчас в чате никого из команды нет, поэтому ответ может занять день-два; мы ответим здесь.
support-answer = 💬 Ответ нашей поддержки (на ваше сообщение №{ $id }):

    { $answer }
support-not-stored = ⚠️ Простите — не удалось сохранить ваше сообщение. Через несколько минут отправьте /paysupport и сообщение ещё раз.
unknown-command = Я не знаю такой команды. Попробуйте /shop, /inventory или /start.
not-understood = ⛏ Отправьте /shop, чтобы увидеть товары, или /start — чтобы узнать всё, что я умею.
slow-down = 🐢 Вы покупаете очень быстро — подождите минуту и попробуйте снова.
group-shop = 🛒 Магазин — в нашем личном чате. Нажмите ниже, чтобы открыть его.
group-button = Открыть магазин
shop-empty = Магазин сейчас пуст — загляните позже.
inventory-empty = 🎒 Ваш инвентарь пуст. Загляните в /shop.
inventory = 🎒 Ваш инвентарь

    { $lines }
service-trouble = ⚠️ У нас что-то пошло не так. Попробуйте ещё раз чуть позже.
play-off = Аркада здесь ещё не открыта — пока можно копать: /dig!

## Покупка

cannot-buy-sold-out = 😔 «{ $item }» распродан.
cannot-buy-limit = У вас уже максимум «{ $item }», который можно купить одному игроку ({ $max }).
cannot-buy-more = Сейчас больше «{ $item }» купить нельзя.
cannot-buy-owned = «{ $item }» уже ваш — навсегда.
cannot-buy-retired = «{ $item }» больше не продаётся — его убрали из магазина. Если он у вас есть, он останется вашим. Что есть в продаже — в /shop.
cannot-buy-other = «{ $item }» сейчас купить нельзя ({ $code }).
checkout-refused = { $reason ->
    [unknown_order] Этот счёт не наш или уже недействителен. Купите заново через /shop.
    [not_your_invoice] Этот счёт выставлен другому игроку. Купите свой через /shop.
    [amount_mismatch] Сумма не совпадает с ценой в счёте. Деньги не списаны.
    [expired] Срок счёта истёк. Новый можно получить в /shop.
    [already_paid] Этот счёт уже оплачен. Купите заново через /shop.
    [sold_out] Простите, этот предмет только что закончился. Деньги не списаны.
    [limit_reached] Вы достигли лимита на этот предмет. Деньги не списаны.
    [already_owned] Этот предмет у вас уже есть. Деньги не списаны.
   *[other] Этот предмет больше не продаётся. Деньги не списаны.
}
next-boost = ▶️ Он ждёт в инвентаре, пока вы его не запустите — /use { $id } здесь или «Старт» в Starmine Rush, — и после запуска действует { $duration }.
next-permanent = ✨ Он работает с этой минуты — запускать ничего не нужно.
next-energy = ⚡ Используйте, когда понадобится энергия: /use { $id }.
receipt = ✅ Оплата получена — спасибо!

    { $item } за { $amount } ⭐
    Добавлено: { $granted }{ $next }

    Идентификатор платежа: { $charge }
    Сохраните его для /refund или /paysupport.
auto-refund = ↩️ Мы не смогли выдать «{ $item }», потому что { $reason ->
    [sold_out] он закончился раньше, чем пришла оплата
    [limit_reached] вы достигли лимита на этот предмет
    [already_owned] он у вас уже есть
    [expired] срок счёта истёк
    [already_paid] этот счёт уже был оплачен
    [not_your_invoice] счёт был выставлен другому игроку
    [amount_mismatch] сумма не совпала с ценой
    [unknown_order] мы не нашли этот заказ
   *[other] он больше не продаётся
}, поэтому ваши { $amount } ⭐ возвращаются.

## Игра в чате

energy-line = ⚡ { $energy }/{ $max }
energy-line-next = ⚡ { $energy }/{ $max } (+1 через { $time })
dig-rare = ✨ Редкая находка!
dig-bonus-yield = добыча { $mult }
dig-bonus-luck = удача { $mult }
dig-found = ⛏ { $depth } м · { $zone }
    { $rare }Вы нашли: { $drop }, +{ $gems } 💎{ $bonus }

    💎 { $total ->
        [one] { $total } самоцвет
        [few] { $total } самоцвета
       *[many] { $total } самоцветов
    } · { $energy }
no-energy-next = через { $time }
no-energy-soon = скоро
no-energy-full = (полная через { $time })
no-energy = 🪫 Энергия кончилась ({ $energy }/{ $max }). Следующее очко — { $next }{ $full }.
    С зарядом энергии можно копать сразу.
me-title = 👤 Ваш шахтёр
me-gems = 💎 { $gems } (добыто { $mined }{ $rank })
me-rank = , место №{ $rank }
me-depth = ⛏ Глубина { $depth } м · { $zone }
me-tool-yield = { $item } (добыча { $mult })
me-tools = 🛠 Инструменты: { $tools }
me-boost = 🔮 { $item } — осталось { $time }
me-upgrades = ⬆️ Улучшения: { $levels } — /upgrades
me-every-find = 📈 Каждая находка: самоцветы { $gems } · редкие находки { $luck }
arcade-won = 🕹 Самоцветы аркады: сегодняшние { $per_day } уже выиграны — забеги всё равно идут в очки и рейтинг (новые самоцветы в 00:00 UTC)
arcade-left = 🕹 Самоцветов аркады на сегодня осталось: { $left } из { $per_day }
top-empty = 🏆 Пока никто ничего не добыл — /dig, чтобы стать первым!
top-miners = 🏆 Лучшие шахтёры (добыто самоцветов)
top-arcade = 🕹 Starmine Rush (лучший забег)
top-you-marker = ← вы
top-you = Вы: №{ $rank }, { $score }
used-boost = 🔮 «{ $item }» действует ещё { $time }.
used-energy = ⚡ Использовано: { $item }. { $energy }
not-owned = У вас нет «{ $item }». /buy { $id } — купить.
not-usable = «{ $item }» работает сам — использовать его не нужно.
energy-already-full = ⚡ Энергия уже полная ({ $energy }/{ $max }) — приберегите заряд на потом.
energy-full-notice = ⚡ Энергия снова полная ({ $energy }). Пора копать!
boost-expired-notice = ⌛ Действие «{ $item }» закончилось.

## Улучшения

track-yield = +{ $amount }% самоцветов за находку
track-luck = +{ $amount }% к удаче на редкие находки
track-energy-cap = +{ $amount } к максимуму энергии
track-regen = энергия на { $amount } с быстрее за очко
track-run-seconds = +{ $amount } с к аркадному забегу
upgrades-none = ⬆️ Улучшений пока нет — загляните позже.
upgrades-title = ⬆️ Улучшения — у вас { $gems } 💎
upgrade-not-started = не начато
upgrade-next = дальше: { $effect } за { $cost } 💎
upgrade-maxed = максимум
upgrade-line = { $track } · уровень { $level }/{ $max }: { $now }
    {"   "}{ $next }
cosmetic-owned = есть — выберите его в игре
cosmetic-line = 🎨 { $name }: { $status }
    {"   "}{ $description }
gems-spent-level = ✅ { $track }, уровень { $level }: { $effect } (−{ $cost } 💎)
gems-spent-level-unknown = ✅ Уровень { $level } (−{ $cost } 💎)
gems-spent-cosmetic = ✅ «{ $name }» теперь ваш — выберите его в игре (−{ $cost } 💎)
gems-refused-unknown = Это улучшение больше не предлагается.
gems-refused-maxed = Это улучшение уже на максимуме.
gems-refused-have = Это у вас уже есть.
gems-refused-order = Уровни покупаются по порядку — экран обновлён.
gems-refused-poor = Не хватает самоцветов: у вас { $gems } 💎. Копайте или играйте, чтобы добыть ещё.

## Возвраты

nothing-to-refund = Сейчас нет покупок, за которые можно вернуть деньги (возврат возможен в течение ограниченного времени после покупки).
refund-usage = /refund — список покупок, за которые можно вернуть деньги, или /refund <идентификатор платежа>.
refund-yes = Да, вернуть
refund-no = Оставить
refund-keep = 👍 Оставлено — деньги не возвращались.
not-admin = Вернуть деньги за чужую покупку может только администратор.
already-refunded = За эту покупку деньги уже возвращены.
unknown-charge = Не нахожу вашей покупки с таким идентификатором платежа. /refund покажет список.
voided-charge = У Telegram нет записи об этом платеже, поэтому он отменён и возвращать нечего. Если это ошибка — /paysupport.
foreign-charge = Этот платёж принадлежит другому игроку.
refund-busy = Пока мы проверяли покупку, ваш инвентарь менялся — попробуйте /refund ещё раз чуть позже.
not-refundable = { $item } — { $why }
not-refundable-window = куплено больше { $window } назад, вернуть нельзя
not-refundable-gems = потрачено { $spent } из { $granted } самоцветов
not-refundable-started = запущено, вернуть нельзя
not-refundable-gone = больше не у вас, вернуть нельзя
not-refundable-used = использовано, вернуть нельзя
not-refundable-units = использовано { $used } из { $granted }: { $item }
refund-refused = 🚫 { $line }.
    Деньги за покупку можно вернуть в срок возврата, пока у вас остаётся всё, что она дала. /paysupport поможет.
refund-line = • { $item } — { $amount } ⭐ · заберём: { $takes }
    {"   "}идентификатор платежа: { $charge }
refund-list = ↩️ Покупки, за которые можно вернуть деньги:

    { $lines }
refund-list-blocked = Вернуть нельзя:
    { $lines }
refund-button = Вернуть «{ $item }» · { $amount } ⭐
refund-confirm = Вернуть { $amount } ⭐ за «{ $item }»?
    Мы заберём: { $takes }.
refunded = ↩️ Возвращено { $amount } ⭐ за «{ $item }».
    Забрано: { $taken }
    Идентификатор платежа: { $charge }
refund-pending = ⏳ Возврат { $amount } ⭐ за «{ $item }» обрабатывается. Мы сообщим, когда он завершится.
disputed = ↩️ Telegram вернул { $amount } ⭐ за «{ $item }». Забрано: { $taken }.
refund-failed = ⚠️ В возврате отказано ({ $reason }). Ваша покупка не изменилась. /paysupport поможет.

## Магазин

shelf-energy = Энергия
shelf-gems = Самоцветы
shelf-tools = Инструменты
shelf-boosts = Усилители
shelf-arcade = Аркада
shelf-bundles = Наборы
shelf-other = Другое
previous-page = ‹ Назад
next-page = Дальше ›
shop-title = 🛒 Магазин Starmine — цены в Telegram Stars (⭐)
shop-shelf = { $shelf } — { $n ->
    [one] { $n } товар, { $price } ⭐
    [few] { $n } товара от { $price } ⭐
   *[many] { $n } товаров от { $price } ⭐
}
shop-pick = Выберите полку ниже.
shelf-sold-out = РАСПРОДАНО
shelf-left = { $n ->
    [one] остался { $n }
   *[other] осталось { $n }
}
shelf-owned = уже ваш
shelf-limit = лимит исчерпан ({ $max } на игрока)
effect-energy = +{ $n } энергии при использовании
effect-gems = +{ $n ->
    [one] { $n } самоцвет
    [few] { $n } самоцвета
   *[many] { $n } самоцветов
} сразу
effect-yield = { $mult } самоцветов за раскопку
effect-luck = редкие находки { $mult }
effect-run-seconds = +{ $n } с к забегу в Rush
effect-score = { $mult } очков в Rush
effect-skin = облик «{ $skin }»
effect-collectible = коллекционный предмет
summary-keep = навсегда ваш
summary-boost = { $duration } после запуска
summary-per-player = { $max } на игрока
use-button = Использовать «{ $item }»
buy-usage = Какой предмет? Отправьте /buy <предмет>, например /buy { $id }. Всё, что продаётся, — в /shop.
use-usage = Какой предмет? Отправьте /use <предмет>, например /use { $id } ({ $item }).
use-usage-none = Сейчас в магазине нечего использовать — инструменты и наборы работают сами.
unknown-item = Предмета «{ $raw }» нет.
unknown-item-shop = Всё, что продаётся, — в /shop.
did-you-mean = Может быть, { $ideas }?
stale-dig = Эта раскопка закончена — используйте последнюю или отправьте /dig.
stale-shelf = Магазин изменился — вот он сейчас.
not-for-sale = «{ $raw }» больше не продаётся. Что есть — в /shop.

## Магазин страницы игры (GET /api/shop, POST /api/buy)

api-sold-out-label = Распродано
api-sold-out = «{ $item }» распродан весь.
api-limit-label = Лимит исчерпан
api-limit = Вы купили { $max } — это максимум на одного игрока.
api-owned-label = Уже ваш
api-owned = «{ $item }» уже ваш — навсегда.
api-retired-label = Снят с продажи
api-retired = «{ $item }» больше не продаётся.
api-unavailable-label = Недоступно
api-unavailable = «{ $item }» сейчас купить нельзя.
api-refused-sold-out = Простите — «{ $item }» только что закончился. Деньги не списаны.
api-refused-limit = Вы достигли лимита на «{ $item }» ({ $max } на игрока). Деньги не списаны.
api-refused-retired = «{ $item }» больше не продаётся. Деньги не списаны.
api-refused-other = «{ $item }» сейчас купить нельзя. Деньги не списаны.
api-effect-energy = +{ $n } энергии
api-effect-gems = +{ $n } самоцв.
api-effect-yield = добыча ×{ NUMBER($x, useGrouping: "false") }
api-effect-luck = редкие находки ×{ NUMBER($x, useGrouping: "false") }
api-effect-run-seconds = +{ $n } с к забегу
api-effect-score = очки ×{ NUMBER($x, useGrouping: "false") }
api-effect-for = на { $duration }
api-arcade-left = Самоцветов аркады на сегодня: { $left } из { $per_day }

## Облики аркады, по id игры
skin-name-classic = Классический
skin-name-gold = Золотой
skin-name-crystal = Хрустальный
skin-name-dragon = Драконий
skin-name-aurora = Северное сияние

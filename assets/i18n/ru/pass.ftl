# The Miner's Pass (a monthly Stars subscription): /pass, its invoice, renewals, notices.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

menu-pass = Абонемент шахтёра: подписка на месяц
pass-perk-energy-cap = +{ $n } к запасу энергии
pass-perk-regen = энергия восстанавливается на { $n } с быстрее
pass-perk-daily-gems = { $n ->
    [one] { $n } самоцвет каждый день
    [few] { $n } самоцвета каждый день
   *[many] { $n } самоцветов каждый день
}
pass-perk-skin = облик «{ $skin }» в Starmine Rush
pass-offer = 🎫 { $name } — { $price } ⭐ каждые 30 дней

    Пока он действует: { $perks }.

    Telegram продлевает его каждые 30 дней, пока вы его не остановите; остановить продление можно здесь в любой момент, и абонемент всё равно действует до конца оплаченного месяца.
pass-off-sale = 🎫 Абонемент шахтёра сейчас не продаётся.
pass-button-subscribe = Подписаться · { $price } ⭐
pass-button = 🎫 Абонемент шахтёра
pass-button-stop = Остановить продление
pass-button-resume = Возобновить продление
pass-status = 🎫 { $name } действует до { $until } (UTC).

    Бонусы: { $perks }.
pass-renews = 🔄 Telegram продлит его { $until } за { $price } ⭐.
pass-stopped = ⏹ Продление остановлено: абонемент закончится { $until }, и звёзды больше не списываются.
pass-ended = 🎫 Ваш { $name } закончился { $until } (UTC).
pass-telegram-note = Если вы отменили подписку в настройках самого Telegram, бот этого не видит и не может это отменить: включите её снова там.
pass-stopped-now = ⏹ Продление остановлено. Абонемент действует до { $until } (UTC) и затем закончится; звёзды больше не будут списываться.
pass-resumed = ▶️ Продление снова включено: Telegram спишет оплату за следующий месяц { $until } (UTC).
pass-not-stopped-by-bot = Эту подписку остановил не бот, поэтому он не может её возобновить. Если вы отменили её в настройках Telegram, включите её снова там.
pass-edit-refused = Telegram не принял изменение подписки ({ $reason }). Ничего не изменилось; попробуйте позже или напишите в /paysupport.
pass-started = ✅ { $name } ваш — спасибо!

    { $amount } ⭐ за 30 дней, до { $until } (UTC).
    Бонусы: { $perks }.

    Идентификатор платежа: { $charge }
    В /pass можно посмотреть абонемент и остановить продление.
pass-renewed = 🔄 { $name } продлён: { $amount } ⭐, теперь действует до { $until } (UTC).

    Идентификатор платежа: { $charge }
pass-ended-notice = 🎫 Ваш { $name } закончился, а вместе с ним и бонусы. /pass — чтобы подписаться снова.

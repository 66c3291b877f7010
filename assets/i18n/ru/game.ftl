# Слова страницы игры (assets/game): уходят уже готовыми в `texts` ответа GET /api/me.

page-loading = Зажигаем фонари…
page-expired-title = Ссылка на игру устарела
page-expired-hint = Откройте игру из чата ещё раз, чтобы копать дальше.
page-miner = Шахтёр
page-tagline = Бейте по руде. Собирайте комбо. Успейте до конца.
page-best = Рекорд
page-run = Забег
page-score = Очки
page-play = Играть
page-your-gear = Снаряжение
page-shop = Магазин
page-upgrades = Улучшения
page-looks = Облики
page-arcade-top = Рейтинг аркады
page-all-miners = все шахтёры
page-footer = Очки попадают и в игровое сообщение в чате.
page-time = Время
page-times-up = Время вышло!
page-what-a-run = Вот это забег!
page-new-best = Новый рекорд!
page-saving = Сохраняем очки…
page-gems = Самоцветы
page-rank = Место
page-ore-mined = Добыто руды
page-top-combo = Лучшее комбо
page-bonus = Бонус
page-play-again = Ещё раз
page-share = Поделиться
page-back-to-camp = В лагерь
page-shop-note = Оплата в Telegram Stars. Предметы приходят, как только Telegram подтвердит оплату.
page-purchase = Покупка
page-mine = Копай!
page-gear-boosts = Усилители
page-gear-tools = Инструменты
page-gear-supplies = Припасы
page-gear-other = Другое
page-running = Действует
page-start = Старт
page-use = Использовать
page-buy = Купить
page-no-gear = Снаряжения пока нет — в магазине есть кирки, время и не только.
page-top-resting = Рейтинг отдыхает. Загляните чуть позже.
page-no-runs = Забегов ещё не было — станьте первым!
page-offline = Шахта недоступна. Проверьте соединение и попробуйте снова.
page-too-fast = Вы нажимаете очень быстро — подождите немного и попробуйте снова.
page-busy = Шахта сейчас занята — попробуйте через минуту.
page-went-wrong = Что-то пошло не так — попробуйте ещё раз.
page-kind-permanent = Навсегда
page-kind-bundle = Набор
page-kind-boost = Усилитель
page-kind-consumable = Расходник
page-kind-skin = Облик
page-items-for = товары за
page-more-in = Новые через
page-runs-still-count = забеги всё равно идут в рейтинг
page-up-not-started = Не начато
page-up-not-enough = Пока не хватает самоцветов
page-up-maxed = Максимум
page-up-buying = Покупаем…
page-up-owned = Есть
page-up-wearing = Уже надет
page-up-wear-with-pill = Надеть можно кнопкой облика ⇄
page-skin-classic = Классический облик
page-skin-gold = Золотой облик
page-skin-crystal = Хрустальный облик
page-skin-dragon = Драконий облик
page-skin-aurora = Облик «Сияние»
page-skin-classic-on = Надет классический облик
page-skin-gold-on = Надет золотой облик
page-skin-crystal-on = Надет хрустальный облик
page-skin-dragon-on = Надет драконий облик
page-skin-aurora-on = Надет облик «Сияние»
page-shop-loading = Раскладываем товары…
page-shop-empty = В магазине сейчас пусто.
page-shop-none-left = Не осталось
page-order-creating = Выставляем счёт…
page-order-waiting = Ждём оплату…
page-order-sent = Оплата отправлена — ждём подтверждения от Telegram…
page-order-cancelled = Оплата отменена — ничего не списано. Оплатить можно ниже.
page-order-failed = Оплата не прошла — ничего не списано. Попробуйте ещё раз ниже.
page-order-timeout = Оплаты пока нет. Если вы заплатили, предмет вот-вот появится.
page-order-unknown = Этот заказ больше не найден — нажмите «Купить», чтобы начать заново.
page-order-purchased = Куплено!
page-order-expired = Срок счёта истёк. Нажмите «Купить», чтобы попробовать снова.
page-order-refunded = Деньги за эту покупку возвращены.
page-daily-gems-reached = Дневной лимит самоцветов аркады исчерпан — очки всё равно идут в рейтинг
page-score-not-saved = Очки не сохранены:
page-score-lost = Не удалось сохранить очки.

# Форматируются сервером для каждого игрока (в них числа): карточка улучшений, длина забега,
# остаток в магазине. 💎 страница рисует своим значком.
page-up-you-have = у вас { $gems } 💎
page-up-now = Сейчас: { $effect }
page-up-need = Нужно ещё { $gems } 💎
page-up-level-cost = Уровень { $level } · { $cost } 💎
page-up-level-of = Уровень { $level } из { $max }
page-up-all-bought = { $max ->
    [1] Уровень куплен
    [one] Куплен весь { $max } уровень
    [few] Куплены все { $max } уровня
   *[other] Куплены все { $max } уровней
}
page-up-buy-cost = Купить · { $cost } 💎
page-run-seconds = { $n } с
page-shop-left = { $n ->
    [one] Остался { $n }
   *[other] Осталось { $n }
}
page-shop-you-have = { $n ->
    [one] У вас { $n } штука
    [few] У вас { $n } штуки
   *[other] У вас { $n } штук
}

# Ещё постоянные слова (в `texts`).
page-left = осталось
page-starts-on-start = начнёт действовать по кнопке «Старт»
page-you = Вы
page-combo = Комбо
page-no-share = Здесь поделиться нельзя.
page-change-skin = Сменить облик
page-your-skin = Ваш облик
page-link-expired = Ссылка на игру устарела — откройте игру из чата ещё раз.
page-up-gone = Этого больше нет в продаже.
page-stars = Звёзды
page-back = Назад
page-close = Закрыть

# Предложения, которые сервер собирает для страницы там, где API отвечает: что будет с купленным
# предметом (магазин), что сделал использованный (POST /api/use), покупка или отказ улучшения
# (POST /api/upgrades) и что даёт каждый уровень.
page-receipt-boost = «{ $item }» у вас в запасах — нажмите «Старт»; время действия — { $duration }.
page-receipt-permanent = Теперь «{ $item }» у вас навсегда — и уже работает.
page-receipt-bundle = Доставлено: «{ $item }» — { $delivers }.
page-receipt-gems = { $delivers } — в вашей копилке.
page-receipt-energy = «{ $item }» у вас в запасах — нажмите «Использовать», когда понадобится энергия.
page-receipt-item = «{ $item }» у вас в запасах.
page-boost-runs-for = время действия — { $duration }
page-boost-adds = «Старт» — плюс { $duration }
page-pay = Оплатить { $n }
page-used-boost = «{ $item }»: действует, до конца — { $duration }.
page-used-boost-score = «{ $item }»: действует, до конца — { $duration }. Забеги, начатые сейчас, дают очки ×{ NUMBER($x, useGrouping: "false") }.
page-used-energy = Использовано: «{ $item }» — энергия { $energy }/{ $max }.
page-use-unknown = Такого предмета нет.
page-use-not-owned = У вас нет «{ $item }» — купите в магазине.
page-use-not-usable = «{ $item }» действует, пока есть у вас, — запускать нечего.
page-use-energy-full = Энергия и так полная ({ $energy }/{ $max }) — приберегите «{ $item }» на потом.
page-up-bought-level = «{ $name }» теперь уровня { $level }: { $effect }. Осталось { $gems } 💎.
page-up-bought-look = Теперь «{ $name }» у вас — нажмите на значок облика, чтобы надеть. Осталось { $gems } 💎.
page-up-poor-level = Не хватает самоцветов на «{ $name }» уровня { $level } — у вас { $gems } 💎. Копайте или играйте, чтобы заработать ещё.
page-up-poor-look = Не хватает самоцветов на «{ $name }» — у вас { $gems } 💎. Копайте или играйте, чтобы заработать ещё.
page-up-have-level = У вас уже есть «{ $name }» уровня { $level }.
page-up-have-look = «{ $name }» у вас уже есть.
page-up-maxed-out = «{ $name }»: все уровни уже куплены.
page-up-first = «{ $name }»: сначала уровень { $level }.
page-effect-yield = +{ $amount }% самоцветов за находку
page-effect-luck = +{ $amount }% к удаче на редкие находки
page-effect-energy-cap = +{ $amount } к запасу энергии
page-effect-regen = энергия быстрее на { $amount } с
page-effect-run-seconds = +{ $amount } с к забегу
page-duration-hours = { $n ->
    [one] { $n } час
    [few] { $n } часа
   *[other] { $n } часов
}
page-duration-minutes = { $n ->
    [one] { $n } минута
    [few] { $n } минуты
   *[other] { $n } минут
}
page-duration-seconds = { $n ->
    [one] { $n } секунда
    [few] { $n } секунды
   *[other] { $n } секунд
}
page-duration-minutes-seconds = { $m } мин { $s } с

# Gifts from the shop (gift.js): a friend from the chat's scoreboard.
page-gift = Подарить
page-gift-loading = Загружаем таблицу рекордов чата…
page-gift-nobody = В таблице рекордов этого чата пока нет других игроков.
page-gift-choose = Кому подарить? Выберите друга из таблицы рекордов чата.
page-order-gifted = Подарок отправлен! Друг уже получил его и сообщение от вас в чате.

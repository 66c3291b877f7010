# متن‌های گفت‌وگوی Starmine به فارسی. همان پیام‌ها و همان جای‌گذاری‌های en/starmine.ftl
# (`starmine check-data` و آزمون‌های واحد این را بررسی می‌کنند). عددها به صورت عدد می‌آیند و
# با رقم‌های فارسی نوشته می‌شوند؛ در فارسی اسم پس از عدد مفرد می‌ماند.

## یکاها

unit-hours = { $n } ساعت
unit-minutes = { $n } دقیقه
unit-seconds = { $n } ثانیه
time-hours-minutes = { $h } ساعت و { $m } دقیقه
time-minutes-seconds = { $m } دقیقه و { $s } ثانیه
time-seconds = { $s } ثانیه
multiplier = ×{ NUMBER($x, useGrouping: "false") }
count-gems = { $n } جواهر
count-items = { $n } عدد { $item }
list-and = { $rest } و { $last }
list-or = { $rest } یا { $last }
nothing = هیچ

## منو و دکمه‌ها

start = ⛏ به Starmine خوش آمدید!

    جواهر استخراج کنید، به عمق معدن بروید، جواهرها را خرج ارتقا کنید و با ابزار و تقویت‌کننده‌هایی که با Telegram Stars می‌خرید، مجهز شوید.

    /dig — استخراج جواهر (انرژی مصرف می‌کند)
    /me — انرژی، جواهرها، عمق و تقویت‌کننده‌های شما
    /upgrades — جواهر برای کلنگ تیزتر، انرژی بیشتر و ظاهرها
    /top — بهترین معدنچی‌ها
    /play — Starmine Rush، بازی آرکید
    /use <کالا> — استفاده از شارژ یا روشن کردن تقویت‌کننده
    /shop — کالاهای فروشی
    /buy <کالا> — خرید مستقیم یک کالا
    /inventory — دارایی‌های شما
    /refund — بازپرداخت یک خرید اخیر
    /terms — شرایط فروش
    /paysupport — کمک در پرداخت
    /language — انتخاب زبان
menu-start = Starmine چیست و چطور بازی کنیم
menu-dig = استخراج جواهر
menu-me = انرژی، جواهرها، عمق و تقویت‌کننده‌ها
menu-top = بهترین معدنچی‌ها
menu-upgrades = خرج جواهر برای ارتقا و ظاهر
menu-use = استفاده از کالا: /use <کالا>
menu-play = بازی Starmine Rush
menu-shop = کالاهای فروشی
menu-buy = خرید کالا: /buy <کالا>
menu-inventory = دارایی‌های شما
menu-refund = بازپرداخت یک خرید اخیر
menu-terms = شرایط فروش
menu-paysupport = کمک در پرداخت
menu-language = انتخاب زبان
button-dig = ⛏ استخراج
button-dig-again = ⛏ دوباره استخراج
button-me = 👤 من
button-upgrades = ⬆️ ارتقاها
button-top = 🏆 برترین‌ها
language-choose = 🌐 زبان خود را انتخاب کنید:
language-set = ✅ از این پس Starmine با شما فارسی صحبت می‌کند. /start کارهایی را که می‌توانم انجام دهم نشان می‌دهد.

## شرایط و پشتیبانی

terms = 📜 شرایط فروش Starmine

    • کالاها کالای مجازی و فقط برای استفاده در Starmine هستند و با Telegram Stars (⭐) فروخته می‌شوند.
    • به محض تأیید پرداخت توسط تلگرام، کالا را دریافت می‌کنید؛ شناسهٔ پرداخت در رسید آمده است.
    • تا { $window } پس از خرید می‌توانید خودتان با /refund مبلغ را پس بگیرید، به شرط آنکه هرچه آن خرید به شما داده هنوز در اختیارتان باشد (کالای مصرف‌شده و تقویت‌کنندهٔ روشن‌شده بازپرداخت ندارد). ستاره‌ها به حساب تلگرام شما برمی‌گردد.
    • اگر نتوانیم چیزی را که پرداخت کرده‌اید تحویل دهیم، خودکار بازپرداخت می‌کنیم.
    • خریدهای بازپرداخت‌شده یا معترض‌شده از دارایی شما حذف می‌شوند.
    • پرسش دربارهٔ پرداخت: /paysupport.
paysupport = 🛟 پشتیبانی پرداخت

    در پیام بعدی بنویسید چه مشکلی پیش آمد (چه خریدید، کی، و چه انتظاری داشتید). پیام را همراه با پرداخت‌های اخیرتان برای تیم می‌فرستیم و همین‌جا پاسخ می‌دهیم.

    هر زمان بخواهید می‌توانید خودتان با /refund مبلغ یک خرید اخیر را پس بگیرید. پشتیبانی تلگرام در خریدهای داخل ربات کمکی نمی‌کند؛ ما می‌کنیم.
support-sent = ✅ سپاس — پیام شما ذخیره شد و همراه با پرداخت‌های اخیرتان برای پشتیبانی فرستاده شد. معمولاً ظرف یک روز همین‌جا پاسخ می‌دهیم.
support-no-admins = ✅ سپاس — پیام شما در صندوق پشتیبانی ذخیره شد. اکنون کسی از تیم در گفت‌وگو نیست، پس شاید یکی دو روز طول بکشد؛ همین‌جا پاسخ می‌دهیم.
support-answer = 💬 پاسخ تیم پشتیبانی (به پیام شمارهٔ { $id } شما):

    { $answer }
support-not-stored = ⚠️ متأسفیم — الان نتوانستیم پیام شما را ذخیره کنیم. چند دقیقهٔ دیگر دوباره /paysupport و پیامتان را بفرستید.
unknown-command = این فرمان را نمی‌شناسم. /shop، /inventory یا /start را امتحان کنید.
not-understood = ⛏ برای دیدن کالاهای فروشی /shop و برای دیدن همهٔ کارهایم /start را بفرستید.
slow-down = 🐢 خیلی سریع خرید می‌کنید — یک دقیقه صبر کنید و دوباره امتحان کنید.
group-shop = 🛒 فروشگاه در گفت‌وگوی خصوصی ماست — برای باز کردنش دکمهٔ زیر را بزنید.
group-button = باز کردن فروشگاه
shop-empty = فروشگاه فعلاً خالی است — به‌زودی سر بزنید.
inventory-empty = 🎒 دارایی شما خالی است. نگاهی به /shop بیندازید.
inventory = 🎒 دارایی شما

    { $lines }
service-trouble = ⚠️ مشکلی در سمت ما پیش آمد. لطفاً کمی بعد دوباره امتحان کنید.
play-off = آرکید هنوز این‌جا باز نشده — فعلاً /dig کنید!

## خرید

cannot-buy-sold-out = 😔 { $item } تمام شده است.
cannot-buy-limit = شما بیشترین تعداد { $item } را که یک بازیکن می‌تواند بخرد دارید ({ $max }).
cannot-buy-more = فعلاً نمی‌توانید { $item } بیشتری بخرید.
cannot-buy-owned = { $item } را دارید — برای همیشه مال شماست.
cannot-buy-retired = { $item } دیگر فروخته نمی‌شود — از فروشگاه برداشته شده است. اگر آن را دارید، برای شما می‌ماند. کالاهای فروشی در /shop.
cannot-buy-other = فعلاً نمی‌توان { $item } را خرید ({ $code }).
checkout-refused = { $reason ->
    [unknown_order] این صورت‌حساب از ما نیست یا دیگر معتبر نیست. برای خرید دوباره از /shop استفاده کنید.
    [not_your_invoice] این صورت‌حساب برای بازیکن دیگری صادر شده است. صورت‌حساب خودتان را از /shop بگیرید.
    [amount_mismatch] مبلغ با قیمت این صورت‌حساب نمی‌خواند. چیزی کسر نشد.
    [expired] مهلت این صورت‌حساب تمام شده است. صورت‌حساب تازه را از /shop بگیرید.
    [already_paid] این صورت‌حساب قبلاً پرداخت شده است. برای خرید دوباره از /shop استفاده کنید.
    [sold_out] متأسفیم، این کالا همین الان تمام شد. چیزی کسر نشد.
    [limit_reached] به سقف خرید این کالا رسیده‌اید. چیزی کسر نشد.
    [already_owned] این کالا را دارید. چیزی کسر نشد.
   *[other] این کالا دیگر فروخته نمی‌شود. چیزی کسر نشد.
}
next-boost = ▶️ تا وقتی روشنش کنید در دارایی‌تان می‌ماند — /use { $id } همین‌جا یا «شروع» در Starmine Rush — و پس از آن { $duration } کار می‌کند.
next-permanent = ✨ از همین حالا کار می‌کند — نیازی به روشن کردن نیست.
next-energy = ⚡ هر وقت انرژی لازم داشتید از آن استفاده کنید: /use { $id }.
receipt = ✅ پرداخت دریافت شد — سپاس!

    { $item } به بهای { $amount } ⭐
    افزوده شد: { $granted }{ $next }

    شناسهٔ پرداخت: { $charge }
    آن را برای /refund یا /paysupport نگه دارید.
auto-refund = ↩️ نتوانستیم { $item } را تحویل دهیم، چون { $reason ->
    [sold_out] پیش از رسیدن پرداخت شما تمام شد
    [limit_reached] به سقف این کالا رسیده‌اید
    [already_owned] آن را دارید
    [expired] مهلت صورت‌حساب تمام شده بود
    [already_paid] آن صورت‌حساب قبلاً پرداخت شده بود
    [not_your_invoice] صورت‌حساب برای بازیکن دیگری بود
    [amount_mismatch] مبلغ با قیمت نمی‌خواند
    [unknown_order] سفارش آن را پیدا نکردیم
   *[other] دیگر فروخته نمی‌شود
}؛ بنابراین { $amount } ⭐ شما بازپرداخت می‌شود.

## بازی در گفت‌وگو

energy-line = ⚡ { $energy }/{ $max }
energy-line-next = ⚡ { $energy }/{ $max } (+۱ تا { $time } دیگر)
dig-rare = ✨ یافتهٔ کمیاب!
dig-bonus-yield = بازده { $mult }
dig-bonus-luck = شانس { $mult }
dig-found = ⛏ { $depth } متر · { $zone }
    { $rare }{ $drop } پیدا کردید: +{ $gems } 💎{ $bonus }

    💎 { $total } جواهر · { $energy }
no-energy-next = تا { $time } دیگر
no-energy-soon = به‌زودی
no-energy-full = (پر شدن تا { $time } دیگر)
no-energy = 🪫 انرژی‌تان تمام شده ({ $energy }/{ $max }). امتیاز بعدی { $next } می‌رسد{ $full }.
    با یک شارژ انرژی همین حالا می‌توانید استخراج کنید.
me-title = 👤 معدنچی شما
me-gems = 💎 { $gems } جواهر ({ $mined } استخراج‌شده{ $rank })
me-rank = ، رتبهٔ { $rank }
me-depth = ⛏ عمق { $depth } متر · { $zone }
me-tool-yield = { $item } (بازده { $mult })
me-tools = 🛠 ابزارها: { $tools }
me-boost = 🔮 { $item } — { $time } مانده
me-upgrades = ⬆️ ارتقاها: { $levels } — /upgrades
me-every-find = 📈 هر یافته: جواهر { $gems } · یافتهٔ کمیاب { $luck }
arcade-won = 🕹 جواهرهای آرکید: { $per_day } جواهر امروز را برده‌اید — دورها همچنان امتیاز و جایگاه در جدول دارند (جواهرهای تازه ساعت ۰۰:۰۰ UTC)
arcade-left = 🕹 جواهر آرکیدِ باقی‌ماندهٔ امروز: { $left } از { $per_day }
top-empty = 🏆 هنوز کسی چیزی استخراج نکرده — /dig کنید و اولی باشید!
top-miners = 🏆 برترین معدنچی‌ها (جواهر استخراج‌شده)
top-arcade = 🕹 Starmine Rush (بهترین دور)
top-you-marker = ← شما
top-you = شما: رتبهٔ { $rank } با { $score }
used-boost = 🔮 { $item } تا { $time } فعال است.
used-energy = ⚡ { $item } استفاده شد: { $energy }
not-owned = هیچ { $item } برای استفاده ندارید. با /buy { $id } یکی بخرید.
not-usable = { $item } خودش کار می‌کند — چیزی برای استفاده نیست.
energy-already-full = ⚡ انرژی شما پر است ({ $energy }/{ $max }) — آن را برای بعد نگه دارید.
energy-full-notice = ⚡ انرژی شما دوباره پر شد ({ $energy }). وقت استخراج است!
boost-expired-notice = ⌛ زمان { $item } شما تمام شد.

## ارتقاها

track-yield = +{ $amount }٪ جواهر در هر یافته
track-luck = +{ $amount }٪ شانس یافتهٔ کمیاب
track-energy-cap = +{ $amount } سقف انرژی
track-regen = هر امتیاز انرژی { $amount } ثانیه زودتر
track-run-seconds = +{ $amount } ثانیه در هر دور آرکید
upgrades-none = ⬆️ هنوز ارتقایی نیست — به‌زودی سر بزنید.
upgrades-title = ⬆️ ارتقاها — { $gems } 💎 دارید
upgrade-not-started = شروع نشده
upgrade-next = بعدی: { $effect } با { $cost } 💎
upgrade-maxed = در بالاترین سطح
upgrade-line = { $track } · سطح { $level }/{ $max }: { $now }
    {"   "}{ $next }
cosmetic-owned = دارید — در بازی انتخابش کنید
cosmetic-line = 🎨 { $name }: { $status }
    {"   "}{ $description }
gems-spent-level = ✅ { $track } سطح { $level }: { $effect } (−{ $cost } 💎)
gems-spent-level-unknown = ✅ سطح { $level } (−{ $cost } 💎)
gems-spent-cosmetic = ✅ { $name } مال شماست — در بازی انتخابش کنید (−{ $cost } 💎)
gems-refused-unknown = این ارتقا دیگر عرضه نمی‌شود.
gems-refused-maxed = این مسیر در بالاترین سطح است.
gems-refused-have = این را دارید.
gems-refused-order = سطح‌ها را به ترتیب بخرید — صفحه به‌روز شد.
gems-refused-poor = جواهر کافی نیست: { $gems } 💎 دارید. برای به دست آوردن بیشتر استخراج یا بازی کنید.

## بازپرداخت

nothing-to-refund = اکنون خریدی ندارید که بتوانید بازپرداختش کنید (بازپرداخت تا مدت محدودی پس از خرید ممکن است).
refund-usage = با /refund خریدهای قابل بازپرداخت را ببینید، یا /refund <شناسهٔ پرداخت>.
refund-yes = بله، بازپرداخت
refund-no = نگهش دار
refund-keep = 👍 نگه داشته شد — بازپرداختی انجام نشد.
not-admin = فقط مدیران می‌توانند خرید شخص دیگری را بازپرداخت کنند.
already-refunded = این خرید قبلاً بازپرداخت شده است.
unknown-charge = خریدی از شما با این شناسهٔ پرداخت پیدا نکردم. /refund فهرستشان را نشان می‌دهد.
voided-charge = تلگرام سابقه‌ای از این پرداخت ندارد، پس لغو شد و چیزی برای بازپرداخت نیست. اگر فکر می‌کنید اشتباه است: /paysupport.
foreign-charge = این پرداخت متعلق به بازیکن دیگری است.
refund-busy = وقتی آن خرید را بررسی می‌کردیم دارایی شما مدام تغییر می‌کرد — لطفاً کمی بعد دوباره /refund را امتحان کنید.
not-refundable = { $item } — { $why }
not-refundable-window = بیش از { $window } پیش خریده شده، بازپرداخت ندارد
not-refundable-gems = { $spent } از { $granted } جواهر خرج شده
not-refundable-started = روشن شده، بازپرداخت ندارد
not-refundable-gone = دیگر در اختیار شما نیست، بازپرداخت ندارد
not-refundable-used = استفاده شده، بازپرداخت ندارد
not-refundable-units = { $used } از { $granted } عدد { $item } استفاده شده
refund-refused = 🚫 { $line }.
    یک خرید تا پایان مهلت بازپرداخت، به شرط آنکه هرچه داده هنوز در اختیارتان باشد، بازپرداخت می‌شود. /paysupport کمک می‌کند.
refund-line = • { $item } — { $amount } ⭐ · پس گرفته می‌شود: { $takes }
    {"   "}شناسهٔ پرداخت: { $charge }
refund-list = ↩️ خریدهایی که می‌توانید بازپرداخت کنید:

    { $lines }
refund-list-blocked = بازپرداخت ندارند:
    { $lines }
refund-button = بازپرداخت { $item } · { $amount } ⭐
refund-confirm = { $amount } ⭐ برای { $item } بازپرداخت شود؟
    پس می‌گیریم: { $takes }.
refunded = ↩️ { $amount } ⭐ برای { $item } بازپرداخت شد.
    پس گرفته شد: { $taken }
    شناسهٔ پرداخت: { $charge }
refund-pending = ⏳ بازپرداخت { $amount } ⭐ برای { $item } در حال انجام است. وقتی تمام شد خبرتان می‌کنیم.
disputed = ↩️ تلگرام { $amount } ⭐ برای { $item } بازپرداخت کرد. پس گرفته شد: { $taken }.
refund-failed = ⚠️ بازپرداخت رد شد ({ $reason }). خرید شما تغییری نکرد. /paysupport کمک می‌کند.

## فروشگاه

shelf-energy = انرژی
shelf-gems = جواهر
shelf-tools = ابزار
shelf-boosts = تقویت‌کننده
shelf-arcade = آرکید
shelf-bundles = بسته‌ها
shelf-other = دیگر
previous-page = › قبلی
next-page = بعدی ‹
shop-title = 🛒 فروشگاه Starmine — قیمت‌ها به Telegram Stars (⭐)
shop-shelf = { $shelf } — { $n ->
    [one] { $n } کالا، { $price } ⭐
   *[other] { $n } کالا از { $price } ⭐
}
shop-pick = یک قفسه را در زیر انتخاب کنید.
shelf-sold-out = تمام شد
shelf-left = { $n } عدد مانده
shelf-owned = دارید
shelf-limit = به سقف رسیده ({ $max } برای هر بازیکن)
effect-energy = +{ $n } انرژی هنگام استفاده
effect-gems = +{ $n } جواهر یکجا
effect-yield = { $mult } جواهر در هر استخراج
effect-luck = یافتهٔ کمیاب { $mult }
effect-run-seconds = +{ $n } ثانیه در هر دور Rush
effect-score = { $mult } امتیاز Rush
effect-skin = ظاهر { $skin }
effect-collectible = کلکسیونی
summary-keep = برای همیشه مال شما
summary-boost = { $duration } پس از روشن شدن
summary-per-player = { $max } برای هر بازیکن
use-button = استفاده از { $item }
buy-usage = کدام کالا؟ /buy <کالا> را بفرستید، مثلاً /buy { $id }. همهٔ کالاهای فروشی در /shop.
use-usage = کدام کالا؟ /use <کالا> را بفرستید، مثلاً /use { $id } ({ $item }).
use-usage-none = فعلاً هیچ کالای فروشگاه قابل استفاده نیست — ابزارها و بسته‌ها خودشان کار می‌کنند.
unknown-item = کالایی به نام «{ $raw }» نداریم.
unknown-item-shop = همهٔ کالاهای فروشی در /shop.
did-you-mean = منظورتان { $ideas } بود؟
stale-dig = این استخراج تمام شده — از آخرین پیام استفاده کنید یا /dig بفرستید.
stale-shelf = فروشگاه تغییر کرده — این وضع کنونی آن است.
not-for-sale = «{ $raw }» دیگر فروخته نمی‌شود. کالاهای موجود در /shop.

## فروشگاه صفحهٔ بازی (GET /api/shop، POST /api/buy)

api-sold-out-label = تمام شد
api-sold-out = همهٔ { $item }‌ها فروخته شده‌اند.
api-limit-label = به سقف رسیده
api-limit = { $max } عدد خریده‌اید، بیشترین تعداد برای یک بازیکن.
api-owned-label = دارید
api-owned = { $item } را دارید — برای همیشه مال شماست.
api-retired-label = دیگر فروخته نمی‌شود
api-retired = { $item } دیگر فروخته نمی‌شود.
api-unavailable-label = در دسترس نیست
api-unavailable = فعلاً نمی‌توان { $item } را خرید.
api-refused-sold-out = متأسفیم — { $item } همین الان تمام شد. چیزی کسر نشد.
api-refused-limit = به سقف خرید { $item } رسیده‌اید ({ $max } برای هر بازیکن). چیزی کسر نشد.
api-refused-retired = { $item } دیگر فروخته نمی‌شود. چیزی کسر نشد.
api-refused-other = فعلاً نمی‌توان { $item } را خرید. چیزی کسر نشد.
api-effect-energy = +{ $n } انرژی
api-effect-gems = +{ $n } جواهر
api-effect-yield = بازده استخراج ×{ NUMBER($x, useGrouping: "false") }
api-effect-luck = یافتهٔ کمیاب ×{ NUMBER($x, useGrouping: "false") }
api-effect-run-seconds = +{ $n } ثانیه در هر دور
api-effect-score = امتیاز ×{ NUMBER($x, useGrouping: "false") }
api-effect-for = به مدت { $duration }
api-arcade-left = جواهر آرکیدِ باقی‌ماندهٔ امروز: { $left } از { $per_day }

## ظاهرهای آرکید، با شناسهٔ بازی
skin-name-classic = کلاسیک
skin-name-gold = طلایی
skin-name-crystal = بلورین
skin-name-dragon = اژدها
skin-name-aurora = شفق قطبی

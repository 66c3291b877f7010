# The Miner's Pass (a monthly Stars subscription): /pass, its invoice, renewals, notices.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

menu-pass = پاس معدنچی: اشتراک ماهانه
pass-perk-energy-cap = { $n }+ به سقف انرژی
pass-perk-regen = بازگشت هر واحد انرژی { $n } ثانیه سریع‌تر
pass-perk-daily-gems = روزانه { $n } جواهر هدیه
pass-perk-skin = پوستهٔ { $skin } در Starmine Rush
pass-offer = 🎫 { $name } — { $price } ⭐ هر ۳۰ روز

    تا وقتی فعال است: { $perks }.

    تلگرام آن را هر ۳۰ روز تمدید می‌کند تا وقتی متوقفش کنید؛ هر زمان می‌توانید تمدید را همین‌جا متوقف کنید و پاس تا پایان ماهی که پرداخته‌اید فعال می‌ماند.
pass-off-sale = 🎫 پاس معدنچی اکنون فروخته نمی‌شود.
pass-button-subscribe = اشتراک · { $price } ⭐
pass-button = 🎫 پاس معدنچی
pass-button-stop = توقف تمدید
pass-button-resume = فعال‌سازی دوبارهٔ تمدید
pass-status = 🎫 { $name } تا { $until } (UTC) فعال است.

    مزایا: { $perks }.
pass-renews = 🔄 تلگرام آن را در { $until } با { $price } ⭐ تمدید می‌کند.
pass-stopped = ⏹ تمدید متوقف شده است: پاس در { $until } به پایان می‌رسد و دیگر ستاره‌ای کسر نمی‌شود.
pass-ended = 🎫 { $name } شما در { $until } (UTC) به پایان رسید.
pass-telegram-note = اگر اشتراک را در تنظیمات خود تلگرام لغو کرده‌اید، ربات آن را نمی‌بیند و نمی‌تواند برگرداند: آن را همان‌جا دوباره فعال کنید.
pass-stopped-now = ⏹ تمدید متوقف شد. پاس شما تا { $until } (UTC) فعال است و سپس پایان می‌یابد؛ دیگر ستاره‌ای کسر نخواهد شد.
pass-resumed = ▶️ تمدید دوباره فعال شد: تلگرام هزینهٔ ماه بعد را در { $until } (UTC) کسر می‌کند.
pass-not-stopped-by-bot = این اشتراک را ربات متوقف نکرده است، پس نمی‌تواند آن را دوباره فعال کند. اگر آن را در تنظیمات تلگرام لغو کرده‌اید، همان‌جا دوباره فعالش کنید.
pass-edit-refused = تلگرام تغییر اشتراک شما را نپذیرفت ({ $reason }). چیزی تغییر نکرد؛ بعداً دوباره امتحان کنید یا به /paysupport بنویسید.
pass-started = ✅ { $name } از آنِ شماست — سپاس!

    { $amount } ⭐ برای ۳۰ روز، تا { $until } (UTC).
    مزایا: { $perks }.

    شناسهٔ پرداخت: { $charge }
    در /pass می‌توانید آن را ببینید و تمدید را متوقف کنید.
pass-renewed = 🔄 { $name } تمدید شد: { $amount } ⭐، اکنون تا { $until } (UTC) فعال است.

    شناسهٔ پرداخت: { $charge }
pass-ended-notice = 🎫 { $name } شما به پایان رسید و مزایایش هم با آن. برای اشتراک دوباره /pass را بزنید.

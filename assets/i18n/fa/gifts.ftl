# Item gifts: /gift, the Gift button, refusals, the giver's and the recipient's messages.
# Same rules as starmine.ftl: every language has the English messages and placeholders.

gift-button = 🎁 هدیه
gift-choose = 🎁 کدام کالا را می‌خواهید هدیه بدهید؟ آن را بزنید و بعد بگویید برای چه کسی است.
gift-ask-recipient = 🎁 { $item } برای چه کسی است؟ ‏@username یا شناسهٔ کاربری او را بفرستید. او باید این ربات را شروع کرده باشد.
gift-usage = 🎁 بفرستید /gift <کالا> <@username یا شناسهٔ کاربری>، برای نمونه /gift { $id } @friend. دوست شما باید این ربات را شروع کرده باشد.
gift-unknown-recipient = { $who } را میان بازیکنان پیدا نکردم. از او بخواهید این ربات را باز کند و «شروع» را بزند، سپس دوباره امتحان کنید.
gift-to-self = این خود شما هستید! برای خرید برای خودتان بفرستید /buy { $id }.
gift-refused-sold-out = 😔 { $item } تمام شده است.
gift-refused-limit = { $name } بیشترین تعداد { $item } را که یک بازیکن می‌تواند داشته باشد دارد ({ $max }).
gift-refused-more = { $name } فعلاً نمی‌تواند { $item } بیشتری بگیرد.
gift-refused-owned = { $name } همین حالا { $item } را دارد — برای همیشه مال اوست.
gift-invoice-description = 🎁 هدیه‌ای برای { $name }. { $description }
gift-receipt = ✅ پرداخت دریافت شد — سپاس!

    🎁 { $item } به بهای { $amount } ⭐ به { $name } رسید و به او گفتیم که از طرف شماست.

    شناسهٔ پرداخت: { $charge }
    آن را برای /refund یا /paysupport نگه دارید.
gift-received = 🎁 { $giver } برای شما هدیه فرستاد: { $item }!
    افزوده شد: { $granted }{ $next }
gift-for = { $item } ← 🎁 { $name }
gift-refund-not-yours = این خرید هدیه‌ای به شما بود — فقط کسی که پولش را داده می‌تواند بازپرداخت آن را بخواهد.
gift-revoked = ↩️ { $giver } هزینهٔ هدیهٔ { $item } را پس گرفت، پس آن پس گرفته شد: { $taken }.
menu-gift = هدیه دادن کالا به دوست: /gift <کالا> <@username>
api-gift-unknown-recipient = این بازیکن هنوز این ربات را شروع نکرده است، پس هدیه به او نمی‌رسد.
api-gift-to-self = این خود شما هستید! برای خرید برای خودتان «خرید» را بزنید.

//! The words of the bot's fixed controls: Telegram's command menu and the game's buttons.

/// The commands shown in Telegram's menu (setMyCommands), with what each does.
pub const MENU: [(&str, &str); 13] = [
    ("start", "What Starmine is and how to play"),
    ("dig", "Dig for gems"),
    ("me", "Your energy, gems, depth and boosts"),
    ("top", "The best miners"),
    ("upgrades", "Spend gems on upgrades and skins"),
    ("use", "Use an item: /use <item>"),
    ("play", "Play Starmine Rush, the arcade run"),
    ("shop", "Items for sale"),
    ("buy", "Buy an item: /buy <item>"),
    ("inventory", "What you own"),
    ("refund", "Refund a recent purchase"),
    ("terms", "Terms of sale"),
    ("paysupport", "Help with a payment"),
];

pub const DIG_BUTTON: &str = "⛏ Dig";
pub const DIG_AGAIN_BUTTON: &str = "⛏ Dig again";
pub const ME_BUTTON: &str = "👤 Me";
pub const UPGRADES_BUTTON: &str = "⬆️ Upgrades";
pub const TOP_BUTTON: &str = "🏆 Top";

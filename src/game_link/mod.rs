//! The game link between the chat and the game page, on neither side: the signed session a
//! link carries ([`Session`], made by `telegram::play`, checked by `http::auth`) and what the
//! game API needs from Telegram ([`TelegramPort`], implemented by `telegram` so that `http`
//! knows no Bot API types).

mod port;
pub(crate) mod session;

pub use port::{ChatScore, TelegramPort};
pub use session::{AuthError, ScoreTarget, Session};

//! Newtypes built at the edge: once constructed, an id or an amount is known to be valid.

use std::fmt;

/// An item id: 1–32 bytes of `[a-z0-9_]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(String);

impl ItemId {
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("item id must not be empty".into());
        }
        if raw.len() > Self::MAX_LEN {
            return Err(format!("item id `{raw}` is longer than {} bytes", Self::MAX_LEN));
        }
        if let Some(bad) = raw.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_')) {
            return Err(format!("item id `{raw}` contains `{bad}`; use only a-z, 0-9 and _"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A price or an amount in whole Telegram Stars (`XTR`), 1..=[`Stars::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stars(u32);

impl Stars {
    /// Our own cap on one item's price.
    pub const MAX: u32 = 10_000;

    pub fn new(amount: i64) -> Result<Self, String> {
        if !(1..=i64::from(Self::MAX)).contains(&amount) {
            return Err(format!("price_stars must be 1 to {}, got {amount}", Self::MAX));
        }
        Ok(Self(amount as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ⭐", self.0)
    }
}

/// A Telegram user id (always positive for people).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Telegram @username as the index keys it: without the `@`, lowercase; None when `text` cannot
/// be one (5-32 of `a-z`, `0-9`, `_`, starting with a letter: never a numeric user id).
pub fn username_key(text: &str) -> Option<String> {
    let name = text.trim().strip_prefix('@').unwrap_or(text.trim());
    let valid = (5..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    valid.then(|| name.to_ascii_lowercase())
}

/// `telegram_payment_charge_id`: the unique id of one payment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChargeId(String);

impl ChargeId {
    /// Telegram's ids are short ASCII; anything else is not a charge id we could have issued.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = !raw.is_empty() && raw.len() <= 128 && raw.bytes().all(|b| b.is_ascii_graphic());
        if !ok {
            return Err("that is not a valid charge id".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChargeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The invoice payload: `<item_id>.<token>`, or `<item_id>.<token>:<recipient>` for a gift. The
/// item id in front lets every script about the order run in the item's Redis Cluster slot; a
/// gift's recipient at the end names the player slot its payment record lives in (and the
/// order's `for`, which the scripts check against it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrderId {
    item: ItemId,
    token: String,
    recipient: Option<UserId>,
}

impl OrderId {
    pub fn new(item: ItemId, token: String) -> Self {
        Self { item, token, recipient: None }
    }

    /// An order paid by one player for `recipient`.
    pub fn gift(item: ItemId, token: String, recipient: UserId) -> Self {
        Self { item, token, recipient: Some(recipient) }
    }

    pub fn parse(payload: &str) -> Option<Self> {
        let (item, rest) = payload.split_once('.')?;
        let (token, recipient) = match rest.split_once(':') {
            None => (rest, None),
            Some((token, recipient)) => (token, Some(parse_user_id(recipient)?)),
        };
        let token_ok = (8..=32).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric());
        if !token_ok {
            return None;
        }
        Some(Self { item: ItemId::parse(item).ok()?, token: token.to_owned(), recipient })
    }

    /// Who the order's units go to when it is a gift.
    pub fn recipient(&self) -> Option<UserId> {
        self.recipient
    }

    /// Whose inventory (and payment record) the order's units go to when `payer` pays it.
    pub fn holder(&self, payer: UserId) -> UserId {
        self.recipient.unwrap_or(payer)
    }

    pub fn item(&self) -> &ItemId {
        &self.item
    }

    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.item, self.token)?;
        match self.recipient {
            Some(recipient) => write!(f, ":{recipient}"),
            None => Ok(()),
        }
    }
}

/// A user id as a payload writes it: decimal digits, no sign, no leading zero, not 0.
fn parse_user_id(text: &str) -> Option<UserId> {
    let digits_ok = !text.is_empty() && !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
    digits_ok.then(|| text.parse().ok().map(UserId)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids() {
        for good in ["a", "pickaxe_2", &"x".repeat(32)] {
            assert!(ItemId::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "Pickaxe", "pick-axe", "pick axe", &"x".repeat(33), "é"] {
            assert!(ItemId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_username_key_is_lowercase_without_the_at_and_only_for_valid_names() {
        assert_eq!(username_key("@Miner_Bob").as_deref(), Some("miner_bob"));
        assert_eq!(username_key(" miner_bob ").as_deref(), Some("miner_bob"));
        assert_eq!(username_key("@bob"), None, "too short");
        assert_eq!(username_key(&"a".repeat(33)), None, "too long");
        assert_eq!(username_key("@bob-smith"), None);
        assert_eq!(username_key("12345678"), None, "a user id, not a name");
    }

    #[test]
    fn stars_bounds() {
        assert!(Stars::new(0).is_err());
        assert!(Stars::new(1).is_ok());
        assert!(Stars::new(10_000).is_ok());
        assert!(Stars::new(10_001).is_err());
        assert!(Stars::new(-5).is_err());
    }

    #[test]
    fn order_ids_round_trip_and_reject_forgeries() {
        let id = OrderId::parse("pickaxe.Ab3dEf9h").unwrap();
        assert_eq!(id.item().as_str(), "pickaxe");
        assert_eq!(id.to_string(), "pickaxe.Ab3dEf9h");
        let gift = OrderId::parse("pickaxe.Ab3dEf9h:4242").unwrap();
        assert_eq!(gift.recipient(), Some(UserId(4242)));
        assert_eq!(gift.holder(UserId(7)), UserId(4242));
        assert_eq!(id.holder(UserId(7)), UserId(7));
        assert_eq!(gift.to_string(), "pickaxe.Ab3dEf9h:4242");
        for bad in [
            "",
            "pickaxe",
            "pickaxe.",
            ".Ab3dEf9h",
            "Pick.Ab3dEf9h",
            "pickaxe.short",
            "pickaxe.Ab3d-f9hX",
            "a.b.c",
            "pickaxe.Ab3dEf9h:",
            "pickaxe.Ab3dEf9h:0",
            "pickaxe.Ab3dEf9h:-5",
            "pickaxe.Ab3dEf9h:12x",
        ] {
            assert!(OrderId::parse(bad).is_none(), "{bad}");
        }
    }
}

//! The Star ledger as the console shows it: one row per `getStarTransactions` transaction, in
//! our terms (the player, the order its invoice payload names, the units the charge granted),
//! which reconciliation copies into Redis as it pages the ledger (`store::ledger`) and the
//! Transactions tab pages, filters and exports.
//!
//! A refund reuses its payment's id (Telegram's rule), so a row is known by its id *and* its
//! direction ([`LedgerRow::key`]).

use super::{ChargeId, ItemId, OrderId, UserId};

/// Stars coming to the bot (a payment) or leaving it (a refund, a withdrawal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "in" => Some(Self::In),
            "out" => Some(Self::Out),
            _ => None,
        }
    }
}

/// Who is on the other side: a user, or one of Telegram's other partners by its type
/// (`fragment`, `telegram_ads`, `telegram_api`, `chat`, `affiliate_program`, `other`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Partner {
    User(UserId),
    Other(String),
}

/// One Star transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// Telegram's transaction id (a payment's `telegram_payment_charge_id`; its refund's too).
    pub id: String,
    /// Unix seconds.
    pub date: i64,
    pub amount: u32,
    /// Fractions of a Star (1e-9), where Telegram gives them.
    pub nanostar: Option<u32>,
    pub direction: Direction,
    pub partner: Partner,
    /// The invoice payload of a user's invoice payment (or its refund).
    pub payload: Option<String>,
    /// The units the charge granted, from its payment record (none when we have no record).
    pub qty: Option<u32>,
}

impl LedgerRow {
    /// What makes a row unique: its id and direction (`<id>.in`, `<id>.out`); the copy's
    /// indexes order rows of the same second by it.
    pub fn key(&self) -> String {
        format!("{}.{}", self.id, self.direction.as_str())
    }

    /// The order the invoice payload names, when the payload is one of ours.
    pub fn order(&self) -> Option<OrderId> {
        OrderId::parse(self.payload.as_deref()?)
    }

    /// The item sold, when the payload is one of ours.
    pub fn item(&self) -> Option<ItemId> {
        let pass = || super::pass::PassPayload::parse(self.payload.as_deref()?).map(|pass| pass.pass().clone());
        self.order().map(|order| order.item().clone()).or_else(pass)
    }

    pub fn player(&self) -> Option<UserId> {
        match self.partner {
            Partner::User(user) => Some(user),
            Partner::Other(_) => None,
        }
    }

    /// The charge a user's payment or refund is about (its id).
    pub fn charge(&self) -> Option<ChargeId> {
        self.payload.as_ref()?;
        ChargeId::parse(&self.id).ok()
    }

    /// `payment`, `refund` (an invoice payment going back) or `other` (anything else: a
    /// withdrawal, ads, a paid message...).
    pub fn kind(&self) -> &'static str {
        match (self.payload.is_some(), self.direction) {
            (true, Direction::In) => "payment",
            (true, Direction::Out) => "refund",
            (false, _) => "other",
        }
    }

    /// The amount with its sign for the bot: a refund is negative.
    pub fn signed_amount(&self) -> i64 {
        match self.direction {
            Direction::In => i64::from(self.amount),
            Direction::Out => -i64::from(self.amount),
        }
    }
}

/// Which rows: all, one player's, one item's, or one player's of one item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub player: Option<UserId>,
    pub item: Option<ItemId>,
}

/// One page of rows, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerPage {
    pub rows: Vec<LedgerRow>,
    /// The [`LedgerRow::key`] to ask for the next page `before`; None on the last page.
    pub next: Option<String>,
    /// How many rows the filter has in all.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(direction: Direction, payload: Option<&str>) -> LedgerRow {
        LedgerRow {
            id: "stx_abc.1".into(),
            date: 1,
            amount: 25,
            nanostar: None,
            direction,
            partner: Partner::User(UserId(7)),
            payload: payload.map(str::to_owned),
            qty: Some(1),
        }
    }

    #[test]
    fn a_row_is_known_by_its_id_and_direction_and_named_by_its_payload() {
        let check = |row: LedgerRow, key: &str, kind: &str, item: Option<&str>, signed: i64| {
            assert_eq!(row.key(), key);
            assert_eq!(row.kind(), kind);
            assert_eq!(row.item().map(|item| item.to_string()).as_deref(), item);
            assert_eq!(row.signed_amount(), signed);
        };
        check(row(Direction::In, Some("starter.abcdefgh12")), "stx_abc.1.in", "payment", Some("starter"), 25);
        check(row(Direction::Out, Some("starter.abcdefgh12")), "stx_abc.1.out", "refund", Some("starter"), -25);
        // A payload that is not one of our orders names no item; no payload: not an invoice.
        check(row(Direction::In, Some("somebody-else")), "stx_abc.1.in", "payment", None, 25);
        check(row(Direction::Out, None), "stx_abc.1.out", "other", None, -25);
        assert_eq!(Direction::parse(Direction::Out.as_str()), Some(Direction::Out));
        assert_eq!(row(Direction::In, None).charge(), None);
        assert_eq!(row(Direction::In, Some("x")).charge().map(|c| c.as_str().to_owned()).as_deref(), Some("stx_abc.1"));
    }
}

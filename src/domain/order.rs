//! Why an order, a pre-checkout or a payment can be refused, and the stock and per-player
//! limits rule that refuses one.

use super::catalog::Item;

/// Every reason the shop refuses to sell or to honour a payment. The codes are what the Redis
/// scripts return; the texts players see live in `telegram::texts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    UnknownOrder,
    NotYourInvoice,
    AmountMismatch,
    Expired,
    AlreadyPaid,
    SoldOut,
    LimitReached,
    AlreadyOwned,
    /// The item was removed from the catalog after the invoice was sent.
    ItemGone,
    /// The item is retired (`retired = true`): off sale, though its owners keep it.
    Retired,
}

impl Refusal {
    const ALL: [Self; 10] = [
        Self::UnknownOrder,
        Self::NotYourInvoice,
        Self::AmountMismatch,
        Self::Expired,
        Self::AlreadyPaid,
        Self::SoldOut,
        Self::LimitReached,
        Self::AlreadyOwned,
        Self::ItemGone,
        Self::Retired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownOrder => "unknown_order",
            Self::NotYourInvoice => "not_your_invoice",
            Self::AmountMismatch => "amount_mismatch",
            Self::Expired => "expired",
            Self::AlreadyPaid => "already_paid",
            Self::SoldOut => "sold_out",
            Self::LimitReached => "limit_reached",
            Self::AlreadyOwned => "already_owned",
            Self::ItemGone => "item_gone",
            Self::Retired => "retired",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|refusal| refusal.code() == code)
    }
}

/// How many units of one item are taken, overall and by one player: what `blocked` in
/// `lib.lua` reads from the item's slot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Taken {
    /// Units sold and not refunded.
    pub sold: u64,
    /// Units held for payments under way (approved pre-checkouts).
    pub held: u64,
    /// This player's unrefunded purchases of the item.
    pub owned: u64,
    /// This player's open holds of the item.
    pub player_held: u64,
}

/// Why `qty` more units of `item` may not go to a player now, or `None` (the `blocked` rule of
/// `lib.lua`, which `create_order.lua`, `precheckout.lua` and `availability.lua` apply): a
/// permanent item owned once already; sold out when stock less sales, then less the holds, is
/// under `qty`; the player's purchases and holds over `max_per_player` (a permanent item: 1).
pub fn blocked(item: &Item, taken: Taken, qty: u64) -> Option<Refusal> {
    let permanent = item.is_permanent();
    if permanent && taken.owned > 0 {
        return Some(Refusal::AlreadyOwned);
    }
    let max = if permanent { Some(item.max_per_player.map_or(1, |max| max.min(1))) } else { item.max_per_player };
    if let Some(stock) = item.stock {
        let unsold = i128::from(stock) - i128::from(taken.sold);
        let qty = i128::from(qty);
        if unsold < qty || unsold - i128::from(taken.held) < qty {
            return Some(Refusal::SoldOut);
        }
    }
    match max {
        Some(max) if taken.owned + taken.player_held + qty > u64::from(max) => Some(Refusal::LimitReached),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: crate::domain::ItemKind, stock: Option<u32>, max_per_player: Option<u32>) -> Item {
        Item {
            id: crate::domain::ItemId::parse("thing").unwrap(),
            name: "Thing".into(),
            description: "Thing".into(),
            price: crate::domain::Stars::new(5).unwrap(),
            kind,
            stock,
            max_per_player,
            effects: crate::domain::Effects::default(),
            retired: false,
            translations: Default::default(),
        }
    }

    #[test]
    fn stock_limits_and_ownership_block_a_sale() {
        use crate::domain::ItemKind::{Consumable, Permanent};
        let check = |item: &Item, (sold, held, owned, player_held), qty, expected| {
            let taken = Taken { sold, held, owned, player_held };
            assert_eq!(blocked(item, taken, qty), expected, "{taken:?} qty {qty}");
        };
        let limited = item(Consumable, Some(10), Some(3));
        check(&limited, (0, 0, 0, 0), 1, None);
        check(&limited, (9, 0, 0, 0), 1, None);
        check(&limited, (10, 0, 0, 0), 1, Some(Refusal::SoldOut));
        check(&limited, (9, 1, 0, 0), 1, Some(Refusal::SoldOut));
        check(&limited, (12, 0, 0, 0), 1, Some(Refusal::SoldOut));
        check(&limited, (0, 0, 2, 0), 1, None);
        check(&limited, (0, 0, 2, 1), 1, Some(Refusal::LimitReached));
        check(&limited, (0, 0, 3, 0), 1, Some(Refusal::LimitReached));
        let tool = item(Permanent, None, None);
        check(&tool, (0, 0, 1, 0), 1, Some(Refusal::AlreadyOwned));
        check(&tool, (0, 0, 0, 1), 1, Some(Refusal::LimitReached));
        check(&item(Consumable, None, None), (1_000, 1_000, 1_000, 1_000), 1, None);
    }

    #[test]
    fn codes_round_trip() {
        for refusal in Refusal::ALL {
            assert_eq!(Refusal::from_code(refusal.code()), Some(refusal));
        }
        assert_eq!(Refusal::from_code("ok"), None);
    }
}

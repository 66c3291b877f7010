//! Why an order, a pre-checkout or a payment can be refused.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for refusal in Refusal::ALL {
            assert_eq!(Refusal::from_code(refusal.code()), Some(refusal));
        }
        assert_eq!(Refusal::from_code("ok"), None);
    }
}

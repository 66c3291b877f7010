//! One difference the audit found: its kind, what it is about, what the records say it should
//! be and what it is.

use std::fmt;

use crate::domain::UserId;

/// What kind of difference, each with a stable code (the `kind` in the JSON report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An inventory quantity differs from the ledger.
    Inventory,
    /// Gems differ from the ledger and the dig aggregate.
    Gems,
    /// An upgrade level or cosmetic differs from the ledger's gem purchases.
    Level,
    /// A ledger line the audit cannot read.
    LedgerLine,
    /// The player's books were opened but the opening line is missing.
    OpeningMissing,
    /// A payment record without its grant (or unfulfillable) line, or with more than one.
    LedgerGrant,
    /// Revocations net of restores do not match the payment's status.
    LedgerRevoke,
    /// `refunded` or `voided` lines do not match the payment's status.
    LedgerSettled,
    /// Ledger lines about a charge the player has no payment record of.
    LedgerWithoutPayment,
    /// A payment record's status the audit does not know.
    PaymentStatus,
    /// An item's sold count differs from its granted charges.
    Sold,
    /// A player's owned count of an item differs from its granted charges.
    Owned,
    /// The item side of a charge disagrees with the payment record.
    ItemSide,
    /// A payment record without an item-side record.
    ItemSideMissing,
    /// An item-side record without a payment record.
    PaymentMissing,
    /// A charge recorded (and not voided) for more than one player.
    ChargeTwice,
    /// Recorded under another player than the one who paid.
    Payer,
    /// Amount or quantity differ between two records of one charge.
    Amount,
    /// Recorded for another item than the invoice the Star ledger shows paid.
    Item,
    /// A payment in the Star ledger our records miss.
    StarPaymentUnrecorded,
    /// A payment record (not voided) with no payment in the Star ledger.
    PaymentNotInStarLedger,
    /// A voided payment that the Star ledger does hold.
    VoidedButPaid,
    /// A refund in the Star ledger our records miss.
    StarRefundUnrecorded,
    /// A payment recorded as refunded with no refund in the Star ledger.
    RefundNotInStarLedger,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Inventory => "inventory",
            Self::Gems => "gems",
            Self::Level => "level",
            Self::LedgerLine => "ledger_line",
            Self::OpeningMissing => "opening_missing",
            Self::LedgerGrant => "ledger_grant",
            Self::LedgerRevoke => "ledger_revoke",
            Self::LedgerSettled => "ledger_settled",
            Self::LedgerWithoutPayment => "ledger_without_payment",
            Self::PaymentStatus => "payment_status",
            Self::Sold => "sold",
            Self::Owned => "owned",
            Self::ItemSide => "item_side",
            Self::ItemSideMissing => "item_side_missing",
            Self::PaymentMissing => "payment_missing",
            Self::ChargeTwice => "charge_twice",
            Self::Payer => "payer",
            Self::Amount => "amount",
            Self::Item => "item",
            Self::StarPaymentUnrecorded => "star_payment_unrecorded",
            Self::PaymentNotInStarLedger => "payment_not_in_star_ledger",
            Self::VoidedButPaid => "voided_but_paid",
            Self::StarRefundUnrecorded => "star_refund_unrecorded",
            Self::RefundNotInStarLedger => "refund_not_in_star_ledger",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::Inventory => "inventory differs from the ledger",
            Self::Gems => "gems differ from the ledger and the gems dug",
            Self::Level => "an upgrade level or cosmetic differs from the ledger's gem purchases",
            Self::LedgerLine => "a ledger line the audit cannot read",
            Self::OpeningMissing => "the books were opened but the opening line is missing",
            Self::LedgerGrant => "a payment without exactly one grant line in the ledger",
            Self::LedgerRevoke => "revocations in the ledger do not match the payment's status",
            Self::LedgerSettled => "refunded or voided lines in the ledger do not match the payment's status",
            Self::LedgerWithoutPayment => "ledger lines about a charge with no payment record",
            Self::PaymentStatus => "a payment status the audit does not know",
            Self::Sold => "sold count differs from the item's granted charges",
            Self::Owned => "owned count differs from the item's granted charges",
            Self::ItemSide => "the item side of a charge disagrees with the payment record",
            Self::ItemSideMissing => "a payment record with no item-side record",
            Self::PaymentMissing => "an item-side record with no payment record",
            Self::ChargeTwice => "a charge recorded (not voided) for more than one player",
            Self::Payer => "recorded under another player than the payer",
            Self::Amount => "amount or quantity differ between the records of a charge",
            Self::Item => "recorded for another item than the invoice paid",
            Self::StarPaymentUnrecorded => "a payment in the Star ledger our records miss",
            Self::PaymentNotInStarLedger => "a payment record with no payment in the Star ledger",
            Self::VoidedButPaid => "a voided payment that the Star ledger holds",
            Self::StarRefundUnrecorded => "a refund in the Star ledger our records miss",
            Self::RefundNotInStarLedger => "a payment recorded as refunded with no refund in the Star ledger",
        }
    }
}

/// One difference, naming what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    pub kind: Kind,
    pub player: Option<UserId>,
    pub item: Option<String>,
    pub charge: Option<String>,
    /// What the records it was derived from say.
    pub expected: String,
    /// What is there.
    pub found: String,
}

/// What a discrepancy is about: the same key after a re-read means it persists.
pub type Key<'a> = (Kind, Option<UserId>, Option<&'a str>, Option<&'a str>);

impl Discrepancy {
    pub(super) fn new(kind: Kind, expected: impl ToString, found: impl ToString) -> Self {
        Self { kind, player: None, item: None, charge: None, expected: expected.to_string(), found: found.to_string() }
    }

    pub(super) fn player(mut self, user: UserId) -> Self {
        self.player = Some(user);
        self
    }

    pub(super) fn item(mut self, item: &str) -> Self {
        self.item = Some(item.to_owned());
        self
    }

    pub(super) fn charge(mut self, charge: &str) -> Self {
        self.charge = Some(charge.to_owned());
        self
    }

    pub fn key(&self) -> Key<'_> {
        (self.kind, self.player, self.item.as_deref(), self.charge.as_deref())
    }
}

impl fmt::Display for Discrepancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.kind.what())?;
        if let Some(player) = self.player {
            write!(f, " player {player}")?;
        }
        if let Some(item) = &self.item {
            write!(f, " item {item}")?;
        }
        if let Some(charge) = &self.charge {
            write!(f, " charge {charge}")?;
        }
        write!(f, ": expected {}, found {}", self.expected, self.found)
    }
}

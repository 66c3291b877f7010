//! Who may refund what, and when.

/// Who started a refund. Players are held to the refund policy; admins and disputes are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundBy {
    Player,
    Admin,
    /// Telegram refunded the payment on its own (a `refunded_payment` we did not start).
    Dispute,
    /// We could not deliver what was paid for.
    Automatic,
}

impl RefundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Player => "player",
            Self::Admin => "admin",
            Self::Dispute => "dispute",
            Self::Automatic => "automatic",
        }
    }
}

//! One player as support sees them: what `starmine player` prints and the console's Players tab
//! shows — inventory, energy (derived with the catalog's rules), gems, live boosts, upgrades and
//! every payment with its status and whether an admin may refund it, and the gifts they gave and
//! received.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::domain::game::utc_day;
use crate::domain::{Catalog, UserId};
use crate::store::{PaymentRecord, PaymentStatus, Store, StoreError};

/// A player's card; serialized, it is `starmine player`'s output.
#[derive(Clone, Debug, Serialize)]
pub struct PlayerCard {
    pub user_id: u64,
    /// Their @username (without the `@`) when they last wrote to the bot in private.
    pub username: Option<String>,
    /// Their Telegram first name, as last seen.
    pub name: Option<String>,
    pub inventory: BTreeMap<String, u64>,
    pub payments: Vec<PaymentLine>,
    pub energy: u32,
    pub gems: u64,
    pub boosts: Vec<Boost>,
    pub energy_max: u32,
    pub upgrades: Value,
    pub cosmetics: Value,
    pub arcade_gems_today: u64,
    pub arcade_gems_left_today: u64,
    /// Their subscriptions (the Miner's Pass): when the period paid for ends, and whether it
    /// runs now.
    pub passes: Vec<PassLine>,
    /// Gifts this player paid for (their records are the recipients').
    pub gifts_given: Vec<GiftLine>,
    /// Gifts other players paid for this player (among `payments` too).
    pub gifts_received: Vec<GiftLine>,
}

/// One subscription a player has paid for at some point.
#[derive(Clone, Debug, Serialize)]
pub struct PassLine {
    pub pass_id: String,
    /// The end of the last period paid for.
    pub paid_until: String,
    pub running: bool,
}

/// One gift: who gave it to whom, and the payment's state.
#[derive(Clone, Debug, Serialize)]
pub struct GiftLine {
    pub telegram_payment_charge_id: String,
    pub item_id: String,
    pub from_user_id: u64,
    pub to_user_id: u64,
    pub amount: u32,
    pub status: &'static str,
    pub paid_at: String,
}

impl GiftLine {
    fn new(record: &PaymentRecord, from: UserId, to: UserId) -> Self {
        Self {
            telegram_payment_charge_id: record.charge.clone(),
            item_id: record.item.clone(),
            from_user_id: from.0,
            to_user_id: to.0,
            amount: record.amount,
            status: record.status.as_str(),
            paid_at: rfc3339(record.paid_at_ms),
        }
    }
}

/// A boost still running.
#[derive(Clone, Debug, Serialize)]
pub struct Boost {
    pub item_id: String,
    pub expires_at: String,
}

/// One payment, oldest first on the card.
#[derive(Clone, Debug, Serialize)]
pub struct PaymentLine {
    pub telegram_payment_charge_id: String,
    pub item_id: String,
    pub quantity: u32,
    pub amount: u32,
    pub status: &'static str,
    pub paid_at: String,
    pub verified_at: Option<String>,
    /// Whether an admin may refund it ([`admin_may_refund`]).
    pub refundable: bool,
}

impl PlayerCard {
    /// Whether the store knows anything of this player: items, payments, gems or energy spent.
    pub fn is_known(&self) -> bool {
        self.username.is_some()
            || self.name.is_some()
            || !(self.inventory.is_empty()
                && self.payments.is_empty()
                && self.gems == 0
                && self.energy == self.energy_max)
    }
}

/// The admin refund policy: any paid payment not refunded yet (a refund under way finishes on its
/// own; the player policy's window and use rules do not bind admins).
pub fn admin_may_refund(record: &PaymentRecord) -> bool {
    record.status == PaymentStatus::Paid
}

/// Reads `user`'s card at `now_ms`.
pub async fn player_card(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    now_ms: i64,
) -> Result<PlayerCard, StoreError> {
    let (view, game, username, name, gifts_given) = futures::try_join!(
        store.player(user),
        store.load_player(user),
        store.username_of(user),
        store.player_name(user),
        gifts_given(store, user)
    )?;
    let gifts_received =
        view.payments.iter().filter_map(|record| Some(GiftLine::new(record, record.payer?, user))).collect();
    let rules = catalog.energy_rules(&game.upgrades, now_ms);
    let energy = game.stats.energy.map_or(rules.max, |energy| energy.now(&rules, now_ms));
    let arcade_today = if game.arcade_day == utc_day(now_ms) { game.arcade_gems } else { 0 };
    let boosts = game
        .boosts
        .iter()
        .filter(|(_, until)| **until > now_ms)
        .map(|(item, until)| Boost { item_id: item.clone(), expires_at: rfc3339(*until) })
        .collect();
    let passes = game
        .upgrades
        .passes
        .iter()
        .map(|(pass, until)| PassLine { pass_id: pass.clone(), paid_until: rfc3339(*until), running: *until > now_ms })
        .collect();
    Ok(PlayerCard {
        user_id: user.0,
        username,
        name,
        inventory: view.inventory,
        payments: view.payments.iter().map(payment_line).collect(),
        energy,
        gems: game.stats.gems,
        boosts,
        energy_max: rules.max,
        upgrades: serde_json::to_value(&game.upgrades.levels).unwrap_or_default(),
        cosmetics: serde_json::to_value(&game.upgrades.cosmetics).unwrap_or_default(),
        arcade_gems_today: arcade_today,
        arcade_gems_left_today: u64::from(catalog.settings.arcade.gems_per_day).saturating_sub(arcade_today),
        passes,
        gifts_given,
        gifts_received,
    })
}

/// The gifts `user` paid for, read from each recipient's record.
async fn gifts_given(store: &Store, user: UserId) -> Result<Vec<GiftLine>, StoreError> {
    let mut lines = Vec::new();
    for (charge, recipient) in store.gifts_given(user).await? {
        if let Some(record) = store.payment(recipient, &charge).await? {
            lines.push(GiftLine::new(&record, user, recipient));
        }
    }
    lines.sort_by(|a, b| a.paid_at.cmp(&b.paid_at));
    Ok(lines)
}

fn payment_line(payment: &PaymentRecord) -> PaymentLine {
    PaymentLine {
        telegram_payment_charge_id: payment.charge.clone(),
        item_id: payment.item.clone(),
        quantity: payment.qty,
        amount: payment.amount,
        status: payment.status.as_str(),
        paid_at: rfc3339(payment.paid_at_ms),
        verified_at: payment.verified_at_ms.map(rfc3339),
        refundable: admin_may_refund(payment),
    }
}

/// Milliseconds as RFC 3339 UTC with milliseconds.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Whom an operator means: a numeric Telegram user id, or an `@username`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlayerQuery {
    Id(UserId),
    Username(String),
}

impl PlayerQuery {
    /// `12345` or `@name` / `name`; the error says what a player is found by.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(id) = text.parse::<u64>() {
            return if id == 0 { Err("a user id is a positive number".to_owned()) } else { Ok(Self::Id(UserId(id))) };
        }
        crate::domain::username_key(text).map(Self::Username).ok_or_else(|| {
            format!(
                "`{}` is neither a numeric Telegram user id nor an @username (5-32 letters, digits or _)",
                text.escape_debug()
            )
        })
    }

    /// The player meant: None for a username nobody who wrote to the bot in private holds.
    pub async fn resolve(&self, store: &Store) -> Result<Option<UserId>, StoreError> {
        match self {
            Self::Id(user) => Ok(Some(*user)),
            Self::Username(name) => store.find_username(name).await,
        }
    }
}

impl std::fmt::Display for PlayerQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(user) => write!(f, "{user}"),
            Self::Username(name) => write!(f, "@{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: PaymentStatus) -> PaymentRecord {
        PaymentRecord {
            charge: "stxcharge".into(),
            item: "energy".into(),
            qty: 1,
            amount: 5,
            status,
            paid_at_ms: 1_700_000_000_000,
            refund_by: None,
            counted: true,
            grants: vec![("energy".into(), 1)],
            verified_at_ms: None,
            pass_period: None,
            payer: None,
        }
    }

    #[test]
    fn an_admin_may_refund_only_what_is_paid_and_not_refunded_yet() {
        let line = payment_line(&record(PaymentStatus::Paid));
        assert_eq!((line.status, line.refundable, line.paid_at.as_str()), ("paid", true, "2023-11-14T22:13:20.000Z"));
        for status in [PaymentStatus::RefundPending, PaymentStatus::Refunded, PaymentStatus::Voided] {
            assert!(!payment_line(&record(status)).refundable, "{status:?}");
        }
    }

    #[test]
    fn a_player_with_nothing_is_unknown() {
        let card = PlayerCard {
            user_id: 1,
            username: None,
            name: None,
            inventory: BTreeMap::new(),
            payments: Vec::new(),
            energy: 10,
            gems: 0,
            boosts: Vec::new(),
            energy_max: 10,
            upgrades: Value::Null,
            cosmetics: Value::Null,
            arcade_gems_today: 0,
            arcade_gems_left_today: 50,
            passes: Vec::new(),
            gifts_given: Vec::new(),
            gifts_received: Vec::new(),
        };
        assert!(!card.is_known());
        assert!(PlayerCard { gems: 3, ..card.clone() }.is_known());
        assert!(PlayerCard { energy: 9, ..card.clone() }.is_known());
        assert!(PlayerCard { name: Some("Ana".into()), ..card.clone() }.is_known(), "wrote to the bot");
        assert!(PlayerCard { payments: vec![payment_line(&record(PaymentStatus::Refunded))], ..card }.is_known());
    }

    #[test]
    fn a_player_is_meant_by_a_positive_id_or_a_username() {
        assert_eq!(PlayerQuery::parse(" 1001 "), Ok(PlayerQuery::Id(UserId(1001))));
        assert_eq!(PlayerQuery::parse("@Ana_Digs"), Ok(PlayerQuery::Username("ana_digs".into())));
        assert_eq!(PlayerQuery::parse("ana_digs").map(|q| q.to_string()), Ok("@ana_digs".to_owned()));
        for bad in ["0", "-5", "@ana", "ana digs", ""] {
            assert!(PlayerQuery::parse(bad).is_err(), "{bad}");
        }
    }
}

//! The Redis key scheme, in one place.
//!
//! Two families, so that every script touches one Redis Cluster slot:
//! - per item, hash tag `{i:<item_id>}`: sold count, holds, per-player purchase counts, orders,
//!   the item-side record of each charge, and the money counters per UTC day;
//! - per player, hash tag `{p:<user_id>}`: inventory, payment records, the ledger.
//!
//! Global single-key entries (`charge:<id>`, `refunds:pending`) live in their own slots and are
//! only ever touched by single commands.
//!
//! The console's copy of the Star ledger (`store::ledger`) is one slot of its own, hash tag
//! `{ledger}`: its rows and every index over them, so one script adds a row to all of them and
//! one read-only script pages any index. On a Redis Cluster the whole copy lives on one master;
//! only reconciliation writes it (a page of 100 rows a script) and only the console reads it.

use crate::domain::ledger::LedgerFilter;
use crate::domain::{ChargeId, ItemId, UserId};

/// The keys of one item's slot.
pub struct ItemKeys {
    tag: String,
}

impl ItemKeys {
    pub fn new(item: &ItemId) -> Self {
        Self { tag: format!("{{i:{item}}}") }
    }

    /// Units sold and not refunded.
    pub fn sold(&self) -> String {
        format!("{}:sold", self.tag)
    }

    /// Sorted set: order token -> hold expiry (ms). Approved pre-checkouts waiting for payment.
    pub fn holds(&self) -> String {
        format!("{}:holds", self.tag)
    }

    /// The same holds, for one player only (for `max_per_player`).
    pub fn user_holds(&self, user: UserId) -> String {
        format!("{}:uholds:{user}", self.tag)
    }

    /// Hash: user id -> units bought and not refunded (for `max_per_player` and ownership).
    pub fn owned(&self) -> String {
        format!("{}:owned", self.tag)
    }

    /// Hash of one order (see `scripts/create_order.lua` for its fields).
    pub fn order(&self, token: &str) -> String {
        format!("{}:o:{token}", self.tag)
    }

    /// `<token>` of the player's open order for this item, so `/buy` can resend it.
    pub fn open_order(&self, user: UserId) -> String {
        format!("{}:open:{user}", self.tag)
    }

    /// `<token>` of the player's open gift order of this item for `recipient` (a gift is never
    /// re-offered as a purchase for oneself, nor for another recipient).
    pub fn open_gift_order(&self, user: UserId, recipient: UserId) -> String {
        format!("{}:open:{user}:for:{recipient}", self.tag)
    }

    /// Sorted set of the player's recently served `/buy` requests for this item (the rate limit,
    /// counted in `create_order.lua`, in this slot).
    pub fn buy_rate(&self, user: UserId) -> String {
        format!("{}:rl:buy:{user}", self.tag)
    }

    /// Hash: charge id -> what the item side did with it (`granted||<qty>|<amount>|<payer>`,
    /// `released||...`, `refund|<reason>|...`; an automatic refund once settled
    /// `refund|<reason>/refunded|...` or `.../voided`, so its Stars count once).
    pub fn charges(&self) -> String {
        format!("{}:charges", self.tag)
    }

    /// Hash: `<date>:<figure>` -> count, the item's money per UTC day (`2026-12-02:sold`; the
    /// figures of `domain::sales::DaySales::FIELDS`), and `<date>T<hh>:purchases` per UTC hour,
    /// counted by `confirm_payment.lua` and `release.lua` in the same script as the change they
    /// count, so never twice. Kept for good: at most seven fields a day an item has sales and
    /// one an hour it sold (under 20 kB a year for an item that sells every hour), read by name.
    pub fn money(&self) -> String {
        format!("{}:money", self.tag)
    }
}

/// The keys of one player's slot.
pub struct PlayerKeys {
    tag: String,
}

impl PlayerKeys {
    pub fn new(user: UserId) -> Self {
        Self { tag: format!("{{p:{user}}}") }
    }

    /// Hash: item id -> quantity held.
    pub fn inventory(&self) -> String {
        format!("{}:inv", self.tag)
    }

    /// Hash: energy, energy_at, gems, mined (every gem digs found: the dig aggregate), depth,
    /// name (Telegram first name), username (@username, without the @), levels, ver (bumped by every change), audit_since (see `scripts/audit_open.lua`).
    pub fn state(&self) -> String {
        format!("{}:state", self.tag)
    }

    /// Hash: boost item id -> expiry (ms) of the boosts the player started.
    pub fn boosts(&self) -> String {
        format!("{}:boosts", self.tag)
    }

    /// Sorted set: action id -> when it was applied (ms); makes game mutations idempotent.
    pub fn actions(&self) -> String {
        format!("{}:actions", self.tag)
    }

    /// Hash of one arcade run (see `scripts/start_run.lua`).
    pub fn run(&self, run_id: &str) -> String {
        format!("{}:run:{run_id}", self.tag)
    }

    /// The run key without its id, for the script that closes the player's previous run.
    pub fn run_prefix(&self) -> String {
        self.run("")
    }

    /// Claimed notifications (`<kind>:<key>`), so one notice goes out across processes.
    pub fn notified(&self, notice: &str) -> String {
        format!("{}:notified:{notice}", self.tag)
    }

    /// Hash of one payment (see `scripts/grant.lua`).
    pub fn payment(&self, charge: &ChargeId) -> String {
        format!("{}:pay:{charge}", self.tag)
    }

    /// The payment key without its charge id, for a script that reads the records its index names.
    pub fn payment_prefix(&self) -> String {
        format!("{}:pay:", self.tag)
    }

    /// Hash of the player's subscription to pass `pass` (see `scripts/grant_pass.lua`):
    /// first_charge, latest_charge, latest_until, stopped_by_bot. Its expiry is `pass:<id>` in
    /// the state hash, where the energy scripts read it.
    pub fn pass(&self, pass: &ItemId) -> String {
        format!("{}:pass:{pass}", self.tag)
    }

    /// The gifts the player gave: hash charge id -> recipient (their records live in the
    /// recipients' slots), written after each grant, idempotently.
    pub fn gifts_given(&self) -> String {
        format!("{}:gifts", self.tag)
    }

    /// Sorted set: charge id -> paid at (ms).
    pub fn payments(&self) -> String {
        format!("{}:payments", self.tag)
    }

    /// List of JSON entries, append-only: every change to the inventory, gems and levels but digs
    /// (grant, revoke, restore, use, gem_purchase, run, opening; see `store::books`).
    pub fn ledger(&self) -> String {
        format!("{}:ledger", self.tag)
    }

    /// Sorted set of the player's recent game API calls (the rate limit).
    pub fn api_rate(&self) -> String {
        format!("{}:rl:api", self.tag)
    }

    /// The item id of the gift whose recipient the bot waits for (the shop's Gift button).
    pub fn gift_request(&self) -> String {
        format!("{}:giftreq", self.tag)
    }

    /// Set while the bot waits for the player's `/paysupport` message.
    pub fn support(&self) -> String {
        format!("{}:support", self.tag)
    }

    /// The code of the language the player reads (`en`, `ru`, `fa`; see `store::language`).
    pub fn language(&self) -> String {
        format!("{}:lang", self.tag)
    }

    /// The message id of the player's live dig message (the one "Dig again" edits).
    pub fn dig_message(&self) -> String {
        format!("{}:digmsg", self.tag)
    }
}

/// Set of the players who paid on one UTC day (`2026-12-02`): paying players per day are its
/// size. Added to as a payment is accepted (idempotent: a replay adds nobody twice); a key a day,
/// so a Cluster spreads the days; expires after [`PAYERS_KEPT_DAYS`].
pub fn payers(day: &str) -> String {
    format!("{{payers:{day}}}")
}

/// How long a day's payers set is kept: a little over the console's 30 days.
pub const PAYERS_KEPT_DAYS: u64 = 40;

/// Hash: lowercase @username (without the @) -> user id, of the players who wrote to the bot
/// in private (`store::names`). One key: a lookup by name cannot know a player's slot. An entry
/// counts only while the player's state still holds that username (a rename is seen late).
pub fn usernames() -> &'static str {
    "{names}:usernames"
}

/// Charge id -> `<payer>|<invoice payload>` of its first claim (`scripts/claim_charge.lua`):
/// a charge is granted to that payer and order only, and tells "unknown charge" from "another
/// user's charge" for refunds. Older entries hold the payer alone.
pub fn charge_owner(charge: &ChargeId) -> String {
    format!("charge:{charge}")
}

/// Sorted set: user id -> gems mined (the global leaderboard).
pub const LEADERBOARD: &str = "lb:mined";

/// Sorted set: user id -> best arcade score.
pub const ARCADE_TOP: &str = "lb:arcade";

/// The pub/sub channel every player-slot script publishes a changed user id on.
pub const PLAYER_CHANGES: &str = "starmine:players";

/// Where the periodic reconciliation continues in the Star ledger (a getStarTransactions offset).
pub const RECONCILE_OFFSET: &str = "reconcile:offset";

/// JSON of the last reconciliation pass, whatever it found or however it failed.
pub const RECONCILE_LAST: &str = "{reconcile}:last";

/// JSON of the last reconciliation pass that repaired something.
pub const RECONCILE_LAST_REPAIR: &str = "{reconcile}:last_repair";

/// Sorted set: `<user>:<charge>` -> paid at (ms): recorded payments the Star ledger has not
/// shown yet (see `store::verify`). Written by single commands only.
pub const TO_VERIFY: &str = "payments:to_verify";

/// The wall-clock time (ms) up to which the Star ledger has been read to its end.
pub const LEDGER_READ_TO: &str = "reconcile:read_to";

/// Sorted set: `<user>:<charge>` -> when to retry a refund whose outcome is unknown (ms).
pub const PENDING_REFUNDS: &str = "refunds:pending";

/// Players with a timer (a boost ending, energy full) due at the score (ms): a global sorted set
/// written by single commands and its own claim scripts, never from a player-slot script, so a
/// Redis Cluster works; every process polls it, so notices survive restarts.
pub const TIMERS_DUE: &str = "timers:due";

/// The update journal (see `store::journal`), one slot: update_id -> raw update JSON ...
pub const JOURNAL_UPDATES: &str = "{journal}:updates";
/// ... update_id -> when it is due for a replay (ms) ...
pub const JOURNAL_DUE: &str = "{journal}:due";
/// ... and update_id -> how often it was replayed.
pub const JOURNAL_ATTEMPTS: &str = "{journal}:attempts";

/// The send budget (see `store::sends`), one slot so a reservation spans its buckets in one
/// script: the whole bot's bucket ...
pub const SEND_OVERALL: &str = "{sends}:all";

/// ... a chat's (about one message a second) ...
pub fn send_chat(chat: &str) -> String {
    format!("{{sends}}:chat:{chat}")
}

/// ... and a group's (20 a minute).
pub fn send_group(chat: &str) -> String {
    format!("{{sends}}:group:{chat}")
}

/// A claimed one-time sign-in link of the operator console (`store::admin`): set once with NX
/// until the link expires, so a link works once across every process.
pub fn admin_link(nonce: &str) -> String {
    format!("admin:link:{nonce}")
}

/// The support inbox: the counter that numbers `/paysupport` messages ...
pub const SUPPORT_SEQ: &str = "support:seq";
/// ... a sorted set: message id -> when it arrived (ms), the newest `support::KEPT` kept ...
pub const SUPPORT_INBOX: &str = "support:inbox";
/// ... a sorted set of the same for the messages not answered yet ...
pub const SUPPORT_UNANSWERED: &str = "support:unanswered";

/// ... and the hash of one message (`user`, `name`, `username` if any, `text`, `at`; once answered `answer`,
/// `answered_at`, `answered_by`). Each is written by single commands, so any slot works.
pub fn support_message(id: u64) -> String {
    format!("support:m:{id}")
}

/// The support message id an admin pressed "Reply" on: their next plain message answers it.
pub fn support_replying(admin: UserId) -> String {
    format!("support:replying:{admin}")
}

/// The copy of the Star ledger (`store::ledger`), one slot: hash, row key (`<id>.in`,
/// `<id>.out`) -> the row's JSON ...
pub const LEDGER_ROWS: &str = "{ledger}:rows";
/// ... every row's key by its date (unix seconds; the same second ordered by key) ...
pub const LEDGER_BY_DATE: &str = "{ledger}:date";
/// ... the copy's state: `refreshed_at` (ms, the end of the last reconciliation pass that read
/// the ledger to its end) and `offset` (the copy holds every transaction before it).
pub const LEDGER_META: &str = "{ledger}:meta";
/// The prefixes of the indexes `ledger_copy.lua` keeps beside [`LEDGER_BY_DATE`]: one player's
/// rows (`{ledger}:p:<user>`), one item's (`{ledger}:i:<item>`) and one player's of one item
/// (`{ledger}:pi:<user>:<item>`), each sorted by date like it.
pub const LEDGER_BY_PLAYER: &str = "{ledger}:p:";
pub const LEDGER_BY_ITEM: &str = "{ledger}:i:";
pub const LEDGER_BY_PLAYER_ITEM: &str = "{ledger}:pi:";

/// The index of the ledger copy that holds exactly the rows of `filter`.
pub fn ledger_index(filter: &LedgerFilter) -> String {
    match (&filter.player, &filter.item) {
        (None, None) => LEDGER_BY_DATE.to_owned(),
        (Some(player), None) => format!("{LEDGER_BY_PLAYER}{player}"),
        (None, Some(item)) => format!("{LEDGER_BY_ITEM}{item}"),
        (Some(player), Some(item)) => format!("{LEDGER_BY_PLAYER_ITEM}{player}:{item}"),
    }
}

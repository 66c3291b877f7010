//! The fault stream's driver: the seeded choice of operations (purchases, refunds, disputes,
//! duplicate deliveries, attacks) and the tasks that play them against the emulator.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::Rng;
use starmine::sandbox::emulator::{Emulator, PayOutcome, SentMessage};
use tokio::task::JoinSet;

use super::books::{charges, Charge};
use super::{BUYS_PER_PLAYER, INVOICE_WAIT, ITEMS, PLAYERS};
use crate::harness::TestApp;
use crate::resilience::payment_update;
use crate::support::ADMIN;

/// Counters of what the stream did, printed at the end.
#[derive(Clone, Default)]
pub(super) struct Stats(Arc<Mutex<BTreeMap<&'static str, usize>>>);

impl Stats {
    pub(super) fn bump(&self, what: &'static str) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).entry(what).or_default() += 1;
    }

    pub(super) fn snapshot(&self) -> BTreeMap<&'static str, usize> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// The bot said why it will not sell (no invoice comes).
fn is_refusal(message: &SentMessage) -> bool {
    let text = message.text.as_deref().unwrap_or_default();
    let phrases = ["is sold out", "one player may buy", "can't buy", "already own", "can't be bought", "very fast"];
    phrases.iter().any(|phrase| text.contains(phrase))
}

/// Drives the stream: picks operations with the seeded RNG and spawns the ones that wait.
pub(super) struct Driver {
    pub rng: StdRng,
    pub tasks: JoinSet<()>,
    pub stats: Stats,
    pub buys: HashMap<i64, usize>,
    pub twice: bool,
}

impl Driver {
    pub(super) async fn step(&mut self, app: &TestApp) {
        let user = PLAYERS[self.rng.random_range(0..PLAYERS.len())];
        match self.rng.random_range(0..100u32) {
            0..55 => {
                let burst = self.rng.random_bool(0.15);
                self.buy(app, if burst { &PLAYERS } else { std::slice::from_ref(&user) });
            }
            55..61 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("player /refund");
                    app.emulator.send_text(target.user, &format!("/refund {}", target.charge));
                }
            }
            61..65 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.cli_refund(app, &target);
                }
            }
            65..67 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("admin /refund");
                    app.emulator.send_text(ADMIN, &format!("/refund {} {}", target.user, target.charge));
                }
            }
            67..70 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    let disputed = app.emulator.dispute(target.user, &target.charge);
                    self.stats.bump(if disputed { "dispute" } else { "dispute of a refunded charge" });
                }
            }
            70..72 => {
                // The same charge refunded by the player, an operator and a dispute at once.
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("refund race");
                    app.emulator.send_text(target.user, &format!("/refund {}", target.charge));
                    self.cli_refund(app, &target);
                    if self.rng.random_bool(0.5) {
                        app.emulator.dispute(target.user, &target.charge);
                    }
                }
            }
            72..78 => {
                self.twice = !self.twice;
                self.stats.bump(if self.twice { "deliver twice on" } else { "deliver twice off" });
                app.emulator.deliver_twice(self.twice);
            }
            78..83 => {
                // A lost /buy, payment, refund notice or (rarely) pre-checkout query.
                let kind = if self.rng.random_bool(0.8) { "message" } else { "pre_checkout_query" };
                self.stats.bump(if kind == "message" { "message update lost" } else { "pre-checkout lost" });
                app.emulator.lose_updates(kind, 1);
            }
            83..86 => self.replay_attack(app),
            86..88 => self.made_up_charge(app, user),
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(self.rng.random_range(15..150))).await;
    }

    /// A genuine payment update of a charge from the ledger, replayed as another player (with
    /// the webhook secret, or through the trusted connection in polling mode).
    pub(super) fn replay_attack(&mut self, app: &TestApp) {
        let Some(target) = self.pick_charge(&app.emulator) else { return };
        let others: Vec<i64> = PLAYERS.iter().copied().filter(|other| *other != target.user).collect();
        let forger = others[self.rng.random_range(0..others.len())];
        self.stats.bump("attack: a charge replayed as another payer");
        let amount = target.amount as u32;
        app.emulator.inject_update(payment_update(forger, &target.payload, amount, &target.charge));
    }

    /// A real order of `user`'s, "paid" with a charge id Telegram never made.
    pub(super) fn made_up_charge(&mut self, app: &TestApp, user: i64) {
        let made_up = format!("stx_made_up_{:016}", self.rng.random_range(0..u64::MAX / 2));
        self.stats.bump("attack: a made-up charge id");
        self.tasks.spawn(forge_payment(app.emulator.clone(), user, made_up, self.stats.clone()));
    }

    /// `/buy` of one item by `buyers` at once, each invoice paid once (or twice at once).
    pub(super) fn buy(&mut self, app: &TestApp, buyers: &[i64]) {
        let total: u32 = ITEMS.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.rng.random_range(0..total);
        let mut item = ITEMS[0].0;
        for (id, weight) in ITEMS {
            if roll < weight {
                item = id;
                break;
            }
            roll -= weight;
        }
        if buyers.len() > 1 {
            self.stats.bump("burst");
        }
        for &buyer in buyers {
            let count = self.buys.entry(buyer).or_default();
            if *count >= BUYS_PER_PLAYER {
                continue;
            }
            *count += 1;
            let pays = if self.rng.random_bool(0.15) { 2 } else { 1 };
            let emulator = app.emulator.clone();
            let stats = self.stats.clone();
            self.tasks.spawn(buy_and_pay(emulator, buyer, item, pays, stats));
        }
    }

    /// Refunds of up to one open charge per player at once, by the player, an admin or a
    /// dispute.
    pub(super) fn refund_storm(&mut self, app: &TestApp) {
        let open: Vec<Charge> = charges(&app.emulator).into_iter().filter(|charge| !charge.refunded).collect();
        for user in PLAYERS {
            let Some(target) = open.iter().rev().find(|charge| charge.user == user) else { continue };
            self.stats.bump("refund storm");
            match self.rng.random_range(0..3) {
                0 => app.emulator.send_text(user, &format!("/refund {}", target.charge)),
                1 => app.emulator.send_text(ADMIN, &format!("/refund {user} {}", target.charge)),
                _ => i64::from(app.emulator.dispute(user, &target.charge)),
            };
        }
    }

    /// A paid charge from the Star ledger, mostly one that is not refunded yet.
    pub(super) fn pick_charge(&mut self, emulator: &Emulator) -> Option<Charge> {
        let all = charges(emulator);
        let open: Vec<&Charge> = all.iter().filter(|charge| !charge.refunded).collect();
        let pool: Vec<&Charge> =
            if !open.is_empty() && self.rng.random_bool(0.85) { open } else { all.iter().collect() };
        if pool.is_empty() {
            return None;
        }
        Some(pool[self.rng.random_range(0..pool.len())].clone())
    }

    /// `starmine refund <user> <charge>` as an operator would run it (works while the bot is
    /// down; fails cleanly while Redis is).
    pub(super) fn cli_refund(&mut self, app: &TestApp, target: &Charge) {
        let run = app.cli(&["refund", &target.user.to_string(), &target.charge]);
        let stats = self.stats.clone();
        self.tasks.spawn(async move {
            let output = run.await;
            stats.bump(match output.status.code() {
                Some(0) => "cli refund: ok",
                Some(1) => "cli refund: refused",
                Some(3) => "cli refund: unavailable or pending",
                _ => "cli refund: other exit",
            });
        });
    }
}

/// Opens an order of `user` for energy and posts a successful_payment for it with `charge`,
/// which Telegram never made.
async fn forge_payment(emulator: Emulator, user: i64, charge: String, stats: Stats) {
    let before = emulator.messages(user).last().map_or(0, |message| message.message_id);
    emulator.send_text(user, "/buy energy");
    let answer =
        emulator.wait_for(user, INVOICE_WAIT, |message| message.message_id > before && message.invoice.is_some());
    let Ok(SentMessage { invoice: Some(invoice), .. }) = answer.await else {
        stats.bump("attack: no order to forge a payment for");
        return;
    };
    emulator.inject_update(payment_update(user, &invoice.payload, invoice.amount as u32, &charge));
}

async fn buy_and_pay(emulator: Emulator, user: i64, item: &'static str, pays: usize, stats: Stats) {
    let before = emulator.messages(user).last().map_or(0, |message| message.message_id);
    emulator.send_text(user, &format!("/buy {item}"));
    let answer = emulator
        .wait_for(user, INVOICE_WAIT, |message| {
            message.message_id > before && (message.invoice.is_some() || is_refusal(message))
        })
        .await;
    let Ok(message) = answer else {
        stats.bump("buy: no answer");
        return;
    };
    if message.invoice.is_none() {
        stats.bump("buy: refused");
        return;
    }
    if pays > 1 {
        stats.bump("buy: paid twice at once");
    }
    let attempts = (0..pays).map(|_| emulator.pay_invoice(user, user, message.message_id));
    for outcome in futures::future::join_all(attempts).await {
        stats.bump(match outcome {
            PayOutcome::Paid { .. } => "pay: charged",
            PayOutcome::Declined { .. } => "pay: declined",
            PayOutcome::NoAnswer => "pay: no answer",
            PayOutcome::Unpayable { .. } => "pay: unpayable",
        });
    }
}

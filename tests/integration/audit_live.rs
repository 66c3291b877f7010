//! `starmine audit` on a running system: purchases, refunds, refills and digs keep going while it
//! reads, and nothing false is reported (what is in flight between the reads of two slots is read
//! again after a pause); on a Redis Cluster every master's players and items are found.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use starmine::sandbox::emulator::{Emulator, PayOutcome};

use crate::audit::{audit, audit_clean, audit_with, named, CAROL};
use crate::harness::TestCluster;
use crate::support::*;

const PLAYERS: [i64; 4] = [ALICE, BOB, CAROL, 1004];
/// Bought in turn (`rare` has a stock of 3, so some are sold out until a refund frees one).
const ITEMS: [&str; 4] = ["energy", "gem_pack", "rare", "starter"];

/// One player's stream until `stop`: buy and pay, use a refill, dig, refund every third purchase.
async fn shop_and_dig(emulator: Emulator, user: i64, stop: Arc<AtomicBool>, paid: Arc<AtomicUsize>) {
    let mut round = 0;
    while !stop.load(Ordering::Relaxed) {
        let item = ITEMS[round % ITEMS.len()];
        round += 1;
        let before = emulator.messages(user).last().map_or(0, |message| message.message_id);
        emulator.send_text(user, &format!("/buy {item}"));
        let answer = emulator
            .wait_for(user, WAIT, |message| {
                let refused = message.text.as_deref().is_some_and(|text| text.contains("sold out"));
                message.message_id > before && (message.invoice.is_some() || refused)
            })
            .await;
        for _ in 0..2 {
            emulator.send_text(user, "/dig");
        }
        let Ok(invoice) = answer else { continue };
        if invoice.invoice.is_none() {
            continue;
        }
        let PayOutcome::Paid { charge_id } = emulator.pay_invoice(user, user, invoice.message_id).await else {
            continue;
        };
        paid.fetch_add(1, Ordering::Relaxed);
        if item == "energy" {
            emulator.send_text(user, "/use energy");
        } else if round % 3 == 0 {
            emulator.send_text(user, &format!("/refund {charge_id}"));
        }
    }
}

/// Audits at least this many times, and until this many more payments were made meanwhile.
const AUDITS: usize = 3;
const PAYMENTS_DURING: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_audit_while_purchases_and_digs_run_reports_nothing_false() {
    let app = spawn_with_env(&[("GAME_TICK_MS", "10")]).await;
    let stop = Arc::new(AtomicBool::new(false));
    let paid = Arc::new(AtomicUsize::new(0));
    let streams: Vec<_> = PLAYERS
        .iter()
        .map(|user| tokio::spawn(shop_and_dig(app.emulator.clone(), *user, stop.clone(), paid.clone())))
        .collect();
    app.wait_until(WAIT, || async { paid.load(Ordering::Relaxed) >= PLAYERS.len() }).await;
    let before = paid.load(Ordering::Relaxed);
    let (mut audits, mut transient) = (0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while audits < AUDITS || paid.load(Ordering::Relaxed) < before + PAYMENTS_DURING {
        assert!(tokio::time::Instant::now() < deadline, "the stream stalled:\n{}", app.log_tail(40));
        // A pause (the default is 2 s) in which a payment in the Star ledger reaches our records
        // even on a machine busy with other tests (a payment takes about 0.8 s here when idle).
        let (code, report) = audit_with(&app, &["--recheck-after-ms", "3000"]).await;
        assert_eq!((code, named(&report)), (0, Default::default()), "{report:#}\n{}", app.log_tail(40));
        assert!(report["star_transactions"].as_u64() > Some(0), "{report}");
        audits += 1;
        transient += report["transient"].as_u64().unwrap_or(0);
    }
    stop.store(true, Ordering::Relaxed);
    for stream in streams {
        stream.await.expect("a player's stream");
    }
    let payments = paid.load(Ordering::Relaxed);
    println!(
        "{audits} audits during {} payments; {transient} discrepancies were in flight, gone when read again",
        payments - before
    );
    // Settled: the books balance.
    let report = audit_clean(&app).await;
    assert_eq!(report["players"], PLAYERS.len(), "{report}");
}

#[tokio::test]
async fn the_audit_finds_every_masters_players_on_a_cluster() {
    let cluster = TestCluster::start().await;
    let url = cluster.redis_url();
    let app = spawn_with_env(&[("REDIS_URL", url.as_str())]).await;
    for (user, item) in PLAYERS.iter().zip(["pickaxe", "gem_pack", "rare", "crate"]) {
        buy_and_pay(&app, *user, item).await;
        say(&app, *user, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("You found"))).await;
    }
    let mut nodes_with_players = 0;
    for index in 0..TestCluster::MASTERS {
        let states: Vec<String> =
            redis::cmd("KEYS").arg("{p:*}:state").query_async(&mut cluster.node(index).await).await.unwrap();
        nodes_with_players += usize::from(!states.is_empty());
    }
    assert!(nodes_with_players > 1, "the players are spread over the masters");
    let report = audit_clean(&app).await;
    assert_eq!(report["players"], PLAYERS.len(), "{report}");

    let mut redis = cluster.connection().await;
    let _: i64 = redis::cmd("HINCRBY")
        .arg(format!("{{p:{CAROL}}}:inv"))
        .arg("rare")
        .arg(1)
        .query_async(&mut redis)
        .await
        .unwrap();
    let _: i64 = redis::cmd("INCRBY").arg("{i:crate}:sold").arg(1).query_async(&mut redis).await.unwrap();
    let (code, report) = audit(&app).await;
    assert_eq!(code, 1, "{report:#}");
    let expected = [
        ("inventory".to_owned(), Some(CAROL), Some("rare".to_owned()), None),
        ("sold".to_owned(), None, Some("crate".to_owned()), None),
    ];
    assert_eq!(named(&report), expected.into_iter().collect(), "{report:#}");
}

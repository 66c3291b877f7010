//! What the game counts for Prometheus: each command's outcome, recorded where its answer comes
//! back through [`super::GameHandle`] — the one way in for the chat and the game API alike.
//! Labels are fixed strings (no allocation per event).

use super::{DigOutcome, GameError, GemOutcome, RunFinish, RunRefusal, StartOutcome, UseOutcome};
use crate::domain::economy::GemRefusal;

pub(super) fn dig(result: &Result<DigOutcome, GameError>) {
    let outcome = match result {
        Ok(DigOutcome::Found { .. }) => "found",
        Ok(DigOutcome::NoEnergy { .. }) => "no_energy",
        Err(_) => "failed",
    };
    metrics::counter!("starmine_digs_total", "outcome" => outcome).increment(1);
}

pub(super) fn item_use(result: &Result<UseOutcome, GameError>) {
    let outcome = match result {
        Ok(UseOutcome::Used { .. }) => "used",
        Ok(UseOutcome::NotOwned) => "not_owned",
        Ok(UseOutcome::NotUsable) => "not_usable",
        Ok(UseOutcome::EnergyFull { .. }) => "energy_full",
        Err(_) => "failed",
    };
    metrics::counter!("starmine_item_uses_total", "outcome" => outcome).increment(1);
}

pub(super) fn gem_purchase(result: &Result<GemOutcome, GameError>) {
    let outcome = match result {
        Ok(GemOutcome::Bought { .. }) => "bought",
        Ok(GemOutcome::Refused { refusal, .. }) => match refusal {
            GemRefusal::Unknown => "unknown",
            GemRefusal::NoSuchLevel => "no_such_level",
            GemRefusal::AlreadyHave => "already_have",
            GemRefusal::NotNext => "not_next",
            GemRefusal::NotEnoughGems => "not_enough_gems",
        },
        Err(_) => "failed",
    };
    metrics::counter!("starmine_gem_purchases_total", "outcome" => outcome).increment(1);
}

pub(super) fn run_start(result: &Result<StartOutcome, GameError>) {
    let outcome = match result {
        Ok(StartOutcome::Started(_)) => "started",
        Ok(StartOutcome::SlowDown) => "slow_down",
        Err(_) => "failed",
    };
    metrics::counter!("starmine_arcade_starts_total", "outcome" => outcome).increment(1);
}

pub(super) fn run_finish(result: &Result<RunFinish, GameError>) {
    let verdict = match result {
        Ok(RunFinish::Finished { .. }) => "finished",
        Ok(RunFinish::Refused(refusal)) => match refusal {
            RunRefusal::UnknownRun => "unknown_run",
            RunRefusal::AlreadyFinished => "already_finished",
            RunRefusal::Replaced => "replaced",
            RunRefusal::TooEarly => "too_early",
            RunRefusal::Expired => "expired",
            RunRefusal::Impossible { .. } => "impossible",
            RunRefusal::SlowDown => "slow_down",
        },
        Err(_) => "failed",
    };
    metrics::counter!("starmine_arcade_finishes_total", "verdict" => verdict).increment(1);
}

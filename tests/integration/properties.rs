//! Property tests of everything the bot reads from outside: invoice payloads and ids, game tokens
//! and Mini App `initData`, the game API's request bodies, and designer game data.
//!
//! Every property runs a set number of cases from one fixed seed (whatever `PROPTEST_*` says), so
//! a run is repeatable and a failure prints an input that fails again. Each predicate that says
//! what a parser should accept is written here from the documented grammar, not from the parser.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, RngSeed, TestCaseError, TestRunner};

mod api;
mod auth;
mod game_data;
mod payloads;
mod updates;

const SEED: u64 = 0x5354_4152_4d49_4e45;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs one property outside the `proptest!` macro (for properties that share a costly setup).
fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(config(cases));
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{failure}");
    }
}

/// Text from outside: anything at all, near misses of the shapes we parse, and huge strings.
fn untrusted_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9_]{0,34}\\.[A-Za-z0-9]{0,34}",
        "[a-z0-9_]{30,34}(\\.[A-Za-z0-9]{6,34})?",
        "[a-z0-9_A-Z.\\- é⭐\\x00\\n]{0,40}",
        "[!-~]{0,130}",
        "[!-~]{126,130}",
        vec(any::<char>(), 0..1_000).prop_map(String::from_iter),
        ("[a-z0-9_.A-Z⭐]{1,3}", 0..40_000usize).prop_map(|(unit, times)| unit.repeat(times)),
    ]
}

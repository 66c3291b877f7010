//! Starmine: a Telegram game bot that sells in-game items for Telegram Stars.
//!
//! Codemap (see ARCHITECTURE.md for the rules between these):
//! - [`domain`]: pure types and rules (catalog, items, orders, refund policy). No I/O.
//! - [`game_data`]: designer TOML files -> a validated [`domain::Catalog`], with `file:line` errors.
//! - [`game`]: the bevy_ecs game loop (digging, loot, boosts, notices) and its handle.
//! - [`store`]: the only module that knows Redis keys and scripts.
//! - [`telegram`]: the teloxide handler tree, update intake (polling, webhook, the journal),
//!   texts, invoices, payments and refunds.
//! - [`admin`]: the operator console's sign-in links and session cookies, and its Telegram port.
//! - [`i18n`]: the Fluent texts of every shipped language (`assets/i18n/`), plurals and numbers per language.
//! - [`http`]: our HTTP server (connection cap, timeouts) and the axum routers: health, the
//!   Telegram webhook, the HTML5 game's page and API; metrics on a listener of their own.
//! - [`sim`]: the economy lab: a population of `players.toml` profiles through simulated days
//!   with the live game's rules, its per-day series as CSV and its summary (`starmine simulate`).
//! - [`plot`]: charts as SVG (plotters' SVG backend) and self-contained HTML reports; knows no game.
//! - [`sandbox`]: the Bot API emulator (tests and the sandbox) and the sandbox's page.
//! - [`failpoint`]: debug-build pause points for crash tests.
//! - [`telemetry`]: every Prometheus metric `serve` exports: names, HELP, histogram buckets.
//! - [`config`]: typed configuration read once from the environment.
//! - [`reload`]: hot reload of `game_data/` on change or SIGHUP.
//! - [`app`]: the composition root that wires everything together.
//! - [`cli`]: the command line (`serve`, `check-data`, `player`, `refund`, `reconcile`, `bench`).
//! - [`bench`]: `starmine bench`: the game loop, a flash sale, the purchase flow and the game API.

pub mod admin;
pub mod app;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod exit;
pub mod failpoint;
pub mod game;
pub mod game_data;
pub mod game_link;
pub mod http;
pub mod i18n;
pub mod plot;
pub mod reload;
pub mod sandbox;
pub mod sim;
pub mod store;
pub mod telegram;
pub mod telemetry;

//! The integration test binary: one module per area, sharing the harness.

mod browser;
mod browser_upgrades;
mod chat;
mod cluster;
mod conformance;
mod economy;
mod emulator;
mod faults;
mod game;
mod game_api;
mod harness;
mod http_limits;
mod http_server;
mod ledger_check;
mod play;
mod private_redis;
mod reconcile;
mod refunds;
mod reload;
mod resilience;
mod rules;
mod sandbox;
mod shop;
mod support;
mod webhook;

//! Pure types and rules of the game economy: ids, the catalog, orders, the refund policy, one
//! player's play as the game scripts decide it (`play`) and the books the audit re-derives.
//! Nothing here does I/O, reads a clock or knows Redis, HTTP or teloxide types.

pub mod books;
pub mod catalog;
pub mod economy;
pub mod game;
pub mod ids;
pub mod lang;
pub mod ledger;
pub mod order;
pub mod outcome;
pub mod pass;
pub mod play;
pub mod profile;
pub mod refund;
pub mod sales;
pub mod shelf;
pub mod suggest;

pub use catalog::{grant_units, Catalog, Grant, Item, ItemKind, ItemText, Settings, GEMS_UNIT};
pub use economy::{Economy, Upgrades};
pub use game::{ArcadeRules, Drop, Effects, Energy, EnergyRules, LootTable, Zone};
pub use ids::{username_key, ChargeId, ItemId, OrderId, Stars, UserId};
pub use lang::Lang;
pub use order::Refusal;
pub use pass::{PassPayload, PassPerks, PassState};
pub use refund::{NotRefundable, PassPeriodUse, Purchase, RefundBy};
pub use shelf::Shelf;

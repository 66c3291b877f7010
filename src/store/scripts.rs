//! Every Lua script of the store, declared once in [`scripts!`]'s table: its name, the
//! libraries prepended to it, and its file under `scripts/`. The table gives the `Scripts`
//! struct (one field per script), how each is built, and the name -> SHA1 list the benchmarks
//! use to tell scripts apart in what Redis executed.

use redis::Script;

/// The libraries a script is built with, prepended in this order.
#[derive(Clone, Copy)]
enum Libs {
    /// None: the script stands alone (a read-only script must start with its `#!lua` line).
    Alone,
    /// The rate-limit window only.
    Meter,
    /// Item-slot scripts: the window, the common helpers, `lib.lua`.
    Item,
    /// Player-slot scripts: the window, the common helpers, `player_lib.lua`.
    Player,
    /// Game scripts: the player's libraries and `game_lib.lua`.
    Game,
}

impl Libs {
    fn build(self, body: &str) -> Script {
        const METER: &str = include_str!("scripts/meter.lua");
        const COMMON: &str = include_str!("scripts/common.lua");
        const ITEM: &str = include_str!("scripts/lib.lua");
        const PLAYER: &str = include_str!("scripts/player_lib.lua");
        const GAME: &str = include_str!("scripts/game_lib.lua");
        let libs: &[&str] = match self {
            Self::Alone => &[],
            Self::Meter => &[METER],
            Self::Item => &[METER, COMMON, ITEM],
            Self::Player => &[METER, COMMON, PLAYER],
            Self::Game => &[METER, COMMON, PLAYER, GAME],
        };
        let mut source = String::new();
        for lib in libs {
            source.push_str(lib);
            source.push('\n');
        }
        source.push_str(body);
        Script::new(&source)
    }
}

macro_rules! scripts {
    ($($name:ident: $libs:ident),* $(,)?) => {
        /// Every script, built once per store.
        pub(super) struct Scripts {
            $(pub(super) $name: Script,)*
        }

        impl Scripts {
            pub(super) fn load() -> Self {
                Self { $($name: Libs::$libs.build(include_str!(concat!("scripts/", stringify!($name), ".lua"))),)* }
            }

            /// Each script's name and SHA1.
            pub(super) fn shas(&self) -> Vec<(&'static str, String)> {
                vec![$((stringify!($name), self.$name.get_hash().to_owned()),)*]
            }
        }
    };
}

scripts! {
    create_order: Item,
    availability: Item,
    precheckout: Item,
    confirm_payment: Item,
    confirm_pass: Item,
    claim_charge: Alone,
    forget_charge: Alone,
    mark_verified: Alone,
    release: Item,
    grant: Player,
    grant_pass: Player,
    claim_pass_gems: Player,
    begin_refund: Player,
    finish_refund: Player,
    rate_limit: Meter,
    dig: Game,
    use_item: Game,
    start_run: Player,
    finish_run: Game,
    journal_claim: Alone,
    choose_skin: Player,
    upgrade: Game,
    timers_claim: Alone,
    timers_settle: Alone,
    ledger_copy: Alone,
    index_username: Alone,
    // Read-only (`#!lua flags=no-writes` must be the first line: no library before it).
    audit_player: Alone,
    audit_item: Alone,
    audit_open: Player,
    send_slot: Alone,
    ledger_page: Alone,
}

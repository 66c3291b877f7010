//! What a simulation measured: one [`Day`] of counters per simulated day (aggregated while the
//! players play, so memory does not grow with the population), and the names the counters are
//! indexed by. The CSV files and the summary (`report.rs`) and the report's plots read only this.

/// A whole simulation's measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    pub players: u32,
    pub seed: u64,
    /// Item ids in catalog order: the index of [`Day::purchases`].
    pub items: Vec<String>,
    /// Each item's price in Stars, catalog order.
    pub prices: Vec<u32>,
    /// The items with a `stock`, (catalog index, stock): the index of [`Day::stock_left`].
    pub limited: Vec<(usize, u32)>,
    /// Profile ids in file order: the first index of [`Day::level_sums`] and [`Day::profile_active`].
    pub profiles: Vec<String>,
    /// Upgrade track ids: the second index of [`Day::level_sums`].
    pub tracks: Vec<String>,
    /// Zone ids by depth: the index of [`Day::zone_players`] and [`Day::digs_by_zone`].
    pub zones: Vec<String>,
    /// `run_gems_per_day`: the daily arcade allowance.
    pub arcade_gems_per_day: u32,
    /// One entry per simulated day, day 1 first.
    pub days: Vec<Day>,
    /// Each profile's median level of each track among its players still active at the end,
    /// indexed `[profile][track]`.
    pub median_levels: Vec<Vec<u32>>,
}

/// The counters of one simulated day. Flows (revenue, gems created, energy spent) are that
/// day's; stocks (players active, gems held, stock left, levels) are as the day ends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Day {
    /// Players who played the day (they may leave at its end).
    pub active: u32,
    /// Players who left for good at the day's end.
    pub churned: u32,
    /// Stars paid.
    pub revenue: u64,
    /// Players who paid that day.
    pub payers: u32,
    /// Players who ever paid, up to that day.
    pub payers_ever: u32,
    /// Units bought per item (catalog order).
    pub purchases: Vec<u64>,
    pub gems_dug: u64,
    pub gems_arcade: u64,
    /// Gems granted by gem packs (bought alone or in bundles).
    pub gems_packs: u64,
    pub gems_upgrades: u64,
    pub gems_cosmetics: u64,
    /// Gems held by the players still playing at the day's end.
    pub gems_held: u64,
    /// Σ level of each track over each profile's active players, `[profile * tracks + track]`.
    pub level_sums: Vec<u64>,
    /// Active players per profile at the day's end.
    pub profile_active: Vec<u32>,
    /// Active players by the zone of their depth at the day's end.
    pub zone_players: Vec<u32>,
    pub digs_by_zone: Vec<u64>,
    pub energy_spent: u64,
    /// Points regenerated: what the bars gained over the day less refills, plus what was spent.
    pub energy_regenerated: u64,
    /// Points added by energy items.
    pub energy_refilled: u64,
    /// Arcade runs finished.
    pub runs: u64,
    /// Players one of whose runs paid less than it earned (the daily allowance was reached).
    pub arcade_capped_players: u32,
    /// Units left of each limited item at the day's end.
    pub stock_left: Vec<u64>,
}

impl Day {
    pub(super) fn new(items: usize, limited: usize, profiles: usize, tracks: usize, zones: usize) -> Self {
        Self {
            purchases: vec![0; items],
            level_sums: vec![0; profiles * tracks],
            profile_active: vec![0; profiles],
            zone_players: vec![0; zones],
            digs_by_zone: vec![0; zones],
            stock_left: vec![0; limited],
            ..Self::default()
        }
    }

    pub fn gems_created(&self) -> u64 {
        self.gems_dug + self.gems_arcade + self.gems_packs
    }

    pub fn gems_spent(&self) -> u64 {
        self.gems_upgrades + self.gems_cosmetics
    }
}

impl Metrics {
    /// Stars paid over the whole simulation.
    pub fn revenue(&self) -> u64 {
        self.days.iter().map(|day| day.revenue).sum()
    }

    /// Units bought of item `index` over the whole simulation.
    pub fn units(&self, index: usize) -> u64 {
        self.days.iter().map(|day| day.purchases[index]).sum()
    }

    /// Stars paid for item `index` over the whole simulation.
    pub fn revenue_of(&self, index: usize) -> u64 {
        self.units(index) * u64::from(self.prices[index])
    }

    /// The first day (1-based) a limited item (index into [`Metrics::limited`]) had none left.
    pub fn sold_out_day(&self, limited: usize) -> Option<u32> {
        self.days.iter().position(|day| day.stock_left[limited] == 0).map(|at| at as u32 + 1)
    }

    /// Mean level of `track` among `profile`'s active players at the end of day `day` (0-based).
    pub fn mean_level(&self, day: usize, profile: usize, track: usize) -> f64 {
        let day = &self.days[day];
        let active = day.profile_active[profile];
        if active == 0 {
            return 0.0;
        }
        day.level_sums[profile * self.tracks.len() + track] as f64 / f64::from(active)
    }
}

//! Who the players are, as the economy lab simulates them (`game_data/players.toml`): behaviour
//! profiles with their share of the population, how often and how long they play, when they
//! buy what with Stars, how they spend gems, and how likely they are to leave. The live game
//! never reads these.

use super::ids::ItemId;

/// The behaviour profiles, in the designers' order; their shares add up to 100 %.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    pub profiles: Vec<Profile>,
}

/// One kind of player.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Percent of the population.
    pub share: f64,
    /// Sessions a day on average (a fraction is the chance of one more).
    pub sessions_per_day: f64,
    /// Digs a session at most: the player stops earlier when out of energy and not refilling.
    pub digs_per_session: u32,
    /// Arcade runs a session on average (a fraction is the chance of one more).
    pub runs_per_session: f64,
    /// A run's score as a fraction of its ceiling.
    pub skill: Skill,
    /// The chance a day that the player leaves for good (0 to 1).
    pub churn_per_day: f64,
    /// Stars the player spends in any seven days at most (0: never pays).
    pub weekly_budget: u32,
    /// When the player buys what with Stars, in the order written.
    pub buys: Vec<BuyRule>,
    /// Upgrade tracks and cosmetics the player spends gems on, first first: the player saves for
    /// the next level (or the cosmetic) of the first entry not complete yet.
    pub gem_order: Vec<String>,
}

/// Score as a fraction of the run's ceiling: drawn around `mean` with standard deviation
/// `spread`, kept within 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Skill {
    pub mean: f64,
    pub spread: f64,
}

/// One buying habit.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyRule {
    pub item: ItemId,
    pub when: BuyWhen,
    /// The chance the player buys when the moment comes (0 to 1).
    pub chance: f64,
    /// The first day (0 = the day they start) the rule applies.
    pub from_day: u32,
    /// Buys only while the price is at most this many Stars.
    pub max_price: Option<u32>,
}

/// When a buying habit comes into play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuyWhen {
    /// A dig is refused for energy and the player holds nothing to refill with.
    OutOfEnergy,
    /// At the first session of every day.
    Daily,
    /// At the first session of each day until bought once.
    Once,
}

impl BuyWhen {
    pub const ALL: [Self; 3] = [Self::OutOfEnergy, Self::Daily, Self::Once];

    /// The name designers write in `players.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Self::OutOfEnergy => "out_of_energy",
            Self::Daily => "daily",
            Self::Once => "once",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|when| when.key() == key)
    }
}

//! The money figures of one item on one UTC day, as the payment and refund scripts count them
//! (`store::money` reads them), and the day arithmetic the console's windows need: a day is a
//! whole number of days since 1970-01-01 UTC, written as its ISO date (`2026-12-02`).
//!
//! What counts where (one rule, kept by the scripts in the item's slot):
//! - a payment the item side accepts: `sold` units and `stars` received, on the day it is confirmed;
//!   It is one of the day's `purchases`, and of its hour's (`<date>T<hh>:purchases`, [`Hour`]);
//! - a payment it cannot honour (an automatic refund): `stars` received, no units sold, no purchase;
//! - a refund settled (player, admin, dispute, automatic): `refunded` units (none for an
//!   automatic refund: none were sold) and `refunded_stars`, on the day it settles;
//! - a payment the Star ledger never showed, voided: `voided` units and `voided_stars`, taken
//!   off what was received (never revenue, as the audit says).
//!
//! So over any run of days, `received()` is what the Star ledger shows paid and what the
//! audit's payment records call received (voided ones excluded), and `refunded_stars` what
//! both show refunded; `sold - refunded - voided` is the change in the item's sold count.

use std::fmt;
use std::ops::{Add, RangeInclusive};

use super::game::utc_day;

/// One UTC day: days since 1970-01-01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The UTC day of a moment (ms since the epoch).
    pub fn of(now_ms: i64) -> Self {
        Self(utc_day(now_ms))
    }

    /// The `count` days ending with this one (today and the `count - 1` before it); an empty
    /// range for 0.
    pub fn last(self, count: u32) -> RangeInclusive<Day> {
        Day(self.0 - i64::from(count) + 1)..=self
    }

    /// (year, month 1-12, day 1-31) in the proleptic Gregorian calendar.
    pub fn date(self) -> (i64, u32, u32) {
        // Howard Hinnant's `civil_from_days`: eras of 400 years, March-based years.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let march_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * march_month + 2) / 5 + 1) as u32;
        let month = if march_month < 10 { march_month + 3 } else { march_month - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.date();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// The counter of purchases, per day and per hour.
pub const PURCHASES: &str = "purchases";

/// One UTC hour: hours since 1970-01-01 00:00 UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hour(pub i64);

impl Hour {
    /// The UTC hour of a moment (ms since the epoch).
    pub fn of(now_ms: i64) -> Self {
        Self(now_ms.div_euclid(3_600_000))
    }

    /// The `count` hours ending with this one.
    pub fn last(self, count: u32) -> RangeInclusive<Hour> {
        Hour(self.0 - i64::from(count) + 1)..=self
    }

    /// Its day and its hour of that day (0-23).
    pub fn day_and_hour(self) -> (Day, i64) {
        (Day(self.0.div_euclid(24)), self.0.rem_euclid(24))
    }
}

impl fmt::Display for Hour {
    /// `2026-12-02T14`: how the counters name it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (day, hour) = self.day_and_hour();
        write!(f, "{day}T{hour:02}")
    }
}

/// Every hour of a range, in order.
pub fn hours(range: &RangeInclusive<Hour>) -> impl Iterator<Item = Hour> {
    (range.start().0..=range.end().0).map(Hour)
}

/// Every day of a range, in order.
pub fn days(range: &RangeInclusive<Day>) -> impl Iterator<Item = Day> {
    (range.start().0..=range.end().0).map(Day)
}

/// One item's money on one day (or summed over days: see [`total`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DaySales {
    pub day: Day,
    /// Units sold (a bundle is one unit of itself).
    pub sold: u64,
    /// Stars paid: every payment Telegram made, honoured or refunded automatically, voided ones
    /// included (see [`DaySales::received`]).
    pub stars: u64,
    /// Units whose refund settled.
    pub refunded: u64,
    /// Stars that went back to players.
    pub refunded_stars: u64,
    /// Units of payments voided (the Star ledger never showed them).
    pub voided: u64,
    /// Stars of those payments: never received.
    pub voided_stars: u64,
    /// Payments the item side accepted (a purchase of 3 units is one), refunded later or not.
    pub purchases: u64,
}

impl DaySales {
    /// The fields the scripts count, by their names in Redis (`<date>:<name>`), in the order
    /// [`DaySales::from_counts`] takes them.
    pub const FIELDS: [&'static str; 7] =
        ["sold", "stars", "refunded", "refunded_stars", "voided", "voided_stars", PURCHASES];

    /// A day's figures from its counts, in the order of [`DaySales::FIELDS`].
    pub fn from_counts(day: Day, counts: [u64; 7]) -> Self {
        let [sold, stars, refunded, refunded_stars, voided, voided_stars, purchases] = counts;
        Self { day, sold, stars, refunded, refunded_stars, voided, voided_stars, purchases }
    }

    /// Stars received: paid less voided (what the Star ledger shows paid).
    pub fn received(&self) -> u64 {
        self.stars.saturating_sub(self.voided_stars)
    }

    /// Stars kept: received less refunded.
    pub fn net(&self) -> i64 {
        self.received() as i64 - self.refunded_stars as i64
    }
}

impl Add for DaySales {
    type Output = Self;

    /// Sums the figures; the day is the later one's (a total is as of its last day).
    fn add(self, other: Self) -> Self {
        Self {
            day: self.day.max(other.day),
            sold: self.sold + other.sold,
            stars: self.stars + other.stars,
            refunded: self.refunded + other.refunded,
            refunded_stars: self.refunded_stars + other.refunded_stars,
            voided: self.voided + other.voided,
            voided_stars: self.voided_stars + other.voided_stars,
            purchases: self.purchases + other.purchases,
        }
    }
}

/// The figures of the days of `sales` within `range`, summed (an item's week, say).
pub fn total<'a>(sales: impl IntoIterator<Item = &'a DaySales>, range: &RangeInclusive<Day>) -> DaySales {
    let start = DaySales { day: *range.end(), ..DaySales::default() };
    sales.into_iter().filter(|sales| range.contains(&sales.day)).fold(start, |sum, sales| sum + *sales)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;

    fn check_date(day: i64, expected: &str) {
        assert_eq!(Day(day).to_string(), expected, "day {day}");
    }

    #[test]
    fn days_are_written_as_their_utc_dates() {
        check_date(0, "1970-01-01");
        check_date(-1, "1969-12-31");
        check_date(59, "1970-03-01");
        check_date(11_016, "2000-02-29");
        check_date(11_017, "2000-03-01");
        check_date(19_722, "2023-12-31");
        check_date(19_782, "2024-02-29");
        check_date(20_789, "2026-12-02");
        check_date(47_541, "2100-03-01");
    }

    #[test]
    fn every_date_follows_the_day_before_it() {
        let mut previous = Day(-800).date();
        for day in -799..80_000 {
            let date = Day(day).date();
            let next_in_month = date == (previous.0, previous.1, previous.2 + 1);
            let next_month = date.2 == 1 && (date == (previous.0, previous.1 + 1, 1) || date == (previous.0 + 1, 1, 1));
            assert!(next_in_month || next_month, "{previous:?} then {date:?}");
            previous = date;
        }
    }

    #[test]
    fn a_moment_belongs_to_its_utc_day() {
        assert_eq!(Day::of(0), Day(0));
        assert_eq!(Day::of(DAY_MS - 1), Day(0));
        assert_eq!(Day::of(DAY_MS), Day(1));
        assert_eq!(Day::of(-1), Day(-1), "before the epoch rounds down");
        assert_eq!(Day::of(1_796_256_000_000 + 5).to_string(), "2026-12-03");
    }

    #[test]
    fn the_last_n_days_end_today() {
        let today = Day(100);
        assert_eq!(today.last(1), Day(100)..=Day(100));
        assert_eq!(today.last(7), Day(94)..=Day(100));
        assert_eq!(days(&today.last(30)).count(), 30);
        assert_eq!(days(&today.last(0)).count(), 0);
    }

    #[test]
    fn totals_sum_the_days_of_a_window_only() {
        let day = |day: i64, counts: [u64; 7]| DaySales::from_counts(Day(day), counts);
        let sales = [day(1, [2, 14, 0, 0, 0, 0, 1]), day(5, [1, 7, 1, 7, 0, 0, 1]), day(6, [1, 100, 1, 0, 1, 100, 1])];
        let week = total(&sales, &Day(6).last(2));
        assert_eq!(week, day(6, [2, 107, 2, 7, 1, 100, 2]));
        assert_eq!((week.received(), week.net()), (7, 0));
        let all = total(&sales, &Day(6).last(30));
        assert_eq!((all.sold, all.received(), all.refunded_stars, all.net()), (4, 21, 7, 14));
        assert_eq!(total(&sales, &Day(4).last(3)), day(4, [0; 7]), "no sales in the window");
    }

    #[test]
    fn hours_are_written_as_their_date_and_hour() {
        assert_eq!(Hour::of(0).to_string(), "1970-01-01T00");
        assert_eq!(Hour::of(-1).to_string(), "1969-12-31T23", "before the epoch rounds down");
        let moment = 1_796_256_000_000 + 14 * 3_600_000 + 59 * 60_000;
        assert_eq!(Hour::of(moment).to_string(), "2026-12-03T14");
        assert_eq!(Hour::of(moment).day_and_hour(), (Day::of(moment), 14));
        assert_eq!(hours(&Hour(10).last(48)).count(), 48);
        assert_eq!(Hour(10).last(2), Hour(9)..=Hour(10));
    }
}

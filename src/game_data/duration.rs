//! Durations as designers write them (`"48h"`, `"30m"`, `"90s"`, `"1h30m"`), parsed and printed.

use std::time::Duration;

/// The longest duration game data may hold; anything longer is surely a typo.
const MAX: Duration = Duration::from_secs(365 * 24 * 3600);

/// Units in the order they must appear, with their length in seconds.
const UNITS: [(char, u64); 4] = [('d', 24 * 3600), ('h', 3600), ('m', 60), ('s', 1)];

/// Parses `"48h"`, `"30m"`, `"90s"`, `"2d"` or a combination such as `"1h30m"` (units from
/// largest to smallest, each at most once). Zero and more than 365 days are refused: every
/// duration in game data is a window or a lifetime that must be able to pass.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let refuse = || {
        format!(
            "`{s}` is not a duration; write a whole number followed by d, h, m or s, \
             e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\""
        )
    };
    if s.is_empty() {
        return Err("the duration is empty; write e.g. \"48h\", \"30m\" or \"90s\"".into());
    }
    let mut total: u64 = 0;
    let mut rest = s;
    let mut next_unit = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(refuse());
        }
        let (number, after) = rest.split_at(digits);
        let unit = after.chars().next().ok_or_else(refuse)?;
        let Some(at) = UNITS.iter().position(|&(name, _)| name == unit) else {
            return Err(refuse());
        };
        if at < next_unit {
            return Err(format!("`{s}`: write units from largest to smallest, each once (d h m s)"));
        }
        next_unit = at + 1;
        total = number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(UNITS[at].1))
            .and_then(|n| total.checked_add(n))
            .ok_or_else(|| format!("`{s}` is too long; the most is 365 days"))?;
        rest = &after[unit.len_utf8()..];
    }
    let duration = Duration::from_secs(total);
    if duration.is_zero() {
        return Err(format!("`{s}` is zero; a duration here must be longer than 0s"));
    }
    if duration > MAX {
        return Err(format!("`{s}` is too long; the most is 365 days"));
    }
    Ok(duration)
}

/// Prints a duration the way designers write it, in hours, minutes and seconds: `48h`, `1h30m`.
pub fn format_duration(duration: Duration) -> String {
    let total = duration.as_secs();
    if total == 0 {
        return "0s".into();
    }
    let parts = [(total / 3600, 'h'), (total / 60 % 60, 'm'), (total % 60, 's')];
    let parts = parts.iter().filter(|&&(count, _)| count > 0);
    parts.map(|(count, unit)| format!("{count}{unit}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<u64, &str>) {
        let got = parse_duration(input).map(|d| d.as_secs());
        match expected {
            Ok(seconds) => assert_eq!(got, Ok(seconds), "{input:?}"),
            Err(needle) => {
                let message = got.expect_err(input);
                assert!(message.contains(needle), "{input:?}: {message}");
            }
        }
    }

    #[test]
    fn parses_designer_durations() {
        let cases: &[(&str, Result<u64, &str>)] = &[
            ("48h", Ok(48 * 3600)),
            ("30m", Ok(1800)),
            ("90s", Ok(90)),
            ("3s", Ok(3)),
            ("1h30m", Ok(5400)),
            ("2d", Ok(2 * 86400)),
            ("1d2h3m4s", Ok(86400 + 7200 + 180 + 4)),
            ("365d", Ok(365 * 86400)),
            ("", Err("empty")),
            ("0s", Err("zero")),
            ("0h0m", Err("zero")),
            ("48", Err("not a duration")),
            ("h", Err("not a duration")),
            ("48x", Err("not a duration")),
            ("1.5h", Err("not a duration")),
            ("-5m", Err("not a duration")),
            (" 5m", Err("not a duration")),
            ("5m ", Err("not a duration")),
            ("5 m", Err("not a duration")),
            ("5M", Err("not a duration")),
            ("30m1h", Err("largest to smallest")),
            ("1h1h", Err("largest to smallest")),
            ("366d", Err("too long")),
            ("99999999999999999999s", Err("too long")),
            ("999999999999999999d", Err("too long")),
        ];
        for (input, expected) in cases {
            check(input, *expected);
        }
    }

    #[test]
    fn formats_like_designers_write() {
        for (seconds, text) in
            [(48 * 3600, "48h"), (1800, "30m"), (5400, "1h30m"), (3, "3s"), (3661, "1h1m1s"), (0, "0s")]
        {
            assert_eq!(format_duration(Duration::from_secs(seconds)), text);
        }
    }
}

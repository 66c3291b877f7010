//! The update intake's bound on work in flight (`INTAKE_MAX_IN_FLIGHT`,
//! `INTAKE_MAX_QUERIES_IN_FLIGHT`): how many updates may be handed to the dispatcher and not yet
//! finished before intake stops fetching (or accepting) more, so a burst waits at Telegram.

use super::http::number;

/// See `telegram::intake` for what the limits bound and why there are two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntakeLimits {
    /// `INTAKE_MAX_IN_FLIGHT`: every update, whatever its kind.
    pub max_in_flight: usize,
    /// `INTAKE_MAX_QUERIES_IN_FLIGHT`: of those, pre-checkout and inline queries (never more
    /// than `max_in_flight`).
    pub max_queries_in_flight: usize,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        Self { max_in_flight: 1024, max_queries_in_flight: 64 }
    }
}

const RANGE: std::ops::RangeInclusive<usize> = 1..=100_000;

/// Reads both variables, adding a line to `problems` for each bad one. The queries' default
/// follows a smaller `INTAKE_MAX_IN_FLIGHT` down; set explicitly above it, it is a mistake.
pub(super) fn read(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> IntakeLimits {
    let defaults = IntakeLimits::default();
    let all = number(get, problems, "INTAKE_MAX_IN_FLIGHT", RANGE, "updates");
    let queries = number(get, problems, "INTAKE_MAX_QUERIES_IN_FLIGHT", RANGE, "queries");
    let max_in_flight = all.unwrap_or(defaults.max_in_flight);
    if let Some(queries) = queries.filter(|queries| *queries > max_in_flight) {
        problems.push(format!(
            "INTAKE_MAX_QUERIES_IN_FLIGHT: `{queries}` is more than INTAKE_MAX_IN_FLIGHT ({max_in_flight}), \
             which counts the queries too"
        ));
    }
    let max_queries_in_flight = queries.unwrap_or(defaults.max_queries_in_flight).min(max_in_flight);
    IntakeLimits { max_in_flight, max_queries_in_flight }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn check(vars: &[(&str, &str)]) -> Result<IntakeLimits, Vec<String>> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        let mut problems = Vec::new();
        let limits = read(&|name: &str| vars.get(name).map(|value| (*value).to_owned()), &mut problems);
        if problems.is_empty() {
            Ok(limits)
        } else {
            Err(problems)
        }
    }

    #[test]
    fn limits_are_read_and_checked() {
        assert_eq!(check(&[]).unwrap(), IntakeLimits { max_in_flight: 1024, max_queries_in_flight: 64 });
        let both = [("INTAKE_MAX_IN_FLIGHT", "200"), ("INTAKE_MAX_QUERIES_IN_FLIGHT", "30")];
        assert_eq!(check(&both).unwrap(), IntakeLimits { max_in_flight: 200, max_queries_in_flight: 30 });
        // A small overall limit takes the queries' default down with it.
        let small = check(&[("INTAKE_MAX_IN_FLIGHT", "4")]).unwrap();
        assert_eq!(small, IntakeLimits { max_in_flight: 4, max_queries_in_flight: 4 });
        for (vars, expected) in [
            (vec![("INTAKE_MAX_IN_FLIGHT", "0")], "INTAKE_MAX_IN_FLIGHT: `0` must be 1 to 100000 updates"),
            (vec![("INTAKE_MAX_IN_FLIGHT", "many")], "INTAKE_MAX_IN_FLIGHT: `many` must be 1 to 100000"),
            (vec![("INTAKE_MAX_QUERIES_IN_FLIGHT", "-1")], "INTAKE_MAX_QUERIES_IN_FLIGHT: `-1` must be 1 to"),
            (
                vec![("INTAKE_MAX_IN_FLIGHT", "8"), ("INTAKE_MAX_QUERIES_IN_FLIGHT", "9")],
                "`9` is more than INTAKE_MAX_IN_FLIGHT (8)",
            ),
            (vec![("INTAKE_MAX_QUERIES_IN_FLIGHT", "2000")], "more than INTAKE_MAX_IN_FLIGHT (1024)"),
        ] {
            let problems = check(&vars).unwrap_err();
            assert!(problems.len() == 1 && problems[0].contains(expected), "{vars:?}: {problems:?}");
        }
    }
}

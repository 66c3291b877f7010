//! Reading the keys of one TOML table as typed fields, reporting wrong types, bad values,
//! missing required keys and unknown keys where they are written.

use std::time::Duration;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::duration::parse_duration;
use super::source::FileCheck;

/// One key of a table, read and checked on its own.
#[derive(Debug)]
pub(super) enum Field<T> {
    /// Not written: the default applies (or, for a required key, a problem was reported).
    Absent,
    /// Written, but wrong (a problem was reported) or unreadable after a syntax error.
    Invalid,
    /// Written and valid; `at` is the byte offset of the value, for later problems about it.
    Given { value: T, at: usize },
}

impl<T> Field<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Given { value, .. } => Some(value),
            Self::Absent | Self::Invalid => None,
        }
    }

    pub fn at(&self) -> Option<usize> {
        match self {
            Self::Given { at, .. } => Some(*at),
            Self::Absent | Self::Invalid => None,
        }
    }

    pub fn is_given(&self) -> bool {
        matches!(self, Self::Given { .. })
    }

    /// `Some(None)` if absent, `Some(Some(value))` if given, `None` if invalid.
    pub fn optional(&self) -> Option<Option<&T>> {
        match self {
            Self::Given { value, .. } => Some(Some(value)),
            Self::Absent => Some(None),
            Self::Invalid => None,
        }
    }
}

/// The keys of one table, with what the table allows.
pub(super) struct TableReader<'t, 'x> {
    table: &'t DeTable<'x>,
    /// The table's header (or its first byte), where a missing key is reported.
    pub at: usize,
    /// False when a syntax error may have hidden some of its keys: missing keys are not reported.
    pub complete: bool,
    allowed: &'static [&'static str],
}

impl<'t, 'x> TableReader<'t, 'x> {
    pub fn new(table: &'t DeTable<'x>, at: usize, complete: bool, allowed: &'static [&'static str]) -> Self {
        Self { table, at, complete, allowed }
    }

    /// Every key of the table with its value.
    pub fn entries(&self) -> impl Iterator<Item = (&'t Spanned<std::borrow::Cow<'x, str>>, &'t Spanned<DeValue<'x>>)> {
        self.table.iter()
    }

    /// Reports every key that is not allowed here, naming the allowed ones.
    pub fn report_unknown_keys(&self, check: &mut FileCheck) {
        self.report_unknown_keys_but(check, |_, _| false);
    }

    /// Like [`Self::report_unknown_keys`], leaving out the keys `skip` reports in its own words.
    pub fn report_unknown_keys_but(&self, check: &mut FileCheck, skip: impl Fn(&str, &DeValue<'x>) -> bool) {
        for (key, value) in self.table.iter() {
            let name: &str = key.get_ref();
            if self.allowed.contains(&name) || !check.trusted(key.span()) || skip(name, value.get_ref()) {
                continue;
            }
            let hint = match closest(name, self.allowed) {
                Some(close) => format!(" (did you mean `{close}`?)"),
                None => String::new(),
            };
            let allowed = self.allowed.join(", ");
            check.report(key.span().start, format!("unknown key `{name}`{hint}; allowed keys: {allowed}"));
        }
    }

    /// Reports `field` as missing when it is absent from a complete table.
    pub fn require<T>(&self, check: &mut FileCheck, key: &str, field: Field<T>) -> Field<T> {
        if matches!(field, Field::Absent) && self.complete {
            check.report(self.at, format!("missing required key `{key}`"));
        }
        field
    }

    /// A key's value with its span: given if written and trusted, invalid if written but
    /// unreadable after a syntax error.
    pub fn raw(&self, check: &FileCheck, key: &str) -> Field<&'t Spanned<DeValue<'x>>> {
        let Some((name, value)) = self.table.get_key_value(key) else {
            return Field::Absent;
        };
        if !check.trusted(name.span()) || !check.trusted(value.span()) {
            return Field::Invalid;
        }
        Field::Given { value, at: value.span().start }
    }

    /// A string key, turned into `T` by `parse`; its error is reported as the problem.
    pub fn string<T>(
        &self,
        check: &mut FileCheck,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Field<T> {
        self.typed(check, key, "a string", DeValue::as_str, parse)
    }

    /// A duration key such as `"30m"` (see [`parse_duration`]).
    pub fn duration(&self, check: &mut FileCheck, key: &str) -> Field<Duration> {
        let parse = |raw: &str| parse_duration(raw).map_err(|message| format!("`{key}`: {message}"));
        self.typed(check, key, "a duration in quotes such as \"30m\"", DeValue::as_str, parse)
    }

    /// An integer key, turned into `T` by `parse`; its error is reported as the problem.
    pub fn integer<T>(
        &self,
        check: &mut FileCheck,
        key: &str,
        parse: impl FnOnce(i64) -> Result<T, String>,
    ) -> Field<T> {
        let as_integer = |value: &DeValue<'x>| value.as_integer().map(integer_value);
        self.typed(check, key, "an integer", as_integer, |value| match value {
            Some(value) => parse(value),
            None => Err(format!("`{key}` is too large")),
        })
    }

    /// A number key, integer or float, turned into `T` by `parse` from its value and its text
    /// as written (for messages); its error is reported as the problem.
    pub fn number<T>(
        &self,
        check: &mut FileCheck,
        key: &str,
        parse: impl FnOnce(f64, &str) -> Result<T, String>,
    ) -> Field<T> {
        let as_number = |value: &'t DeValue<'x>| match value {
            DeValue::Integer(integer) => {
                let number = integer_value(integer).map_or(f64::INFINITY, |value| value as f64);
                Some((number, integer.to_string()))
            }
            DeValue::Float(float) => {
                let number = float.as_str().parse::<f64>().unwrap_or(f64::NAN);
                Some((number, float.as_str().to_owned()))
            }
            _ => None,
        };
        self.typed(check, key, "a number such as 1.5", as_number, |(number, text)| parse(number, &text))
    }

    /// A boolean key.
    pub fn boolean(&self, check: &mut FileCheck, key: &str) -> Field<bool> {
        self.typed(check, key, "true or false", DeValue::as_bool, Ok)
    }

    /// A table key (inline `{ ... }` or a sub-table).
    pub fn table(&self, check: &mut FileCheck, key: &str) -> Field<&'t DeTable<'x>> {
        let as_table = |value: &'t DeValue<'x>| value.as_table();
        self.typed(check, key, "a table such as { energy = 3 }", as_table, Ok)
    }

    fn typed<V, T>(
        &self,
        check: &mut FileCheck,
        key: &str,
        wanted: &str,
        cast: impl FnOnce(&'t DeValue<'x>) -> Option<V>,
        parse: impl FnOnce(V) -> Result<T, String>,
    ) -> Field<T> {
        let value = match self.raw(check, key) {
            Field::Given { value, .. } => value,
            Field::Absent => return Field::Absent,
            Field::Invalid => return Field::Invalid,
        };
        let at = value.span().start;
        let Some(cast) = cast(value.get_ref()) else {
            let found = article(value.get_ref().type_str());
            check.report(at, format!("`{key}` must be {wanted}, not {found}"));
            return Field::Invalid;
        };
        match parse(cast) {
            Ok(value) => Field::Given { value, at },
            Err(message) => {
                check.report(at, message);
                Field::Invalid
            }
        }
    }
}

/// The tables of a list of tables (`[[key]]` tables or inline `[{ ... }, ...]`) with the byte
/// offset where each opens, in file order; entries lost to a syntax error are left out. `None`
/// (reported as `not_a_list`, followed by the type found) if `value` is not a list at all.
pub(super) fn tables_of<'t, 'x>(
    value: &'t Spanned<DeValue<'x>>,
    check: &mut FileCheck,
    key: &str,
    not_a_list: &str,
) -> Option<Vec<(&'t DeTable<'x>, usize)>> {
    let Some(array) = value.get_ref().as_array() else {
        let found = article(value.get_ref().type_str());
        check.report(value.span().start, format!("{not_a_list}, not {found}"));
        return None;
    };
    let mut tables = Vec::new();
    for entry in array.iter() {
        if !check.trusted(entry.span()) {
            continue;
        }
        match entry.get_ref().as_table() {
            Some(table) => tables.push((table, entry.span().start)),
            None => check.report(entry.span().start, format!("each entry of `{key}` must be a table")),
        }
    }
    Some(tables)
}

/// Whether `value` is a list with nothing in it (`key = []`).
pub(super) fn is_empty_list(value: &DeValue<'_>) -> bool {
    value.as_array().is_some_and(|list| list.is_empty())
}

/// `amount` as a `u32` if it is `min` to `max`, or the problem saying so.
pub(super) fn in_range(key: &str, amount: i64, min: u32, max: u32) -> Result<u32, String> {
    match u32::try_from(amount) {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(format!("`{key}` must be {min} to {max}, got {amount}")),
    }
}

/// An integer as written (any radix), or `None` if it does not fit an `i64`.
pub(super) fn integer_value(integer: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(integer.as_str(), integer.radix()).ok()
}

/// `a string`, `an integer`: a TOML type name as said in a sentence.
pub(super) fn article(type_name: &str) -> String {
    match type_name {
        "integer" | "array" => format!("an {type_name}"),
        other => format!("a {other}"),
    }
}

/// The allowed key closest to a misspelt one, if it is close enough to be a typo: at most two
/// edits, and at most one for every three characters.
fn closest(name: &str, allowed: &[&'static str]) -> Option<&'static str> {
    let length = name.chars().count();
    allowed
        .iter()
        .map(|&candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= 2 && distance * 3 <= length)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

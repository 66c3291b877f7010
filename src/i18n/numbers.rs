//! Numbers as each language writes them: its digits, group and decimal separators. Fluent's own
//! formatting writes plain ASCII digits without groups; this is the bundle's formatter.

use fluent_bundle::types::FluentNumber;
use fluent_bundle::FluentValue;

use super::Lang;

/// A Fluent value as `lang` writes it when it is a number (the bundle's formatter).
pub(super) fn number_value(lang: Lang, value: &FluentValue<'_>) -> Option<String> {
    match value {
        FluentValue::Number(number) => Some(decimal(lang, number)),
        _ => None,
    }
}

/// `(digits 0-9, group separator, decimal separator)` of a language.
fn symbols(lang: Lang) -> ([char; 10], char, char) {
    match lang {
        Lang::En => (['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ',', '.'),
        // CLDR: a no-break space between groups, a comma before decimals.
        Lang::Ru => (['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], '\u{a0}', ','),
        // Extended Arabic-Indic digits, the Arabic thousands and decimal separators.
        Lang::Fa => (['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'], '٬', '٫'),
    }
}

/// A whole number with groups.
pub(super) fn integer(lang: Lang, value: u64) -> String {
    group(lang, &value.to_string(), true)
}

/// A Fluent number: at most two decimals (trailing zeros dropped unless `minimumFractionDigits`
/// asks for them), groups unless `useGrouping: "false"`.
fn decimal(lang: Lang, number: &FluentNumber) -> String {
    let options = &number.options;
    let mut plain = format!("{:.2}", number.value.abs());
    let keep = options.minimum_fraction_digits.unwrap_or(0).min(2);
    while plain.contains('.') && plain.split('.').nth(1).is_some_and(|fraction| fraction.len() > keep) {
        if !plain.ends_with('0') && !plain.ends_with('.') {
            break;
        }
        plain.pop();
    }
    let plain = plain.trim_end_matches('.');
    let (whole, fraction) = plain.split_once('.').unwrap_or((plain, ""));
    let (_, _, point) = symbols(lang);
    let mut out = if number.value < 0.0 { "-".to_owned() } else { String::new() };
    out.push_str(&group(lang, whole, options.use_grouping));
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(&group(lang, fraction, false));
    }
    out
}

/// ASCII digits in `lang`'s digits, with its group separator every three from the right.
fn group(lang: Lang, digits: &str, grouping: bool) -> String {
    let (glyphs, separator, _) = symbols(lang);
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if grouping && at > 0 && (digits.len() - at) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit.to_digit(10).map_or(digit, |d| glyphs[d as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use fluent_bundle::types::{FluentNumber, FluentNumberOptions};

    use super::{decimal, integer, Lang};

    fn check(lang: Lang, value: f64, expected: &str) {
        assert_eq!(decimal(lang, &FluentNumber::new(value, FluentNumberOptions::default())), expected);
    }

    #[test]
    fn numbers_per_language() {
        check(Lang::En, 25000.0, "25,000");
        check(Lang::En, 999.0, "999");
        check(Lang::En, 1.5, "1.5");
        check(Lang::En, 1.25, "1.25");
        check(Lang::En, 2.0, "2");
        check(Lang::Ru, 25000.0, "25\u{a0}000");
        check(Lang::Ru, 1.5, "1,5");
        check(Lang::Fa, 1500.0, "۱٬۵۰۰");
        check(Lang::Fa, 2.5, "۲٫۵");
        assert_eq!(integer(Lang::En, 1_234_567), "1,234,567");
        let plain = FluentNumberOptions { use_grouping: false, ..Default::default() };
        assert_eq!(decimal(Lang::En, &FluentNumber::new(12345.0, plain)), "12345");
    }
}

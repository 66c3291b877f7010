//! Axes: a range rounded out to "nice" ticks (1, 2 or 5 times a power of ten; whole numbers when
//! the data is), and the one number format every label uses (thousands separators).

/// One axis: the value range it shows and the values its ticks and grid lines sit at.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Axis {
    pub from: f64,
    pub to: f64,
    pub ticks: Vec<f64>,
    /// Digits after the point in tick labels (0 for steps of 1 and more).
    decimals: usize,
}

impl Axis {
    /// An axis from a tick at or below `min` to one at or above `max`, with about `target`
    /// ticks (for values: the top grid line closes the plot). `whole` keeps the step a whole
    /// number (counts). A range that is empty, reversed or not finite becomes `0..1`.
    pub fn covering(min: f64, max: f64, target: usize, whole: bool) -> Self {
        let (min, max, step) = Self::step_for(min, max, target, whole);
        let from = (min / step).floor() * step;
        let to = (max / step).ceil() * step;
        Self::with_ticks(from, to, from, step)
    }

    /// An axis from exactly `min` to `max` with ticks inside it (for x: a month of days ends at
    /// its last day, not at the next round number).
    pub fn spanning(min: f64, max: f64, target: usize, whole: bool) -> Self {
        let (min, max, step) = Self::step_for(min, max, target, whole);
        Self::with_ticks(min, max, (min / step).ceil() * step, step)
    }

    /// The x of a bar chart: `count` slots of width 1 (category i spans `i..i + 1`), no ticks.
    pub fn categories(count: usize) -> Self {
        Self { from: 0.0, to: count.max(1) as f64, ticks: Vec::new(), decimals: 0 }
    }

    /// The range made usable, and the step of about `target` ticks over it.
    fn step_for(min: f64, max: f64, target: usize, whole: bool) -> (f64, f64, f64) {
        let (min, max) = if min.is_finite() && max.is_finite() && min <= max { (min, max) } else { (0.0, 1.0) };
        let max = if max > min { max } else { min + 1.0 };
        let step = nice_step((max - min) / target.max(1) as f64);
        (min, max, if whole { step.max(1.0) } else { step })
    }

    fn with_ticks(from: f64, to: f64, first: f64, step: f64) -> Self {
        let count = ((to - first) / step + 1e-9).floor().max(0.0) as usize;
        let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
        // Rounded to the label's digits, so 3 × 0.2 is 0.6 and not 0.6000000000000001.
        let unit = 10f64.powi(decimals as i32);
        let ticks = (0..=count).map(|i| ((first + i as f64 * step) * unit).round() / unit).collect();
        Self { from, to, ticks, decimals }
    }

    /// A tick value as its label reads.
    pub fn label(&self, value: f64) -> String {
        format_number(value, self.decimals)
    }

    /// Where `value` falls between `start` (at `from`) and `end` (at `to`), in pixels.
    pub fn place(&self, value: f64, start: f64, end: f64) -> f64 {
        start + (value - self.from) / (self.to - self.from) * (end - start)
    }
}

/// The smallest of 1, 2, 5 and 10 times a power of ten that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let residual = raw / magnitude;
    let nice = [1.0, 2.0, 5.0, 10.0].into_iter().find(|nice| residual <= *nice + 1e-9).unwrap_or(10.0);
    nice * magnitude
}

/// `value` with `decimals` digits after the point and a comma between thousands: `12,345.5`.
/// Never `-0`.
pub(super) fn format_number(value: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = fixed.split_once('.').map_or((fixed.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    let zero = fixed.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !zero {
        out.push('-');
    }
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A data value as a tooltip shows it: whole numbers plain, others with up to two decimals.
pub(super) fn format_value(value: f64) -> String {
    if value.fract() == 0.0 {
        return format_number(value, 0);
    }
    let text = format_number(value, 2);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(min: f64, max: f64, whole: bool, ticks: &[f64]) {
        let axis = Axis::covering(min, max, 5, whole);
        assert_eq!(axis.ticks, ticks, "{min}..{max} (whole: {whole})");
        assert_eq!((axis.from, axis.to), (ticks[0], ticks[ticks.len() - 1]));
    }

    #[test]
    fn a_spanning_axis_ends_at_the_data_with_ticks_inside() {
        let days = Axis::spanning(0.0, 29.0, 6, true);
        assert_eq!((days.from, days.to, days.ticks), (0.0, 29.0, vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]));
        let days = Axis::spanning(1.0, 90.0, 6, true);
        assert_eq!((days.from, days.to, days.ticks), (1.0, 90.0, vec![20.0, 40.0, 60.0, 80.0]));
        let one_day = Axis::spanning(3.0, 3.0, 6, true);
        assert_eq!((one_day.from, one_day.to, one_day.ticks), (3.0, 4.0, vec![3.0, 4.0]));
    }

    #[test]
    fn ranges_round_out_to_nice_ticks() {
        check(0.0, 657.0, false, &[0.0, 200.0, 400.0, 600.0, 800.0]);
        check(0.0, 30.0, true, &[0.0, 10.0, 20.0, 30.0]);
        check(1.0, 30.0, true, &[0.0, 10.0, 20.0, 30.0]);
        check(0.0, 3.0, true, &[0.0, 1.0, 2.0, 3.0]);
        check(0.0, 1.0, true, &[0.0, 1.0]);
        check(0.0, 12_500.0, false, &[0.0, 5_000.0, 10_000.0, 15_000.0]);
        check(-40.0, 90.0, false, &[-50.0, 0.0, 50.0, 100.0]);
    }

    #[test]
    fn fractions_get_fractional_steps_unless_whole() {
        let axis = Axis::covering(0.0, 0.8, 5, false);
        assert_eq!(axis.ticks.iter().map(|t| axis.label(*t)).collect::<Vec<_>>(), ["0.0", "0.2", "0.4", "0.6", "0.8"]);
        check(0.0, 0.8, true, &[0.0, 1.0]);
    }

    #[test]
    fn empty_flat_and_broken_ranges_still_make_an_axis() {
        check(0.0, 0.0, false, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        check(0.0, 0.0, true, &[0.0, 1.0]);
        check(7.0, 7.0, true, &[7.0, 8.0]);
        check(f64::NAN, 3.0, false, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        check(0.0, f64::INFINITY, true, &[0.0, 1.0]);
        check(5.0, 1.0, true, &[0.0, 1.0]);
    }

    #[test]
    fn numbers_read_with_thousands_separators() {
        for (value, decimals, text) in [
            (0.0, 0, "0"),
            (999.0, 0, "999"),
            (1_000.0, 0, "1,000"),
            (1_234_567.0, 0, "1,234,567"),
            (-12_345.5, 1, "-12,345.5"),
            (-0.0001, 2, "0.00"),
            (0.30000000000000004, 1, "0.3"),
        ] {
            assert_eq!(format_number(value, decimals), text, "{value} with {decimals}");
        }
        assert_eq!(format_value(2_500.0), "2,500");
        assert_eq!(format_value(3.5), "3.5");
        assert_eq!(format_value(1_000.126), "1,000.13");
    }
}

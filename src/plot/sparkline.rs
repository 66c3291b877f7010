//! A sparkline: one series as a bare polyline, no axes or words, to sit inline beside a
//! figure (a table row, say). `currentColor` strokes it, so it takes the text colour around it.

use super::svg::{escape, num};

const WIDTH: f64 = 100.0;
const HEIGHT: f64 = 24.0;
/// Room for the stroke at the top and bottom.
const INSET: f64 = 2.0;

/// `values[i]` left to right, scaled from 0 to the largest (a flat line along the bottom when all
/// are 0 or there are none). `label` is its accessible name (`aria-label`).
pub fn sparkline(label: &str, values: &[f64]) -> String {
    let values: Vec<f64> = values.iter().map(|value| if value.is_finite() { value.max(0.0) } else { 0.0 }).collect();
    let top = values.iter().copied().fold(0.0, f64::max);
    let step = if values.len() > 1 { WIDTH / (values.len() - 1) as f64 } else { 0.0 };
    let y = |value: f64| if top > 0.0 { HEIGHT - INSET - value / top * (HEIGHT - 2.0 * INSET) } else { HEIGHT - INSET };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(index, &value)| format!("{},{}", num(index as f64 * step), num(y(value))))
        .collect();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" role="img" aria-label="{label}" data-sparkline="{count}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" points="{points}"/></svg>"#,
        label = escape(label),
        count = values.len(),
        points = points.join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(svg: &str) -> &str {
        svg.split(r#"points=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("points")
    }

    #[test]
    fn the_largest_value_touches_the_top_and_zero_the_bottom() {
        let svg = sparkline("sold per day", &[0.0, 2.0, 1.0]);
        assert_eq!(points(&svg), "0,22 50,2 100,12");
        assert!(svg.contains(r#"aria-label="sold per day""#) && svg.contains(r#"data-sparkline="3""#), "{svg}");
    }

    #[test]
    fn nothing_sold_is_a_flat_line_and_odd_values_are_zeros() {
        assert_eq!(points(&sparkline("x", &[0.0, 0.0])), "0,22 100,22");
        assert_eq!(points(&sparkline("x", &[f64::NAN, 4.0, -3.0])), "0,22 50,2 100,22");
        assert_eq!(points(&sparkline("x", &[])), "");
        assert!(sparkline("<a&b>", &[1.0]).contains("&lt;a&amp;b&gt;"));
    }
}

//! The look every chart shares: sizes, type, ink and the series palette.

/// The width of every chart's viewBox; the SVG scales to its container, so this sets the type's
/// size relative to the plot (at a phone's ~360 px a 12 px label reads at about 8.5 px).
pub(super) const WIDTH: f64 = 520.0;
/// The plot's own height (between the axes), whatever else the chart holds.
pub(super) const PLOT_HEIGHT: f64 = 230.0;
/// Around the whole chart.
pub(super) const PAD: f64 = 12.0;

/// Generic families only: the SVG must read the same on any machine, without a web font.
pub(super) const FONT: &str = "sans-serif";
pub(super) const TITLE_SIZE: f64 = 16.0;
pub(super) const LABEL_SIZE: f64 = 12.5;
pub(super) const TICK_SIZE: f64 = 12.0;

/// A colour as red, green, blue.
pub(super) type Rgb = (u8, u8, u8);

pub(super) const INK: Rgb = (0x1f, 0x23, 0x28);
/// Tick labels, "no data".
pub(super) const MUTED: Rgb = (0x57, 0x60, 0x6a);
/// Axis titles, guide lines and their labels.
pub(super) const GUIDE: Rgb = (0x3d, 0x44, 0x4d);
pub(super) const GRID: Rgb = (0xe3, 0xe6, 0xea);
pub(super) const AXIS: Rgb = (0x8c, 0x95, 0x9f);

/// Okabe and Ito's palette, which readers with any common colour-vision deficiency can tell
/// apart (its yellow darkened to read on white); a chart with more names starts over.
const PALETTE: [Rgb; 8] = [
    (0x00, 0x72, 0xb2),
    (0xe6, 0x9f, 0x00),
    (0x00, 0x9e, 0x73),
    (0xd5, 0x5e, 0x00),
    (0xcc, 0x79, 0xa7),
    (0x56, 0xb4, 0xe9),
    (0x00, 0x00, 0x00),
    (0xb5, 0x9b, 0x00),
];

/// The colour of the `slot`-th series name of a chart.
pub(super) fn colour(slot: usize) -> Rgb {
    PALETTE[slot % PALETTE.len()]
}

/// `#rrggbb`.
pub(super) fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// About how wide `text` is at `size` px in a sans-serif face (no font to measure with: a
/// generous average, so that what is laid out by it does not collide).
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// About how many characters fit in `width` at `size` px (by [`text_width`]'s measure).
pub(super) fn chars_within(width: f64, size: f64) -> usize {
    (width / text_width("m", size)) as usize
}

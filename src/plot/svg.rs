//! Writing SVG text: escaping, numbers as coordinates, elements and their attributes. Every
//! number goes through [`num`], so the same chart always gives the same bytes.

use std::fmt::Write;

/// `text` safe inside an element or a quoted attribute (HTML and SVG alike). Control
/// characters, which XML forbids, are dropped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal: `12.5`, `3`, never `-0`.
pub(super) fn num(value: f64) -> String {
    let rounded = snap(value);
    if rounded == 0.0 {
        return "0".to_owned();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// `value` rounded to the one decimal [`num`] writes (for shapes that must meet exactly).
pub(super) fn snap(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// An SVG document being written.
#[derive(Default)]
pub(super) struct Svg {
    out: String,
}

impl Svg {
    /// `<tag a="…">` (attribute values escaped here).
    pub fn open(&mut self, tag: &str, attributes: &[(&str, String)]) {
        self.start(tag, attributes);
        self.out.push_str(">\n");
    }

    pub fn close(&mut self, tag: &str) {
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// `<tag a="…"/>`
    pub fn leaf(&mut self, tag: &str, attributes: &[(&str, String)]) {
        self.start(tag, attributes);
        self.out.push_str("/>\n");
    }

    /// `<tag a="…">text</tag>` with the text escaped.
    pub fn with_text(&mut self, tag: &str, attributes: &[(&str, String)], text: &str) {
        self.start(tag, attributes);
        let _ = writeln!(self.out, ">{}</{tag}>", escape(text));
    }

    /// Markup written elsewhere (the frame plotters drew).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn start(&mut self, tag: &str, attributes: &[(&str, String)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attributes {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(escape(r#"<b> & "q" 'a'"#), "&lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;");
        assert_eq!(escape("bell\u{7}"), "bell");
        let mut svg = Svg::default();
        svg.with_text("text", &[("data-series", "a\"b".into())], "x < y");
        assert_eq!(svg.finish(), "<text data-series=\"a&quot;b\">x &lt; y</text>\n");
    }

    #[test]
    fn coordinates_have_one_decimal_at_most() {
        for (value, text) in
            [(0.0, "0"), (-0.04, "0"), (12.0, "12"), (12.34, "12.3"), (-3.06, "-3.1"), (1e6, "1000000")]
        {
            assert_eq!(num(value), text, "{value}");
        }
    }
}

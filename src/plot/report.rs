//! A report: one self-contained HTML page (inline CSS, inline SVG, no script, nothing fetched)
//! that opens from disk. A title, a summary block of preformatted lines, then sections with a
//! heading, an optional note and their charts: a grid of charts on a wide screen, one column on
//! a phone.

use std::fmt::Write;

use super::chart::Chart;
use super::svg::escape;

/// The page's whole style. System fonts only; charts fill their card's width.
const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --page: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 14px; }
h2 { font-size: 1.2rem; margin: 32px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.summary { margin: 0; padding: 12px 14px; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  overflow-x: auto; font: 13px/1.5 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
nav { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 14px 0 0; font-size: .95rem; }
nav a { color: #0969da; text-decoration: none; }
nav a:hover { text-decoration: underline; }
.note { margin: 6px 0 12px; color: var(--muted); }
.charts { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 500px), 1fr)); margin-top: 12px; }
figure { margin: 0; padding: 6px; background: #fff; border: 1px solid var(--line); border-radius: 8px; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { padding: 2px 8px 6px; color: var(--muted); font-size: .9rem; }
@media (max-width: 600px) {
  main { padding: 12px 10px 28px; }
  h1 { font-size: 1.35rem; }
  .summary { font-size: 12px; padding: 10px; }
  figure { padding: 2px; }
}
"#;

/// A page of charts in sections.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    title: String,
    summary: Vec<String>,
    sections: Vec<Section>,
}

/// A heading, an optional note under it, and its charts.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    heading: String,
    note: Option<String>,
    charts: Vec<Chart>,
}

impl Report {
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), summary: Vec::new(), sections: Vec::new() }
    }

    /// Lines shown as they are (aligned columns stay aligned) at the top of the page.
    pub fn summary<L: Into<String>>(mut self, lines: impl IntoIterator<Item = L>) -> Self {
        self.summary.extend(lines.into_iter().map(Into::into));
        self
    }

    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    /// Every chart, section by section (a page that shows them elsewhere draws each with
    /// [`Chart::to_svg`]).
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|section| &section.charts)
    }

    /// The page. The same report always gives the same bytes.
    pub fn to_html(&self) -> String {
        let title = escape(&self.title);
        let mut html = String::new();
        let _ = write!(
            html,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
        );
        if !self.summary.is_empty() {
            let lines: Vec<String> = self.summary.iter().map(|line| escape(line)).collect();
            let _ = writeln!(html, "<pre class=\"summary\" data-summary>{}</pre>", lines.join("\n"));
        }
        if self.sections.len() > 1 {
            html.push_str("<nav aria-label=\"Sections\">");
            for (index, section) in self.sections.iter().enumerate() {
                let _ = write!(html, "<a href=\"#{}\">{}</a>", anchor(index), escape(&section.heading));
            }
            html.push_str("</nav>\n");
        }
        for (index, section) in self.sections.iter().enumerate() {
            section.write(&mut html, &anchor(index));
        }
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Self {
        Self { heading: heading.into(), note: None, charts: Vec::new() }
    }

    /// A sentence or two under the heading.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn chart(mut self, chart: Chart) -> Self {
        self.charts.push(chart);
        self
    }

    fn write(&self, html: &mut String, id: &str) {
        let _ = writeln!(html, "<section id=\"{id}\">\n<h2>{}</h2>", escape(&self.heading));
        if let Some(note) = &self.note {
            let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(note));
        }
        html.push_str("<div class=\"charts\">\n");
        for chart in &self.charts {
            html.push_str("<figure>\n");
            html.push_str(&chart.to_svg());
            if let Some(caption) = &chart.caption {
                let _ = writeln!(html, "<figcaption>{}</figcaption>", escape(caption));
            }
            html.push_str("</figure>\n");
        }
        html.push_str("</div>\n</section>\n");
    }
}

/// A section's id: its place, so any heading makes a valid, unique anchor.
fn anchor(index: usize) -> String {
    format!("section-{}", index + 1)
}

//! Charts and reports as a reader (or a test, or a page) finds them in the SVG and HTML.

use super::*;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The text of every `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let (_, after) = rest.split_once('>')?;
            Some(after.split("</text>").next()?.trim().to_owned())
        })
        .collect()
}

/// Each drawn series' group, from `<g data-series` to its `</g>`.
fn series_groups(svg: &str) -> Vec<&str> {
    svg.match_indices("<g data-series=").map(|(at, _)| svg[at..].split("</g>").next().unwrap()).collect()
}

/// Polylines drawn for series (plotters draws the grid with polylines of its own).
fn series_polylines(svg: &str) -> usize {
    series_groups(svg).iter().map(|group| count(group, "<polyline")).sum()
}

/// The attribute `name` of the first element that has it after `from` in `svg`.
fn attribute<'a>(svg: &'a str, from: &str, name: &str) -> &'a str {
    let start = svg.find(from).unwrap_or_else(|| panic!("{from} in the SVG"));
    let rest = &svg[start..];
    let at = rest.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} after {from}")) + name.len() + 3;
    rest[at..].split('"').next().unwrap()
}

fn days(values: &[f64]) -> Series {
    Series::values("revenue", values.iter().copied())
}

fn month(name: &str, scale: f64) -> Series {
    Series::new(name, (0..30).map(|day| (day as f64, (day as f64 * scale).round())))
}

#[test]
fn every_series_is_one_polyline_in_its_own_group() {
    let chart = Chart::line("gems", "Gems")
        .series(month("created", 40.0))
        .series(month("spent", 30.0))
        .series(month("in circulation", 10.0));
    let svg = chart.to_svg();
    assert_eq!(series_groups(&svg).len(), 3, "{svg}");
    assert_eq!(series_polylines(&svg), 3);
    for name in ["created", "spent", "in circulation"] {
        assert_eq!(count(&svg, &format!("data-series=\"{name}\" data-run=\"current\"")), 1, "{name}");
    }
    let points = attribute(&svg, "data-series=\"created\"", "points");
    assert_eq!(points.split(' ').count(), 30, "{points}");
    assert_eq!(count(&svg, "data-chart=\"gems\""), 1);
}

#[test]
fn a_compared_run_shares_the_colour_dashed_and_the_legend_names_the_runs() {
    let chart = Chart::line("revenue", "Revenue")
        .compare(month("revenue", 20.0), Some(month("revenue", 15.0)))
        .compare(month("refunds", 2.0), Some(month("refunds", 1.0)));
    let svg = chart.to_svg();
    assert_eq!(series_polylines(&svg), 4);
    let stroke = |selector: &str| attribute(&svg, selector, "stroke").to_owned();
    let current = "data-series=\"revenue\" data-run=\"current\"";
    let against = "data-series=\"revenue\" data-run=\"against\"";
    assert_eq!(stroke(current), stroke(against), "the twin keeps its colour");
    assert_eq!(stroke(current), "#0072b2");
    assert_eq!(stroke("data-series=\"refunds\" data-run=\"current\""), "#e69f00", "the next name, the next colour");
    assert!(attribute(&svg, against, "stroke-dasharray").contains(' '), "the compared run is dashed");
    assert!(!series_groups(&svg)[2].contains("dasharray"), "{}", series_groups(&svg)[2]);
    let legend = texts(&svg[svg.find("data-legend").unwrap()..]);
    assert_eq!(legend, ["revenue (current)", "revenue (against)", "refunds (current)", "refunds (against)"]);
    assert!(svg.find(against).unwrap() < svg.find(current).unwrap(), "the current run is drawn on top");
}

#[test]
fn compare_without_a_second_run_draws_one_series_and_no_run_names() {
    let svg = Chart::line("r", "R").compare(month("revenue", 1.0), None).series(month("gems", 2.0)).to_svg();
    assert_eq!(count(&svg, "data-run=\"against\""), 0);
    assert_eq!(texts(&svg[svg.find("data-legend").unwrap()..]), ["revenue", "gems"]);
}

#[test]
fn text_is_escaped_everywhere() {
    let chart = Chart::bars("esc", "Gems <&> \"quoted\"", ["<b>", "a & b"])
        .x_label("x <axis>")
        .y_label("y & co")
        .series(Series::values("s<1>", [1.0, 2.0]))
        .series(Series::values("s&2", [3.0, 4.0]))
        .reference_y(2.0, "limit <2>")
        .marker_x(1.0, "day & night");
    let svg = chart.to_svg();
    for raw in ["<b>", "<&>", "s<1>", "x <axis>", "limit <2>", "y & co", "a & b", "s&2"] {
        assert!(!svg.contains(raw), "{raw} is escaped: {svg}");
    }
    for escaped in
        ["Gems &lt;&amp;&gt; &quot;quoted&quot;", "&lt;b&gt;", "s&lt;1&gt;", "limit &lt;2&gt;", "day &amp; night"]
    {
        assert!(svg.contains(escaped), "{escaped}");
    }
    assert!(texts(&svg).iter().any(|text| text == "x &lt;axis&gt;"), "plotters escapes the axis title too");
}

#[test]
fn empty_and_all_zero_series_draw_without_nan() {
    let chart = Chart::line("flat", "Flat")
        .series(Series::values("zero", [0.0; 10]))
        .series(Series::new("empty", []))
        .series(Series::new("broken", [(f64::NAN, 1.0), (2.0, f64::INFINITY)]));
    let svg = chart.to_svg();
    assert_eq!(series_groups(&svg).len(), 1, "only the zeros have something to draw");
    assert!(texts(&svg).iter().any(|text| text == "empty — no data"), "{:?}", texts(&svg));
    assert!(texts(&svg).iter().any(|text| text == "broken — no data"));
    for nothing in ["NaN", "inf"] {
        assert!(!svg.contains(nothing), "{nothing} in {svg}");
    }
    for chart in [Chart::line("none", "None"), Chart::bars("none", "None", Vec::<String>::new())] {
        let svg = chart.to_svg();
        assert!(texts(&svg).contains(&"No data".to_owned()), "{svg}");
        assert!(!svg.contains("NaN"));
    }
    let lone = Chart::line("one", "One").series(Series::new("one", [(3.0, 5.0)])).to_svg();
    assert_eq!(count(&lone, "<circle"), 1, "a single point is a dot");
}

#[test]
fn the_same_chart_gives_the_same_bytes() {
    let build = || {
        Chart::line("d", "Deterministic")
            .compare(month("a", 1.3), Some(month("a", 1.1)))
            .reference_y(20.0, "limit")
            .marker_x(12.0, "sold out")
    };
    assert_eq!(build().to_svg(), build().to_svg());
    let report = || Report::new("R").summary(["a"]).section(Section::new("S").chart(build()));
    assert_eq!(report().to_html(), report().to_html());
}

#[test]
fn reference_lines_and_markers_are_drawn_with_their_labels() {
    let svg = Chart::line("arcade", "Arcade gems")
        .series(month("gems", 25.0))
        .reference_y(600.0, "daily limit 600")
        .marker_x(12.0, "sold out, day 12")
        .marker_x(20.0, "restocked")
        .to_svg();
    assert_eq!(count(&svg, "data-guide=\"reference\""), 1);
    assert_eq!(count(&svg, "data-guide=\"marker\""), 2);
    let texts = texts(&svg);
    for label in ["daily limit 600", "sold out, day 12", "restocked"] {
        assert!(texts.contains(&label.to_owned()), "{label} in {texts:?}");
    }
    // The y axis reaches the reference line although the data (at most 725) stays under... 800.
    assert!(texts.contains(&"800".to_owned()), "{texts:?}");
}

#[test]
fn a_reference_above_the_data_stretches_the_axis_to_it() {
    let svg = Chart::line("a", "A").series(days(&[1.0, 2.0, 3.0])).reference_y(1_500.0, "limit").to_svg();
    let texts = texts(&svg);
    assert!(texts.contains(&"1,500".to_owned()) || texts.contains(&"2,000".to_owned()), "{texts:?}");
}

#[test]
fn grouped_bars_draw_one_bar_per_category_and_series() {
    let categories: Vec<String> = (1..=10).map(|i| format!("i{i}")).collect();
    let chart = Chart::bars("purchases", "Purchases by item", categories.clone())
        .compare(
            Series::values("bought", (1..=10).map(f64::from)),
            Some(Series::values("bought", (1..=10).map(|i| f64::from(i) * 2.0))),
        )
        .series(Series::values("refunded", [0.0; 10]));
    let svg = chart.to_svg();
    assert_eq!(series_groups(&svg).len(), 3);
    assert_eq!(count(&svg, "data-category=\""), 10 * 3);
    for category in &categories {
        assert_eq!(count(&svg, &format!("data-category=\"{category}\"")), 3, "{category}");
    }
    assert!(svg.contains("<title>i10 — bought (against): 20</title>"), "bars say their value");
    assert_eq!(count(&svg, "rotate(-40"), 0, "short labels stay level");
}

#[test]
fn long_category_labels_turn_and_shorten() {
    let categories: Vec<String> = (1..=10).map(|i| format!("Energy Refill Pack {i}")).collect();
    let svg = Chart::bars("b", "B", categories).series(Series::values("n", (0..10).map(f64::from))).to_svg();
    assert_eq!(count(&svg, "rotate(-40"), 10);
    assert!(texts(&svg).contains(&"Energy Refill Pac…".to_owned()), "{:?}", texts(&svg));
}

#[test]
fn ticks_are_whole_days_and_values_have_thousands_separators() {
    let svg = Chart::line("t", "T").series(Series::values("v", [0.0, 5_000.0, 12_500.0, 9_000.0])).to_svg();
    let texts = texts(&svg);
    for label in ["0", "1", "2", "3", "5,000", "10,000", "15,000"] {
        assert!(texts.contains(&label.to_owned()), "{label} in {texts:?}");
    }
    assert!(!texts.iter().any(|text| text.contains('.')), "no half days: {texts:?}");
}

#[test]
fn the_svg_scales_and_names_only_generic_fonts() {
    let svg = Chart::line("s", "Scales").series(month("a", 1.0)).x_label("day").to_svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 520 "), "{svg}");
    let root = svg.split('>').next().unwrap();
    assert!(!root.contains(" width="), "the root takes its container's width: {root}");
    let fonts: Vec<&str> = svg.split("font-family=\"").skip(1).map(|rest| rest.split('"').next().unwrap()).collect();
    assert!(fonts.len() > 5 && fonts.iter().all(|font| *font == "sans-serif"), "{fonts:?}");
    assert!(!svg.contains("http://") || count(&svg, "http://") == count(&svg, "http://www.w3.org/2000/svg"));
}

#[test]
fn a_long_title_wraps_onto_a_second_line() {
    let title = "Gems created versus spent versus in circulation per day, by player profile, over the month";
    let svg = Chart::line("w", title).series(month("a", 1.0)).to_svg();
    let lines: Vec<String> =
        texts(&svg).into_iter().filter(|text| text.len() > 10 && title.contains(text.trim_end_matches('…'))).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(title.starts_with(&lines[0]), "{lines:?}");
}

#[test]
fn a_long_series_name_is_cut_to_the_legend_width() {
    let long = "a series name much too long to fit on one line of the legend under a chart of this size";
    let svg = Chart::line("l", "L").series(month(long, 1.0)).series(month("b", 2.0)).to_svg();
    let legend = texts(&svg[svg.find("data-legend").unwrap()..]);
    assert!(legend[0].ends_with('…') && long.starts_with(legend[0].trim_end_matches('…')), "{legend:?}");
    assert!(legend[0].chars().count() < long.chars().count());
    assert!(svg.contains(&format!("<title>{long}</title>")), "the series itself keeps its whole name");
}

#[test]
fn a_report_is_one_offline_page_with_every_chart_in_its_section() {
    let report = Report::new("Economy <lab>")
        .summary(["players  1,000", "revenue  <none> & more"])
        .section(
            Section::new("Money & gems")
                .note("Stars per day <current>")
                .chart(Chart::line("revenue", "Revenue").series(month("revenue", 3.0)).caption("caption & <b>")),
        )
        .section(Section::new("Stock").chart(Chart::bars("stock", "Stock", ["a", "b"]).series(days(&[1.0, 2.0]))));
    let html = report.to_html();
    assert_eq!(report.charts().map(Chart::id).collect::<Vec<_>>(), ["revenue", "stock"]);
    for chart in report.charts() {
        assert!(html.contains(&chart.to_svg()), "{} inline", chart.id());
    }
    for escaped in [
        "<title>Economy &lt;lab&gt;</title>",
        "<h1>Economy &lt;lab&gt;</h1>",
        "revenue  &lt;none&gt; &amp; more",
        "<h2>Money &amp; gems</h2>",
        "Stars per day &lt;current&gt;",
        "<figcaption>caption &amp; &lt;b&gt;</figcaption>",
        "<a href=\"#section-2\">Stock</a>",
        "<section id=\"section-2\">",
    ] {
        assert!(html.contains(escaped), "{escaped}");
    }
    assert!(html.contains("players  1,000\nrevenue"), "summary lines as given");
    for outside in ["<script", "<link", "src=", "url(", "@import", "https://"] {
        assert!(!html.contains(outside), "{outside}: nothing comes from elsewhere");
    }
}

/// A stacked chart's pieces: (series, data-x, x, y, width, height) of each `<rect>` in a series'
/// group, in the order drawn.
fn pieces(svg: &str) -> Vec<(String, String, [f64; 4])> {
    let mut found = Vec::new();
    for group in series_groups(svg) {
        let series = attribute(group, "<g", "data-series").to_owned();
        for (at, _) in group.match_indices("<rect ") {
            let rect = &group[at..];
            let number = |name: &str| attribute(rect, "<rect", name).parse::<f64>().unwrap();
            let place = [number("x"), number("y"), number("width"), number("height")];
            found.push((series.clone(), attribute(rect, "<rect", "data-x").to_owned(), place));
        }
    }
    found
}

/// Three items over ten days: "a" sells every day, "b" every other day, "c" never.
fn stacked_days() -> Chart {
    let a = Series::new("a", (0..10).map(|day| (f64::from(day), 10.0)));
    let b = Series::new("b", (0..10).map(|day| (f64::from(day), if day % 2 == 0 { 25.0 } else { 0.0 })));
    let c = Series::new("c", (0..10).map(|day| (f64::from(day), 0.0)));
    Chart::stacked_bars("stack", "Stars per day").series(a).series(b).series(c)
}

#[test]
fn stacked_bars_draw_a_rect_per_layer_that_is_not_zero_at_each_x() {
    let svg = stacked_days().to_svg();
    let pieces = pieces(&svg);
    let count = |name: &str| pieces.iter().filter(|(series, ..)| series == name).count();
    assert_eq!((count("a"), count("b"), count("c")), (10, 5, 0), "{svg}");
    assert_eq!(series_groups(&svg).len(), 2, "a layer that is zero everywhere has no group");
    let days_of_b: Vec<&str> = pieces.iter().filter(|(series, ..)| series == "b").map(|(_, x, _)| x.as_str()).collect();
    assert_eq!(days_of_b, ["0", "2", "4", "6", "8"]);
    assert!(svg.contains("<title>4 — b: 25 of 35</title>"), "a piece says its value and its bar's total");
    assert_eq!(attribute(&svg, "data-series=\"a\"", "fill"), "#0072b2");
    assert_eq!(attribute(&svg, "data-series=\"b\"", "fill"), "#e69f00");
}

#[test]
fn stacked_layers_meet_and_add_up_to_each_bar() {
    let svg = stacked_days().to_svg();
    let pieces = pieces(&svg);
    let bar = |day: &str| -> Vec<[f64; 4]> { pieces.iter().filter(|(_, x, _)| x == day).map(|p| p.2).collect() };
    let (even, odd) = (bar("2"), bar("3"));
    assert_eq!(even.len(), 2);
    let [a, b] = [even[0], even[1]];
    assert_eq!(a[1], b[1] + b[3], "b sits on a, to the pixel");
    assert_eq!((a[0], a[2]), (b[0], b[2]), "one bar, one x and width");
    assert_eq!(a[1] + a[3], odd[0][1] + odd[0][3], "every bar stands on zero");
    let height = |bar: &[[f64; 4]]| bar.iter().map(|piece| piece[3]).sum::<f64>();
    assert!((height(&even) / height(&odd) - 35.0 / 10.0).abs() < 0.01, "{even:?} {odd:?}");
    let texts = texts(&svg);
    assert!(texts.contains(&"35".to_owned()) || texts.contains(&"40".to_owned()), "y covers the pile: {texts:?}");
}

#[test]
fn a_month_of_stacked_bars_fits_side_by_side_under_level_day_labels() {
    let layer = |name: &str, scale: f64| Series::new(name, (-29..=0).map(|day| (f64::from(day), scale)));
    let svg = Chart::stacked_bars("month", "Month").series(layer("a", 3.0)).series(layer("b", 4.0)).to_svg();
    let mut bars: Vec<[f64; 4]> = pieces(&svg).into_iter().filter(|(series, ..)| series == "a").map(|p| p.2).collect();
    bars.sort_by(|one, other| one[0].total_cmp(&other[0]));
    assert_eq!(bars.len(), 30);
    for pair in bars.windows(2) {
        let gap = pair[1][0] - (pair[0][0] + pair[0][2]);
        assert!(pair[0][2] >= 8.0 && gap >= 2.0, "bars {} wide, {gap} apart: {pair:?}", pair[0][2]);
    }
    let texts = texts(&svg);
    for tick in ["-25", "-20", "-10", "0"] {
        assert!(texts.contains(&tick.to_owned()), "{tick} in {texts:?}");
    }
    assert!(!texts.contains(&"-29".to_owned()) && !texts.contains(&"-1".to_owned()), "a tick every few days");
}

#[test]
fn the_stacked_legend_names_each_drawn_layer_bottom_first() {
    let svg = stacked_days().to_svg();
    assert_eq!(texts(&svg[svg.find("data-legend").unwrap()..]), ["a", "b"], "no entry for the empty c");
    let lone = Chart::stacked_bars("one", "One").series(Series::values("Energy", [5.0, 0.0, 5.0])).to_svg();
    assert_eq!(texts(&lone[lone.find("data-legend").unwrap()..]), ["Energy"], "a lone layer is named too");
}

#[test]
fn layers_keep_their_colours_when_one_is_empty() {
    let with = |first: f64| {
        Chart::stacked_bars("c", "C")
            .series(Series::values("first", [first, first]))
            .series(Series::values("second", [1.0, 2.0]))
            .to_svg()
    };
    let (both, only_second) = (with(3.0), with(0.0));
    assert_eq!(attribute(&both, "data-series=\"second\"", "fill"), "#e69f00");
    assert_eq!(attribute(&only_second, "data-series=\"second\"", "fill"), "#e69f00");
    assert_eq!(series_groups(&only_second).len(), 1);
}

#[test]
fn negative_values_pile_down_from_zero() {
    let svg = Chart::stacked_bars("n", "N")
        .series(Series::values("in", [4.0]))
        .series(Series::values("out", [-2.0]))
        .series(Series::values("more out", [-1.0]))
        .to_svg();
    let pieces = pieces(&svg);
    let [up, down, further] = [0, 1, 2].map(|index| pieces[index].2);
    assert_eq!(up[1] + up[3], down[1], "the first negative layer hangs from zero");
    assert_eq!(down[1] + down[3], further[1], "the next hangs from it");
    assert!((up[3] / (down[3] + further[3]) - 4.0 / 3.0).abs() < 0.01, "{pieces:?}");
    assert!(texts(&svg).iter().any(|text| text.starts_with('-')), "y reaches below zero");
}

#[test]
fn stacked_bars_give_the_same_bytes_for_the_same_chart() {
    assert_eq!(stacked_days().to_svg(), stacked_days().to_svg());
}

#[test]
fn an_all_zero_stacked_chart_draws_its_axes_and_says_so() {
    let zeros = Chart::stacked_bars("z", "Stars received per day")
        .empty_text("Nothing received")
        .series(Series::new("a", (-29..=0).map(|day| (f64::from(day), 0.0))))
        .series(Series::new("b", []));
    let svg = zeros.to_svg();
    assert!(series_groups(&svg).is_empty() && !svg.contains("data-legend"), "{svg}");
    let words = texts(&svg);
    assert!(words.contains(&"Nothing received".to_owned()), "{words:?}");
    for tick in ["-25", "0", "1"] {
        assert!(words.contains(&tick.to_owned()), "axes still drawn: {tick} in {words:?}");
    }
    let none = Chart::stacked_bars("none", "None").x_span(-29.0, 0.0).to_svg();
    let words = texts(&none);
    assert!(words.contains(&"No data".to_owned()) && words.contains(&"-25".to_owned()), "{words:?}");
    for nothing in ["NaN", "inf"] {
        assert!(!svg.contains(nothing) && !none.contains(nothing), "{nothing}");
    }
}

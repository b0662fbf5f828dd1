//! Charts drawn on the server as SVG: no JavaScript, and no CSS either, since the pages' content
//! security policy forbids inline styles (everything is a presentation attribute). Each chart has a
//! title and a description for screen readers, and a sentence (`alt`) the page prints under it; the
//! table it is drawn from is always on the page too. A missing or withheld value is a gap, never a 0.
//!
//! **Legible at 390 px and at 200% zoom.** Text in an SVG scales with its viewBox, so legibility is
//! decided by the viewBox's width against the width the page gives the chart: charts are drawn
//! 400 units wide with 14-unit text, and the page shows them at most 34 rem wide. On a 390 px phone
//! (about 360 px of column) the text is about 12.6 px; on a desktop about 19 px, the size of GOV.UK's
//! body text; at 200% zoom the rem and the text grow together. Nothing is placed by guesswork: every
//! label is measured with a deliberately generous estimate of its width ([`CHAR_WIDTH_EM`]), x labels
//! wrap onto a second line (or turn 45° when a word cannot fit) and the plot gives them room,
//! categories with long names are drawn as horizontal bars with their names wrapped beside them, the
//! legend takes one row per series and wraps, and the chart's height grows to hold it all.
//! [`overflowing_labels`] checks any chart against its viewBox by that same estimate. Figures are
//! written as people read them: `1,234`, `45%`, `£7,641,421` ([`Unit`]).
//!
//! **Why hand-written rather than a charting crate.** `plotters` (0.3, SVG backend) and `charts-rs`
//! were weighed. Without font files (nothing may be fetched or installed at run time) plotters
//! measures text with the same kind of estimate used here (0.7 em per byte, so `£` counts double),
//! and its SVG has a fixed pixel size and text that scales with it exactly as this one's does, so it
//! would not make the charts any more legible on a phone. It has no gaps in a line for missing
//! figures, no `c` for a withheld one, no `role="img"`, `<title>` or `<desc>`, and no wrapping of
//! labels, so each of those would be written around it (post-processing its SVG); and it adds a
//! drawing library to build on a two-core machine for three kinds of chart. `charts-rs` lays text out
//! with embedded fonts and writes inline styles, which the content security policy forbids. The
//! three charts here are about as much code as those adaptations would be, and are tested directly.

use std::f64::consts::FRAC_1_SQRT_2;
use std::fmt::Write;

use crate::table::thousands;

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// What the chart shows, in words, with its key figures.
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    /// One per x label; `None` for no data or a withheld figure.
    pub points: Vec<Option<f64>>,
}

/// What a chart's figures measure, and so how they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit<'a> {
    /// Things counted, named in the plural: `children`, `referrals`.
    Count(&'a str),
    /// Percentages.
    Percent,
    /// Whole pounds, with what they are per: `a week`.
    Pounds(&'a str),
    /// Any other figure, with its unit: `per 10,000`.
    Rate(&'a str),
}

impl Unit<'_> {
    /// A figure as a label on the chart: `1,234`, `45%`, `£7,641,421`, `70.5`.
    pub fn figure(self, x: f64) -> String {
        match self {
            Unit::Percent => format!("{}%", number(x)),
            Unit::Pounds(_) => format!("£{}", number(x.round())),
            Unit::Count(_) | Unit::Rate(_) => number(x),
        }
    }

    /// A figure in words: `1,234 children`, `45%`, `£3,500 a week`, `70.5 per 10,000`.
    pub fn words(self, x: f64) -> String {
        match self {
            Unit::Count(u) | Unit::Rate(u) | Unit::Pounds(u) if !u.is_empty() => format!("{} {u}", self.figure(x)),
            _ => self.figure(x),
        }
    }

    /// What the y axis measures, written above it.
    fn axis(self) -> String {
        match self {
            Unit::Count(u) | Unit::Rate(u) => u.to_owned(),
            Unit::Percent => "%".to_owned(),
            Unit::Pounds(per) => format!("£ {per}").trim_end().to_owned(),
        }
    }
}

/// `x` with thousands separators, and one decimal place unless it rounds to a whole number:
/// `7,641,421`, `70.5`, `-3`.
pub fn number(x: f64) -> String {
    let tenths = (x.abs() * 10.0).round() as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let sign = if x < 0.0 && tenths > 0 { "-" } else { "" };
    if tenth == 0 { format!("{sign}{}", thousands(whole)) } else { format!("{sign}{}.{tenth}", thousands(whole)) }
}

/// The viewBox's width.
const W: f64 = 400.0;
/// Every label's size, in viewBox units (see the module's notes on legibility).
const FONT: f64 = 14.0;
/// From one line of text to the next.
const LINE: f64 = 18.0;
/// The plot area's height in line and bar charts.
const PLOT_H: f64 = 180.0;
const RIGHT: f64 = 8.0;
/// The widest a character is taken to be, as a fraction of the font size. Sans-serif text averages
/// about 0.5 em (digits 0.56, capitals up to 0.72); 0.62 leaves room for a line of wide letters, so a
/// label measured with it is never wider on screen than the space it was given.
pub const CHAR_WIDTH_EM: f64 = 0.62;
/// How far a line of text reaches above and below its baseline, as fractions of the font size.
const ASCENT: f64 = 0.8;
const DESCENT: f64 = 0.25;
/// Okabe–Ito: told apart with the common kinds of colour blindness.
const COLOURS: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
/// Dash patterns, so that colour is not the only difference between lines.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];
const INK: &str = "#0b0c0c";
const GREY: &str = "#505a5f";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The width a label is given, by [`CHAR_WIDTH_EM`].
fn width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_WIDTH_EM * FONT
}

/// Words as lines no wider than `room`; a word wider than that on its own is cut.
fn wrap(s: &str, room: f64) -> Vec<String> {
    let per_line = ((room / (CHAR_WIDTH_EM * FONT)).floor() as usize).max(1);
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        for piece in chars.chunks(per_line) {
            let piece: String = piece.iter().collect();
            match lines.last_mut() {
                Some(l) if l.chars().count() + 1 + piece.chars().count() <= per_line => {
                    l.push(' ');
                    l.push_str(&piece);
                }
                _ => lines.push(piece),
            }
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A line of text; `anchor` is `start`, `middle` or `end`.
fn text(svg: &mut String, x: f64, y: f64, anchor: &str, fill: &str, s: &str) {
    let _ = write!(svg, "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>", esc(s));
}

/// A round step for about five gridlines up to `max`.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn finish(id: &str, title: &str, desc: &str, height: f64, body: &str) -> String {
    let (id, title, desc) = (esc(id), esc(title), esc(desc));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {W} {height:.0}\" width=\"100%\" font-family=\"sans-serif\" font-size=\"{FONT}\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>{body}</svg>"
    )
}

fn no_data(id: &str, title: &str) -> Chart {
    let mut body = String::new();
    text(&mut body, W / 2.0, 60.0, "middle", GREY, "No data");
    let svg = finish(id, title, "No data to chart.", 100.0, &body);
    Chart { id: id.into(), title: title.into(), svg, alt: format!("{title}: no data to chart.") }
}

/// The plot area of a line or bar chart, with its axes drawn.
struct Frame {
    svg: String,
    left: f64,
    slot: f64,
    top: f64,
    bottom: f64,
    /// The value at the top gridline.
    top_value: f64,
    /// Where what comes under the x labels (the legend) starts.
    below: f64,
}

impl Frame {
    /// The y axis with gridlines up to `max`, its unit above it, and the x labels under the slots:
    /// wrapped to their slot's width, or turned 45° when a word is too wide for it.
    fn new(x_labels: &[String], max: f64, unit: Unit) -> Frame {
        // Shares that add up to 100 may sum to a hair over it in floating point: the axis stops at 100%.
        let max = if unit == Unit::Percent && max < 100.5 { max.min(100.0) } else { max };
        let step = nice_step(max);
        let steps = (max / step).ceil().max(1.0) as u32;
        let ticks: Vec<f64> = (0..=steps).map(|k| f64::from(k) * step).collect();
        let tick_w = ticks.iter().map(|t| width(&unit.figure(*t))).fold(0.0, f64::max);
        let n = x_labels.len().max(1) as f64;
        let mut left = tick_w + 10.0;
        let slot = |left: f64| (W - left - RIGHT) / n;
        let word_w = x_labels.iter().flat_map(|l| l.split_whitespace()).map(width).fold(0.0, f64::max);
        let turned = word_w > slot(left) - 4.0;
        if turned {
            // A turned label reaches left of its slot's centre by its width × cos 45° and a line's
            // height: the first one must stay inside the chart.
            let first = x_labels.first().map_or(0.0, |l| width(l));
            left = left.max(first * FRAC_1_SQRT_2 + FONT - slot(left) / 2.0 + 2.0);
        }
        let slot = slot(left);
        let top = FONT + 14.0;
        let bottom = top + PLOT_H;
        let mut svg = String::new();
        text(&mut svg, 2.0, FONT, "start", INK, &unit.axis());
        let top_value = ticks.last().copied().unwrap_or(1.0);
        for t in &ticks {
            let y = bottom - t / top_value * PLOT_H;
            let _ = write!(
                svg,
                "<line x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>",
                W - RIGHT
            );
            text(&mut svg, left - 6.0, y + 5.0, "end", INK, &unit.figure(*t));
        }
        let mut below = bottom;
        for (i, l) in x_labels.iter().enumerate() {
            let x = left + slot * (i as f64 + 0.5);
            if turned {
                let y = bottom + FONT + 4.0;
                let _ = write!(
                    svg,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\" transform=\"rotate(-45 {x:.1} {y:.1})\" fill=\"{INK}\">{}</text>",
                    esc(l)
                );
                below = below.max(y + (width(l) + FONT) * FRAC_1_SQRT_2);
            } else {
                let lines = wrap(l, slot - 4.0);
                for (k, line) in lines.iter().enumerate() {
                    text(&mut svg, x, bottom + FONT + 4.0 + k as f64 * LINE, "middle", INK, line);
                }
                below = below.max(bottom + 4.0 + lines.len() as f64 * LINE);
            }
        }
        Frame { svg, left, slot, top, bottom, top_value, below: below + 8.0 }
    }

    fn y(&self, v: f64) -> f64 {
        self.bottom - v / self.top_value * (self.bottom - self.top)
    }

    fn x(&self, i: usize) -> f64 {
        self.left + self.slot * (i as f64 + 0.5)
    }

    /// The legend under the labels, one series a row (wrapped), and the chart's finished height.
    fn legend(&mut self, labels: &[&str], dashed: bool) -> f64 {
        let mut y = self.below;
        for (k, l) in labels.iter().enumerate() {
            let mid = y + LINE / 2.0;
            let dash = match DASHES[k % DASHES.len()] {
                d if dashed && !d.is_empty() => format!(" stroke-dasharray=\"{d}\""),
                _ => String::new(),
            };
            let _ = write!(
                self.svg,
                "<line x1=\"2\" x2=\"22\" y1=\"{mid:.1}\" y2=\"{mid:.1}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>",
                COLOURS[k % COLOURS.len()],
                if dashed { 2 } else { 10 },
            );
            for line in wrap(l, W - 28.0 - RIGHT) {
                text(&mut self.svg, 28.0, y + FONT, "start", INK, &line);
                y += LINE;
            }
            y += 4.0;
        }
        y + 4.0
    }
}

fn describe_series(s: &Series, x_labels: &[String], unit: Unit) -> String {
    let known: Vec<(usize, f64)> = s.points.iter().enumerate().filter_map(|(i, p)| p.map(|v| (i, v))).collect();
    let at = |i: usize| x_labels.get(i).map_or("", String::as_str);
    match (known.first(), known.last()) {
        (Some(&(i, a)), Some(&(j, b))) if i != j => {
            format!("{} went from {} ({}) to {} ({})", s.label, unit.words(a), at(i), unit.words(b), at(j))
        }
        (Some(&(i, a)), _) => format!("{}: {} ({})", s.label, unit.words(a), at(i)),
        _ => format!("{}: no figures", s.label),
    }
}

/// Trend lines, one per series, with markers; gaps where a point is missing.
pub fn line(id: &str, title: &str, x_labels: &[String], series: &[Series], unit: Unit) -> Chart {
    let max = series.iter().flat_map(|s| s.points.iter().flatten()).fold(0.0f64, |m, v| m.max(*v));
    if x_labels.is_empty() || series.iter().all(|s| s.points.iter().all(Option::is_none)) {
        return no_data(id, title);
    }
    let alt = format!(
        "{title}. {}.",
        series.iter().map(|s| describe_series(s, x_labels, unit)).collect::<Vec<_>>().join("; ")
    );
    let mut f = Frame::new(x_labels, max, unit);
    for (k, s) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let dash = DASHES[k % DASHES.len()];
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, p) in s.points.iter().enumerate().take(x_labels.len()) {
            match p {
                Some(v) => runs.last_mut().map(|r| r.push((f.x(i), f.y(*v)))).unwrap_or_default(),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let pts: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
            let _ = write!(
                f.svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                pts.join(" ")
            );
        }
        for (x, y) in runs.iter().flatten() {
            // Circles, squares and diamonds in turn, so that the series differ in shape too.
            let _ = match k % 3 {
                0 => write!(f.svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"/>"),
                1 => write!(
                    f.svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"{colour}\"/>",
                    x - 4.0,
                    y - 4.0
                ),
                _ => write!(
                    f.svg,
                    "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" fill=\"{colour}\"/>",
                    y - 5.0,
                    x + 5.0,
                    y + 5.0,
                    x - 5.0
                ),
            };
        }
    }
    let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    let height = f.legend(&labels, true);
    Chart { id: id.into(), title: title.into(), svg: finish(id, title, &alt, height, &f.svg), alt }
}

/// One bar per x label, each split into the series stacked; a bar with a missing part says so.
pub fn stacked_bars(id: &str, title: &str, x_labels: &[String], series: &[Series], unit: Unit) -> Chart {
    let totals: Vec<f64> =
        (0..x_labels.len()).map(|i| series.iter().filter_map(|s| s.points.get(i).copied().flatten()).sum()).collect();
    let max = totals.iter().fold(0.0f64, |m, v| m.max(*v));
    if x_labels.is_empty() || max <= 0.0 {
        return no_data(id, title);
    }
    let last = totals.iter().rposition(|t| *t > 0.0).unwrap_or(0);
    let parts: Vec<String> = series
        .iter()
        .filter_map(|s| s.points.get(last).copied().flatten().map(|v| format!("{} {}", s.label, unit.words(v.round()))))
        .collect();
    let alt = format!("{title}. At {}: {}.", x_labels[last], parts.join(", "));
    let mut f = Frame::new(x_labels, max, unit);
    for i in 0..x_labels.len() {
        let x = f.x(i) - f.slot * 0.3;
        let mut base = 0.0;
        let mut gap = false;
        for (k, s) in series.iter().enumerate() {
            match s.points.get(i).copied().flatten() {
                Some(v) if v > 0.0 => {
                    let _ = write!(
                        f.svg,
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                        f.y(base + v),
                        f.slot * 0.6,
                        f.y(base) - f.y(base + v),
                        COLOURS[k % COLOURS.len()]
                    );
                    base += v;
                }
                Some(_) => {}
                None => gap = true,
            }
        }
        if gap {
            let (x, y) = (f.x(i), f.y(base) - 4.0);
            text(&mut f.svg, x, y, "middle", GREY, "c/x");
        }
    }
    let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    let height = f.legend(&labels, false);
    Chart { id: id.into(), title: title.into(), svg: finish(id, title, &alt, height, &f.svg), alt }
}

/// One horizontal bar per category, its name wrapped beside it and its figure at its end; `c` where a
/// figure is withheld. Horizontal, so that long category names read across rather than turned.
pub fn histogram(id: &str, title: &str, bins: &[(String, Option<f64>)], unit: Unit) -> Chart {
    let max = bins.iter().filter_map(|b| b.1).fold(0.0f64, f64::max);
    if bins.is_empty() || bins.iter().all(|b| b.1.is_none()) {
        return no_data(id, title);
    }
    let parts: Vec<String> = bins
        .iter()
        .map(|(l, v)| format!("{l}: {}", v.map_or_else(|| "withheld".to_owned(), |v| unit.words(v))))
        .collect();
    let alt = format!("{title}. {}.", parts.join("; "));
    let names = bins.iter().map(|b| width(&b.0)).fold(0.0, f64::max).min(W * 0.42);
    let figures = bins.iter().map(|b| b.1.map_or(width("c"), |v| width(&unit.figure(v)))).fold(0.0, f64::max);
    let bar_x = names + 10.0;
    let room = (W - RIGHT - figures - 6.0 - bar_x).max(1.0);
    let mut svg = String::new();
    text(&mut svg, 2.0, FONT, "start", INK, &unit.axis());
    let mut y = FONT + 12.0;
    for (label, v) in bins {
        let lines = wrap(label, names);
        let row = (lines.len() as f64 * LINE).max(22.0);
        let mid = y + row / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let baseline = mid - (lines.len() as f64 * LINE) / 2.0 + k as f64 * LINE + FONT;
            text(&mut svg, names, baseline, "end", INK, line);
        }
        let (end, figure, fill) = match v {
            Some(v) => {
                let len = if max > 0.0 { v / max * room } else { 0.0 };
                let _ = write!(
                    svg,
                    "<rect x=\"{bar_x:.1}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"16\" fill=\"{}\"/>",
                    mid - 8.0,
                    COLOURS[0]
                );
                (bar_x + len, unit.figure(*v), INK)
            }
            None => (bar_x, "c".to_owned(), GREY),
        };
        text(&mut svg, end + 4.0, mid + 5.0, "start", fill, &figure);
        y += row + 8.0;
    }
    let _ = write!(
        svg,
        "<line x1=\"{bar_x:.1}\" x2=\"{bar_x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
        FONT + 8.0,
        y - 4.0
    );
    Chart { id: id.into(), title: title.into(), svg: finish(id, title, &alt, y + 4.0, &svg), alt }
}

/// Every `<text>` of an SVG drawn here whose box (by [`CHAR_WIDTH_EM`], its font size, its anchor and
/// any rotation) leaves the viewBox, described; empty when every label is inside. For tests of any
/// page that shows charts, on real figures.
pub fn overflowing_labels(svg: &str) -> Vec<String> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        tag.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_owned)
    };
    let num = |tag: &str, name: &str| attr(tag, name).and_then(|v| v.parse::<f64>().ok());
    let root = svg.split('>').next().unwrap_or_default();
    let view: Vec<f64> =
        attr(root, "viewBox").unwrap_or_default().split_whitespace().filter_map(|v| v.parse().ok()).collect();
    let (vw, vh) = match view[..] {
        [_, _, w, h] => (w, h),
        _ => return vec!["the chart has no viewBox".to_owned()],
    };
    let base_size = num(root, "font-size").unwrap_or(16.0);
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap_or((part, ""));
        let content = rest.split("</text>").next().unwrap_or_default();
        let content = content
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        let (x, y) = (num(tag, "x").unwrap_or(0.0), num(tag, "y").unwrap_or(0.0));
        let size = num(tag, "font-size").unwrap_or(base_size);
        let w = content.chars().count() as f64 * CHAR_WIDTH_EM * size;
        let x0 = match attr(tag, "text-anchor").as_deref() {
            Some("end") => x - w,
            Some("middle") => x - w / 2.0,
            _ => x,
        };
        let mut corners = [
            (x0, y - ASCENT * size),
            (x0 + w, y - ASCENT * size),
            (x0, y + DESCENT * size),
            (x0 + w, y + DESCENT * size),
        ];
        if let Some(t) = attr(tag, "transform") {
            let args: Vec<f64> = t
                .trim_start_matches("rotate(")
                .trim_end_matches(')')
                .split([' ', ','])
                .filter_map(|v| v.parse().ok())
                .collect();
            if let [angle, cx, cy] = args[..] {
                let (sin, cos) = angle.to_radians().sin_cos();
                for c in &mut corners {
                    let (dx, dy) = (c.0 - cx, c.1 - cy);
                    *c = (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
                }
            }
        }
        let (left, right) = corners.iter().fold((f64::MAX, f64::MIN), |(l, r), c| (l.min(c.0), r.max(c.0)));
        let (top, bottom) = corners.iter().fold((f64::MAX, f64::MIN), |(t, b), c| (t.min(c.1), b.max(c.1)));
        if left < -0.5 || top < -0.5 || right > vw + 0.5 || bottom > vh + 0.5 {
            out.push(format!(
                "{content:?} spans x {left:.1}..{right:.1}, y {top:.1}..{bottom:.1}, outside 0..{vw} × 0..{vh}"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_as_people_read_them() {
        assert_eq!(Unit::Pounds("a week").figure(7_641_421.0), "£7,641,421");
        assert_eq!(Unit::Pounds("a week").figure(3_512.49), "£3,512");
        assert_eq!(Unit::Pounds("a week").words(3_512.5), "£3,513 a week");
        assert_eq!(Unit::Pounds("").words(950.0), "£950");
        assert_eq!(Unit::Count("children").figure(11_600.0), "11,600");
        assert_eq!(Unit::Count("children").words(684.0), "684 children");
        assert_eq!(Unit::Percent.figure(45.0), "45%");
        assert_eq!(Unit::Percent.words(12.34), "12.3%");
        assert_eq!(Unit::Rate("per 10,000").words(70.54), "70.5 per 10,000");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(999.96), "1,000");
        assert_eq!(number(1_000_000.0), "1,000,000");
        assert_eq!(number(-1_234.5), "-1,234.5");
        assert_eq!(number(-0.01), "0");
        assert_eq!(Unit::Pounds("a week").axis(), "£ a week");
        assert_eq!(Unit::Percent.axis(), "%");
    }

    #[test]
    fn labels_wrap_by_word_and_cut_only_a_word_too_long_for_a_line() {
        let per_line = |n: usize| n as f64 * CHAR_WIDTH_EM * FONT;
        assert_eq!(wrap("31 Mar 2026", per_line(6)), ["31 Mar", "2026"]);
        assert_eq!(wrap("Supported accommodation", per_line(10)), ["Supported", "accommodat", "ion"]);
        assert_eq!(wrap("", per_line(5)), [""]);
    }

    #[test]
    fn the_check_finds_a_label_outside_the_viewbox() {
        let inside = "<svg viewBox=\"0 0 100 50\" font-size=\"10\"><text x=\"50\" y=\"20\" text-anchor=\"middle\">abc</text></svg>";
        assert!(overflowing_labels(inside).is_empty());
        let clipped =
            "<svg viewBox=\"0 0 100 50\" font-size=\"10\"><text x=\"5\" y=\"20\" text-anchor=\"end\">abc</text></svg>";
        assert_eq!(overflowing_labels(clipped).len(), 1);
        let turned = "<svg viewBox=\"0 0 100 50\" font-size=\"10\"><text x=\"50\" y=\"45\" text-anchor=\"end\" \
                      transform=\"rotate(-45 50 45)\">a long label here</text></svg>";
        assert_eq!(overflowing_labels(turned).len(), 1, "turned, it runs out of the bottom and the left");
    }
}

//! Charts drawn on the server as SVG: no JavaScript, and no CSS either, since the pages' content
//! security policy forbids inline styles (everything is a presentation attribute). Each chart has a
//! title and a description for screen readers, and a sentence (`alt`) the page prints under it; the
//! table it is drawn from is always on the page too. A missing or withheld value is a gap, never a 0.

use std::fmt::Write;

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

const W: f64 = 640.0;
const H: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 84.0;
/// Okabe–Ito: told apart with the common kinds of colour blindness.
const COLOURS: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
/// Dash patterns, so that colour is not the only difference between lines.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
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

fn fmt(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{}", x.round() as i64) } else { format!("{x:.1}") }
}

fn open(id: &str, title: &str, desc: &str) -> String {
    let (id, title, desc) = (esc(id), esc(title), esc(desc));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {W} {H}\" width=\"100%\" font-family=\"sans-serif\" font-size=\"12\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>"
    )
}

fn no_data(id: &str, title: &str) -> Chart {
    let mut svg = open(id, title, "No data to chart.");
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#505a5f\">No data</text></svg>",
        W / 2.0,
        H / 2.0
    );
    Chart { id: id.into(), title: title.into(), svg, alt: format!("{title}: no data to chart.") }
}

/// The y axis with gridlines up to `max`, and the x labels under slot centres; returns the scale.
fn axes(svg: &mut String, x_labels: &[String], max: f64, y_unit: &str) -> impl Fn(f64) -> f64 + use<> {
    let step = nice_step(max);
    let top = (max / step).ceil().max(1.0) * step;
    let plot_h = H - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    let mut v = 0.0;
    while v <= top + 1e-9 {
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#0b0c0c\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y(v) + 4.0,
            esc(&fmt(v)),
            y = y(v)
        );
        v += step;
    }
    let _ = write!(svg, "<text x=\"4\" y=\"{}\" fill=\"#0b0c0c\">{}</text>", TOP - 4.0 + 8.0, esc(y_unit));
    let slot = (W - LEFT - RIGHT) / x_labels.len().max(1) as f64;
    for (i, l) in x_labels.iter().enumerate() {
        let x = LEFT + slot * (i as f64 + 0.5);
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"end\" transform=\"rotate(-30 {x:.1} {})\" fill=\"#0b0c0c\">{}</text>",
            H - BOTTOM + 16.0,
            H - BOTTOM + 16.0,
            esc(l)
        );
    }
    y
}

fn legend(svg: &mut String, labels: &[&str], dashed: bool) {
    for (k, l) in labels.iter().enumerate() {
        let (x, y) =
            (LEFT + (k % 3) as f64 * 190.0, H - 18.0 + (k / 3) as f64 * 14.0 - 14.0 * ((labels.len() - 1) / 3) as f64);
        let dash = if dashed && !DASHES[k % DASHES.len()].is_empty() {
            format!(" stroke-dasharray=\"{}\"", DASHES[k % DASHES.len()])
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            "<line x1=\"{x}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>\
             <text x=\"{}\" y=\"{}\" fill=\"#0b0c0c\">{}</text>",
            x + 18.0,
            COLOURS[k % COLOURS.len()],
            if dashed { 2 } else { 8 },
            x + 22.0,
            y + 4.0,
            esc(l)
        );
    }
}

fn describe_series(s: &Series, x_labels: &[String], unit: &str) -> String {
    let known: Vec<(usize, f64)> = s.points.iter().enumerate().filter_map(|(i, p)| p.map(|v| (i, v))).collect();
    match (known.first(), known.last()) {
        (Some(&(i, a)), Some(&(j, b))) if i != j => format!(
            "{} went from {} {unit} ({}) to {} {unit} ({})",
            s.label,
            fmt(a),
            x_labels.get(i).map_or("", String::as_str),
            fmt(b),
            x_labels.get(j).map_or("", String::as_str)
        ),
        (Some(&(i, a)), _) => {
            format!("{}: {} {unit} ({})", s.label, fmt(a), x_labels.get(i).map_or("", String::as_str))
        }
        _ => format!("{}: no figures", s.label),
    }
}

/// Trend lines, one per series, with markers; gaps where a point is missing.
pub fn line(id: &str, title: &str, x_labels: &[String], series: &[Series], y_unit: &str) -> Chart {
    let max = series.iter().flat_map(|s| s.points.iter().flatten()).fold(0.0f64, |m, v| m.max(*v));
    if x_labels.is_empty() || series.iter().all(|s| s.points.iter().all(Option::is_none)) {
        return no_data(id, title);
    }
    let alt = format!(
        "{title}. {}.",
        series.iter().map(|s| describe_series(s, x_labels, y_unit)).collect::<Vec<_>>().join("; ")
    );
    let mut svg = open(id, title, &alt);
    let y = axes(&mut svg, x_labels, max, y_unit);
    let slot = (W - LEFT - RIGHT) / x_labels.len() as f64;
    for (k, s) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let dash = DASHES[k % DASHES.len()];
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, p) in s.points.iter().enumerate().take(x_labels.len()) {
            match p {
                Some(v) => runs.last_mut().map(|r| r.push((LEFT + slot * (i as f64 + 0.5), y(*v)))).unwrap_or_default(),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let pts: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                pts.join(" ")
            );
        }
        for (x, y) in runs.iter().flatten() {
            // Circles, squares and diamonds in turn, so that the series differ in shape too.
            let _ = match k % 3 {
                0 => write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"/>"),
                1 => write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"{colour}\"/>",
                    x - 4.0,
                    y - 4.0
                ),
                _ => write!(
                    svg,
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
    legend(&mut svg, &labels, true);
    svg.push_str("</svg>");
    Chart { id: id.into(), title: title.into(), svg, alt }
}

/// One bar per x label, each split into the series stacked; a bar with a missing part says so.
pub fn stacked_bars(id: &str, title: &str, x_labels: &[String], series: &[Series], y_unit: &str) -> Chart {
    let totals: Vec<f64> =
        (0..x_labels.len()).map(|i| series.iter().filter_map(|s| s.points.get(i).copied().flatten()).sum()).collect();
    let max = totals.iter().fold(0.0f64, |m, v| m.max(*v));
    if x_labels.is_empty() || max <= 0.0 {
        return no_data(id, title);
    }
    let last = totals.iter().rposition(|t| *t > 0.0).unwrap_or(0);
    let parts: Vec<String> = series
        .iter()
        .filter_map(|s| {
            s.points.get(last).copied().flatten().map(|v| format!("{} {} {y_unit}", s.label, fmt(v.round())))
        })
        .collect();
    let alt = format!("{title}. At {}: {}.", x_labels[last], parts.join(", "));
    let mut svg = open(id, title, &alt);
    let y = axes(&mut svg, x_labels, max, y_unit);
    let slot = (W - LEFT - RIGHT) / x_labels.len() as f64;
    for i in 0..x_labels.len() {
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let mut base = 0.0;
        let mut gap = false;
        for (k, s) in series.iter().enumerate() {
            match s.points.get(i).copied().flatten() {
                Some(v) if v > 0.0 => {
                    let _ = write!(
                        svg,
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                        y(base + v),
                        slot * 0.6,
                        y(base) - y(base + v),
                        COLOURS[k % COLOURS.len()]
                    );
                    base += v;
                }
                Some(_) => {}
                None => gap = true,
            }
        }
        if gap {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#505a5f\">c/x</text>",
                x + slot * 0.3,
                y(base) - 4.0
            );
        }
    }
    let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    legend(&mut svg, &labels, false);
    svg.push_str("</svg>");
    Chart { id: id.into(), title: title.into(), svg, alt }
}

/// Bars with their values written above; `c` where a value is withheld.
pub fn histogram(id: &str, title: &str, bins: &[(String, Option<f64>)], y_unit: &str) -> Chart {
    let max = bins.iter().filter_map(|b| b.1).fold(0.0f64, f64::max);
    if bins.is_empty() || bins.iter().all(|b| b.1.is_none()) {
        return no_data(id, title);
    }
    let parts: Vec<String> =
        bins.iter().map(|(l, v)| format!("{l}: {}", v.map_or_else(|| "withheld".to_owned(), fmt))).collect();
    let alt = format!("{title} ({y_unit}). {}.", parts.join("; "));
    let mut svg = open(id, title, &alt);
    let labels: Vec<String> = bins.iter().map(|b| b.0.clone()).collect();
    let y = axes(&mut svg, &labels, max, y_unit);
    let slot = (W - LEFT - RIGHT) / bins.len() as f64;
    for (i, (_, v)) in bins.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        match v {
            Some(v) => {
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>\
                     <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#0b0c0c\">{}</text>",
                    y(*v),
                    slot * 0.7,
                    y(0.0) - y(*v),
                    COLOURS[0],
                    x + slot * 0.35,
                    y(*v) - 4.0,
                    esc(&fmt(*v))
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#505a5f\">c</text>",
                    x + slot * 0.35,
                    y(0.0) - 4.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    Chart { id: id.into(), title: title.into(), svg, alt }
}

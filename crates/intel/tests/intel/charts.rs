//! The charts: valid, accessible SVG without inline styles, gaps for missing figures.

use hearth_intel::chart::{Series, histogram, line, stacked_bars};

fn labels(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn charts_are_accessible_svg_without_styles() {
    let x = labels(&["31 Mar 2025", "31 Mar 2026 <&>"]);
    let s = [Series { label: "Children & young people".into(), points: vec![Some(650.0), Some(684.0)] }];
    for c in [
        line("c1", "Children looked after", &x, &s, "children"),
        stacked_bars("c2", "Types", &x, &s, "%"),
        histogram("c3", "Distance", &[("Under 5 miles".into(), Some(12.0)), ("5 to 10".into(), None)], "children"),
    ] {
        assert!(c.svg.starts_with("<svg") && c.svg.ends_with("</svg>"), "{}", c.svg);
        assert!(c.svg.contains("role=\"img\"") && c.svg.contains("<title id=") && c.svg.contains("<desc id="));
        assert!(!c.svg.contains("style") && !c.svg.contains("<&>"), "{}", c.svg);
        assert!(!c.alt.is_empty());
    }
    let c = line("c1", "Children looked after", &x, &s, "children");
    assert!(c.alt.contains("650") && c.alt.contains("684"), "{}", c.alt);
    assert!(c.svg.contains("31 Mar 2026 &lt;&amp;&gt;"));
    assert_eq!(c, line("c1", "Children looked after", &x, &s, "children"), "the same chart every time");
}

#[test]
fn missing_figures_are_gaps_and_nothing_is_no_data() {
    let x = labels(&["a", "b", "c"]);
    let gap = [Series { label: "s".into(), points: vec![Some(10.0), None, Some(12.0)] }];
    let c = line("g", "Gap", &x, &gap, "n");
    assert!(!c.svg.contains("<polyline"), "two points either side of a gap are not joined: {}", c.svg);
    let h = histogram("h", "H", &[("a".into(), None)], "n");
    assert!(h.svg.contains("No data"));
    assert!(line("e", "Empty", &[], &[], "n").svg.contains("No data"));
}

//! The charts: valid, accessible SVG without inline styles, gaps for missing figures, every label inside the
//! chart for a council's real-sized figures.

use hearth_intel::chart::{Series, Unit, histogram, line, overflowing_labels, stacked_bars};

fn labels(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn charts_are_accessible_svg_without_styles() {
    let x = labels(&["31 Mar 2025", "31 Mar 2026 <&>"]);
    let s = [Series { label: "Children & young people".into(), points: vec![Some(650.0), Some(684.0)] }];
    for c in [
        line("c1", "Children looked after", &x, &s, Unit::Count("children")),
        stacked_bars("c2", "Types", &x, &s, Unit::Percent),
        histogram(
            "c3",
            "Distance",
            &[("Under 5 miles".into(), Some(12.0)), ("5 to 10".into(), None)],
            Unit::Count("children"),
        ),
    ] {
        assert!(c.svg.starts_with("<svg") && c.svg.ends_with("</svg>"), "{}", c.svg);
        assert!(c.svg.contains("role=\"img\"") && c.svg.contains("<title id=") && c.svg.contains("<desc id="));
        assert!(!c.svg.contains("style") && !c.svg.contains("<&>"), "{}", c.svg);
        assert!(!c.alt.is_empty());
    }
    let c = line("c1", "Children looked after", &x, &s, Unit::Count("children"));
    assert!(c.alt.contains("650") && c.alt.contains("684"), "{}", c.alt);
    assert!(c.svg.contains("31 Mar 2026 &lt;&amp;&gt;"));
    assert_eq!(c, line("c1", "Children looked after", &x, &s, Unit::Count("children")), "the same chart every time");
}

#[test]
fn missing_figures_are_gaps_and_nothing_is_no_data() {
    let x = labels(&["a", "b", "c"]);
    let gap = [Series { label: "s".into(), points: vec![Some(10.0), None, Some(12.0)] }];
    let c = line("g", "Gap", &x, &gap, Unit::Count("n"));
    assert!(!c.svg.contains("<polyline"), "two points either side of a gap are not joined: {}", c.svg);
    let h = histogram("h", "H", &[("a".into(), None)], Unit::Count("n"));
    assert!(h.svg.contains("No data"));
    assert!(line("e", "Empty", &[], &[], Unit::Count("n")).svg.contains("No data"));
}

#[test]
fn money_is_in_pounds_with_separators_on_the_axis_and_in_words() {
    let x = labels(&["2022", "2023", "2024", "2025", "2026"]);
    let s = [Series {
        label: "Children's homes: average weekly cost".into(),
        points: vec![Some(4_310.0), Some(4_820.0), None, Some(5_902.4), Some(7_641_421.0)],
    }];
    let c = line("p", "Average weekly cost of new placements", &x, &s, Unit::Pounds("a week"));
    assert!(c.svg.contains(">£8,000,000<") && c.svg.contains(">£ a week<"), "{}", c.svg);
    assert!(c.alt.contains("went from £4,310 a week (2022) to £7,641,421 a week (2026)"), "{}", c.alt);
    assert!(!c.svg.contains("7641421") && !c.alt.contains("7641421"));
    assert!(overflowing_labels(&c.svg).is_empty(), "{:?}", overflowing_labels(&c.svg));
}

/// The dashboard of a council in the national synthetic history (England's size, so a large council's
/// figures run to tens of thousands of children and millions of pounds): every label of every chart inside.
#[test]
fn no_label_leaves_its_chart_on_a_large_councils_figures() {
    use hearth_intel::synthetic::{SyntheticConfig, national};
    use hearth_intel::{History, Query, Scope, dashboard};
    let cfg = SyntheticConfig {
        councils: 6,
        children: 24_000,
        years: 6,
        referrals_per_year: 8_000,
        ..SyntheticConfig::national()
    };
    let h = History::new(national(&cfg));
    for scope in [Scope::Council(h.councils[0].la_code), Scope::Region] {
        let q = Query::new(&h, scope, h.today, None).unwrap();
        let d = dashboard(&h, &q);
        let charts: Vec<_> = d.sections.iter().flat_map(|s| &s.charts).collect();
        assert!(charts.len() >= 6, "{}", charts.len());
        for c in charts {
            assert!(overflowing_labels(&c.svg).is_empty(), "{}: {:?}", c.id, overflowing_labels(&c.svg));
        }
    }
    // Long names, many bars and a wide axis, drawn to the edge.
    let long = "Unregistered or exempt supported accommodation for young people aged 16 and 17";
    let bins: Vec<(String, Option<f64>)> = (0..12)
        .map(|i| (format!("{long} {i}"), if i == 3 { None } else { Some(1_234_567.0 * f64::from(i)) }))
        .collect();
    let c = histogram("h", "Long", &bins, Unit::Pounds(""));
    assert!(overflowing_labels(&c.svg).is_empty(), "{:?}", overflowing_labels(&c.svg));
    let x: Vec<String> = (0..12).map(|i| format!("Quarter ending 31 March {}", 2015 + i)).collect();
    let s = [Series { label: long.repeat(2), points: (0..12).map(|i| Some(f64::from(i) * 99_999.0)).collect() }];
    for c in [line("l", "L", &x, &s, Unit::Count("children")), stacked_bars("s", "S", &x, &s, Unit::Count("children"))]
    {
        assert!(overflowing_labels(&c.svg).is_empty(), "{}: {:?}", c.id, overflowing_labels(&c.svg));
    }
}

#[test]
fn shares_stop_at_100_percent_even_when_they_add_up_to_a_hair_over() {
    let x = labels(&["2025", "2026"]);
    let third = 100.0 / 3.0 + 1e-9;
    let s: Vec<Series> =
        (0..3).map(|k| Series { label: format!("Type {k}"), points: vec![Some(third), Some(third)] }).collect();
    let c = stacked_bars("s", "Shares", &x, &s, Unit::Percent);
    assert!(c.svg.contains(">100%<") && !c.svg.contains(">120%<") && !c.svg.contains(">150%<"), "{}", c.svg);
}

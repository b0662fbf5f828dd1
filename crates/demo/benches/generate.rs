//! How long the demo region takes: `cargo bench -p hearth-demo`.
//!
//! `generate` runs with the embedded reference data already parsed (it is parsed once per process);
//! `parse_reference_data` measures that one-off cost on its own. Peak memory is measured outside
//! divan, on the `generate` example (see `crates/demo/README.md`).

use hearth_demo::{DemoConfig, generate};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn generate_region(bencher: divan::Bencher) {
    // Warm the lazily parsed reference data outside the timed runs.
    let _ = hearth_reference::Gazetteer::get();
    let config = DemoConfig::default();
    bencher.bench(|| generate(divan::black_box(&config)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn parse_reference_data() -> usize {
    let g = hearth_reference::Gazetteer::load().expect("embedded gazetteer parses");
    let providers = hearth_reference::ofsted::load_providers().expect("embedded register parses");
    let rows = hearth_reference::dfe::load_march31().expect("embedded DfE table parses");
    g.len() + providers.len() + rows.len()
}

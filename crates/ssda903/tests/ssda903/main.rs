//! The export's tests: hand-made histories against hand-written rows, each self-check rule with a
//! failing case, bad input, and the demo region's return for every council.

mod check;
mod demo;
mod round_trip;
mod support;

//! hearth-intel's tests: disclosure control (known answers and properties), every measure on
//! hand-made histories with known answers, the questions refused, and the charts.
#![allow(clippy::unwrap_used)]

mod charts;
mod disclosure;
mod history;
mod measures;
mod synthetic;

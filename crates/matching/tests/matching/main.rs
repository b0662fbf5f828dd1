//! hearth-matching's integration tests, in one binary (link time matters on two cores).

mod factors;
mod props;
mod rules;
mod support;
mod updates;

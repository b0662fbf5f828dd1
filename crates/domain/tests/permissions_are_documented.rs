//! The README's "Who may see what" table must say exactly what `access.rs` grants: the two are the
//! written permissions a council's information governance lead signs off.

use hearth_domain::access::Capability;
use hearth_domain::org::Role;
use std::collections::BTreeSet;

#[test]
fn readme_table_matches_the_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).expect("README.md");
    for role in Role::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", role.label())))
            .unwrap_or_else(|| panic!("the README has no row for {}", role.label()));
        let listed: BTreeSet<&str> = row.split('`').skip(1).step_by(2).collect();
        let granted: BTreeSet<&str> = role.capabilities().iter().map(|c| c.code()).collect();
        assert_eq!(listed, granted, "README row for {} differs from access.rs", role.label());
        for code in &listed {
            assert!(Capability::parse(code).is_ok(), "{code} is not a capability");
        }
    }
}

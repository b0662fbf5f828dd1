//! Each self-check rule with a case that breaks it, and the bad input the issue names.

use crate::support::*;
use hearth_domain::PlaceProvider::{Pr0, Pr1, Pr4};
use hearth_domain::PlacementType::{H5, K2, P1, U6};
use hearth_domain::ReasonEpisodeCeased::{E4a, X1};
use hearth_domain::{ChildId, LegalStatus, PlacementId, Postcode, ReasonNewEpisode};
use hearth_ssda903::check::check;
use hearth_ssda903::{Episode, Export, Rule, Table};

fn ep(child: &str, decom: &str, dec: Option<&str>) -> Episode {
    Episode {
        child: ChildId(child.len() as i64),
        reference: child.to_owned(),
        decom: day(decom),
        rne: ReasonNewEpisode::S,
        ls: LegalStatus::C2,
        cin: None,
        place: U6,
        place_provider: Some(Pr1),
        dec: dec.map(day),
        rec: dec.map(|_| E4a),
        reason_place_change: None,
        home_post: None,
        pl_post: None,
        urn: None,
        placement: PlacementId(1),
    }
}

/// The rules broken by `episodes`, with the row and field of each problem.
fn broken(episodes: &[Episode]) -> Vec<(Rule, usize, &'static str)> {
    check(year(2026), episodes).into_iter().map(|p| (p.rule, p.row, p.field)).collect()
}

#[test]
fn a_clean_chain_passes() {
    let first = Episode { rec: Some(X1), ..ep("A", "2025-04-01", Some("2025-06-01")) };
    let second = Episode { rne: ReasonNewEpisode::P, ..ep("A", "2025-06-01", None) };
    assert_eq!(broken(&[first, second]), []);
}

#[test]
fn overlapping_episodes() {
    let first = Episode { rec: Some(X1), ..ep("A", "2025-04-01", Some("2025-06-10")) };
    let second = ep("A", "2025-06-01", None);
    assert!(broken(&[first, second]).contains(&(Rule::Overlap, 1, "DECOM")));
}

#[test]
fn an_episode_that_ends_the_day_it_starts() {
    assert_eq!(broken(&[ep("A", "2025-06-01", Some("2025-06-01"))]), [(Rule::EndsOnStartDay, 1, "DEC")]);
}

#[test]
fn an_open_episode_before_the_last() {
    let problems = broken(&[ep("A", "2025-04-01", None), ep("A", "2025-06-01", None)]);
    assert_eq!(problems, [(Rule::OpenBeforeEnd, 1, "DEC")]);
}

#[test]
fn a_code_the_year_does_not_accept() {
    let h5 = Episode { place: H5, place_provider: Some(Pr4), ..ep("A", "2025-04-01", None) };
    assert_eq!(broken(std::slice::from_ref(&h5)), [(Rule::CodeNotValidForYear, 1, "PLACE")]);
    assert_eq!(check(year(2025), &[h5]), [], "H5 was still accepted in 2024/25");
}

#[test]
fn x1_only_when_a_new_episode_follows_the_same_day() {
    let alone = Episode { rec: Some(X1), ..ep("A", "2025-04-01", Some("2025-06-01")) };
    assert_eq!(broken(&[alone]), [(Rule::X1WithoutNextEpisode, 1, "REC")]);
    // A gap before the next: not X1 either.
    let gap = Episode { rec: Some(X1), ..ep("A", "2025-04-01", Some("2025-06-01")) };
    assert_eq!(broken(&[gap, ep("A", "2025-07-01", None)]), [(Rule::X1WithoutNextEpisode, 1, "REC")]);
    // The next child's episode does not count as following.
    let other = Episode { rec: Some(X1), ..ep("A", "2025-04-01", Some("2025-06-01")) };
    assert_eq!(broken(&[other, ep("BB", "2025-06-01", None)]), [(Rule::X1WithoutNextEpisode, 1, "REC")]);
    // And a new episode the same day needs X1.
    let left = ep("A", "2025-04-01", Some("2025-06-01"));
    assert_eq!(broken(&[left, ep("A", "2025-06-01", None)]), [(Rule::X1WithoutNextEpisode, 1, "REC")]);
}

#[test]
fn a_closed_episode_needs_a_reason() {
    let silent = Episode { rec: None, ..ep("A", "2025-04-01", Some("2025-06-01")) };
    assert_eq!(broken(&[silent]), [(Rule::MissingReasonCeased, 1, "REC")]);
}

#[test]
fn place_provider_where_dfe_requires_it() {
    let none = Episode { place_provider: None, ..ep("A", "2025-04-01", None) };
    assert_eq!(broken(&[none]), [(Rule::PlaceProvider, 1, "PLACE_PROVIDER")]);
    let parents = Episode { place: P1, place_provider: Some(Pr4), ..ep("A", "2025-04-01", None) };
    assert_eq!(broken(&[parents]), [(Rule::PlaceProvider, 1, "PLACE_PROVIDER")]);
    let right = Episode { place: P1, place_provider: Some(Pr0), ..ep("A", "2025-04-01", None) };
    assert_eq!(broken(&[right]), []);
}

#[test]
fn problems_say_which_child_row_and_field_in_a_sentence_and_the_export_still_completes() {
    let h = history(
        child(1, "Z9", "2012-05-01"),
        &[(LegalStatus::C2, "2025-04-01")],
        &[Stay {
            id: 1,
            home: Some(10),
            urn: None,
            postcode: Some("CV2 2BB"),
            place: K2,
            provider: Pr4,
            start: "2025-04-01",
            end: Some("2025-06-01"),
            rec: Some(X1),
            change: None,
        }],
    );
    let e = export(&[h], 2026);
    assert_eq!(e.problems.len(), 1);
    let p = &e.problems[0];
    assert_eq!((p.child.as_str(), p.row, p.field), ("Z9", 1, "REC"));
    assert!(p.message.contains("no new episode starts"), "{}", p.message);
    assert_eq!(table(&e, Table::Episodes).len(), 2, "the episode is still exported");
    assert_eq!(
        table(&e, Table::Problems)[1],
        "Z9,1,REC,x1_without_next_episode,REC is X1 but no new episode starts on the day this one ends"
    );
    assert!(e.report().contains("row 1, child Z9, REC: REC is X1"), "{}", e.report());
}

#[test]
fn no_placements_gives_header_only_tables_and_a_note() {
    let dir = tempfile::tempdir().expect("a folder");
    let e = Export::build(coventry(), year(2026), &[], &Places::new());
    e.write_dir(dir.path()).expect("written");
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).expect(f);
    assert_eq!(read("Episodes.csv").trim_end(), EPISODES_HEADER);
    assert_eq!(read("Header.csv").trim_end(), "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB");
    assert_eq!(read("UASC.csv").trim_end(), "CHILD,SEX,DOB,DUC");
    assert_eq!(read("OC3.csv").trim_end(), "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM");
    assert!(read("README.txt").contains("no children looked after in the 2025 to 2026 collection year"));
    assert!(read("README.txt").contains("OC2.csv: outcomes"));
    assert!(read("report.txt").contains("header only"));
    // 2025/26 has social worker episodes but no deprivation of liberty orders yet.
    assert!(dir.path().join("SWEpisodes.csv").exists());
    assert!(!dir.path().join("DoLo.csv").exists());
}

#[test]
fn a_missing_postcode_is_999_9_and_listed() {
    let mut c = child(1, "M1", "2012-05-01");
    let stay = |id, postcode| Stay {
        id,
        home: Some(10),
        urn: None,
        postcode,
        place: U6,
        provider: Pr1,
        start: "2025-05-01",
        end: None,
        rec: None,
        change: None,
    };
    let no_placement_postcode = history(c.clone(), &[(LegalStatus::C2, "2025-05-01")], &[stay(1, None)]);
    c.id = ChildId(2);
    c.reference = hearth_domain::child::ChildReference::parse("M2").expect("a reference");
    c.home_postcode = Some(Postcode::parse("SW1A 1AA").expect("a postcode"));
    let unknown_home = history(c, &[(LegalStatus::C2, "2025-05-01")], &[stay(2, Some("CV2 2BB"))]);
    let e = export(&[no_placement_postcode, unknown_home], 2026);
    let report = table(&e, Table::Report);
    assert_eq!(report[1], "1,M1,01/05/2025,,U6,CV1 1AA,,999.9,,,999.9,the placement's postcode (PL_POST) is missing");
    assert!(report[2].starts_with("2,M2,01/05/2025,,U6,SW1A 1AA,CV2 2BB,999.9,E08000026,IN,"), "{}", report[2]);
    let listed: Vec<(usize, String)> = e.unknown_distances().into_iter().map(|u| (u.row, u.child)).collect();
    assert_eq!(listed, [(1, "M1".to_owned()), (2, "M2".to_owned())]);
    assert!(e.report().contains("row 1, child M1, placement 1: the placement's postcode (PL_POST) is missing"));
    assert!(e.summary().contains("2 episodes with an unknown distance"), "{}", e.summary());
}

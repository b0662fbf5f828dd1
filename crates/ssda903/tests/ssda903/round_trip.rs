//! Hand-made placement histories and the Episodes rows a data officer would write for them.

use crate::support::*;
use hearth_domain::LegalStatus;
use hearth_domain::PlaceProvider::{Pr0, Pr1, Pr4};
use hearth_domain::PlacementType::{A5, K2, P1, U4, U6};
use hearth_domain::ReasonEpisodeCeased::{E4a, E17, X1};
use hearth_domain::ReasonPlaceChange::{Carpl, Creqb};
use hearth_ssda903::Table;

#[test]
fn a_move_is_a_new_episode_p_with_x1_and_the_reason_on_the_one_that_ceased() {
    let h = history(
        child(1, "A1", "2012-05-01"),
        &[(LegalStatus::C2, "2024-06-01")],
        &[
            Stay {
                id: 1,
                home: Some(10),
                urn: Some("SC111111"),
                postcode: Some("CV2 2BB"),
                place: U6,
                provider: Pr1,
                start: "2024-06-01",
                end: Some("2025-09-10"),
                rec: Some(X1),
                change: Some(Creqb),
            },
            Stay {
                id: 2,
                home: Some(20),
                urn: Some("SC222222"),
                postcode: Some("B90 3CC"),
                place: K2,
                provider: Pr4,
                start: "2025-09-10",
                end: None,
                rec: None,
                change: None,
            },
        ],
    );
    let e = export(&[h], 2026);
    assert_episodes(
        &e,
        &[
            "A1,01/06/2024,S,C2,N1,U6,PR1,10/09/2025,X1,CREQB,CV1 1AA,CV2 2BB,SC111111",
            "A1,10/09/2025,P,C2,N1,K2,PR4,,,,CV1 1AA,B90 3CC,SC222222",
        ],
    );
    // DfE's distances: CV1 1AA to CV2 2BB is hypot(3000, 4000) m = 3.1 miles, inside Coventry; to
    // B90 3CC 30 km = 18.6 miles, in Solihull.
    assert_eq!(
        table(&e, Table::Report)[1..],
        [
            "1,A1,01/06/2024,10/09/2025,U6,CV1 1AA,CV2 2BB,3.1,E08000026,IN,999.9,",
            "2,A1,10/09/2025,,K2,CV1 1AA,B90 3CC,18.6,E08000029,OUT,999.9,",
        ]
    );
}

#[test]
fn a_change_of_legal_status_alone_is_l_with_the_same_placement() {
    let h = history(
        child(2, "B1", "2015-02-03"),
        &[(LegalStatus::C1, "2025-01-10"), (LegalStatus::C2, "2025-07-01")],
        &[Stay {
            id: 3,
            home: Some(11),
            urn: Some("SC333333"),
            postcode: Some("CV2 2BB"),
            place: U4,
            provider: Pr1,
            start: "2025-01-10",
            end: None,
            rec: None,
            change: None,
        }],
    );
    assert_episodes(
        &export(&[h], 2026),
        &[
            "B1,10/01/2025,S,C1,N1,U4,PR1,01/07/2025,X1,,CV1 1AA,CV2 2BB,SC333333",
            "B1,01/07/2025,L,C2,N1,U4,PR1,,,,CV1 1AA,CV2 2BB,SC333333",
        ],
    );
}

#[test]
fn status_and_placement_on_one_day_is_b_or_u_with_the_same_carer() {
    let h = history(
        child(3, "C1", "2021-09-09"),
        &[(LegalStatus::V2, "2025-05-01"), (LegalStatus::C2, "2025-08-01"), (LegalStatus::E1, "2025-11-03")],
        &[
            Stay {
                id: 4,
                home: Some(10),
                urn: Some("SC111111"),
                postcode: Some("CV2 2BB"),
                place: U6,
                provider: Pr1,
                start: "2025-05-01",
                end: Some("2025-08-01"),
                rec: Some(X1),
                change: Some(Carpl),
            },
            // A new carer and a care order the same day: B.
            Stay {
                id: 5,
                home: Some(12),
                urn: Some("SC444444"),
                postcode: Some("B90 3CC"),
                place: U6,
                provider: Pr4,
                start: "2025-08-01",
                end: Some("2025-11-03"),
                rec: Some(X1),
                change: Some(Carpl),
            },
            // A placement order and the same carers become the adopters: U.
            Stay {
                id: 6,
                home: Some(12),
                urn: Some("SC444444"),
                postcode: Some("B90 3CC"),
                place: A5,
                provider: Pr4,
                start: "2025-11-03",
                end: None,
                rec: None,
                change: None,
            },
        ],
    );
    assert_episodes(
        &export(&[h], 2026),
        &[
            "C1,01/05/2025,S,V2,N1,U6,PR1,01/08/2025,X1,CARPL,CV1 1AA,CV2 2BB,SC111111",
            "C1,01/08/2025,B,C2,N1,U6,PR4,03/11/2025,X1,CARPL,CV1 1AA,B90 3CC,SC444444",
            "C1,03/11/2025,U,E1,N1,A5,PR4,,,,CV1 1AA,B90 3CC,SC444444",
        ],
    );
}

#[test]
fn a_return_home_ends_the_period_and_coming_back_starts_another() {
    let h = history(
        child(4, "D1", "2010-01-15"),
        &[(LegalStatus::V2, "2024-10-01")],
        &[
            Stay {
                id: 7,
                home: Some(10),
                urn: Some("SC111111"),
                postcode: Some("CV2 2BB"),
                place: U6,
                provider: Pr1,
                start: "2024-10-01",
                end: Some("2025-06-15"),
                rec: Some(E4a),
                change: None,
            },
            Stay {
                id: 8,
                home: None,
                urn: None,
                postcode: Some("CV1 1AA"),
                place: P1,
                provider: Pr0,
                start: "2025-12-01",
                end: None,
                rec: None,
                change: None,
            },
        ],
    );
    assert_episodes(
        &export(&[h], 2026),
        &[
            "D1,01/10/2024,S,V2,N1,U6,PR1,15/06/2025,E4A,,CV1 1AA,CV2 2BB,SC111111",
            "D1,01/12/2025,S,V2,N1,P1,PR0,,,,CV1 1AA,CV1 1AA,",
        ],
    );
}

#[test]
fn a_child_turning_18_and_staying_put_leaves_care_e17_on_the_birthday() {
    let h = history(
        child(5, "E1", "2007-08-20"),
        &[(LegalStatus::C2, "2022-03-01")],
        &[Stay {
            id: 9,
            home: Some(13),
            urn: Some("SC555555"),
            postcode: Some("CV2 2BB"),
            place: U4,
            provider: Pr4,
            start: "2022-03-01",
            end: Some("2025-08-20"),
            rec: Some(E17),
            change: None,
        }],
    );
    assert_episodes(&export(&[h], 2026), &["E1,01/03/2022,S,C2,N1,U4,PR4,20/08/2025,E17,,CV1 1AA,CV2 2BB,SC555555"]);
}

#[test]
fn the_year_keeps_episodes_open_at_any_time_in_it_and_shows_later_endings_as_open() {
    let stay = |id, start, end: Option<&'static str>, rec| Stay {
        id,
        home: Some(10),
        urn: None,
        postcode: Some("CV2 2BB"),
        place: U6,
        provider: Pr1,
        start,
        end,
        rec,
        change: None,
    };
    // Left care before the year: not in it. Ended after 31 March: open in this year's return.
    let gone = history(
        child(6, "F1", "2012-01-01"),
        &[(LegalStatus::V2, "2023-01-01")],
        &[stay(10, "2023-01-01", Some("2025-03-31"), Some(E4a))],
    );
    let later = history(
        child(7, "F2", "2012-01-01"),
        &[(LegalStatus::V2, "2025-04-01")],
        &[stay(11, "2025-04-01", Some("2026-05-01"), Some(E4a))],
    );
    let e = export(&[gone, later], 2026);
    assert_episodes(&e, &["F2,01/04/2025,S,V2,N1,U6,PR1,,,,CV1 1AA,CV2 2BB,"]);
    assert_eq!(table(&e, Table::Header), ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB", "F2,F,01/01/2012,WBRI,,,"]);
    // Before 2024/25, SEX is 1/2.
    let old = history(
        child(8, "F3", "2012-01-01"),
        &[(LegalStatus::V2, "2023-06-01")],
        &[stay(12, "2023-06-01", None, None)],
    );
    assert_eq!(table(&export(&[old], 2024), Table::Header)[1], "F3,2,01/01/2012,WBRI,,,");
}

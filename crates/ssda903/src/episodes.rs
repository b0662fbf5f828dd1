//! From placements and legal statuses to the 903 episode chain. An episode is a stretch of care with
//! one placement and one legal status: a new one begins with every change of either, and the
//! reason it began (RNE) says which changed and whether the carer stayed the same.

use crate::CollectionYear;
use hearth_domain::child::{Child, LegalStatusChange};
use hearth_domain::placement::Placement;
use hearth_domain::{
    CategoryOfNeed, ChildId, LegalStatus, PlaceProvider, PlacementId, PlacementType, Postcode, ReasonEpisodeCeased,
    ReasonNewEpisode, ReasonPlaceChange,
};
use jiff::civil::Date;
use std::collections::HashMap;

/// A placement with its home's Ofsted URN (`None` where there is no registered setting).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedRecord {
    pub placement: Placement,
    pub urn: Option<String>,
}

/// Everything the return needs about one child.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildHistory {
    pub child: Child,
    /// The child's legal status changes, in any order.
    pub legal_statuses: Vec<LegalStatusChange>,
    /// The child's placements, in any order.
    pub placements: Vec<PlacedRecord>,
}

/// One row of the Episodes table, with the placement it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub child: ChildId,
    /// CHILD: the council's reference.
    pub reference: String,
    pub decom: Date,
    pub rne: ReasonNewEpisode,
    pub ls: LegalStatus,
    pub cin: Option<CategoryOfNeed>,
    pub place: PlacementType,
    /// Blank where DfE records no provider (temporary and "other" placements).
    pub place_provider: Option<PlaceProvider>,
    pub dec: Option<Date>,
    pub rec: Option<ReasonEpisodeCeased>,
    pub reason_place_change: Option<ReasonPlaceChange>,
    pub home_post: Option<Postcode>,
    pub pl_post: Option<Postcode>,
    pub urn: Option<String>,
    pub placement: PlacementId,
}

/// A stretch of one placement under one legal status.
struct Segment<'a> {
    placed: &'a PlacedRecord,
    from: Date,
    to: Option<Date>,
    status: LegalStatus,
    /// The segment runs to the placement's own end (so the placement's REC applies).
    last_of_placement: bool,
}

/// The legal status in force on `day`: the latest change on or before it. A placement that began
/// before the first recorded change takes that first change's status (the record started late);
/// with no changes at all, the child's current status.
fn status_on(changes: &[&LegalStatusChange], day: Date, current: LegalStatus) -> LegalStatus {
    changes.iter().rev().find(|c| c.from <= day).or_else(|| changes.first()).map_or(current, |c| c.legal_status)
}

fn segments<'a>(h: &'a ChildHistory) -> Vec<Segment<'a>> {
    let mut placements: Vec<&PlacedRecord> = h.placements.iter().collect();
    placements.sort_by_key(|p| (p.placement.start, p.placement.id));
    let mut changes: Vec<&LegalStatusChange> = h.legal_statuses.iter().collect();
    changes.sort_by_key(|c| c.from);
    let mut out: Vec<Segment<'a>> = Vec::with_capacity(placements.len() + changes.len());
    for placed in placements {
        let p = &placed.placement;
        let first = out.len();
        out.push(Segment {
            placed,
            from: p.start,
            to: p.end,
            status: status_on(&changes, p.start, h.child.legal_status),
            last_of_placement: true,
        });
        for c in changes.iter().filter(|c| c.from > p.start && p.end.is_none_or(|e| c.from < e)) {
            let open = out.len() - 1;
            // A change to the status already in force is no change: no new episode.
            if out[open].status == c.legal_status {
                continue;
            }
            out[open].to = Some(c.from);
            out[open].last_of_placement = false;
            out.push(Segment { placed, from: c.from, to: p.end, status: c.legal_status, last_of_placement: true });
        }
        debug_assert!(out.len() > first);
    }
    out
}

/// Whether `next` continues the care of `prev` on the same day (else it starts a new period of care).
/// Overlapping placements count as continuing: the self-check reports the overlap itself.
fn continues(prev: &Segment<'_>, next: &Segment<'_>) -> bool {
    match prev.to {
        None => true,
        Some(end) if end > next.from => true,
        Some(end) if end < next.from => false,
        Some(_) => {
            let left_care = prev.last_of_placement
                && prev.placed.placement.reason_ceased.is_some_and(ReasonEpisodeCeased::leaves_care);
            !left_care
        }
    }
}

fn same_carer(a: &Placement, b: &Placement) -> bool {
    a.home.is_some() && a.home == b.home
}

fn reason_new(prev: &Segment<'_>, next: &Segment<'_>) -> ReasonNewEpisode {
    let (a, b) = (&prev.placed.placement, &next.placed.placement);
    let moved = a.id != b.id;
    let status_changed = prev.status != next.status;
    match (moved, status_changed, same_carer(a, b)) {
        (false, _, _) => ReasonNewEpisode::L,
        (true, false, true) => ReasonNewEpisode::T,
        (true, false, false) => ReasonNewEpisode::P,
        (true, true, true) => ReasonNewEpisode::U,
        (true, true, false) => ReasonNewEpisode::B,
    }
}

/// The child's whole episode chain, oldest first, across every period of care Hearth holds.
pub fn derive_episodes(h: &ChildHistory) -> Vec<Episode> {
    let segs = segments(h);
    let mut out = Vec::with_capacity(segs.len());
    // PL_POST of a temporary placement is the usual placement's: the last one that was not temporary.
    let mut usual_post: Option<&Postcode> = None;
    for (k, seg) in segs.iter().enumerate() {
        let p = &seg.placed.placement;
        let prev = k.checked_sub(1).map(|i| &segs[i]).filter(|prev| continues(prev, seg));
        let next = segs.get(k + 1).filter(|next| continues(seg, next));
        if prev.is_none() {
            usual_post = None;
        }
        let rec = match (seg.to, next) {
            (None, _) => None,
            (Some(_), Some(_)) => Some(ReasonEpisodeCeased::MOVE),
            (Some(_), None) if seg.last_of_placement => p.reason_ceased,
            (Some(_), None) => Some(ReasonEpisodeCeased::MOVE),
        };
        let moved_on = next.filter(|n| n.placed.placement.id != p.id);
        let reason_place_change = moved_on
            .filter(|n| !p.placement_type.is_temporary() && !n.placed.placement.placement_type.is_temporary())
            .and(p.reason_change);
        let pl_post = if p.placement_type.is_temporary() {
            usual_post.or(p.postcode.as_ref()).cloned()
        } else {
            usual_post = p.postcode.as_ref();
            p.postcode.clone()
        };
        // DfE wants no home address for UASC or short breaks.
        let home_post =
            (!h.child.uasc && !seg.status.is_short_break()).then(|| h.child.home_postcode.clone()).flatten();
        out.push(Episode {
            child: h.child.id,
            reference: h.child.reference.as_str().to_owned(),
            decom: seg.from,
            rne: prev.map_or(ReasonNewEpisode::S, |prev| reason_new(prev, seg)),
            ls: seg.status,
            // CIN stays the code from the start of the period of care.
            cin: h.child.category_of_need,
            place: p.placement_type,
            place_provider: p.placement_type.requires_provider().then_some(p.provider),
            dec: seg.to,
            rec,
            reason_place_change,
            home_post,
            pl_post,
            urn: seg.placed.urn.clone(),
            placement: p.id,
        });
    }
    out
}

/// The episodes a year's return holds: those open at any time from 1 April to 31 March. An episode
/// that ended after 31 March was still open at the year's end, so it goes in open.
pub fn in_year(episodes: Vec<Episode>, year: CollectionYear) -> impl Iterator<Item = Episode> {
    let (start, end) = (year.start(), year.end());
    episodes.into_iter().filter(move |e| e.decom <= end && e.dec.is_none_or(|d| d >= start)).map(move |mut e| {
        if e.dec.is_some_and(|d| d > end) {
            e.dec = None;
            e.rec = None;
            e.reason_place_change = None;
        }
        e
    })
}

/// Groups flat lists (as a store reads them) into one history per child, ordered by CHILD reference.
/// Legal statuses and placements of children not in `children` are dropped.
pub fn group_histories(
    children: Vec<Child>,
    legal_statuses: Vec<LegalStatusChange>,
    placements: Vec<PlacedRecord>,
) -> Vec<ChildHistory> {
    let mut out: Vec<ChildHistory> = children
        .into_iter()
        .map(|child| ChildHistory { child, legal_statuses: Vec::new(), placements: Vec::new() })
        .collect();
    out.sort_by(|a, b| a.child.reference.cmp(&b.child.reference).then(a.child.id.cmp(&b.child.id)));
    let at: HashMap<ChildId, usize> = out.iter().enumerate().map(|(i, h)| (h.child.id, i)).collect();
    for l in legal_statuses {
        if let Some(&i) = at.get(&l.child) {
            out[i].legal_statuses.push(l);
        }
    }
    for p in placements {
        if let Some(&i) = at.get(&p.placement.child) {
            out[i].placements.push(p);
        }
    }
    out
}

//! One council's return for one collection year: built from the records, then written table by table
//! to any writer, or as a folder.

use crate::check::{Problem, check};
use crate::derived::{Derived, Locator, Unknown, derive};
use crate::episodes::{ChildHistory, Episode, derive_episodes, in_year};
use crate::tables::{Table, ddmmyyyy, empty_tables, miles};
use crate::{CollectionYear, Ssda903Error};
use hearth_domain::child::Child;
use hearth_domain::council::Council;
use hearth_domain::{Miles, PlacementId};
use std::io::Write;
use std::path::Path;

/// An episode whose distance DfE cannot measure (999.9), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDistance {
    /// The Episodes row (1 is the first under the header).
    pub row: usize,
    pub child: String,
    pub placement: PlacementId,
    pub reason: Unknown,
}

/// A council's return for a collection year, with the self-check's findings.
#[derive(Debug, Clone)]
pub struct Export {
    pub council: &'static Council,
    pub year: CollectionYear,
    /// The children with at least one episode in the year (the Header table), by CHILD.
    pub children: Vec<Child>,
    /// The Episodes rows, by CHILD and then DECOM.
    pub episodes: Vec<Episode>,
    /// DfE's derived fields, one per episode.
    pub derived: Vec<Derived>,
    /// The distance Hearth stored with each episode's placement, for comparison.
    pub hearth_distance: Vec<Miles>,
    pub problems: Vec<Problem>,
}

impl Export {
    /// The return from every child's history (any children with nothing in the year are left out).
    pub fn build(
        council: &'static Council,
        year: CollectionYear,
        histories: &[ChildHistory],
        locator: &impl Locator,
    ) -> Self {
        let mut out = Export {
            council,
            year,
            children: Vec::new(),
            episodes: Vec::new(),
            derived: Vec::new(),
            hearth_distance: Vec::new(),
            problems: Vec::new(),
        };
        for h in histories {
            let before = out.episodes.len();
            for e in in_year(derive_episodes(h), year) {
                let placement = h.placements.iter().find(|p| p.placement.id == e.placement).map(|p| &p.placement);
                let stored_utla = placement.and_then(|p| p.pl_utla.as_deref());
                out.derived.push(derive(&e, h.child.uasc, council, stored_utla, locator));
                out.hearth_distance.push(placement.map_or(Miles::UNKNOWN, |p| p.distance));
                out.episodes.push(e);
            }
            if out.episodes.len() > before {
                out.children.push(h.child.clone());
            }
        }
        out.problems = check(year, &out.episodes);
        out
    }

    /// Episodes whose PL_DISTANCE is DfE's 999.9, with the reason.
    pub fn unknown_distances(&self) -> Vec<UnknownDistance> {
        self.episodes
            .iter()
            .zip(&self.derived)
            .enumerate()
            .filter_map(|(i, (e, d))| {
                d.unknown.map(|reason| UnknownDistance {
                    row: i + 1,
                    child: e.reference.clone(),
                    placement: e.placement,
                    reason,
                })
            })
            .collect()
    }

    /// A sentence saying what the return holds, for the CLI and the README.
    pub fn summary(&self) -> String {
        if self.episodes.is_empty() {
            return format!(
                "{} has no children looked after in the {} collection year in Hearth: every table is written with its header only",
                self.council.name,
                self.year.label()
            );
        }
        let unknown = self.derived.iter().filter(|d| d.unknown.is_some()).count();
        format!(
            "{} episodes of {} children; the self-check found {} problem{}; {} episode{} with an unknown distance (999.9)",
            self.episodes.len(),
            self.children.len(),
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" },
            unknown,
            if unknown == 1 { "" } else { "s" },
        )
    }

    /// Writes one table as CSV.
    pub fn write_table(&self, table: Table, out: impl Write) -> Result<(), Ssda903Error> {
        let fail = |source| Ssda903Error::Csv { what: table.file().to_owned(), source };
        let mut w = csv::Writer::from_writer(out);
        w.write_record(table.columns()).map_err(fail)?;
        match table {
            Table::Header => {
                for c in &self.children {
                    let dob = ddmmyyyy(c.date_of_birth);
                    // UPN, MOTHER and MC_DOB are not held by Hearth: blank, for the case record to fill.
                    w.write_record([c.reference.as_str(), self.sex(c), &dob, c.ethnicity.code(), "", "", ""])
                        .map_err(fail)?;
                }
            }
            Table::Episodes => {
                for e in &self.episodes {
                    let row: [&str; 13] = [
                        &e.reference,
                        &ddmmyyyy(e.decom),
                        e.rne.code(),
                        e.ls.code(),
                        e.cin.map_or("", |c| c.code()),
                        e.place.code(),
                        e.place_provider.map_or("", |p| p.code()),
                        &e.dec.map(ddmmyyyy).unwrap_or_default(),
                        e.rec.map_or("", |r| r.code()),
                        e.reason_place_change.map_or("", |r| r.code()),
                        e.home_post.as_ref().map_or("", |p| p.as_str()),
                        e.pl_post.as_ref().map_or("", |p| p.as_str()),
                        e.urn.as_deref().unwrap_or(""),
                    ];
                    w.write_record(row).map_err(fail)?;
                }
            }
            Table::Uasc => {
                for c in self.children.iter().filter(|c| c.uasc) {
                    let duc = c.date_of_birth.saturating_add(jiff::Span::new().years(18));
                    w.write_record([c.reference.as_str(), self.sex(c), &ddmmyyyy(c.date_of_birth), &ddmmyyyy(duc)])
                        .map_err(fail)?;
                }
            }
            Table::Report => {
                for (i, (e, d)) in self.episodes.iter().zip(&self.derived).enumerate() {
                    let note = d.unknown.map(Unknown::sentence).unwrap_or("");
                    let row: [&str; 12] = [
                        &(i + 1).to_string(),
                        &e.reference,
                        &ddmmyyyy(e.decom),
                        &e.dec.map(ddmmyyyy).unwrap_or_default(),
                        e.place.code(),
                        e.home_post.as_ref().map_or("", |p| p.as_str()),
                        e.pl_post.as_ref().map_or("", |p| p.as_str()),
                        &d.pl_distance.map(miles).unwrap_or_default(),
                        d.pl_la.as_deref().unwrap_or(""),
                        d.pl_location.map_or("", |l| l.code()),
                        &miles(self.hearth_distance[i]),
                        note,
                    ];
                    w.write_record(row).map_err(fail)?;
                }
            }
            Table::Problems => {
                for p in &self.problems {
                    w.write_record([&p.child, &p.row.to_string(), p.field, p.rule.code(), &p.message]).map_err(fail)?;
                }
            }
        }
        w.flush().map_err(|source| Ssda903Error::Io { what: table.file().to_owned(), source })
    }

    fn sex(&self, c: &Child) -> &'static str {
        if self.year.letter_sex_codes() { c.sex.code() } else { c.sex.legacy_code().unwrap_or("") }
    }

    /// Writes the whole return into `dir` (created if missing): the tables, the header-only tables,
    /// README.txt and report.txt.
    pub fn write_dir(&self, dir: &Path) -> Result<(), Ssda903Error> {
        let io = |what: &Path| {
            let what = what.display().to_string();
            move |source| Ssda903Error::Io { what, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        for table in Table::ALL {
            let path = dir.join(table.file());
            let file = std::fs::File::create(&path).map_err(io(&path))?;
            self.write_table(table, std::io::BufWriter::new(file))?;
        }
        for t in empty_tables(self.year) {
            let path = dir.join(t.file);
            std::fs::write(&path, format!("{}\n", t.columns)).map_err(io(&path))?;
        }
        let path = dir.join("README.txt");
        std::fs::write(&path, self.readme()).map_err(io(&path))?;
        let path = dir.join("report.txt");
        std::fs::write(&path, self.report()).map_err(io(&path))?;
        Ok(())
    }

    /// What the folder holds, for whoever opens it.
    pub fn readme(&self) -> String {
        let mut s = format!(
            "SSDA903 return: {} (DfE LA {}), collection year {} (1 April {} to 31 March {})\n\
             Produced by Hearth, the West Midlands regional placement portal (open source, MIT licence), from the\n\
             placements and legal statuses it holds. Postcode locations: OS Code-Point Open, with the ONS April 2023\n\
             LTLA to UTLA lookup; contains OS data (c) Crown copyright and database right, and ONS data, under the\n\
             Open Government Licence v3.0.\n\n{}.\n\n\
             Files\n\
             - Header.csv: one row per child looked after in the year. UPN, MOTHER and MC_DOB are blank: Hearth\n  does not hold them.\n\
             - Episodes.csv: one row per episode of care (a new row for every change of placement and/or legal\n  status). CIN is blank where the council has recorded no category of need. An episode still open on\n  31 March has no DEC.\n\
             - UASC.csv: unaccompanied asylum-seeking children, DUC their 18th birthday.\n\
             - report.csv: each episode with DfE's derived PL_DISTANCE (miles, OS grid), PL_LA and PL_LOCATION,\n  and the distance Hearth holds for the placement.\n\
             - problems.csv and report.txt: what the self-check found, and the episodes whose distance is unknown.\n\
             Tables Hearth does not hold, written with their header only:\n",
            self.council.name,
            self.council.la_code,
            self.year.label(),
            self.year.ending() - 1,
            self.year.ending(),
            self.summary(),
        );
        for t in empty_tables(self.year) {
            s.push_str(&format!("- {}: {}\n", t.file, t.what));
        }
        s
    }

    /// The self-check's findings and the unknown distances, in words.
    pub fn report(&self) -> String {
        let mut s = format!("SSDA903 self-check: {}, {}\n{}.\n", self.council.name, self.year.label(), self.summary());
        if self.problems.is_empty() {
            s.push_str("\nThe self-check found no problems.\n");
        } else {
            s.push_str("\nProblems (Episodes row, child, field):\n");
            for p in &self.problems {
                s.push_str(&format!("- row {}, child {}, {}: {}\n", p.row, p.child, p.field, p.message));
            }
        }
        let unknown = self.unknown_distances();
        if !unknown.is_empty() {
            s.push_str("\nEpisodes with PL_DISTANCE 999.9 (DfE's value when a postcode is missing or unknown):\n");
            for u in unknown {
                s.push_str(&format!(
                    "- row {}, child {}, placement {}: {}\n",
                    u.row,
                    u.child,
                    u.placement,
                    u.reason.sentence()
                ));
            }
        }
        s
    }
}

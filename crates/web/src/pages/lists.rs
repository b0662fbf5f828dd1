//! The lists people work from: a council's referrals and a provider's "sent to us" (what needs
//! action first, filters, search, paging, deadlines in UK time, the children's references for the
//! council), and a council's children found by reference, each child's page with their placements
//! and referrals. Filtering and paging happen in the service's query; the pages only show a page.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{Fields, FormState, capitalise};
use super::paging::{Paging, enc};
use super::referrals::day;
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use hearth_domain::ChildId;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{ReferralStatus, Urgency};
use hearth_service::ServiceError;
use hearth_service::lists::{ListPage, ReferralFilter};
use hearth_service::views::ChildView;
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/referrals", get(referrals))
        .route("/children", get(children))
        .route("/children/{id}", get(child))
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A deadline as a table cell says it: "17:00 Fri 27 Nov 2026", on the UK clock.
pub(super) fn deadline_cell(t: jiff::Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%H:%M %a %-d %b %Y").to_string()
}

/// The first two needs and how many more: a row stays a line or two, the referral's page has them all.
fn needs_cell(needs: &[hearth_domain::referral::Need]) -> String {
    let shown: Vec<String> = needs.iter().take(2).map(|n| n.label().to_lowercase()).collect();
    match needs.len() {
        0 => "None recorded".to_owned(),
        1 | 2 => capitalise(&shown.join(", ")),
        n => format!("{}, and {} more", capitalise(&shown.join(", ")), n - 2),
    }
}

/// A list's page as the pagination under it shows it: "Showing 1 to 25 of 1,234 referrals" and the
/// GOV.UK pagination (the same [`Paging`] as every paged page) linking to `base` + `page=N`.
pub struct Pager {
    pub showing: String,
    pub paging: Paging,
    /// The list's address with its filters, ending in `?` or `&`.
    pub base: String,
    /// What the list holds, for screen readers ("Pages of referrals").
    pub about: &'static str,
}

impl Pager {
    pub fn of<T>(list: &ListPage<T>, noun: &'static str, base: &str) -> Self {
        let total = usize::try_from(list.total).unwrap_or(usize::MAX);
        let paging = Paging::new(Some(&list.page.to_string()), list.per_page as usize, total);
        let showing = if list.total == 0 {
            format!("No {noun} match")
        } else {
            format!(
                "Showing {} to {} of {} {noun}",
                thousands(list.first()),
                thousands(list.last()),
                thousands(list.total)
            )
        };
        Self { showing, paging, base: base.to_owned(), about: noun }
    }
}

/// A list's filters as its address carries them, to be read and shown again in its form.
pub(super) fn query_form(q: Vec<(String, String)>) -> FormState {
    FormState::new(Fields(q))
}

/// The list's address with its filters (every field typed, but the page), ending in `?` or `&`, for
/// the pagination's links.
pub(super) fn list_base(path: &str, form: &FormState) -> String {
    let kept: Vec<(&str, &str)> = form
        .fields
        .0
        .iter()
        .filter(|(k, v)| k != "page" && k != "csrf_token" && !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.trim()))
        .collect();
    let q = serde_urlencoded::to_string(&kept).unwrap_or_default();
    if q.is_empty() { format!("{path}?") } else { format!("{path}?{q}&") }
}

/// A code list's choice as typed into a filter: `None` when empty, an error in words when unknown.
pub(super) fn choice<T>(
    form: &mut FormState,
    field: &str,
    parse: impl Fn(&str) -> Result<T, hearth_domain::DomainError>,
    what: &str,
) -> Option<T> {
    let raw = form.value(field).trim().to_owned();
    if raw.is_empty() {
        return None;
    }
    match parse(&raw) {
        Ok(v) => Some(v),
        Err(_) => {
            form.add(field, format!("Choose {what} from the list"));
            None
        }
    }
}

pub struct ReferralRow {
    id: i64,
    /// The children's references for the council; "Council name" for a provider.
    who: String,
    status: &'static str,
    live: bool,
    urgency: &'static str,
    needed_from: String,
    deadline: String,
    needs: String,
}

#[derive(Template)]
#[template(path = "referral_list.html")]
struct ReferralListPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    provider: bool,
    waiting: bool,
    form: FormState,
    statuses: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    rows: Vec<ReferralRow>,
    pager: Pager,
}

pub(super) fn page_number(raw: &str, form: &mut FormState) -> u32 {
    if raw.trim().is_empty() {
        return 1;
    }
    match raw.trim().parse::<u32>() {
        Ok(n) if n >= 1 => n,
        _ => {
            form.add("page", "The page must be a whole number, 1 or more");
            1
        }
    }
}

async fn referrals(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let provider = who.principal.organisation_kind == OrganisationKind::Provider;
    let mut form = query_form(params);
    let waiting = provider && form.value("view") != "all";
    form.fields.set("view", if waiting { "waiting" } else { "all" });
    if !provider {
        form.fields.0.retain(|(k, _)| k != "view");
    }
    let mut filter = ReferralFilter { waiting, ..Default::default() };
    filter.status = choice(&mut form, "status", ReferralStatus::parse, "a status");
    filter.urgency = choice(&mut form, "urgency", Urgency::parse, "an urgency");
    filter.needed_from = form.date("needed_from", "the first day needed from", false);
    filter.needed_to = form.date("needed_to", "the last day needed from", false);
    filter.search = Some(form.value("q").to_owned());
    let page_raw = form.value("page").to_owned();
    filter.page = page_number(&page_raw, &mut form);
    let list = if form.has_errors() {
        None
    } else {
        form.absorb(app.services.referral_list(&who.principal, &filter, &origin).await, &[])?
    };
    let list = list.unwrap_or(ListPage { rows: vec![], total: 0, page: 1, per_page: 1 });
    let pager = Pager::of(&list, "referrals", &list_base("/referrals", &form));
    let rows = list
        .rows
        .iter()
        .map(|r| ReferralRow {
            id: r.summary.id.0,
            who: if provider { r.council.clone() } else { r.child_references.join(", ") },
            status: r.summary.status.label(),
            live: r.summary.status.is_live(),
            urgency: r.summary.urgency.label(),
            needed_from: day(&r.summary.needed_from),
            deadline: r.deadline.map(deadline_cell).unwrap_or_default(),
            needs: needs_cell(&r.summary.needs),
        })
        .collect();
    let page = ReferralListPage {
        chrome: who.chrome(),
        title: if provider { "Referrals sent to us" } else { "Your council's referrals" },
        error_title: form.has_errors(),
        errors: form.summary(),
        provider,
        waiting,
        statuses: ReferralStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        urgencies: Urgency::ALL.iter().map(|u| (u.code(), u.label())).collect(),
        rows,
        pager,
        form,
    };
    Ok(render(page.form.status(), &page))
}

#[derive(Deserialize, Default)]
pub struct ChildParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

pub struct ChildRow {
    id: i64,
    reference: String,
    age: i16,
    sex: &'static str,
    district: String,
    since: String,
}

#[derive(Template)]
#[template(path = "children.html")]
struct ChildrenPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    rows: Vec<ChildRow>,
    pager: Pager,
}

fn sex_word(c: &ChildView) -> &'static str {
    c.sex.label()
}

async fn children(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Query(params): Query<ChildParams>,
) -> Reply {
    let mut form = FormState::default().with("q", &params.q);
    let page = page_number(&params.page, &mut form);
    let list = if form.has_errors() {
        None
    } else {
        form.absorb(app.services.children_list(&who.principal, Some(&params.q), page, &origin).await, &[])?
    };
    let list = list.unwrap_or(ListPage { rows: vec![], total: 0, page: 1, per_page: 1 });
    let today = app.services.today();
    let pager = Pager::of(&list, "children", &format!("/children?q={}&", enc(params.q.trim())));
    let rows = list
        .rows
        .iter()
        .map(|c| ChildRow {
            id: c.id.0,
            reference: c.reference.clone(),
            age: hearth_domain::child::age_on(c.date_of_birth, today),
            sex: sex_word(c),
            district: c.home_district.clone().unwrap_or_else(|| "Not recorded".to_owned()),
            since: day(&c.looked_after_since),
        })
        .collect();
    let page = ChildrenPage {
        chrome: who.chrome(),
        title: "Find a child",
        error_title: form.has_errors(),
        errors: form.summary(),
        form,
        rows,
        pager,
    };
    Ok(render(page.form.status(), &page))
}

pub struct ChildPlacementRow {
    id: i64,
    home: String,
    kind: String,
    started: String,
    ended: String,
}

#[derive(Template)]
#[template(path = "child.html")]
struct ChildPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    c: ChildView,
    age: i16,
    sex: &'static str,
    since: String,
    born: String,
    placements: Vec<ChildPlacementRow>,
    referrals: Vec<ReferralRow>,
    referral_pager: Pager,
    can_refer: bool,
}

async fn child(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(id): Path<i64>,
    Query(params): Query<ChildParams>,
) -> Reply {
    let c = app.services.child(&who.principal, ChildId(id), &origin).await?;
    let placements = app.services.placements_of_child(&who.principal, ChildId(id), &origin).await?;
    let page_no = params.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let filter = ReferralFilter { child: Some(ChildId(id)), page: page_no, ..Default::default() };
    let list = app.services.referral_list(&who.principal, &filter, &origin).await?;
    let referral_pager = Pager::of(&list, "referrals", &format!("/children/{id}?"));
    let referrals = list
        .rows
        .iter()
        .map(|r| ReferralRow {
            id: r.summary.id.0,
            who: r.child_references.join(", "),
            status: r.summary.status.label(),
            live: r.summary.status.is_live(),
            urgency: r.summary.urgency.label(),
            needed_from: day(&r.summary.needed_from),
            deadline: r.deadline.map(deadline_cell).unwrap_or_default(),
            needs: String::new(),
        })
        .collect();
    // Newest first, each home by its name (a child has a handful of placements, not hundreds).
    let mut placement_rows = Vec::with_capacity(placements.len());
    for p in placements.iter().rev() {
        let home = match p.home {
            Some(h) => match app.services.home(&who.principal, hearth_domain::HomeId(h)).await {
                Ok(home) => home.name,
                Err(ServiceError::NotFound(_)) => format!("Home {h}"),
                Err(e) => return Err(e.into()),
            },
            None => "Not a registered home".to_owned(),
        };
        let kind = hearth_domain::PlacementType::parse(&p.placement_type)
            .map_or_else(|_| p.placement_type.clone(), |k| k.label().to_owned());
        placement_rows.push(ChildPlacementRow {
            id: p.id,
            home,
            kind,
            started: day(&p.start),
            ended: p.end.as_ref().map_or_else(|| "Current".to_owned(), day),
        });
    }
    let today = app.services.today();
    let page = ChildPage {
        chrome: who.chrome(),
        title: format!("Child {}", c.reference),
        error_title: false,
        age: hearth_domain::child::age_on(c.date_of_birth, today),
        sex: sex_word(&c),
        since: day(&c.looked_after_since),
        born: day(&c.date_of_birth),
        placements: placement_rows,
        referrals,
        referral_pager,
        can_refer: who.principal.can(hearth_domain::access::Capability::EditReferrals),
        c,
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}

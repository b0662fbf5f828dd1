//! Placements: a council's list and each placement with the forms to record its end (the child leaves
//! care, with an SSDA903 E code) or a move to another home (X1, with the reason for the change);
//! a provider sees the placements in its homes, read-only.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{FormState, Posted, summary_of};
use super::lists::{Pager, choice, list_base, page_number, query_form};
use super::referrals::day;
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::access::Capability;
use hearth_domain::home::pounds;
use hearth_domain::org::OrganisationKind;
use hearth_domain::placement::{EndingInput, PlacementListStatus};
use hearth_domain::{PlaceProvider, PlacementId, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
use hearth_service::lists::PlacementFilter;
use hearth_service::market::views::MoveInput;
use hearth_service::views::PlacementView;
use hearth_service::{Origin, ServiceError};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/placements", get(list))
        .route("/placements/{id}", get(one))
        .route("/placements/{id}/end", post(end))
        .route("/placements/{id}/move", post(move_child))
}

/// A placement in words. The child is named by nobody here: the list is about homes and dates.
struct Row {
    id: i64,
    home: String,
    rows: Vec<(&'static str, String)>,
}

fn label<T>(
    code: &str,
    parse: impl Fn(&str) -> Result<T, hearth_domain::DomainError>,
    name: impl Fn(T) -> &'static str,
) -> String {
    parse(code).map_or_else(|_| code.to_owned(), |v| format!("{} ({code})", name(v)))
}

impl From<&PlacementView> for Row {
    fn from(p: &PlacementView) -> Self {
        let kind = label(&p.placement_type, PlacementType::parse, PlacementType::label);
        let end = p.end.as_ref().map_or_else(|| "Open".to_owned(), day);
        let cost = p.weekly_cost.map_or_else(|| "Not recorded".to_owned(), |c| format!("{} a week", pounds(c)));
        let mut rows = vec![
            ("Kind of placement", kind),
            ("Provided by", label(&p.provider, PlaceProvider::parse, PlaceProvider::label)),
            ("Started", day(&p.start)),
            ("Ended", end),
            ("Weekly cost", cost),
        ];
        if let Some(r) = &p.reason_ceased {
            rows.push(("Why the episode ended", label(r, ReasonEpisodeCeased::parse, ReasonEpisodeCeased::label)));
        }
        if let Some(r) = &p.reason_change {
            rows.push(("Why the placement changed", label(r, ReasonPlaceChange::parse, ReasonPlaceChange::label)));
        }
        if let Some(planned) = p.planned_ending {
            rows.push(("Planned ending", if planned { "Yes" } else { "No" }.to_owned()));
        }
        if let Some(prev) = p.previous {
            rows.push(("Follows placement", prev.to_string()));
        }
        Self {
            id: p.id,
            home: p.home.map_or_else(|| "Not a registered home".to_owned(), |h| format!("Home {h}")),
            rows,
        }
    }
}

/// One row of the placements list, in words.
pub struct ListRow {
    id: i64,
    /// The child's reference for their council; the council's name for a provider.
    who: String,
    home: String,
    provider: String,
    start: String,
    end: String,
    status: &'static str,
    /// The tag's colour: blue (to sign), green (current), grey (ended).
    tag: &'static str,
}

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    provider: bool,
    form: FormState,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<ListRow>,
    pager: Pager,
    /// The folded filters are open: one of them is set, or wrong.
    more_open: bool,
}

/// The placements the caller may see, what needs action first: current placements whose agreement
/// is not yet signed by both sides, then the other current ones, then the ended, each newest first;
/// filtered by status, home, child, start dates and a search, and paged, by the database.
async fn list(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let provider = who.principal.organisation_kind == OrganisationKind::Provider;
    let mut form = query_form(params);
    let mut filter = PlacementFilter {
        status: choice(&mut form, "status", PlacementListStatus::parse, "a status"),
        started_from: form.date("started_from", "the first start date", false),
        started_to: form.date("started_to", "the last start date", false),
        home: Some(form.value("home").to_owned()),
        search: Some(form.value("q").to_owned()),
        ..Default::default()
    };
    if !provider {
        filter.child = Some(form.value("child").to_owned());
    }
    let page_raw = form.value("page").to_owned();
    filter.page = page_number(&page_raw, &mut form);
    let list = if form.has_errors() {
        None
    } else {
        form.absorb(app.services.placement_list(&who.principal, &filter, &origin).await, &[])?
    };
    let list = list.unwrap_or(hearth_service::lists::ListPage { rows: vec![], total: 0, page: 1, per_page: 1 });
    let pager = Pager::of(&list, "placements", &list_base("/placements", &form));
    let rows = list
        .rows
        .iter()
        .map(|r| {
            let (status, tag) = match (r.to_sign, r.placement.end.is_some()) {
                (_, true) => (PlacementListStatus::Ended.label(), "grey"),
                (true, false) => (PlacementListStatus::ToSign.label(), "blue"),
                (false, false) => (PlacementListStatus::Current.label(), "green"),
            };
            ListRow {
                id: r.placement.id,
                who: if provider { r.council.clone() } else { r.child_reference.clone().unwrap_or_default() },
                home: r.home_name.clone().unwrap_or_else(|| "Not a registered home".to_owned()),
                provider: r.provider_name.clone().unwrap_or_else(|| "None".to_owned()),
                start: day(&r.placement.start),
                end: r.placement.end.as_ref().map_or_else(String::new, day),
                status,
                tag,
            }
        })
        .collect();
    let page = ListPage {
        chrome: who.chrome(),
        title: if provider { "Placements in our homes" } else { "Your council's placements" },
        error_title: form.has_errors(),
        errors: form.summary(),
        provider,
        statuses: PlacementListStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        rows,
        pager,
        more_open: super::offers::any_set(&form, &["home", "child", "started_from", "started_to"]),
        form,
    };
    Ok(render(page.form.status(), &page))
}

#[derive(Template)]
#[template(path = "placement.html")]
struct OnePage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    notice: Option<String>,
    p: Row,
    /// The council may record the end or a move of an open placement.
    can_change: bool,
    end: FormState,
    moving: FormState,
    ceased: Vec<(&'static str, &'static str)>,
    changes: Vec<(&'static str, &'static str)>,
    yes_no: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn page(
    app: &App,
    who: (&Viewer<'_>, &Origin),
    id: i64,
    notice: Option<String>,
    end: FormState,
    moving: FormState,
) -> Reply {
    let (v, origin) = who;
    let (p, csrf) = (v.principal, v.csrf);
    let pl = app.services.placement(p, PlacementId(id), origin).await?;
    let mut row = Row::from(&pl);
    // The home by its name, as the list names it.
    if let Some(h) = pl.home {
        match app.services.home(p, hearth_domain::HomeId(h)).await {
            Ok(home) => row.home = home.name,
            Err(ServiceError::NotFound(_) | ServiceError::Forbidden(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let (errors, status) = summary_of([&end, &moving]);
    let page = OnePage {
        chrome: v.chrome(),
        title: format!("Placement {id}"),
        error_title: !errors.is_empty(),
        errors,
        notice,
        can_change: pl.end.is_none()
            && p.organisation_kind == OrganisationKind::Council
            && p.can(Capability::EditChildren),
        p: row,
        end,
        moving,
        // Leaving care only: X1 is a move, recorded with the other form.
        ceased: ReasonEpisodeCeased::ALL.iter().filter(|r| r.leaves_care()).map(|r| (r.code(), r.label())).collect(),
        changes: ReasonPlaceChange::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        yes_no: vec![("yes", "Yes"), ("no", "No")],
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

#[derive(Deserialize)]
pub struct Done {
    ended: Option<bool>,
    moved_from: Option<i64>,
}

/// Both forms as they start: today's date, a planned ending.
fn fresh(app: &App) -> (FormState, FormState) {
    let today = app.services.today();
    (
        FormState::default().with_date("end", today).with("end_planned", "yes"),
        FormState::default().with_date("date", today).with("planned", "yes"),
    )
}

async fn one(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Reply {
    let notice = match (q.ended, q.moved_from) {
        (Some(true), _) => Some(format!("The end of placement {id} was recorded")),
        (_, Some(from)) => Some(format!("Placement {from} ended and this placement started in the new home")),
        _ => None,
    };
    let (end, moving) = fresh(&app);
    page(&app, (&who.viewer(), &origin), id, notice, end, moving).await
}

async fn end(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let Some(ended) = form.date("end", "the date the placement ended", true) else {
        let (_, moving) = fresh(&app);
        return page(&app, (&post.viewer(), &post.origin), id, None, form, moving).await;
    };
    let input = EndingInput {
        end: ended.to_string(),
        reason_change: None,
        reason_ceased: Some(form.value("reason_ceased").to_owned()),
        planned: form.value("end_planned") != "no",
    };
    let result = app.services.end_placement(&post.principal, PlacementId(id), &input, &post.origin).await;
    if form.absorb_conflict(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/placements/{id}?ended=true")).into_response());
    }
    let (_, moving) = fresh(&app);
    page(&app, (&post.viewer(), &post.origin), id, None, form, moving).await
}

async fn move_child(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let whole = |form: &mut FormState, field: &str, what: &str, required: bool| -> Option<i64> {
        let raw = form.value(field).trim().trim_start_matches('£').replace(',', "");
        if raw.is_empty() {
            if required {
                form.add(field, format!("Enter {what}"));
            }
            return None;
        }
        raw.parse().map_err(|_| form.add(field, format!("Enter {what} as a whole number"))).ok()
    };
    let home = whole(&mut form, "home", "the new home's number", true);
    let vacancy = whole(&mut form, "vacancy", "the vacancy's number", false);
    let weekly_cost = whole(&mut form, "weekly_cost", "the weekly cost in pounds", false);
    let date = form.date("date", "the date of the move", true);
    if let (Some(home), Some(date), false) = (home, date, form.has_errors()) {
        let input = MoveInput {
            date: date.to_string(),
            reason_change: form.value("reason_change").to_owned(),
            planned: form.value("planned") != "no",
            home,
            vacancy,
            weekly_cost,
        };
        let result = app.services.move_placement(&post.principal, PlacementId(id), &input, &post.origin).await;
        if let Some(new) = form.absorb_conflict(result, &[("end", "date")])? {
            return Ok(Redirect::to(&format!("/placements/{}?moved_from={id}", new.id)).into_response());
        }
    }
    let (end, _) = fresh(&app);
    page(&app, (&post.viewer(), &post.origin), id, None, end, form).await
}

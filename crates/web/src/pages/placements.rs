//! Placements: a council's list and each placement with the forms to record its end (the child leaves
//! care, with an SSDA903 E code) or a move to another home (X1, with the reason for the change);
//! a provider sees the placements in its homes, read-only.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{FormState, Posted, summary_of};
use super::referrals::day;
use super::{Chrome, ErrorItem, Signed, TableRow, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::access::Capability;
use hearth_domain::home::pounds;
use hearth_domain::org::OrganisationKind;
use hearth_domain::placement::EndingInput;
use hearth_domain::{PlaceProvider, PlacementId, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
use hearth_service::Origin;
use hearth_service::market::views::MoveInput;
use hearth_service::views::PlacementView;
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
    kind: String,
    start: String,
    end: String,
    cost: String,
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
            ("Kind of placement", kind.clone()),
            ("Provided by", label(&p.provider, PlaceProvider::parse, PlaceProvider::label)),
            ("Started", day(&p.start)),
            ("Ended", end.clone()),
            ("Weekly cost", cost.clone()),
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
            kind,
            start: day(&p.start),
            end,
            cost,
            rows,
        }
    }
}

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    chrome: Chrome,
    title: &'static str,
    caption: String,
    error_title: bool,
    rows: Vec<TableRow>,
}

async fn list(State(app): State<App>, who: Signed, PageOrigin(origin): PageOrigin) -> Reply {
    let list = app.services.placements(&who.principal, &origin).await?;
    let provider = who.principal.organisation_kind == OrganisationKind::Provider;
    let title = if provider { "Placements in our homes" } else { "Your council's placements" };
    let rows = list
        .iter()
        .map(Row::from)
        .map(|r| TableRow {
            head: format!("Placement {}", r.id),
            href: Some(format!("/placements/{}", r.id)),
            cells: vec![r.home, r.kind, r.start, r.end, r.cost],
        })
        .collect();
    let page =
        ListPage { chrome: who.chrome(), title, caption: format!("{title}, newest first"), error_title: false, rows };
    Ok(render(StatusCode::OK, &page))
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
        p: Row::from(&pl),
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

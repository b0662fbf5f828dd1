//! "Our homes": a provider (or a council's in-house service) keeps its vacancies up to date, each
//! edited in place. Every form is a plain post that works without JavaScript (the page comes back,
//! with an error summary when something was wrong); with htmx the answer is only the vacancy's
//! block, swapped where it stood, so the person keeps their place in a long list.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::paging::{Paging, enc};
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::home::HomeKind;
use hearth_domain::{HomeId, VacancyId};
use hearth_service::OwnHome;
use hearth_service::homes::VacancyInput;
use hearth_service::views::VacancyView;
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/homes", get(homes))
        .route("/homes/{id}/vacancies", post(open_vacancy))
        .route("/vacancies/{id}", post(change_vacancy))
}

/// One vacancy as its form shows it: the stored values, or what was typed when it was refused.
pub struct VacancyRow {
    pub id: i64,
    /// "for vacancy 12": what its labels and button are about, for screen readers.
    pub about: String,
    pub summary: String,
    pub form: FormState,
    pub saved: bool,
}

impl VacancyRow {
    fn of(v: &VacancyView) -> Self {
        let mut form = FormState::default();
        form.fields.set("places", &v.places.to_string());
        form.set_date("available_from", v.available_from);
        form.fields.set("available_from_was", &v.available_from.to_string());
        form.fields.set("weekly_price", &v.weekly_price.to_string());
        let sex = match v.sex.as_str() {
            "male" => "boys",
            "female" => "girls",
            _ => "girls and boys",
        };
        Self {
            id: v.id.0,
            about: format!("for vacancy {}", v.id),
            // What the folded form holds now, so nobody opens it only to read it.
            summary: format!(
                "ages {} to {}, {sex}: {} free from {}, £{} a week",
                v.age_min,
                v.age_max,
                match v.places {
                    1 => "1 place".to_owned(),
                    n => format!("{n} places"),
                },
                super::referrals::day(&v.available_from),
                super::lists::thousands(u64::from(v.weekly_price))
            ),
            form,
            saved: false,
        }
    }

    /// The row's errors for the page's error summary, linked to the row's own inputs.
    fn summary(&self) -> impl Iterator<Item = ErrorItem> + '_ {
        self.form.errors.iter().map(|e| ErrorItem {
            field: e.field.as_ref().map(|f| format!("{f}-{}", self.id)),
            message: format!("Vacancy {}: {}", self.id, e.message),
        })
    }
}

pub struct HomeBlock {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub district: String,
    pub places: u16,
    pub vacancies: Vec<VacancyRow>,
    pub open_key: String,
    pub about: String,
    /// The "open a vacancy" form, with its errors when refused.
    pub open: FormState,
}

/// Homes on one page of "Our homes": a provider with sixty homes pages through them, ten at a time.
const PER_PAGE: usize = 10;

/// Which homes the page shows: those whose name or district holds `find`, and of them the page
/// asked for, unless the page is about one home (a refused form's, or the one just saved), which is
/// then on the page shown.
#[derive(Debug, Default)]
pub struct Shown {
    pub page: Option<String>,
    pub find: String,
    pub home: Option<i64>,
    pub vacancy: Option<i64>,
}

#[derive(Template)]
#[template(path = "homes.html")]
struct HomesPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    notice: Option<String>,
    homes: Vec<HomeBlock>,
    paging: Paging,
    find: String,
    /// The page's address with its search, ending in `?` or `&`, for the paging links.
    base: String,
    /// May add, change and close homes (`homes:write`), not only keep their vacancies.
    manage: bool,
    csrf_token: String,
}

/// Just one vacancy's block, for htmx to swap in.
#[derive(Template)]
#[template(path = "vacancy.html")]
struct VacancyFragment {
    v: VacancyRow,
    csrf_token: String,
}

fn blocks(homes: Vec<OwnHome>, today: jiff::civil::Date) -> Vec<HomeBlock> {
    homes
        .into_iter()
        .map(|h| HomeBlock {
            // A new vacancy starts as one place from today at the home's usual price.
            open: {
                let mut open = FormState::default();
                open.fields.set("places", "1");
                open.set_date("available_from", today);
                open.fields.set("weekly_price", &h.home.weekly_price.to_string());
                open
            },
            id: h.home.id.0,
            open_key: format!("home-{}", h.home.id),
            about: format!("at {}", h.home.name),
            kind: HomeKind::parse(&h.home.kind).map_or("Home", |k| k.label()),
            name: h.home.name,
            district: h.home.district,
            places: h.home.places,
            vacancies: h.vacancies.iter().map(VacancyRow::of).collect(),
        })
        .collect()
}

/// The page, with `change` applied to the blocks first (a refused form's input and errors).
async fn homes_page(
    app: &App,
    v: &Viewer<'_>,
    notice: Option<String>,
    shown: Shown,
    change: impl FnOnce(&mut Vec<HomeBlock>),
) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    let mut homes = blocks(app.services.own_homes(p).await?, app.services.today());
    change(&mut homes);
    let find = shown.find.trim().to_owned();
    if !find.is_empty() {
        let needle = find.to_lowercase();
        homes.retain(|h| h.name.to_lowercase().contains(&needle) || h.district.to_lowercase() == needle);
    }
    // A home with a refused form comes first in deciding the page, then the home asked about.
    let about = homes
        .iter()
        .position(|h| h.open.has_errors() || h.vacancies.iter().any(|r| r.form.has_errors()))
        .or_else(|| shown.home.and_then(|id| homes.iter().position(|h| h.id == id)))
        .or_else(|| shown.vacancy.and_then(|id| homes.iter().position(|h| h.vacancies.iter().any(|r| r.id == id))));
    let asked = about.map(|i| (i / PER_PAGE + 1).to_string()).or(shown.page);
    let paging = Paging::new(asked.as_deref(), PER_PAGE, homes.len());
    let homes: Vec<HomeBlock> = homes.into_iter().skip(paging.skip()).take(PER_PAGE).collect();
    let base = if find.is_empty() { "/homes?".to_owned() } else { format!("/homes?find={}&", enc(&find)) };
    let errors: Vec<ErrorItem> = homes
        .iter()
        .flat_map(|h| {
            let open = h.open.errors.iter().map(move |e| ErrorItem {
                field: e.field.as_ref().map(|f| format!("{f}-home-{}", h.id)),
                message: format!("{}: {}", h.name, e.message),
            });
            h.vacancies.iter().flat_map(VacancyRow::summary).chain(open)
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = HomesPage {
        chrome: v.chrome(),
        title: "Our homes",
        error_title: !errors.is_empty(),
        errors,
        notice,
        homes,
        paging,
        find,
        base,
        manage: p.can(hearth_domain::access::Capability::ManageHomes),
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<i64>,
    opened: Option<i64>,
    added: Option<i64>,
    changed: Option<i64>,
    closed: Option<i64>,
    updated: Option<usize>,
    page: Option<String>,
    find: Option<String>,
}

async fn homes(State(app): State<App>, who: Signed, Query(q): Query<Saved>) -> Reply {
    let notice = match (q.saved, q.opened) {
        (Some(id), _) => Some(format!("Vacancy {id} was saved. Matching uses it from the next search.")),
        (_, Some(id)) => Some(format!("Vacancy {id} was opened. Matching offers it from the next search.")),
        _ => None,
    }
    .or_else(|| q.added.map(|id| format!("Home {id} was added. Open a vacancy for councils' searches to offer it.")))
    .or_else(|| q.changed.map(|id| format!("Home {id} was saved. Matching uses it from the next search.")))
    .or_else(|| q.closed.map(|id| format!("Home {id} was closed. Matching no longer offers it.")))
    .or_else(|| q.updated.map(|n| format!("{n} homes' vacancies and prices were saved.")));
    let shown = Shown {
        page: q.page,
        find: q.find.unwrap_or_default(),
        home: q.added.or(q.changed),
        vacancy: q.saved.or(q.opened),
    };
    homes_page(&app, &who.viewer(), notice, shown, |_| ()).await
}

/// The vacancy fields as typed; an empty or non-number field is an error in words, not a 422 page.
fn vacancy_input(state: &mut FormState) -> VacancyInput {
    fn number<T: std::str::FromStr>(state: &mut FormState, field: &str, what: &str) -> Option<T> {
        let raw = state.value(field).trim().trim_start_matches('£').replace(',', "");
        match raw.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                state.add(field, format!("Enter {what} as a whole number"));
                None
            }
        }
    }
    VacancyInput {
        places: number(state, "places", "the places free"),
        // Sent only when changed: a vacancy free since a past date keeps it, where the service would
        // refuse a past date typed anew.
        available_from: state
            .date("available_from", "the date the place is free from", true)
            .map(|d| d.to_string())
            .filter(|d| d.as_str() != state.value("available_from_was").trim()),
        weekly_price: number(state, "weekly_price", "the weekly price in pounds"),
        ..VacancyInput::default()
    }
}

async fn change_vacancy(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let input = vacancy_input(&mut state);
    let mut saved = None;
    if !state.has_errors() {
        let result = app.services.change_vacancy(&post.principal, VacancyId(id), &input, &post.origin).await;
        saved = state.absorb(result, &[])?;
    }
    if post.htmx {
        let v = match &saved {
            Some(v) => VacancyRow { saved: true, ..VacancyRow::of(v) },
            None => VacancyRow {
                id,
                about: format!("for vacancy {id}"),
                summary: post.fields.get("summary").to_owned(),
                form: state,
                saved: false,
            },
        };
        let status = v.form.status();
        return Ok(render(status, &VacancyFragment { v, csrf_token: post.session.csrf_token }));
    }
    if saved.is_some() {
        return Ok(Redirect::to(&format!("/homes?saved={id}#vacancy-{id}")).into_response());
    }
    homes_page(&app, &post.viewer(), None, Shown::default(), |homes| {
        if let Some(row) = homes.iter_mut().flat_map(|h| h.vacancies.iter_mut()).find(|v| v.id == id) {
            row.form = state;
        }
    })
    .await
}

async fn open_vacancy(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let input = vacancy_input(&mut state);
    if !state.has_errors() {
        let result = app.services.create_vacancy(&post.principal, HomeId(id), &input, &post.origin).await;
        if let Some(v) = state.absorb(result, &[])? {
            return Ok(Redirect::to(&format!("/homes?opened={}#vacancy-{}", v.id, v.id)).into_response());
        }
    }
    homes_page(&app, &post.viewer(), None, Shown::default(), |homes| {
        if let Some(h) = homes.iter_mut().find(|h| h.id == id) {
            h.open = state;
        }
    })
    .await
}

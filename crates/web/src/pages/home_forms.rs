//! "Our homes": adding a home, changing its details and closing it (a provider's managers, a council's
//! team managers for in-house homes), and keeping many homes' vacancies and prices up to date from a
//! CSV file with a preview before anything is saved. Every check is the service's; a refused form
//! comes back with what was typed and each error by its field.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hearth_domain::HomeId;
use hearth_domain::home::{HomeKind, RegistrationStatus, SexAccepted, Skill};
use hearth_domain::home_upkeep::{ClosureInput, HomeInput};
use hearth_service::home_upkeep::{OwnHomeView, UpkeepChange};

pub fn router() -> Router<App> {
    Router::new()
        .route("/homes/new", get(new_home).post(add_home))
        .route("/homes/upkeep", get(upkeep).post(upkeep_post))
        .route("/homes/{id}/edit", get(edit_home).post(save_home))
        .route("/homes/{id}/close", get(close_form).post(close_post))
}

#[derive(Template)]
#[template(path = "home_form.html")]
struct HomeFormPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    action: String,
    button: &'static str,
    form: FormState,
    kinds: Vec<(&'static str, &'static str)>,
    registrations: Vec<(&'static str, &'static str)>,
    sexes: Vec<(&'static str, &'static str)>,
    skills: Vec<(&'static str, &'static str)>,
    yes_no: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

fn options<T: Copy>(all: &[T], f: impl Fn(T) -> (&'static str, &'static str)) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|x| f(*x)).collect()
}

fn form_page(
    signed: (&hearth_domain::access::Principal, &str),
    title: String,
    action: String,
    form: FormState,
) -> HomeFormPage {
    let (p, csrf) = signed;
    HomeFormPage {
        chrome: Chrome::for_principal(p, csrf, None),
        error_title: form.has_errors(),
        errors: form.summary(),
        title,
        button: if action == "/homes/new" { "Add home" } else { "Save changes" },
        action,
        form,
        kinds: options(HomeKind::ALL, |k| (k.code(), k.label())),
        registrations: options(RegistrationStatus::ALL, |r| (r.code(), r.label())),
        sexes: options(SexAccepted::ALL, |s| (s.code(), s.label())),
        // Emergency availability is its own question below.
        skills: Skill::ALL.iter().filter(|s| **s != Skill::Emergency).map(|s| (s.code(), s.label())).collect(),
        yes_no: vec![("yes", "Yes"), ("no", "No")],
        csrf_token: csrf.to_owned(),
    }
}

/// The form's fields filled from a home as it is.
fn filled(h: &OwnHomeView) -> FormState {
    let mut f = FormState::default();
    let v = &h.home;
    f.fields.set("kind", &v.kind);
    f.fields.set("name", &v.name);
    f.fields.set("postcode", h.postcode.as_deref().unwrap_or(""));
    f.fields.set("urn", v.urn.as_deref().unwrap_or(""));
    f.fields.set("registration", &v.registration);
    f.fields.set("places", &v.places.to_string());
    f.fields.set("age_min", &v.age_min.to_string());
    f.fields.set("age_max", &v.age_max.to_string());
    f.fields.set("sex", &v.sex);
    for s in v.skills.iter().filter(|s| s.as_str() != Skill::Emergency.code()) {
        f.fields.0.push(("skills".to_owned(), s.clone()));
    }
    f.fields.set("emergency", if h.emergency { "yes" } else { "no" });
    f.fields.set("accessibility", &h.accessibility);
    f.fields.set("weekly_price", &v.weekly_price.to_string());
    f.fields.set("price_enhanced", &h.price_enhanced.map(|p| p.to_string()).unwrap_or_default());
    f.fields.set("price_intensive", &h.price_intensive.map(|p| p.to_string()).unwrap_or_default());
    f
}

/// The form as typed, as the service takes it. A number that does not parse is an error in words
/// here; an empty optional field is "not sent" (or, for a price band, "none").
fn input_of(state: &mut FormState, new: bool) -> HomeInput {
    fn number(state: &mut FormState, field: &str, what: &str, optional: bool) -> Option<i64> {
        let raw = state.value(field).trim().trim_start_matches('£').replace(',', "");
        if raw.is_empty() {
            if !optional {
                state.add(field, format!("Enter {what}"));
            }
            return None;
        }
        match raw.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                state.add(field, format!("Enter {what} as a whole number"));
                None
            }
        }
    }
    let text = |state: &FormState, field: &str| Some(state.value(field).trim().to_owned());
    let nonempty = |state: &FormState, field: &str| text(state, field).filter(|v| !v.is_empty());
    HomeInput {
        kind: nonempty(state, "kind"),
        name: text(state, "name"),
        postcode: nonempty(state, "postcode").or_else(|| new.then(String::new)),
        urn: text(state, "urn"),
        registration: nonempty(state, "registration"),
        places: number(state, "places", "the number of places", false),
        age_min: number(state, "age_min", "the youngest age", false),
        age_max: number(state, "age_max", "the oldest age", false),
        sex: nonempty(state, "sex"),
        skills: Some(state.fields.all("skills")),
        accessibility: text(state, "accessibility"),
        emergency: Some(state.value("emergency") == "yes"),
        connected_person: None,
        weekly_price: number(state, "weekly_price", "the standard weekly price in pounds", false),
        price_enhanced: number(state, "price_enhanced", "the enhanced weekly price in pounds", true).or(Some(0)),
        price_intensive: number(state, "price_intensive", "the intensive weekly price in pounds", true).or(Some(0)),
    }
}

async fn new_home(who: Signed) -> Reply {
    who.principal
        .require(hearth_domain::access::Capability::ManageHomes)
        .map_err(|d| hearth_service::ServiceError::denied(d, "homes"))?;
    let form = FormState::default().with("sex", "any").with("emergency", "no");
    let page = form_page((&who.principal, &who.session.csrf_token), "Add a home".into(), "/homes/new".into(), form);
    Ok(render(page.form.status(), &page))
}

async fn add_home(State(app): State<App>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let input = input_of(&mut state, true);
    if !state.has_errors() {
        let result = app.services.open_home(&post.principal, &input, &post.origin).await;
        if let Some(saved) = state.absorb(result, &[])? {
            return Ok(Redirect::to(&format!("/homes?added={}", saved.home.home.id)).into_response());
        }
    }
    let page = form_page((&post.principal, &post.session.csrf_token), "Add a home".into(), "/homes/new".into(), state);
    Ok(render(page.form.status(), &page))
}

async fn edit_home(State(app): State<App>, who: Signed, Path(id): Path<i64>) -> Reply {
    let home = app.services.own_home_details(&who.principal, HomeId(id)).await?;
    let title = format!("Change {}", home.home.name);
    let page = form_page((&who.principal, &who.session.csrf_token), title, format!("/homes/{id}/edit"), filled(&home));
    Ok(render(page.form.status(), &page))
}

async fn save_home(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let home = app.services.own_home_details(&post.principal, HomeId(id)).await?;
    let mut state = FormState::new(post.fields.clone());
    let input = input_of(&mut state, false);
    if !state.has_errors() {
        let result = app.services.change_home(&post.principal, HomeId(id), &input, &post.origin).await;
        if let Some(saved) = state.absorb_conflict(result, &[])? {
            let warned = if saved.warnings.is_empty() { "" } else { "&warned=1" };
            return Ok(Redirect::to(&format!("/homes?changed={id}{warned}")).into_response());
        }
    }
    let title = format!("Change {}", home.home.name);
    let page = form_page((&post.principal, &post.session.csrf_token), title, format!("/homes/{id}/edit"), state);
    Ok(render(page.form.status(), &page))
}

#[derive(Template)]
#[template(path = "home_close.html")]
struct ClosePage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    id: i64,
    form: FormState,
    csrf_token: String,
}

async fn close_page(p: &hearth_domain::access::Principal, csrf: &str, home: &OwnHomeView, form: FormState) -> Reply {
    let page = ClosePage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: format!("Close {}", home.home.name),
        error_title: form.has_errors(),
        errors: form.summary(),
        id: home.home.id.0,
        form,
        csrf_token: csrf.to_owned(),
    };
    Ok(render(page.form.status(), &page))
}

async fn close_form(State(app): State<App>, who: Signed, Path(id): Path<i64>) -> Reply {
    let home = app.services.own_home_details(&who.principal, HomeId(id)).await?;
    let today = app.services.today();
    let form = FormState::default()
        .with("closed_day", &today.day().to_string())
        .with("closed_month", &today.month().to_string())
        .with("closed_year", &today.year().to_string());
    close_page(&who.principal, &who.session.csrf_token, &home, form).await
}

async fn close_post(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let home = app.services.own_home_details(&post.principal, HomeId(id)).await?;
    let mut state = FormState::new(post.fields.clone());
    let part = |name: &str| state.value(name).trim().parse::<i16>().ok();
    let closed_on = match (part("closed_day"), part("closed_month"), part("closed_year")) {
        (Some(d), Some(m), Some(y)) => format!("{y:04}-{m:02}-{d:02}"),
        _ => {
            state.add("closed_on", "Enter the day the home closes as a day, month and year, for example 27 11 2026");
            String::new()
        }
    };
    if !state.has_errors() {
        let input = ClosureInput { closed_on, reason: state.value("reason").to_owned() };
        let result = app.services.close_home(&post.principal, HomeId(id), &input, &post.origin).await;
        if state.absorb_conflict(result, &[])?.is_some() {
            return Ok(Redirect::to(&format!("/homes?closed={id}")).into_response());
        }
    }
    close_page(&post.principal, &post.session.csrf_token, &home, state).await
}

#[derive(Template)]
#[template(path = "home_upkeep.html")]
struct UpkeepPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    /// The changes the file would make, once it reads well: shown with the button that saves them.
    preview: Option<Vec<UpkeepChange>>,
    csrf_token: String,
}

fn upkeep_page(
    p: &hearth_domain::access::Principal,
    csrf: &str,
    form: FormState,
    preview: Option<Vec<UpkeepChange>>,
) -> Reply {
    let page = UpkeepPage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: "Update vacancies and prices from a file",
        error_title: form.has_errors(),
        errors: form.summary(),
        form,
        preview,
        csrf_token: csrf.to_owned(),
    };
    Ok(render(page.form.status(), &page))
}

async fn upkeep(who: Signed) -> Reply {
    who.principal
        .require(hearth_domain::access::Capability::ManageVacancies)
        .map_err(|d| hearth_service::ServiceError::denied(d, "homes"))?;
    upkeep_page(&who.principal, &who.session.csrf_token, FormState::default(), None)
}

/// "Check" shows what the file would change and saves nothing; "Save" (from the preview) saves it
/// whole. Errors name the row and column, and link to the file's box.
async fn upkeep_post(State(app): State<App>, post: Posted) -> Reply {
    // A chosen file wins over the box; its rows then fill the box, so an error can be put right there.
    let mut fields = post.fields.clone();
    let upload = fields.get("upload").to_owned();
    if !upload.trim().is_empty() {
        fields.set("file", &upload);
    }
    fields.set("upload", "");
    let mut state = FormState::new(fields);
    let csv = state.value("file").to_owned();
    let save = state.value("action") == "save";
    if csv.trim().is_empty() {
        state.add("file", "Choose a CSV file, or paste its rows with its header");
        return upkeep_page(&post.principal, &post.session.csrf_token, state, None);
    }
    // Each error names its row in its words and its column here, all linked to the file's box.
    let rows = |state: &mut FormState, e: hearth_service::ServiceError| -> Result<(), super::PageError> {
        match e {
            hearth_service::ServiceError::Invalid(errs) => {
                for err in errs.0 {
                    state.add("file", format!("{} (column {})", err.message, err.field));
                }
                Ok(())
            }
            other => Err(other.into()),
        }
    };
    if save {
        match app.services.apply_upkeep(&post.principal, &csv, &post.origin).await {
            Ok(done) => return Ok(Redirect::to(&format!("/homes?updated={}", done.changes.len())).into_response()),
            Err(e) => rows(&mut state, e)?,
        }
        return upkeep_page(&post.principal, &post.session.csrf_token, state, None);
    }
    let preview = match app.services.preview_upkeep(&post.principal, &csv).await {
        Ok(r) => Some(r.changes),
        Err(e) => {
            rows(&mut state, e)?;
            None
        }
    };
    upkeep_page(&post.principal, &post.session.csrf_token, state, preview)
}

//! A new referral, one question per page in the GOV.UK pattern, then "check your answers".
//!
//! The answers travel in hidden fields from page to page rather than in a server-side draft: nothing
//! about the child is stored until the officer confirms (so an abandoned form leaves no half-made
//! referral and no audit noise), the back button and a server restart lose nothing, and a lost
//! session or stale form carries every answer through sign-in like any other post. Going back or
//! changing an answer is a post for the same reason: a link would put the answers in the address.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hearth_domain::PostcodeDistrict;
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::referral_form::{DetailsInput, ReferralInput};
use hearth_service::ServiceError;

pub fn router() -> Router<App> {
    Router::new().route("/referrals/new", get(start).post(answer))
}

/// The questions in order. `NeededFrom` is skipped for a same-day referral: the home is needed today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Child,
    Urgency,
    NeededFrom,
    Needs,
    District,
    Strengths,
    Check,
}

impl Step {
    const ALL: [Step; 7] =
        [Step::Child, Step::Urgency, Step::NeededFrom, Step::Needs, Step::District, Step::Strengths, Step::Check];

    fn code(self) -> &'static str {
        match self {
            Step::Child => "child",
            Step::Urgency => "urgency",
            Step::NeededFrom => "needed_from",
            Step::Needs => "needs",
            Step::District => "district",
            Step::Strengths => "strengths",
            Step::Check => "check",
        }
    }

    fn parse(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The fields this step's page asks for.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Step::Child => &["child"],
            Step::Urgency => &["urgency"],
            Step::NeededFrom => &["needed_day", "needed_month", "needed_year"],
            Step::Needs => &["needs", "wheelchair"],
            Step::District => &["district", "avoid"],
            Step::Strengths => &["strengths"],
            Step::Check => &[],
        }
    }

    fn applies(self, answers: &FormState) -> bool {
        self != Step::NeededFrom || answers.value("urgency") != Urgency::SameDay.code()
    }

    fn next(self, answers: &FormState) -> Step {
        let at = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Step::ALL[at + 1..].iter().copied().find(|s| s.applies(answers)).unwrap_or(Step::Check)
    }

    fn previous(self, answers: &FormState) -> Option<Step> {
        let at = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Step::ALL[..at].iter().rev().copied().find(|s| s.applies(answers))
    }
}

/// Every answer field, in the order the steps ask for them.
const ANSWERS: &[&str] = &[
    "child",
    "urgency",
    "needed_day",
    "needed_month",
    "needed_year",
    "needs",
    "wheelchair",
    "district",
    "avoid",
    "strengths",
];

/// The districts typed in the "avoid" field: separated by commas or spaces.
fn avoided(a: &FormState) -> Vec<String> {
    a.value("avoid").split([',', ' ', ';']).map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned).collect()
}

#[derive(Template)]
#[template(path = "new_referral.html")]
struct StepPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    step: &'static str,
    back: Option<&'static str>,
    /// The answers given on other pages, carried as hidden fields.
    hidden: Vec<(String, String)>,
    returning: bool,
    form: FormState,
    urgencies: Vec<(&'static str, &'static str)>,
    needs: Vec<(&'static str, &'static str)>,
    wheelchair: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

struct CheckRow {
    key: &'static str,
    value: String,
    step: &'static str,
}

#[derive(Template)]
#[template(path = "new_referral_check.html")]
struct CheckPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    rows: Vec<CheckRow>,
    hidden: Vec<(String, String)>,
    csrf_token: String,
}

fn title(step: Step) -> &'static str {
    match step {
        Step::Child => "What is the child's reference?",
        Step::Urgency => "How soon does the child need a home?",
        Step::NeededFrom => "From what date is the home needed?",
        Step::Needs => "What are the child's needs and risks?",
        Step::District => "Where should the home be?",
        Step::Strengths => "What is going well for the child?",
        Step::Check => "Check your answers before creating the referral",
    }
}

/// The answers other than `except`'s own fields, as hidden inputs.
fn hidden(answers: &FormState, except: Step) -> Vec<(String, String)> {
    answers
        .fields
        .0
        .iter()
        .filter(|(k, _)| ANSWERS.contains(&k.as_str()) && !except.fields().contains(&k.as_str()))
        .cloned()
        .collect()
}

fn step_page(chrome: Chrome, csrf: &str, step: Step, form: FormState, returning: bool) -> Reply {
    if step == Step::Check {
        return Ok(check_page(chrome, csrf, form));
    }
    let page = StepPage {
        chrome,
        title: title(step),
        error_title: form.has_errors(),
        errors: form.summary(),
        step: step.code(),
        back: step.previous(&form).map(Step::code),
        hidden: hidden(&form, step),
        returning,
        urgencies: Urgency::ALL.iter().map(|u| (u.code(), u.label())).collect(),
        needs: Need::ALL.iter().map(|n| (n.code(), n.label())).collect(),
        wheelchair: vec![("yes", "The child uses a wheelchair")],
        csrf_token: csrf.to_owned(),
        form,
    };
    Ok(render(page.form.status(), &page))
}

#[derive(serde::Deserialize)]
struct Start {
    /// A child's reference, from "New referral for this child" on the child's page.
    child: Option<String>,
}

async fn start(who: Signed, axum::extract::Query(q): axum::extract::Query<Start>) -> Reply {
    // A role that may not write referrals is told so before it types anything.
    who.principal
        .require(hearth_domain::access::Capability::EditReferrals)
        .map_err(|d| ServiceError::denied(d, "referrals"))?;
    // Only the shape of a reference is taken; the first step checks it is one of the council's.
    let child = q.child.filter(|c| (1..=10).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()));
    let form = match child {
        Some(c) => FormState::default().with("child", &c),
        None => FormState::default(),
    };
    step_page(who.chrome(), &who.session.csrf_token, Step::Child, form, false)
}

fn check_page(chrome: Chrome, csrf: &str, form: FormState) -> axum::response::Response {
    let a = &form;
    let urgency = Urgency::parse(a.value("urgency")).map_or("", |u| u.label());
    let needs: Vec<&str> =
        a.fields.all("needs").iter().filter_map(|n| Need::parse(n).ok()).map(|n| n.label()).collect();
    let or_none = |s: &str| if s.trim().is_empty() { "None given".to_owned() } else { s.trim().to_owned() };
    let mut rows = vec![
        CheckRow { key: "Child's reference", value: a.value("child").trim().to_owned(), step: "child" },
        CheckRow { key: "Urgency", value: urgency.to_owned(), step: "urgency" },
    ];
    if Step::NeededFrom.applies(a) {
        let date = needed_from(a).as_ref().map_or_else(String::new, super::referrals::day);
        rows.push(CheckRow { key: "Needed from", value: date, step: "needed_from" });
    }
    // One row per step (each row's "Change" button is named after its step).
    let mut needs = or_none(&needs.join(", "));
    if a.value("wheelchair") == "yes" {
        needs.push_str("\nUses a wheelchair: only wheelchair-accessible homes");
    }
    rows.push(CheckRow { key: "Needs and risks", value: needs, step: "needs" });
    let mut place = or_none(a.value("district"));
    let avoid = avoided(a);
    if !avoid.is_empty() {
        place.push_str(&format!("\nNot in or near: {}", avoid.join(", ")));
    }
    rows.push(CheckRow { key: "Where the home should be", value: place, step: "district" });
    rows.push(CheckRow { key: "What is going well", value: or_none(a.value("strengths")), step: "strengths" });
    let page = CheckPage {
        chrome,
        title: title(Step::Check),
        error_title: form.has_errors(),
        errors: form.summary(),
        rows,
        hidden: hidden(&form, Step::Check),
        csrf_token: csrf.to_owned(),
    };
    render(form.status(), &page)
}

/// The date typed in the three date fields, if it is a date.
fn needed_from(a: &FormState) -> Option<jiff::civil::Date> {
    let n = |f: &str| a.value(f).trim().parse::<i16>().ok();
    let (d, m, y) = (n("needed_day")?, n("needed_month")?, n("needed_year")?);
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Checks one page's answer, adding its errors to `form`.
async fn check_step(app: &App, post: &Posted, step: Step, form: &mut FormState) -> Result<(), ServiceError> {
    match step {
        Step::Child => {
            let reference = form.value("child").trim().to_owned();
            if reference.is_empty() {
                form.add("child", "Enter the child's reference");
                return Ok(());
            }
            let la = post
                .principal
                .la_code
                .ok_or(ServiceError::Forbidden(hearth_domain::access::Capability::EditReferrals))?;
            if app.services.child_by_reference(&post.principal, la, &reference).await?.is_none() {
                form.add("child", format!("No child looked after by your council has the reference {reference}"));
            }
        }
        Step::Urgency => {
            if Urgency::parse(form.value("urgency")).is_err() {
                form.add("urgency", "Choose how soon the child needs a home");
            }
        }
        Step::NeededFrom => match needed_from(form) {
            None => form.add("needed_from", "Enter the date as a day, month and year, for example 27 11 2026"),
            Some(d) if d < app.services.today() => form.add("needed_from", "The date must be today or in the future"),
            Some(_) => {}
        },
        Step::Needs => {
            if form.fields.all("needs").iter().any(|n| Need::parse(n).is_err()) {
                form.add("needs", "Choose needs from the list");
            }
        }
        Step::District => {
            let d = form.value("district").trim();
            if !d.is_empty() && PostcodeDistrict::parse(d).is_err() {
                form.add("district", "Enter the first half of a postcode, like CV2, or leave it empty");
            }
            if let Some(bad) = avoided(form).into_iter().find(|d| PostcodeDistrict::parse(d).is_err()) {
                form.add("avoid", format!("'{bad}' is not a postcode district; enter districts like CV1, CV2"));
            }
        }
        Step::Strengths | Step::Check => {}
    }
    Ok(())
}

/// Which step each of the service's field errors belongs to, for the check page's summary.
const FIELD_STEPS: &[(&str, &str)] = &[
    ("children", "change-child"),
    ("urgency", "change-urgency"),
    ("needed_from", "change-needed_from"),
    ("needs", "change-needs"),
    ("preferred_district", "change-district"),
    ("details.avoid_districts", "change-district"),
];

async fn create(app: &App, post: &Posted, mut form: FormState) -> Reply {
    let chrome = Chrome::for_principal(&post.principal, &post.session.csrf_token, None);
    let la = post.principal.la_code.ok_or(ServiceError::Forbidden(hearth_domain::access::Capability::EditReferrals))?;
    let reference = form.value("child").trim().to_owned();
    let Some(child) = app.services.child_by_reference(&post.principal, la, &reference).await? else {
        form.add("change-child", format!("No child looked after by your council has the reference {reference}"));
        return Ok(check_page(chrome, &post.session.csrf_token, form));
    };
    let today = app.services.today();
    let date = if Step::NeededFrom.applies(&form) { needed_from(&form) } else { Some(today) };
    let input = ReferralInput {
        children: vec![child.0],
        siblings_together: false,
        urgency: form.value("urgency").to_owned(),
        needed_from: date.map_or_else(String::new, |d| d.to_string()),
        needs: form.fields.all("needs"),
        preferred_district: Some(form.value("district").trim().to_owned()).filter(|d| !d.is_empty()),
        details: DetailsInput {
            strengths: form.value("strengths").to_owned(),
            avoid_districts: avoided(&form),
            wheelchair_user: form.value("wheelchair") == "yes",
            ..DetailsInput::default()
        },
    };
    let created = app.services.create_referral(&post.principal, &input, &post.origin).await;
    match form.absorb(created, FIELD_STEPS)? {
        Some(r) => Ok(Redirect::to(&format!("/referrals/{}?created=true", r.summary.id)).into_response()),
        None => Ok(check_page(chrome, &post.session.csrf_token, form)),
    }
}

async fn answer(axum::extract::State(app): axum::extract::State<App>, post: Posted) -> Reply {
    let chrome = Chrome::for_principal(&post.principal, &post.session.csrf_token, None);
    let csrf = post.session.csrf_token.clone();
    let form = FormState::new(post.fields.clone());
    let returning = post.fields.get("return") == "check";
    // "Back" or "Change": show that page with the answers so far, checking nothing.
    if let Some(to) = Step::parse(post.fields.get("change")) {
        return step_page(chrome, &csrf, to, form, to != Step::Check && post.fields.get("from") == "check");
    }
    let step = Step::parse(post.fields.get("step")).unwrap_or(Step::Child);
    if step == Step::Check {
        return create(&app, &post, form).await;
    }
    let mut form = form;
    check_step(&app, &post, step, &mut form).await?;
    if form.has_errors() {
        return step_page(chrome, &csrf, step, form, returning);
    }
    let next = if returning { Step::Check } else { step.next(&form) };
    // Coming back from the check page, a change of urgency may newly need the date.
    let next = if returning && Step::NeededFrom.applies(&form) && needed_from(&form).is_none() {
        Step::NeededFrom
    } else {
        next
    };
    step_page(chrome, &csrf, next, form, returning)
}

//! Provider onboarding's pages: "Ask to join" and setting a password from an invitation (both without
//! an account); the applications to join and one application with its decision (the hub's and councils'
//! administrators); the framework's members (the hub); and "Our organisation" (a provider's people).
//! Every check is the service's; a refused form comes back with what was typed and each error by field.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{Fields, FormState, Posted};
use super::{Chrome, ErrorItem, Message, Signed, Visitor, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::OrganisationId;
use hearth_domain::access::Principal;
use hearth_domain::onboarding::ApplicationForm;
use hearth_domain::org::OrganisationKind;
use hearth_service::ServiceError;
use hearth_service::framework::{FrameworkLotsInput, FrameworkMemberView};
use hearth_service::onboarding::{ApplicationView, OurOrganisation};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/join", get(join_form).post(join))
        .route("/invitations/{token}", get(invitation_form).post(set_password))
        .route("/applications", get(applications))
        .route("/applications/{id}", get(application))
        .route("/applications/{id}/approve", post(approve))
        .route("/applications/{id}/refuse", post(refuse))
        .route("/applications/{id}/invitation", post(reinvite))
        .route("/framework", get(framework).post(set_framework))
        .route("/organisation", get(our_organisation))
}

/// The region's councils, for the "councils you work with" checkboxes.
fn councils() -> Vec<(String, String)> {
    hearth_domain::council::WEST_MIDLANDS.iter().map(|c| (c.la_code.to_string(), c.name.to_owned())).collect()
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    councils: Vec<(String, String)>,
}

fn join_page(visitor: &Visitor, form: FormState) -> Reply {
    let status = form.status();
    let page = JoinPage {
        chrome: Chrome::for_visitor(visitor),
        title: "Ask to join Hearth",
        error_title: form.has_errors(),
        errors: form.summary(),
        form,
        councils: councils(),
    };
    Ok(render(status, &page))
}

async fn join_form(visitor: Visitor) -> Reply {
    join_page(&visitor, FormState::default())
}

/// The form's field ids where they differ from the service's names.
const JOIN_IDS: &[(&str, &str)] = &[("councils", "councils")];

async fn join(State(app): State<App>, visitor: Visitor, PageOrigin(origin): PageOrigin, body: Bytes) -> Reply {
    let fields = Fields::parse(&body);
    let form = ApplicationForm {
        organisation_name: fields.get("organisation_name").to_owned(),
        company_number: fields.get("company_number").to_owned(),
        urn: Some(fields.get("urn").to_owned()),
        contact_name: fields.get("contact_name").to_owned(),
        contact_email: fields.get("contact_email").to_owned(),
        contact_phone: Some(fields.get("contact_phone").to_owned()),
        councils: fields.all("councils"),
        framework: fields.get("framework") == "yes",
    };
    let mut state = FormState::new(fields);
    let Some(received) = state.absorb(app.services.ask_to_join(&form, &origin).await, JOIN_IDS)? else {
        return join_page(&visitor, state);
    };
    let page = Message {
        chrome: Chrome::for_visitor(&visitor),
        title: "Request received".to_owned(),
        error_title: false,
        errors: vec![],
        paragraphs: vec![
            received.message,
            format!("Your reference is {}. Quote it if you ask about your request.", received.reference),
            "If it is approved, the contact will be e-mailed a link to set a password. The link works for 7 days."
                .to_owned(),
        ],
        retry: None,
    };
    Ok(render(StatusCode::ACCEPTED, &page))
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    token: String,
    email: String,
    organisation_name: String,
}

/// A link that cannot be used: why, in words, and what to do.
fn unusable(message: &str, status: StatusCode) -> Reply {
    let page = Message {
        chrome: Chrome::signed_out(),
        title: "This invitation link cannot be used".to_owned(),
        error_title: false,
        errors: vec![],
        paragraphs: vec![super::forms::capitalise(message)],
        retry: None,
    };
    Ok(render(status, &page))
}

fn token_words(e: &ServiceError) -> Option<String> {
    match e {
        ServiceError::Invalid(errs) => errs.0.iter().find(|d| d.field == "token").map(|d| d.message.clone()),
        _ => None,
    }
}

async fn invitation_form(State(app): State<App>, Path(token): Path<String>) -> Reply {
    match app.services.invitation(&token).await {
        Ok(v) => {
            let page = InvitationPage {
                chrome: Chrome::signed_out(),
                title: "Set your password",
                error_title: false,
                errors: vec![],
                form: FormState::default(),
                token,
                email: v.email,
                organisation_name: v.organisation_name,
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(e) => match token_words(&e) {
            Some(words) => unusable(&words, StatusCode::OK),
            None => Err(e.into()),
        },
    }
}

async fn set_password(
    State(app): State<App>,
    Path(token): Path<String>,
    PageOrigin(origin): PageOrigin,
    body: Bytes,
) -> Reply {
    let fields = Fields::parse(&body);
    let mut state = FormState::new(fields.clone());
    let password = fields.get("password");
    if password != fields.get("password_again") {
        state.add("password_again", "the two passwords are not the same; type the same password twice");
    }
    let view = match app.services.invitation(&token).await {
        Ok(v) => v,
        Err(e) => {
            return match token_words(&e) {
                Some(words) => unusable(&words, StatusCode::UNPROCESSABLE_ENTITY),
                None => Err(e.into()),
            };
        }
    };
    if !state.has_errors() {
        match app.services.accept_invitation(&token, password, &origin).await {
            Ok(v) => {
                let page = Message {
                    chrome: Chrome::signed_out(),
                    title: "Your password is set".to_owned(),
                    error_title: false,
                    errors: vec![],
                    paragraphs: vec![format!(
                        "You can now sign in as {} to manage {} on Hearth: add your homes and their vacancies.",
                        v.email, v.organisation_name
                    )],
                    retry: None,
                };
                return Ok(render(StatusCode::OK, &page));
            }
            Err(e) => {
                if let Some(words) = token_words(&e) {
                    return unusable(&words, StatusCode::UNPROCESSABLE_ENTITY);
                }
                state.absorb::<()>(Err(e), &[])?;
            }
        }
    }
    let status = state.status();
    let page = InvitationPage {
        chrome: Chrome::signed_out(),
        title: "Set your password",
        error_title: true,
        errors: state.summary(),
        form: state,
        token,
        email: view.email,
        organisation_name: view.organisation_name,
    };
    Ok(render(status, &page))
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ApplicationsPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    /// Waiting, then decided: a heading, the applications, what to say when there are none.
    sections: Vec<(&'static str, Vec<ApplicationView>, &'static str)>,
}

async fn applications(State(app): State<App>, who: Signed) -> Reply {
    let all = app.services.applications(&who.principal, None).await?;
    let (pending, decided): (Vec<_>, Vec<_>) = all.into_iter().partition(|a| a.status == "pending");
    let page = ApplicationsPage {
        chrome: who.chrome(),
        title: "Applications to join",
        error_title: false,
        sections: vec![
            ("Waiting for a decision", pending, "No applications are waiting."),
            ("Decided", decided, "None decided yet."),
        ],
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    a: ApplicationView,
    /// When it was asked, on the region's clock.
    asked: String,
    form: FormState,
    csrf_token: String,
    /// Said once after a decision or an invitation was sent.
    done: Option<&'static str>,
}

#[derive(Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn application_page(
    app: &App,
    who: super::Viewer<'_>,
    id: i64,
    form: FormState,
    done: Option<&'static str>,
) -> Reply {
    let a = app.services.application(who.principal, id).await?;
    let status = form.status();
    let page = ApplicationPage {
        chrome: who.chrome(),
        title: format!("Application {}: {}", a.id, a.organisation_name),
        error_title: form.has_errors(),
        errors: form.summary(),
        asked: a.submitted_at.parse().map_or_else(|_| a.submitted_at.clone(), super::words::london_short),
        a,
        form,
        csrf_token: who.csrf.to_owned(),
        done,
    };
    Ok(render(status, &page))
}

async fn application(State(app): State<App>, who: Signed, Path(id): Path<i64>, Query(q): Query<Done>) -> Reply {
    let done = match q.done.as_str() {
        "approved" => Some("Approved. The provider's manager has been e-mailed a link to set their password."),
        "refused" => Some("Refused. The contact has been e-mailed the reason."),
        "invited" => Some("A new invitation has been e-mailed; the earlier link no longer works."),
        _ => None,
    };
    application_page(&app, who.viewer(), id, FormState::default(), done).await
}

async fn approve(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let result = app.services.approve_application(&post.principal, id, &post.origin).await;
    if state.absorb_conflict(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/applications/{id}?done=approved")).into_response());
    }
    application_page(&app, post.viewer(), id, state, None).await
}

async fn refuse(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let result = app.services.refuse_application(&post.principal, id, post.fields.get("reason"), &post.origin).await;
    if state.absorb_conflict(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/applications/{id}?done=refused")).into_response());
    }
    application_page(&app, post.viewer(), id, state, None).await
}

async fn reinvite(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let result = app.services.reinvite(&post.principal, id, &post.origin).await;
    if state.absorb_conflict(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/applications/{id}?done=invited")).into_response());
    }
    application_page(&app, post.viewer(), id, state, None).await
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    members: Vec<(FrameworkMemberView, String)>,
    providers: Vec<(String, String)>,
    lots: Vec<(String, String)>,
    form: FormState,
    csrf_token: String,
    saved: bool,
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    saved: String,
}

/// The lots the form offers: every kind of foster home and of supported accommodation at once, or
/// each kind of home on its own.
fn lot_choices() -> Vec<(String, String)> {
    let mut v = vec![
        ("fostering".to_owned(), "Fostering (every kind of foster household)".to_owned()),
        ("supported_accommodation".to_owned(), "Supported accommodation (every kind)".to_owned()),
    ];
    v.extend(hearth_domain::home::HomeKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())));
    v
}

async fn framework_page(app: &App, who: super::Viewer<'_>, form: FormState, saved: bool) -> Reply {
    let p: &Principal = who.principal;
    let members = app.services.framework_members(p).await?;
    let members = members
        .into_iter()
        .map(|m| {
            let words = m
                .lots
                .iter()
                .map(|c| hearth_domain::home::HomeKind::parse(c).map_or_else(|_| c.clone(), |k| k.label().to_owned()))
                .collect::<Vec<_>>()
                .join(", ");
            (m, words)
        })
        .collect();
    let providers = app
        .services
        .provider_names(p)
        .await?
        .into_iter()
        .map(|(id, name)| (id.0.to_string(), format!("{name} ({id})")))
        .collect();
    let status = form.status();
    let page = FrameworkPage {
        chrome: who.chrome(),
        title: "Framework members",
        error_title: form.has_errors(),
        errors: form.summary(),
        members,
        providers,
        lots: lot_choices(),
        form,
        csrf_token: who.csrf.to_owned(),
        saved,
    };
    Ok(render(status, &page))
}

async fn framework(State(app): State<App>, who: Signed, Query(q): Query<Saved>) -> Reply {
    framework_page(&app, who.viewer(), FormState::default(), q.saved == "yes").await
}

async fn set_framework(State(app): State<App>, post: Posted) -> Reply {
    let mut state = FormState::new(post.fields.clone());
    let provider = post.fields.get("provider").trim();
    let Ok(provider) = provider.parse::<i64>() else {
        state.add("provider", "choose the provider");
        return framework_page(&app, post.viewer(), state, false).await;
    };
    let input = FrameworkLotsInput { lots: post.fields.all("lots") };
    let result = app.services.set_framework_lots(&post.principal, OrganisationId(provider), &input, &post.origin).await;
    if state.absorb(result, &[])?.is_some() {
        return Ok(Redirect::to("/framework?saved=yes").into_response());
    }
    framework_page(&app, post.viewer(), state, false).await
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    o: OurOrganisation,
    lots: String,
}

async fn our_organisation(State(app): State<App>, who: Signed) -> Reply {
    let o = app.services.our_organisation(&who.principal).await?;
    let lots = o
        .framework_lots
        .iter()
        .map(|c| hearth_domain::home::HomeKind::parse(c).map_or_else(|_| c.clone(), |k| k.label().to_owned()))
        .collect::<Vec<_>>()
        .join(", ");
    let page = OrganisationPage { chrome: who.chrome(), title: "Our organisation", error_title: false, o, lots };
    Ok(render(StatusCode::OK, &page))
}

/// Whether `p` sees the hub's or a council's onboarding pages in the navigation.
pub fn decides_applications(p: &Principal) -> bool {
    p.role == hearth_domain::org::Role::Administrator
        && matches!(p.organisation_kind, OrganisationKind::RegionalHub | OrganisationKind::Council)
}

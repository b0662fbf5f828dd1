//! The Individual Placement Agreement: the current version's words, who signed them when, a form to
//! sign for the council or the provider over the hash of exactly the text on the page, the document
//! to download as text or PDF, older versions, and (for the council) a new version with changed terms.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{FormState, Posted, summary_of};
use super::words::london;
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::ReferralId;
use hearth_domain::access::{Capability, Principal};
use hearth_domain::agreement::Party;
use hearth_domain::org::OrganisationKind;
use hearth_service::Origin;
use hearth_service::market::views::{AgreementChange, AgreementView, SignInput};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/referrals/{id}/agreement", get(agreement).post(change))
        .route("/referrals/{id}/agreement/{version}/sign", post(sign))
        .route("/agreements/{version}/document", get(document))
        .route("/agreements/{version}/document.pdf", get(document_pdf))
}

struct Version {
    id: i64,
    number: u32,
    created: String,
    signed: Vec<String>,
    text: String,
    text_hash: String,
}

impl From<&AgreementView> for Version {
    fn from(a: &AgreementView) -> Self {
        Self {
            id: a.id,
            number: a.version,
            created: london(a.created_at),
            signed: a
                .signatures
                .iter()
                .map(|s| {
                    let party = Party::parse(&s.party).map_or(s.party.as_str(), |p| p.label());
                    format!("{party}: {} at {}", s.name, london(s.at))
                })
                .collect(),
            text: a.text.clone(),
            text_hash: a.text_hash.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct AgreementPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    notice: Option<String>,
    id: i64,
    current: Option<Version>,
    older: Vec<Version>,
    /// The placement an acceptance just made, linked from the banner.
    placement: Option<i64>,
    /// "Sign for the council" or "Sign for the provider", when the caller's side has not signed.
    sign_label: Option<&'static str>,
    locked: bool,
    can_change: bool,
    change: FormState,
    csrf_token: String,
}

/// The caller's side of the agreement, and whether their role may sign for it.
fn side(p: &Principal) -> (Party, bool) {
    if p.organisation_kind == OrganisationKind::Council {
        (Party::Council, p.can(Capability::EditReferrals))
    } else {
        (Party::Provider, p.can(Capability::RespondToReferrals))
    }
}

async fn page(
    app: &App,
    v: &Viewer<'_>,
    origin: &Origin,
    id: i64,
    notice: Option<(String, Option<i64>)>,
    mut forms: (FormState, FormState),
) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    let mut all = app.services.agreements(p, ReferralId(id), origin).await?;
    all.sort_by_key(|a| std::cmp::Reverse(a.version));
    let current = all.first();
    let (party, may_sign) = side(p);
    let signed = current.is_some_and(|a| a.signatures.iter().any(|s| s.party == party.code()));
    let (sign, change) = (&mut forms.0, &mut forms.1);
    let (errors, status) = summary_of([&*sign, &*change]);
    let page = AgreementPage {
        chrome: v.chrome(),
        title: format!("Placement agreement for referral {id}"),
        error_title: !errors.is_empty(),
        errors,
        placement: notice.as_ref().and_then(|n| n.1),
        notice: notice.map(|n| n.0),
        id,
        sign_label: (may_sign && !signed && current.is_some()).then_some(match party {
            Party::Council => "Sign for the council",
            Party::Provider => "Sign for the provider",
        }),
        locked: current.is_some_and(|a| a.locked),
        can_change: party == Party::Council && may_sign && current.is_some(),
        current: current.map(Version::from),
        older: all.iter().skip(1).map(Version::from).collect(),
        change: std::mem::take(change),
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

#[derive(Deserialize)]
pub struct Done {
    accepted: Option<i64>,
    placement: Option<i64>,
    signed: Option<bool>,
    changed: Option<u32>,
}

async fn agreement(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Reply {
    let notice = match (q.accepted, q.signed, q.changed) {
        (Some(o), _, _) => Some(format!(
            "Offer {o} was accepted: the child is placed and the other offers are closed. Both sides now sign the agreement."
        )),
        (_, Some(true), _) => Some("You signed the agreement".to_owned()),
        (_, _, Some(v)) => Some(format!("Version {v} was issued; both sides sign it again")),
        _ => None,
    }
    .map(|n| (n, q.accepted.and(q.placement)));
    let forms = (FormState::default(), FormState::default());
    page(&app, &who.viewer(), &origin, id, notice, forms).await
}

async fn sign(State(app): State<App>, Path((id, version)): Path<(i64, i64)>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let input = SignInput { text_hash: form.value("text_hash").to_owned() };
    let result = app.services.sign_agreement(&post.principal, version, &input, &post.origin).await;
    if form.absorb_conflict(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/referrals/{id}/agreement?signed=true")).into_response());
    }
    let forms = (form, FormState::default());
    page(&app, &post.viewer(), &post.origin, id, None, forms).await
}

async fn change(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let input = AgreementChange { notes: form.value("notes").to_owned() };
    let result = app.services.change_agreement(&post.principal, ReferralId(id), &input, &post.origin).await;
    if let Some(a) = form.absorb_conflict(result, &[])? {
        return Ok(Redirect::to(&format!("/referrals/{id}/agreement?changed={}", a.version)).into_response());
    }
    let forms = (FormState::default(), form);
    page(&app, &post.viewer(), &post.origin, id, None, forms).await
}

/// The version as a text file, named so it is recognisable in a downloads folder.
async fn document(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(version): Path<i64>,
) -> Reply {
    let (name, text) = app.services.agreement_document(&who.principal, version, &origin).await?;
    Ok(download(&name, "text/plain; charset=utf-8", text.into_bytes()))
}

/// The same document as a PDF, to file and print: the same words and hash, from the same permission check
/// (so it is refused to exactly those the text is refused to), and read into the audit trail the same way.
async fn document_pdf(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(version): Path<i64>,
) -> Reply {
    let (name, text) = app.services.agreement_document(&who.principal, version, &origin).await?;
    let stem = name.strip_suffix(".txt").unwrap_or(&name);
    Ok(download(&format!("{stem}.pdf"), "application/pdf", crate::pdf::text_document(stem, &text)))
}

fn download(name: &str, content_type: &'static str, body: Vec<u8>) -> axum::response::Response {
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    (StatusCode::OK, headers, body).into_response()
}

//! The intelligence page: a council's or the region's sufficiency, stability and market figures as
//! tables with charts, each table downloadable as CSV. A council's own commissioners and team
//! managers see their council's exact figures; whoever sees more than one council (the regional hub)
//! sees them with disclosure control, as every download and API answer is.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::{Fields, FormState};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use crate::api::intel::{IntelParams, TableView, same_query, table_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_service::intel::{Audience, IntelAnswer};
use hearth_service::{FiguresScope, ServiceError};

struct ChartBox {
    svg: String,
    alt: String,
}

struct SectionBox {
    id: &'static str,
    title: &'static str,
    charts: Vec<ChartBox>,
    tables: Vec<TableView>,
}

#[derive(Template)]
#[template(path = "intel.html")]
struct IntelPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    /// The scope's code in links (`331`, `region`).
    scope: String,
    scope_name: String,
    /// What the form shows: the dates as typed, so a refused date stays in its boxes.
    form: FormState,
    as_at_hint: String,
    /// For those who may choose: (code, name, selected).
    choices: Vec<(String, String, bool)>,
    exact: bool,
    read_at: String,
    sections: Vec<SectionBox>,
}

fn sections(answer: &IntelAnswer, scope: &str) -> Vec<SectionBox> {
    answer
        .dashboard
        .sections
        .iter()
        .map(|s| SectionBox {
            id: s.id,
            title: s.title,
            charts: s.charts.iter().map(|c| ChartBox { svg: c.svg.clone(), alt: c.alt.clone() }).collect(),
            tables: s
                .tables
                .iter()
                .map(|t| table_view(t, format!("/intel/{scope}/tables/{}.csv?{}", t.id, same_query(answer))))
                .collect(),
        })
        .collect()
}

pub async fn page(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Query(q): Query<Vec<(String, String)>>,
) -> Reply {
    let p = &who.principal;
    let mut form = FormState::new(Fields(q));
    let council = Some(form.value("council").to_owned()).filter(|c| !c.is_empty());
    let FiguresScope { scope, choices } = app.services.figures_scope(p, council.as_deref())?;
    let as_at = form.date("as_at", "the day the figures are as at", false);
    let from = form.date("from", "the first day of the period", false);
    let result = if form.has_errors() {
        Err(ServiceError::Invalid(hearth_domain::ValidationErrors::default()))
    } else {
        let params = IntelParams { as_at: as_at.map(|d| d.to_string()), from: from.map(|d| d.to_string()) };
        app.services.intel(p, &params.request(scope.clone()), Audience::Page, &origin).await
    };
    let choices = choices
        .into_iter()
        .map(|(code, name)| {
            let selected = code == scope;
            (code, name, selected)
        })
        .collect();
    let (status, errors, answer) = match result {
        Ok(a) => (StatusCode::OK, Vec::new(), Some(a)),
        // A date outside the records or backwards: the page again, saying so, with what was typed.
        Err(ServiceError::Invalid(errs)) => {
            form.add_all(errs, &[]);
            (StatusCode::UNPROCESSABLE_ENTITY, form.summary(), None)
        }
        Err(e) => return Err(e.into()),
    };
    let (scope_slug, scope_name) = match &answer {
        Some(a) => (a.dashboard.query.scope.slug(), a.scope_name.clone()),
        None => (scope.clone(), "the figures".to_owned()),
    };
    let page = IntelPage {
        chrome: who.chrome(),
        title: format!("Intelligence: {scope_name}"),
        error_title: !errors.is_empty(),
        errors,
        scope: scope_slug.clone(),
        scope_name,
        as_at_hint: answer.as_ref().map_or_else(
            || "For example, 25 11 2026".to_owned(),
            |a| format!("For example, 25 11 2026; from {} to today", super::referrals::day(&a.dashboard.records_from)),
        ),
        form: match &answer {
            // The dates the figures were computed for, filled in when none were typed.
            Some(a) => form.with_date("as_at", a.dashboard.query.as_at).with_date("from", a.dashboard.query.from),
            None => form,
        },
        choices,
        exact: answer.as_ref().is_some_and(|a| !a.dashboard.protected),
        read_at: answer.as_ref().map_or_else(String::new, |a| super::words::london(a.read_at)),
        sections: answer.as_ref().map_or_else(Vec::new, |a| sections(a, &scope_slug)),
    };
    Ok(render(status, &page))
}

/// A table as CSV from the page (the session's cookie), protected like the API's.
pub async fn table_csv(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path((scope, file)): Path<(String, String)>,
    Query(q): Query<IntelParams>,
) -> Reply {
    let table = file.strip_suffix(".csv").unwrap_or(&file);
    let answer = app.services.intel(&who.principal, &q.request(scope), Audience::Published, &origin).await?;
    Ok(crate::api::intel::csv_response(&answer, table)?.into_response())
}

//! The SSDA903 return, one table at a time. CSV rather than JSON or a zip: the tables are what a
//! council's data team loads into the tools it already uses (DfE's validator, liia-tools, a
//! spreadsheet), each recognised by its header, and one CSV per request needs no archive format.
//! `hearth export ssda903` writes the whole folder at once.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hearth_domain::DomainError;
use hearth_ssda903::{CollectionYear, Table};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(ssda903))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TableParam {
    /// `header`, `episodes` (the default), `uasc`, `report` (each episode with DfE's derived PL_DISTANCE,
    /// PL_LA and PL_LOCATION) or `problems` (the self-check's findings).
    pub table: Option<String>,
}

/// The number of problems the self-check found, on every table's answer.
pub const PROBLEMS_HEADER: &str = "x-ssda903-problems";

/// One table of the council's SSDA903 return for a collection year (named by the year it ends in:
/// 2026 is 1 April 2025 to 31 March 2026), as CSV with DfE's headers and dd/mm/yyyy dates. For the
/// council's commissioners and team managers; audited as `ssda903.read`. The self-check's problem
/// count is in the `x-ssda903-problems` header; `?table=problems` lists them.
#[utoipa::path(get, path = "/api/v1/councils/{code}/ssda903/{year}", tag = "children",
    params(("code" = String, Path, description = "DfE LA code or ONS code"),
        ("year" = String, Path, description = "The year the collection ends in, e.g. 2026"), TableParam),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ssda903(
    State(app): State<App>,
    auth: Auth,
    Path((code, year)): Path<(String, String)>,
    Query(q): Query<TableParam>,
) -> Result<Response, AppError> {
    let c = super::council(&code)?;
    let year = CollectionYear::parse(&year).map_err(|e| DomainError::new("year", e.to_string()))?;
    let table =
        Table::parse(q.table.as_deref().unwrap_or("episodes")).map_err(|e| DomainError::new("table", e.to_string()))?;
    let export = app.services.ssda903_export(&auth.principal, c.la_code, year, &auth.origin).await?;
    let mut csv = Vec::new();
    export.write_table(table, &mut csv).map_err(|e| AppError::InternalMessage(e.to_string()))?;
    let filename = format!("ssda903-{}-{}-{}", c.la_code, year.ending(), table.file());
    let mut response = csv_attachment(&filename, csv);
    response.headers_mut().insert(HeaderName::from_static(PROBLEMS_HEADER), HeaderValue::from(export.problems.len()));
    Ok(response)
}

/// A CSV file to download, named `filename`.
pub(crate) fn csv_attachment(filename: &str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

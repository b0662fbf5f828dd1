//! Commissioner intelligence through the API: every table of a council's or the region's dashboard
//! as JSON, and each table as CSV. Both leave the portal, so both are always protected by disclosure
//! control (counts of 1 to 5 and whatever would reveal them are `c`).

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::response::Response;
use hearth_intel::table::{ColumnKind, Table};
use hearth_service::intel::{Audience, IntelAnswer, IntelRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(dashboard)).routes(routes!(table_csv))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct IntelParams {
    /// The day the figures are "as at", `YYYY-MM-DD` (default today); within the portal's records.
    pub as_at: Option<String>,
    /// The first day of the period the flow figures cover (default a year before `as_at`).
    pub from: Option<String>,
}

impl IntelParams {
    pub fn request(&self, scope: String) -> IntelRequest {
        IntelRequest { scope, as_at: self.as_at.clone(), from: self.from.clone() }
    }
}

/// A column: its heading and what it holds (`count`, `share`, `measure`, `public`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnView {
    pub heading: String,
    pub kind: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowView {
    pub label: String,
    /// Each cell as DfE publishes it: a number, or `c` (suppressed), `x` (not available), `z` (not
    /// applicable).
    pub values: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableView {
    pub id: String,
    pub title: String,
    pub row_heading: String,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView>,
    pub note: Option<String>,
    /// Where the table's CSV is.
    pub csv: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    /// The chart in words, for anyone who cannot see it.
    pub alt: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub tables: Vec<TableView>,
    pub charts: Vec<ChartView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardView {
    /// The council's DfE code, or `region`.
    pub scope: String,
    pub scope_name: String,
    pub as_at: String,
    pub from: String,
    /// The first day the portal's records cover.
    pub records_from: String,
    /// When the records behind the figures were read.
    pub read_at: String,
    /// Whether disclosure control was applied (always, through the API).
    pub protected: bool,
    pub sections: Vec<SectionView>,
}

fn kind(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Count => "count",
        ColumnKind::Share { .. } => "share",
        ColumnKind::Measure { .. } => "measure",
        ColumnKind::Public => "public",
    }
}

/// The query string that asks for the same figures again.
pub fn same_query(a: &IntelAnswer) -> String {
    format!("as_at={}&from={}", a.dashboard.query.as_at, a.dashboard.query.from)
}

pub fn table_view(t: &Table, csv: String) -> TableView {
    TableView {
        id: t.id.clone(),
        title: t.title.clone(),
        row_heading: t.row_heading.clone(),
        columns: t.columns.iter().map(|c| ColumnView { heading: c.heading.clone(), kind: kind(c.kind) }).collect(),
        rows: t
            .rows
            .iter()
            .map(|r| RowView { label: r.label.clone(), values: r.values.iter().map(|v| v.plain()).collect() })
            .collect(),
        note: t.note.clone(),
        csv,
    }
}

fn view(a: &IntelAnswer) -> DashboardView {
    let d = &a.dashboard;
    let scope = d.query.scope.slug();
    DashboardView {
        scope: scope.clone(),
        scope_name: a.scope_name.clone(),
        as_at: d.query.as_at.to_string(),
        from: d.query.from.to_string(),
        records_from: d.records_from.to_string(),
        read_at: a.read_at.to_string(),
        protected: d.protected,
        sections: d
            .sections
            .iter()
            .map(|s| SectionView {
                id: s.id.to_owned(),
                title: s.title.to_owned(),
                tables: s
                    .tables
                    .iter()
                    .map(|t| table_view(t, format!("/api/v1/intel/{scope}/tables/{}?{}", t.id, same_query(a))))
                    .collect(),
                charts: s
                    .charts
                    .iter()
                    .map(|c| ChartView { id: c.id.clone(), title: c.title.clone(), alt: c.alt.clone() })
                    .collect(),
            })
            .collect(),
    }
}

/// Every table of the dashboard for a council (`331` or `E08000026`) or the `region`, as at a day,
/// with disclosure control applied. A council's commissioners and team managers for their own council;
/// the regional hub for any council and the region. Audited as `intel.read`. A date outside the
/// records, a period that runs backwards or an unknown council is refused (422) with a sentence.
#[utoipa::path(get, path = "/api/v1/intel/{scope}", tag = "intelligence",
    params(("scope" = String, Path, description = "DfE or ONS code of a council, or `region`"), IntelParams),
    responses((status = 200, body = DashboardView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dashboard(
    State(app): State<App>,
    auth: Auth,
    Path(scope): Path<String>,
    Query(q): Query<IntelParams>,
) -> Result<Json<DashboardView>, AppError> {
    let answer = app.services.intel(&auth.principal, &q.request(scope), Audience::Published, &auth.origin).await?;
    Ok(Json(view(&answer)))
}

/// One table of the dashboard as CSV (`c` suppressed, `x` not available, `z` not applicable), with
/// disclosure control applied. The same rules as the dashboard.
#[utoipa::path(get, path = "/api/v1/intel/{scope}/tables/{table}", tag = "intelligence",
    params(("scope" = String, Path, description = "DfE or ONS code of a council, or `region`"),
        ("table" = String, Path, description = "The table's id, as the dashboard names it"), IntelParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn table_csv(
    State(app): State<App>,
    auth: Auth,
    Path((scope, table)): Path<(String, String)>,
    Query(q): Query<IntelParams>,
) -> Result<Response, AppError> {
    let answer = app.services.intel(&auth.principal, &q.request(scope), Audience::Published, &auth.origin).await?;
    csv_response(&answer, &table)
}

/// A table of an answer as a CSV download; an unknown table is not found.
pub fn csv_response(answer: &IntelAnswer, table: &str) -> Result<Response, AppError> {
    let d = &answer.dashboard;
    let t = d.table(table).ok_or_else(|| AppError::NotFound(format!("table '{table}' was not found")))?;
    let name = hearth_intel::download::file_name(t, &d.query.scope.slug(), &d.query.as_at.to_string());
    Ok(super::returns::csv_attachment(&name, hearth_intel::download::csv(t)))
}

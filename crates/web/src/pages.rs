//! The pages. Until the GOV.UK-styled pages land, a plain front page says what this service is and
//! how big the region it holds is.

use crate::{App, AppError};
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<App> {
    Router::new().route("/", get(front_page))
}

async fn front_page(State(app): State<App>) -> Result<Html<String>, AppError> {
    let c = app.services.store().counts().await?;
    Ok(Html(format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hearth – West Midlands placement portal</title></head>
<body>
<a href="#main">Skip to main content</a>
<header><p>West Midlands placement portal</p></header>
<main id="main">
<h1>Hearth</h1>
<p>Finding the most appropriate home for every child looked after by the fourteen West Midlands councils.</p>
<h2>This region</h2>
<ul>
<li>{children} children's records</li>
<li>{homes} homes, {vacancies} with a vacancy</li>
<li>{referrals} referrals and {placements} placements recorded</li>
</ul>
<p>The API is at <a href="/api/v1">/api/v1</a>; its OpenAPI document at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</main>
</body>
</html>"##,
        children = c.children,
        homes = c.homes,
        vacancies = c.vacancies,
        referrals = c.referrals,
        placements = c.placements
    )))
}

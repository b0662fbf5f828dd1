//! In-app notices: what happened to the caller's referrals, offers and placements, newest first,
//! for everyone signed in. The header links here with how many there are.

use super::admin::Reply;
use super::words::london;
use super::{Chrome, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

pub fn router() -> Router<App> {
    Router::new().route("/notices", get(notices))
}

struct Row {
    when: String,
    text: String,
    /// The referral the notice is about, linked when the caller may open it.
    referral: Option<i64>,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    rows: Vec<Row>,
}

async fn notices(State(app): State<App>, who: Signed) -> Reply {
    let rows = app
        .services
        .notices(&who.principal)
        .await?
        .into_iter()
        .map(|n| Row { when: london(n.created_at), text: n.text, referral: n.referral })
        .collect();
    let page = NoticesPage { chrome: who.chrome(), title: "Notices", error_title: false, rows };
    Ok(render(StatusCode::OK, &page))
}

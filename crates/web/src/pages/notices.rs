//! In-app notices: what happened to the caller's referrals, offers and placements, newest first,
//! for everyone signed in. The header links here with how many are unread; opening this page marks
//! what it shows as read, and the list keeps them, marked read.

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
    /// Read on an earlier visit; the others are new to the person now.
    read: bool,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    rows: Vec<Row>,
}

async fn notices(State(app): State<App>, mut who: Signed) -> Reply {
    let rows = app
        .services
        .read_notices(&who.principal)
        .await?
        .into_iter()
        .map(|n| Row { when: london(n.created_at), text: n.text, referral: n.referral, read: n.read })
        .collect();
    // Everything listed is read now: the header on this very page already says so.
    who.notices = Some(0);
    let page = NoticesPage { chrome: who.chrome(), title: "Notices", error_title: false, rows };
    Ok(render(StatusCode::OK, &page))
}

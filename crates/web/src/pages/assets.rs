//! The stylesheets and scripts the pages use, embedded in the binary so that a deployment is one
//! file and no page depends on a CDN.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

/// (path under `/static/`, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "govuk/govuk-frontend.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/govuk/govuk-frontend.min.css"),
    ),
    (
        "govuk/govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/govuk/govuk-frontend.min.js"),
    ),
    ("htmx/htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../../static/htmx/htmx.min.js")),
    ("hearth.css", "text/css; charset=utf-8", include_bytes!("../../static/hearth.css")),
    ("hearth.js", "text/javascript; charset=utf-8", include_bytes!("../../static/hearth.js")),
];

/// A fingerprint of every embedded file. Pages add it to asset URLs (`?v=`), so browsers may keep
/// the files for a year and still fetch new ones as soon as a new build changes any of them.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    // FNV-1a: not for security, only to tell builds apart.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (_, _, bytes) in FILES {
        for b in *bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
});

pub async fn serve(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *bytes,
        )
            .into_response(),
        None => {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found").into_response()
        }
    }
}

//! The versioned JSON API, `/api/v1`. Routes and their OpenAPI documentation are registered together.

mod admin;
mod contracts;
pub(crate) mod intel;
mod market;
mod matches;
mod meta;
mod placements;
mod records;
mod reference;
mod referral_writes;
mod returns;
mod session;
mod supply;

use crate::App;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    modifiers(&Security),
    info(
        title = "Hearth API",
        description = "The West Midlands regional placement portal for children in care.",
        license(name = "MIT")
    ),
    tags(
        (name = "meta", description = "Service health and discovery"),
        (name = "reference", description = "Councils and region-wide reference figures"),
        (name = "session", description = "Signing in and out; sessions"),
        (name = "children", description = "A council's own children (audited)"),
        (name = "referrals", description = "Referrals, scoped: full for the council, minimised for providers"),
        (name = "homes", description = "Homes and vacancies"),
        (name = "marketplace", description = "Sending referrals, offers and declines, accepting an offer"),
        (name = "placements", description = "Placements, their agreements, and notices"),
        (name = "intelligence", description = "Sufficiency, stability and market figures, with disclosure control"),
        (name = "admin", description = "Users, API tokens and the audit trail of an organisation")
    )
)]
struct ApiDoc;

/// Every API route, with the OpenAPI document built from the same registrations.
pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(meta::router())
        .merge(reference::router())
        .merge(session::router())
        .merge(records::router())
        .merge(referral_writes::router())
        .merge(supply::router())
        .merge(matches::router())
        .merge(market::router())
        .merge(placements::router())
        .merge(admin::router())
        .merge(contracts::router())
        .merge(returns::router())
        .merge(intel::router())
}

/// Declares the two ways to authenticate, so API clients know what to send.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

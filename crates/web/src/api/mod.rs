//! The versioned JSON API, `/api/v1`. Routes and their OpenAPI documentation are registered together.

mod admin;
mod contracts;
mod homes;
pub(crate) mod intel;
mod market;
mod matches;
mod meta;
mod onboarding;
mod placements;
mod records;
mod reference;
mod referral_writes;
mod returns;
mod session;

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
        (name = "admin", description = "Users, API tokens and the audit trail of an organisation"),
        (name = "onboarding", description = "Providers asking to join, their approval, and invitations")
    )
)]
struct ApiDoc;

/// Every API route, and the OpenAPI document built from the same registrations (with the statuses
/// answered before a handler runs added to each operation: they are known only once routes are in).
pub fn routes_and_document() -> (axum::Router<App>, utoipa::openapi::OpenApi) {
    let (routes, mut document) = router().split_for_parts();
    utoipa::Modify::modify(&FrameworkStatuses, &mut document);
    (routes, document)
}

fn router() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(meta::router())
        .merge(reference::router())
        .merge(session::router())
        .merge(records::router())
        .merge(referral_writes::router())
        .merge(homes::router())
        .merge(matches::router())
        .merge(market::router())
        .merge(placements::router())
        .merge(admin::router())
        .merge(contracts::router())
        .merge(returns::router())
        .merge(intel::router())
        .merge(onboarding::router())
}

/// A council by its DfE or ONS code, as every council route takes it; an unknown code is 404.
fn council(code: &str) -> Result<&'static hearth_domain::council::Council, crate::AppError> {
    hearth_domain::council::council(code).map_err(|e| crate::AppError::NotFound(e.message))
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

/// Adds to every operation the statuses answered before its handler runs, so the document lists every
/// status a route can return: a timeout (408) anywhere; an address that names nothing (404) where the
/// path has parameters; a bad value (422) where there is a query; and for a body, JSON that does not
/// parse (400), a body too large (413), one that is not JSON (415) or does not fit the route (422).
struct FrameworkStatuses;

impl utoipa::Modify for FrameworkStatuses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let writes = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            let reads = [&mut item.get];
            for (op, write) in writes.into_iter().map(|o| (o, true)).chain(reads.into_iter().map(|o| (o, false))) {
                let Some(op) = op.as_mut() else { continue };
                let has = |kind: ParameterIn| {
                    op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == kind))
                };
                let mut add = vec![("408", "the request took too long")];
                if has(ParameterIn::Path) {
                    add.push(("404", "nothing at this address"));
                }
                if has(ParameterIn::Query) {
                    add.push(("422", "a value was not accepted"));
                }
                if write {
                    add.push(("413", "the request body is too large"));
                }
                if op.request_body.is_some() {
                    add.extend([
                        ("400", "the body is not valid JSON"),
                        ("415", "the body is not sent as JSON"),
                        ("422", "a value was not accepted"),
                    ]);
                }
                for (status, description) in add {
                    op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description));
                }
            }
        }
    }
}

//! The authorisation matrix: every route of the API × every role × a record of the caller's own
//! organisation and one of another's, checked against the permissions written in
//! `hearth_domain::access`. A route missing from [`rule`] fails the test, so no route ships unjudged.

use crate::TestFn;
use crate::fixture::{As, Facts, Server, Session};
use hearth_domain::OrganisationId;
use hearth_domain::access::Capability as C;
use hearth_domain::org::{OrganisationKind, Role};
use hearth_service::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[("every_route_every_role_own_and_foreign", |s| Box::pin(walk(s)))];

/// Whose records a route reaches, and so when "foreign" must look like "not found".
#[derive(Debug, Clone, Copy, PartialEq)]
enum Owner {
    /// No record of anyone's: the answer does not depend on own or foreign.
    Nobody,
    /// A council's children or referrals: only that council.
    Council,
    /// A council's child found by id: outside the council "not found" whatever the role, exactly as
    /// a child that does not exist; inside it, the role decides.
    CouncilRecord,
    /// A referral found by id: as [`Owner::Referral`], and "not found" to anyone outside its council but
    /// the providers it was sent to, whatever their role.
    ReferralRecord,
    /// A referral: its council in full, a provider it was sent to minimised.
    Referral,
    /// A home or vacancy: every home for councils and commissioners, own homes for providers;
    /// vacancies are changed by the organisation running the home only.
    Home,
    Vacancy,
    /// An organisation's users: that organisation, and platform administrators.
    Organisation,
    /// An organisation's API tokens: that organisation only.
    OwnOrganisation,
    /// The caller's own sessions.
    Me,
    /// A referral sent to the caller's organisation, answered by it: providers it was sent to.
    Recipient,
    /// A provider's own offer.
    ProviderOffer,
    /// A placement: the child's council, and the provider whose home it is.
    Placement,
    /// A referral's placement agreement: its council, and the provider whose offer was accepted.
    Agreement,
    /// A council's aggregate figures: its own people, and whoever sees every council's.
    Figures,
    /// The regional framework: the hub's regional commissioners and administrators, nobody else.
    Hub,
    /// Applications to join, listed: the hub's and councils' administrators (each sees its own share).
    Deciders,
    /// An application to join: the hub's administrators, and a council's administrators when it names
    /// their council ("own"); "not found" to a council administrator it does not name.
    Application,
    /// A provider's own organisation: its people, whatever their role.
    ProviderSelf,
}

#[derive(Debug, Clone, Copy)]
struct Rule {
    /// `None`: no sign-in needed. `Some(None)`: any signed-in caller.
    needs: Option<Option<C>>,
    owner: Owner,
    ok: StatusCode,
    /// A route whose success also depends on the record's state (an offer still live, a referral
    /// with somebody to send to): once authorised, 409 or 422 is an answer too. The marketplace's
    /// own tests check those outcomes; the matrix checks who gets past the door.
    stateful: bool,
}

const fn public() -> Rule {
    Rule { needs: None, owner: Owner::Nobody, ok: StatusCode::OK, stateful: false }
}
const fn signed_in(owner: Owner, ok: StatusCode) -> Rule {
    Rule { needs: Some(None), owner, ok, stateful: false }
}
const fn needs(c: C, owner: Owner, ok: StatusCode) -> Rule {
    Rule { needs: Some(Some(c)), owner, ok, stateful: false }
}
const fn stateful(c: C, owner: Owner, ok: StatusCode) -> Rule {
    Rule { needs: Some(Some(c)), owner, ok, stateful: true }
}

/// The written rule for each route. Referral routes need `ViewReferrals` from councils and
/// `ViewSentReferrals` from providers: see [`capability_for`].
fn rule(method: &Method, path: &str) -> Option<Rule> {
    use StatusCode as S;
    Some(match (method.as_str(), path) {
        ("GET", "/health" | "/api/v1" | "/api/v1/councils" | "/api/v1/councils/{code}") => public(),
        ("POST", "/api/v1/session") => Rule { ok: S::CREATED, ..public() },
        ("GET", "/api/v1/region") => needs(C::ViewReference, Owner::Nobody, S::OK),
        ("GET", "/api/v1/session" | "/api/v1/sessions") => signed_in(Owner::Nobody, S::OK),
        ("DELETE", "/api/v1/session") => signed_in(Owner::Nobody, S::NO_CONTENT),
        ("DELETE", "/api/v1/sessions/{id}") => signed_in(Owner::Me, S::NO_CONTENT),
        ("POST", "/api/v1/sessions/revoke-all") => signed_in(Owner::Nobody, S::OK),
        ("GET", "/api/v1/councils/{code}/children") => needs(C::ViewChildren, Owner::Council, S::OK),
        // The return names children: the council's own commissioners and team managers, not the hub.
        ("GET", "/api/v1/councils/{code}/ssda903/{year}") => needs(C::ViewCouncilFigures, Owner::Council, S::OK),
        // Aggregates, protected by disclosure control: the council's own people and the regional hub.
        ("GET", "/api/v1/intel/{scope}" | "/api/v1/intel/{scope}/tables/{table}") => {
            needs(C::ViewCouncilFigures, Owner::Figures, S::OK)
        }
        ("GET", "/api/v1/children/{id}") => needs(C::ViewChildren, Owner::CouncilRecord, S::OK),
        ("GET", "/api/v1/children/{id}/placements") => needs(C::ViewPlacements, Owner::CouncilRecord, S::OK),
        ("GET", "/api/v1/referrals") => needs(C::ViewReferrals, Owner::Nobody, S::OK),
        ("GET", "/api/v1/referrals/{id}") => needs(C::ViewReferrals, Owner::ReferralRecord, S::OK),
        ("POST", "/api/v1/referrals") => needs(C::EditReferrals, Owner::Nobody, S::CREATED),
        ("PATCH", "/api/v1/referrals/{id}") => needs(C::EditReferrals, Owner::Council, S::OK),
        ("POST", "/api/v1/referrals/{id}/submit" | "/api/v1/referrals/{id}/withdraw") => {
            needs(C::EditReferrals, Owner::Council, S::OK)
        }
        // The export carries child ids: its council only, so a provider is told "not found".
        ("GET", "/api/v1/referrals/{id}/standard") => needs(C::ViewReferrals, Owner::Council, S::OK),
        ("GET", "/api/v1/referrals/{id}/matches") => needs(C::EditReferrals, Owner::Council, S::OK),
        ("GET", "/api/v1/search") => needs(C::EditReferrals, Owner::Nobody, S::OK),
        ("GET" | "PUT", "/api/v1/councils/{code}/weights") => needs(C::ManageWeights, Owner::Council, S::OK),
        ("GET", "/api/v1/councils/{code}/contracts") => needs(C::ManageContracts, Owner::Council, S::OK),
        ("POST", "/api/v1/councils/{code}/contracts") => needs(C::ManageContracts, Owner::Council, S::CREATED),
        ("GET", "/api/v1/framework") => signed_in(Owner::Hub, S::OK),
        ("PUT", "/api/v1/framework/{provider}") => signed_in(Owner::Hub, S::OK),
        // A contract found by id: its council's commissioners; "not found" to anyone outside it.
        ("GET" | "POST", "/api/v1/contracts/{id}" | "/api/v1/contracts/{id}/terms" | "/api/v1/contracts/{id}/end") => {
            needs(C::ManageContracts, Owner::CouncilRecord, S::OK)
        }
        ("GET", "/api/v1/homes") => needs(C::ViewHomes, Owner::Nobody, S::OK),
        ("GET", "/api/v1/homes/{id}") => needs(C::ViewHomes, Owner::Home, S::OK),
        ("PUT" | "PATCH", "/api/v1/vacancies/{id}") => needs(C::ManageVacancies, Owner::Vacancy, S::OK),
        ("POST", "/api/v1/homes/{id}/vacancies") => needs(C::ManageVacancies, Owner::Vacancy, S::CREATED),
        ("POST", "/api/v1/homes") => needs(C::ManageHomes, Owner::Nobody, S::CREATED),
        ("PATCH", "/api/v1/homes/{id}") => needs(C::ManageHomes, Owner::Vacancy, S::OK),
        ("POST", "/api/v1/homes/{id}/close") => needs(C::ManageHomes, Owner::Vacancy, S::OK),
        ("POST", "/api/v1/homes/upkeep") => needs(C::ManageVacancies, Owner::Nobody, S::OK),
        ("GET", "/api/v1/organisations/{id}/users") => needs(C::ManageUsers, Owner::Organisation, S::OK),
        ("POST", "/api/v1/organisations/{id}/users") => needs(C::ManageUsers, Owner::Organisation, S::CREATED),
        ("PATCH", "/api/v1/users/{id}") => needs(C::ManageUsers, Owner::Organisation, S::OK),
        ("POST", "/api/v1/users/{id}/unlock") => needs(C::ManageUsers, Owner::Organisation, S::OK),
        ("GET", "/api/v1/tokens") => needs(C::ManageTokens, Owner::Nobody, S::OK),
        ("POST", "/api/v1/tokens") => needs(C::ManageTokens, Owner::Nobody, S::CREATED),
        ("DELETE", "/api/v1/tokens/{id}") => needs(C::ManageTokens, Owner::OwnOrganisation, S::NO_CONTENT),
        ("GET", "/api/v1/audit") => needs(C::ViewAudit, Owner::Nobody, S::OK),
        ("POST", "/api/v1/referrals/{id}/send") => stateful(C::EditReferrals, Owner::Council, S::CREATED),
        ("GET", "/api/v1/referrals/{id}/sendings") => needs(C::ViewReferrals, Owner::Council, S::OK),
        ("GET", "/api/v1/referrals/{id}/offers") => needs(C::ViewReferrals, Owner::Referral, S::OK),
        ("POST", "/api/v1/referrals/{id}/offers") => stateful(C::RespondToReferrals, Owner::Recipient, S::CREATED),
        ("POST", "/api/v1/referrals/{id}/decline") => stateful(C::RespondToReferrals, Owner::Recipient, S::CREATED),
        ("GET", "/api/v1/referrals/{id}/offer-form") => stateful(C::RespondToReferrals, Owner::Recipient, S::OK),
        ("POST", "/api/v1/offers/{id}/withdraw") => stateful(C::RespondToReferrals, Owner::ProviderOffer, S::OK),
        ("POST", "/api/v1/offers/{id}/accept") => stateful(C::EditReferrals, Owner::Council, S::CREATED),
        ("GET", "/api/v1/placements") => needs(C::ViewPlacements, Owner::Nobody, S::OK),
        ("GET", "/api/v1/placements/{id}") => needs(C::ViewPlacements, Owner::Placement, S::OK),
        ("POST", "/api/v1/placements/{id}/end") => stateful(C::EditChildren, Owner::Council, S::OK),
        ("POST", "/api/v1/placements/{id}/move") => stateful(C::EditChildren, Owner::Council, S::CREATED),
        ("GET", "/api/v1/referrals/{id}/agreements") => needs(C::ViewReferrals, Owner::Agreement, S::OK),
        ("POST", "/api/v1/referrals/{id}/agreements") => stateful(C::EditReferrals, Owner::Council, S::CREATED),
        ("POST", "/api/v1/agreements/{id}/sign") => stateful(C::ViewReferrals, Owner::Agreement, S::OK),
        ("GET", "/api/v1/agreements/{id}/document") => needs(C::ViewReferrals, Owner::Agreement, S::OK),
        ("GET", "/api/v1/notices") => signed_in(Owner::Nobody, S::OK),
        // Asking to join needs no account (and is throttled by address: see `walk`).
        ("POST", "/api/v1/applications") => Rule { ok: S::ACCEPTED, ..public() },
        ("POST", "/api/v1/invitations/accept") => public(),
        ("GET", "/api/v1/applications") => signed_in(Owner::Deciders, S::OK),
        ("GET", "/api/v1/applications/{id}") => signed_in(Owner::Application, S::OK),
        ("POST", "/api/v1/applications/{id}/approve" | "/api/v1/applications/{id}/refuse") => {
            signed_in(Owner::Application, S::OK)
        }
        ("POST", "/api/v1/applications/{id}/invitation") => signed_in(Owner::Application, S::OK),
        ("GET", "/api/v1/organisation") => signed_in(Owner::ProviderSelf, S::OK),
        _ => return None,
    })
}

fn capability_for(c: C, kind: OrganisationKind) -> C {
    match (c, kind) {
        (C::ViewReferrals, OrganisationKind::Provider) => C::ViewSentReferrals,
        _ => c,
    }
}

/// Someone to ask as: every role, in the organisations the fixture names.
#[derive(Debug, Clone, Copy)]
struct Caller {
    role: Role,
    org: OrganisationId,
    kind: OrganisationKind,
}

fn callers(f: &Facts) -> Vec<Caller> {
    use OrganisationKind as K;
    let mut v = vec![];
    for role in [Role::PlacementOfficer, Role::TeamManager, Role::Commissioner, Role::Administrator] {
        v.push(Caller { role, org: f.coventry, kind: K::Council });
    }
    for role in [Role::ProviderStaff, Role::ProviderManager, Role::Administrator] {
        v.push(Caller { role, org: f.provider_p, kind: K::Provider });
    }
    v.push(Caller { role: Role::RegionalCommissioner, org: f.hub, kind: K::RegionalHub });
    v.push(Caller { role: Role::Administrator, org: f.hub, kind: K::RegionalHub });
    v.push(Caller { role: Role::PlatformAdministrator, org: f.platform, kind: K::Platform });
    v
}

/// What the written permissions say the answer must be.
fn expected(rule: Rule, caller: Option<Caller>, own: bool) -> StatusCode {
    let Some(needs) = rule.needs else { return rule.ok };
    let Some(c) = caller else { return StatusCode::UNAUTHORIZED };
    let inside = own && c.kind == OrganisationKind::Council;
    let outside_first = match rule.owner {
        Owner::CouncilRecord => !inside,
        Owner::ReferralRecord => !inside && c.kind != OrganisationKind::Provider,
        Owner::Agreement => !inside && c.kind == OrganisationKind::Council,
        _ => false,
    };
    if outside_first {
        return StatusCode::NOT_FOUND;
    }
    if let Some(cap) = needs
        && !c.role.can(capability_for(cap, c.kind))
    {
        return StatusCode::FORBIDDEN;
    }
    if rule.owner == Owner::Hub {
        let hub = c.kind == OrganisationKind::RegionalHub
            && matches!(c.role, Role::RegionalCommissioner | Role::Administrator);
        return if hub { rule.ok } else { StatusCode::FORBIDDEN };
    }
    let decider =
        c.role == Role::Administrator && matches!(c.kind, OrganisationKind::RegionalHub | OrganisationKind::Council);
    match rule.owner {
        Owner::Deciders => return if decider { rule.ok } else { StatusCode::FORBIDDEN },
        Owner::Application if !decider => return StatusCode::FORBIDDEN,
        Owner::Application => {
            return if own || c.kind == OrganisationKind::RegionalHub { rule.ok } else { StatusCode::NOT_FOUND };
        }
        Owner::ProviderSelf => {
            return if c.kind == OrganisationKind::Provider { rule.ok } else { StatusCode::FORBIDDEN };
        }
        _ => {}
    }
    let platform = c.kind == OrganisationKind::Platform;
    let visible = match rule.owner {
        Owner::Nobody => true,
        // A council's records are no provider's, hub's or platform's "own".
        Owner::Council | Owner::CouncilRecord => inside,
        Owner::Referral | Owner::ReferralRecord => {
            own && matches!(c.kind, OrganisationKind::Council | OrganisationKind::Provider)
        }
        Owner::Me | Owner::Vacancy | Owner::OwnOrganisation => own,
        Owner::Home => own || c.kind != OrganisationKind::Provider,
        Owner::Organisation => own || platform,
        Owner::Recipient => own && matches!(c.kind, OrganisationKind::Council | OrganisationKind::Provider),
        Owner::ProviderOffer => own && c.kind == OrganisationKind::Provider,
        Owner::Placement | Owner::Agreement => {
            own && matches!(c.kind, OrganisationKind::Council | OrganisationKind::Provider)
        }
        Owner::Figures => (own && c.kind == OrganisationKind::Council) || c.role.can(C::ViewRegionFigures),
        Owner::Hub | Owner::Deciders | Owner::Application | Owner::ProviderSelf => true,
    };
    if visible { rule.ok } else { StatusCode::NOT_FOUND }
}

/// The path with its parameters filled for `caller`, own or foreign record, and the body to send.
async fn concrete(
    s: &Server,
    method: &Method,
    path: &str,
    caller: Option<Caller>,
    own: bool,
    n: usize,
) -> (String, Option<Value>) {
    let f = &s.facts;
    let org = caller.map_or(f.coventry, |c| c.org);
    let kind = caller.map_or(OrganisationKind::Council, |c| c.kind);
    let mine_or = |mine: OrganisationId, foreign: OrganisationId| if own { mine } else { foreign };
    let filled = match path {
        "/api/v1/councils/{code}" => path.replace("{code}", "331"),
        "/api/v1/councils/{code}/children"
        | "/api/v1/councils/{code}/weights"
        | "/api/v1/councils/{code}/contracts" => path.replace("{code}", if own { "331" } else { "330" }),
        "/api/v1/intel/{scope}" | "/api/v1/intel/{scope}/tables/{table}" => {
            path.replace("{scope}", if own { "331" } else { "330" }).replace("{table}", "placement_type")
        }
        "/api/v1/councils/{code}/ssda903/{year}" => {
            path.replace("{code}", if own { "331" } else { "330" }).replace("{year}", "2026")
        }
        "/api/v1/children/{id}" | "/api/v1/children/{id}/placements" => {
            let id = if own { f.coventry_child } else { f.birmingham_child };
            path.replace("{id}", &id.to_string())
        }
        // Each change needs a draft of its own: a submitted one cannot be submitted again.
        "/api/v1/referrals/{id}" | "/api/v1/referrals/{id}/submit" | "/api/v1/referrals/{id}/withdraw"
            if *method != Method::GET =>
        {
            let id = if own { spare_referral(s).await } else { f.birmingham_referral_not_sent_to_p };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/search" => "/api/v1/search?age=14&sex=F&near=CV2".to_owned(),
        "/api/v1/referrals/{id}/send" => {
            let id = if own { spare_referral(s).await } else { f.birmingham_referral_not_sent_to_p };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/referrals/{id}"
        | "/api/v1/referrals/{id}/standard"
        | "/api/v1/referrals/{id}/matches"
        | "/api/v1/referrals/{id}/sendings"
        | "/api/v1/referrals/{id}/offers"
            if *method == Method::GET =>
        {
            let id = if own { f.coventry_referral_sent_to_p } else { f.birmingham_referral_not_sent_to_p };
            path.replace("{id}", &id.to_string())
        }
        // Answering: a provider answers referrals sent to it; a council's team manager those sent to
        // its in-house service.
        "/api/v1/referrals/{id}/decline" | "/api/v1/referrals/{id}/offer-form" | "/api/v1/referrals/{id}/offers"
            if *method != Method::GET || path.ends_with("offer-form") =>
        {
            let id = match (own, kind) {
                (true, OrganisationKind::Council) => f.coventry_referral_sent_in_house,
                (true, _) => f.coventry_referral_sent_to_p,
                (false, _) => f.birmingham_referral_not_sent_to_p,
            };
            let filled = path.replace("{id}", &id.to_string());
            if path.ends_with("offer-form") { format!("{filled}?home={}", f.p_home) } else { filled }
        }
        "/api/v1/referrals/{id}/agreements" => {
            let id = if own { accepted_referral(s).await } else { f.birmingham_referral_not_sent_to_p };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/agreements/{id}/sign" | "/api/v1/agreements/{id}/document" => {
            let id =
                if own { spare_agreement(s, accepted_referral(s).await).await } else { foreign_agreement(s).await };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/offers/{id}/withdraw" | "/api/v1/offers/{id}/accept" => {
            let id = if own { f.p_offer_on_coventry } else { f.other_offer_on_birmingham };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/placements/{id}" | "/api/v1/placements/{id}/end" | "/api/v1/placements/{id}/move" => {
            let id = if own { f.coventry_placement_with_p } else { f.birmingham_placement };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/framework/{provider}" => path.replace("{provider}", &f.provider_p.to_string()),
        // Each decision needs a pending application of its own; a new invitation, an approved one.
        "/api/v1/applications/{id}" | "/api/v1/applications/{id}/approve" | "/api/v1/applications/{id}/refuse" => {
            path.replace("{id}", &spare_application(s, own, n).await.to_string())
        }
        "/api/v1/applications/{id}/invitation" => {
            let (id, _) = approved_application(s, own, n).await;
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/contracts/{id}" | "/api/v1/contracts/{id}/terms" | "/api/v1/contracts/{id}/end" => {
            let council = if own { 331 } else { 330 };
            path.replace("{id}", &spare_contract(s, council).await.to_string())
        }
        // Changing a home: the organisation running it (a council's in-house home for its team managers).
        "/api/v1/homes/{id}" if *method == Method::PATCH => {
            let id = match (own, kind) {
                (true, OrganisationKind::Council) => s.store.vacancy(f.coventry_vacancy.0).await.expect("vacancy").home,
                (true, _) => f.p_home,
                (false, _) => f.q_home,
            };
            path.replace("{id}", &id.to_string())
        }
        // Closing: a home of the caller's organisation with nobody placed there, made for the check.
        "/api/v1/homes/{id}/close" => {
            let id = spare_home(s, if own { org } else { f.provider_q }).await;
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/homes/upkeep" => format!("{path}?preview=true"),
        "/api/v1/homes/{id}" => {
            // "Own" for a provider is its own home; for everyone else P's (a home of the market).
            let id = if own { f.p_home } else { f.q_home };
            let id = if kind == OrganisationKind::Provider || !own { id } else { f.p_home };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/vacancies/{id}" => {
            let (id, _) = match (own, kind) {
                (true, OrganisationKind::Council) => f.coventry_vacancy,
                (true, _) => f.p_vacancy,
                (false, _) => f.q_vacancy,
            };
            path.replace("{id}", &id.to_string())
        }
        "/api/v1/homes/{id}/vacancies" => {
            let (vacancy, _) = match (own, kind) {
                (true, OrganisationKind::Council) => f.coventry_vacancy,
                (true, _) => f.p_vacancy,
                (false, _) => f.q_vacancy,
            };
            let home = s.store.vacancy(vacancy).await.expect("vacancy").home;
            path.replace("{id}", &home.to_string())
        }
        "/api/v1/organisations/{id}/users" => path.replace("{id}", &mine_or(org, f.birmingham).to_string()),
        "/api/v1/users/{id}" | "/api/v1/users/{id}/unlock" => {
            let target = if own { colleague(f, org) } else { f.user(Role::PlacementOfficer, f.birmingham) };
            path.replace("{id}", &target.to_string())
        }
        "/api/v1/tokens/{id}" => {
            let owner = mine_or(org, f.birmingham);
            path.replace("{id}", &spare_token(s, owner).await.to_string())
        }
        "/api/v1/sessions/{id}" => {
            let id = match caller {
                Some(c) if own => spare_session(s, f.user(c.role, c.org)).await,
                _ => spare_session(s, f.user(Role::PlacementOfficer, f.birmingham)).await,
            };
            path.replace("{id}", &id.to_string())
        }
        other => other.to_owned(),
    };
    let body = match (method.as_str(), path) {
        ("POST", "/api/v1/session") => {
            Some(json!({ "email": f.email(Role::Commissioner, f.coventry), "password": hearth_demo::DEMO_PASSWORD }))
        }
        ("PUT" | "PATCH", "/api/v1/vacancies/{id}") | ("POST", "/api/v1/homes/{id}/vacancies") => {
            Some(json!({ "places": 1 }))
        }
        ("PUT", "/api/v1/councils/{code}/weights") => Some(json!({ "distance": 25 })),
        ("POST", "/api/v1/homes") => Some(json!({ "kind": "childrens_home", "name": format!("Matrix House {n}"),
            "postcode": "CV1 1AH", "registration": "applied", "places": 2, "age_min": 8, "age_max": 17,
            "weekly_price": 4000 })),
        ("PATCH", "/api/v1/homes/{id}") => Some(json!({})),
        ("POST", "/api/v1/homes/{id}/close") => Some(json!({ "closed_on": "2026-11-25", "reason": "Matrix check" })),
        // Sent as CSV (see `walk`): a row for a home of the caller's organisation, if it runs any.
        ("POST", "/api/v1/homes/upkeep") => {
            let home = spare_home(s, org).await;
            Some(Value::String(format!("home,places,available_from,weekly_price\n{home},0,2026-11-25,900\n")))
        }
        ("POST", "/api/v1/councils/{code}/contracts") => {
            Some(json!({ "provider": f.provider_p.0, "tier": "framework", "weekly_price": 1000, "starts": "2026-11-01",
                "kinds": ["fostering"] }))
        }
        ("POST", "/api/v1/contracts/{id}/terms") => {
            Some(json!({ "takes_effect": "2026-12-01", "weekly_price": 1100, "block_beds": 0 }))
        }
        ("PUT", "/api/v1/framework/{provider}") => Some(json!({ "lots": ["fostering"] })),
        ("POST", "/api/v1/applications") => Some(json!({ "organisation_name": format!("Matrix Care {n}"),
            "company_number": "12345678", "contact_name": "Matrix Person", "contact_email": format!("join{n}@matrix.test"),
            "councils": ["331"] })),
        ("POST", "/api/v1/applications/{id}/refuse") => Some(json!({ "reason": "Not for the matrix." })),
        ("POST", "/api/v1/invitations/accept") => {
            let (_, token) = approved_application(s, true, n).await;
            Some(json!({ "token": token, "password": "a long enough password" }))
        }
        ("POST", "/api/v1/contracts/{id}/end") => Some(json!({ "ends": "2027-06-30" })),
        ("POST", "/api/v1/organisations/{id}/users") => {
            // The role must fit the organisation it is added to: the caller's own, or Birmingham.
            let target_kind = if own { kind } else { OrganisationKind::Council };
            let role = match target_kind {
                OrganisationKind::Council => "placement_officer",
                OrganisationKind::Provider => "provider_staff",
                OrganisationKind::RegionalHub => "regional_commissioner",
                OrganisationKind::Platform => "platform_administrator",
            };
            Some(
                json!({ "email": format!("new{n}@matrix.test"), "display_name": "New Person", "role": role, "password": "a long enough password" }),
            )
        }
        ("PATCH", "/api/v1/users/{id}" | "/api/v1/referrals/{id}") => Some(json!({})),
        ("POST", "/api/v1/referrals/{id}/send") => Some(json!({ "mode": "all_fitting" })),
        ("POST", "/api/v1/referrals/{id}/offers") => Some(json!({ "home": f.p_home.0 })),
        ("POST", "/api/v1/referrals/{id}/decline") => Some(json!({ "reason": "no_vacancy" })),
        ("POST", "/api/v1/referrals/{id}/agreements") => Some(json!({ "notes": "A changed term." })),
        ("POST", "/api/v1/agreements/{id}/sign") => Some(json!({ "text_hash": "0".repeat(64) })),
        ("POST", "/api/v1/placements/{id}/end") => {
            Some(json!({ "end": "2026-11-25", "reason_ceased": "E13", "planned": true }))
        }
        ("POST", "/api/v1/placements/{id}/move") => {
            Some(json!({ "date": "2026-11-25", "reason_change": "CARPL", "planned": true, "home": f.p_home.0 }))
        }
        ("POST", "/api/v1/referrals") => Some(crate::referrals::form(f.coventry_child.0, "2026-11-26")),
        // Within every issuer's role: a token never does more than the one who issues it.
        ("POST", "/api/v1/tokens") => Some(json!({ "name": "matrix", "scopes": ["reference:read"] })),
        _ => None,
    };
    (filled, body)
}

/// A new home of `org` with nobody placed there (through the store), to close or keep up.
async fn spare_home(s: &Server, org: OrganisationId) -> hearth_domain::HomeId {
    let f = &s.facts;
    let mut home = s.store.home(f.p_home).await.expect("P's home");
    home.id = hearth_domain::HomeId(0);
    home.provider = org;
    home.urn = None;
    let actor = hearth_domain::audit::Actor::system("matrix");
    let profile = hearth_domain::home_upkeep::HomeProfile::default();
    s.store.save_home(&actor, &home, &profile, s.clock.now()).await.expect("a spare home").id
}

/// A pending application to join naming Coventry ("own") or only Birmingham, through the store.
pub(crate) async fn spare_application(s: &Server, own: bool, n: usize) -> i64 {
    let form = hearth_domain::onboarding::ApplicationForm {
        organisation_name: format!("Matrix Applicant {n}"),
        company_number: "SC123456".into(),
        contact_name: "Matrix Applicant".into(),
        contact_email: format!("applicant{n}@matrix.test"),
        councils: vec![if own { "331" } else { "330" }.into()],
        ..Default::default()
    };
    let parsed = form.parse().expect("a good application");
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store.create_application(&actor, &parsed, "matrix", s.clock.now()).await.expect("application").id
}

/// An approved application whose manager has not set a password yet, and the invitation's secret.
async fn approved_application(s: &Server, own: bool, n: usize) -> (i64, String) {
    let id = spare_application(s, own, n).await;
    let secret = hearth_service::auth::new_secret();
    let now = s.clock.now();
    let approval = hearth_store::Approval {
        application: id,
        invitation: hearth_store::NewInvitation {
            token_hash: hearth_service::auth::secret_hash(&secret),
            created_at: now,
            expires_at: now.checked_add(jiff::SignedDuration::from_hours(24)).expect("time"),
        },
        email: hearth_store::NewEmail {
            to: format!("applicant{n}@matrix.test"),
            subject: "x".into(),
            body: "x".into(),
        },
        at: now,
    };
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store.approve_application(&actor, &approval).await.expect("approved");
    (id, secret)
}

/// A new Coventry referral sent to P, whose offer of its home Coventry accepted (through the store: the
/// marketplace's own tests go through the API).
async fn accepted_referral(s: &Server) -> hearth_domain::ReferralId {
    use hearth_domain::referral::ReferralStatus as St;
    let f = &s.facts;
    let actor = hearth_domain::audit::Actor::system("matrix");
    let now = s.clock.now();
    let id = spare_referral(s).await;
    s.store.transition_referral(&actor, id, St::Draft, St::Open, now).await.expect("open");
    let sending = hearth_store::NewSending {
        mode: hearth_domain::dispatch::SendMode::Chosen,
        step: None,
        opened_at: now,
        due_at: now.checked_add(jiff::SignedDuration::from_hours(4)).expect("due"),
        providers: vec![f.provider_p],
    };
    let none = hearth_store::Notify::default();
    s.store.open_sending(&actor, id, &sending, &none).await.expect("sent");
    let draft = hearth_domain::offer::OfferDraft {
        home: f.p_home,
        weekly_price: hearth_domain::home::WeeklyPrice::new(900).expect("price"),
        start: jiff::civil::date(2026, 11, 26),
        terms: hearth_domain::offer::OfferTerms::default(),
    };
    let offer = s.store.make_offer(&actor, id, f.provider_p, &draft, now, &none).await.expect("offer");
    let acceptance = hearth_store::Acceptance {
        offer: offer.id,
        at: now,
        placements: vec![],
        move_reason: hearth_domain::ReasonPlaceChange::Carpl,
        move_planned: true,
        places: 0,
        agreement: None,
    };
    s.store.accept_offer(&actor, &acceptance, &none).await.expect("accepted");
    id
}

/// A fresh agreement on a referral with an accepted offer (each sign call needs one unsigned).
async fn spare_agreement(s: &Server, referral: hearth_domain::ReferralId) -> i64 {
    let offers = s.store.offers_of(referral).await.expect("offers");
    let accepted = offers.iter().find(|o| o.status == hearth_domain::offer::OfferStatus::Accepted).expect("accepted");
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store
        .create_agreement(&actor, referral, accepted.id, "The agreed terms.", s.clock.now())
        .await
        .expect("agreement")
        .id
}

/// An agreement on a Birmingham referral (not P's).
async fn foreign_agreement(s: &Server) -> i64 {
    let offer = s.store.offer(s.facts.other_offer_on_birmingham).await.expect("offer");
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store
        .create_agreement(&actor, offer.referral, offer.id, "Other terms.", s.clock.now())
        .await
        .expect("agreement")
        .id
}

/// Another user of the same organisation (the administrator changes a colleague, not themselves).
fn colleague(f: &Facts, org: OrganisationId) -> hearth_domain::UserId {
    f.logins
        .iter()
        .find(|((r, o), _)| *o == org && *r != Role::Administrator)
        .map(|(_, (id, _))| *id)
        .unwrap_or_else(|| f.logins.iter().find(|((_, o), _)| *o == org).map(|(_, (id, _))| *id).expect("a user"))
}

async fn spare_token(s: &Server, org: OrganisationId) -> i64 {
    let issuer = s.facts.logins.iter().find(|((_, o), _)| *o == org).map(|(_, (id, _))| *id).expect("issuer");
    let t = hearth_store::NewApiToken {
        token_hash: hearth_service::auth::secret_hash(&hearth_service::auth::new_secret()),
        organisation: org,
        issued_by: issuer,
        name: "spare".into(),
        scopes: vec![C::ViewReference],
        created_at: s.clock.now(),
        expires_at: None,
    };
    s.store.create_api_token(&hearth_domain::audit::Actor::system("matrix"), &t).await.expect("token").id
}

/// A new open-ended framework contract of the council's with P (each change needs one still open).
pub(crate) async fn spare_contract(s: &Server, la_code: u16) -> i64 {
    let c = hearth_domain::contract::ContractInput {
        provider: s.facts.provider_p.0,
        tier: "framework".into(),
        weekly_price: 1000,
        starts: "2026-11-01".into(),
        kinds: vec!["fostering".into()],
        ..Default::default()
    }
    .parse(la_code)
    .expect("a contract");
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store.create_contract(&actor, &c, s.clock.now()).await.expect("contract").id.0
}

/// A new draft referral of Coventry's for its child.
async fn spare_referral(s: &Server) -> hearth_domain::ReferralId {
    let input = crate::referrals::form(s.facts.coventry_child.0, "2026-11-26");
    let input: hearth_domain::referral_form::ReferralInput = serde_json::from_value(input).expect("a form");
    let parsed = input.parse(jiff::civil::date(2026, 11, 25)).expect("a valid referral");
    let actor = hearth_domain::audit::Actor::system("matrix");
    s.store.create_referral(&actor, 331, &parsed, s.clock.now()).await.expect("a draft").id
}

async fn spare_session(s: &Server, user: hearth_domain::UserId) -> i64 {
    let now = s.clock.now();
    let sess = hearth_store::NewSession {
        token_hash: hearth_service::auth::secret_hash(&hearth_service::auth::new_secret()),
        user,
        csrf_token: "x".into(),
        created_at: now,
        expires_at: now.checked_add(jiff::SignedDuration::from_hours(1)).expect("time"),
        ip: None,
        user_agent: None,
    };
    s.store.create_session(&hearth_domain::audit::Actor::system("matrix"), &sess).await.expect("session").id
}

async fn walk(s: &Server) {
    let spec = serde_json::to_value(hearth_web::openapi()).expect("spec");
    let mut routes = vec![];
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (m, _) in item.as_object().expect("item") {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).expect("method");
            let Some(r) = rule(&method, path) else {
                panic!("{} {path} has no entry in the authorisation matrix: add one to tests/http/matrix.rs", method);
            };
            routes.push((method, path.clone(), r));
        }
    }
    assert!(routes.len() >= 20, "only {} routes found", routes.len());
    let mut failures = vec![];
    let mut checked = 0;
    let mut n = 0;
    let everyone: Vec<Option<Caller>> = std::iter::once(None).chain(callers(&s.facts).into_iter().map(Some)).collect();
    for who in everyone {
        for (method, path, r) in &routes {
            for own in [true, false] {
                n += 1;
                // A fresh session per check: some routes end the session they are called with.
                let session: Option<Session> = match who {
                    Some(c) => Some(s.sign_in(s.facts.email(c.role, c.org)).await),
                    None => None,
                };
                let (url, body) = concrete(s, method, path, who, own, n).await;
                let auth = session.as_ref().map_or(As::Nobody, As::Browser);
                let (status, answer) = match body {
                    Some(Value::String(csv)) if path == "/api/v1/homes/upkeep" => s.call_csv(&url, auth, &csv).await,
                    body => s.call(method.clone(), &url, auth, body).await,
                };
                let want = expected(*r, who, own);
                checked += 1;
                let settled = (r.stateful
                    && want == r.ok
                    && matches!(status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY))
                    // Asking to join is throttled by address: past the limit, a refusal is the answer.
                    || (path == "/api/v1/applications" && status == StatusCode::TOO_MANY_REQUESTS);
                if status != want && !settled {
                    failures.push(format!(
                        "{method} {url} as {:?} ({}): got {status}, want {want}: {answer}",
                        who.map(|c| c.role),
                        if own { "own" } else { "foreign" }
                    ));
                }
                if status.is_client_error()
                    && !matches!(
                        answer["error"]["code"].as_str(),
                        Some(
                            "unauthenticated"
                                | "forbidden"
                                | "not_found"
                                | "invalid"
                                | "conflict"
                                | "too_many_attempts"
                        )
                    )
                {
                    failures.push(format!("{method} {url}: an error without a stable code: {answer}"));
                }
            }
        }
        // Sign-ins pile up per address; the throttle counts failures only, but keep the clock moving.
        s.clock.advance(jiff::SignedDuration::from_mins(1));
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks disagree with the written permissions:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! A new referral, one question per page in the GOV.UK pattern, then "check your answers".
//!
//! The answers travel in hidden fields from page to page rather than in a server-side draft: nothing
//! about the child is stored until the officer confirms (so an abandoned form leaves no half-made
//! referral and no audit noise), the back button and a server restart lose nothing, and a lost
//! session or stale form carries every answer through sign-in like any other post. Going back or
//! changing an answer is a post for the same reason: a link would put the answers in the address.
//!
//! The form asks everything the API's referral takes that an officer fills in. Each page's answers
//! are checked by the same domain rules the API uses (`DetailsInput::parse_into`), so a page and the
//! API can never disagree on what is valid; only the page's own conversions (a price typed "£1,200",
//! districts typed in one box) are read here.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hearth_domain::home::Skill;
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::referral_form::{
    AdditionalSupport, CaredForAlongside, CulturalNeeds, DetailsInput, ExtraRisk, LanguageSupport, Pets, ReferralInput,
    Suitability,
};
use hearth_domain::{ChildId, PostcodeDistrict, ValidationErrors};
use hearth_service::ServiceError;

pub fn router() -> Router<App> {
    Router::new().route("/referrals/new", get(start).post(answer))
}

/// The pages in order. Some are skipped when they cannot apply: the date for a same-day referral
/// (the home is needed today), "must they live together" without brothers or sisters, and "which
/// needs must the home meet" when no need was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Child,
    Siblings,
    Together,
    Urgency,
    NeededFrom,
    PlacementType,
    Needs,
    MustMeet,
    Risks,
    Health,
    School,
    Area,
    Avoid,
    Price,
    Living,
    Communication,
    Support,
    Wishes,
    Strengths,
    Check,
}

impl Step {
    const ALL: [Step; 20] = [
        Step::Child,
        Step::Siblings,
        Step::Together,
        Step::Urgency,
        Step::NeededFrom,
        Step::PlacementType,
        Step::Needs,
        Step::MustMeet,
        Step::Risks,
        Step::Health,
        Step::School,
        Step::Area,
        Step::Avoid,
        Step::Price,
        Step::Living,
        Step::Communication,
        Step::Support,
        Step::Wishes,
        Step::Strengths,
        Step::Check,
    ];

    fn code(self) -> &'static str {
        match self {
            Step::Child => "child",
            Step::Siblings => "siblings",
            Step::Together => "together",
            Step::Urgency => "urgency",
            Step::NeededFrom => "needed_from",
            Step::PlacementType => "placement_type",
            Step::Needs => "needs",
            Step::MustMeet => "must_meet",
            Step::Risks => "risks",
            Step::Health => "health",
            Step::School => "school",
            Step::Area => "area",
            Step::Avoid => "avoid",
            Step::Price => "price",
            Step::Living => "living",
            Step::Communication => "communication",
            Step::Support => "support",
            Step::Wishes => "wishes",
            Step::Strengths => "strengths",
            Step::Check => "check",
        }
    }

    fn parse(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    fn title(self) -> &'static str {
        match self {
            Step::Child => "What is the child's reference?",
            Step::Siblings => "Are brothers or sisters to be placed at the same time?",
            Step::Together => "Must the brothers and sisters live together?",
            Step::Urgency => "How soon does the child need a home?",
            Step::NeededFrom => "From what date is the home needed?",
            Step::PlacementType => "What kind of home would suit the child?",
            Step::Needs => "What are the child's needs and risks?",
            Step::MustMeet => "Which needs must the home be able to meet?",
            Step::Risks => "What other risks should the home know about?",
            Step::Health => "What does the child need for their health or a disability?",
            Step::School => "Where does the child go to school?",
            Step::Area => "Where should the home be?",
            Step::Avoid => "Are there areas the child must not live in or near?",
            Step::Price => "What is the most the council will pay a week?",
            Step::Living => "Who can the child live with?",
            Step::Communication => "What are the child's communication and cultural needs?",
            Step::Support => "What extra support or orders apply?",
            Step::Wishes => "What does the child want?",
            Step::Strengths => "What is going well for the child?",
            Step::Check => "Check your answers before creating the referral",
        }
    }

    /// The questions this step's page asks; `answers` gives the options that depend on earlier pages.
    fn questions(self, answers: &FormState) -> Vec<Question> {
        use Kind::{Area, Checks, Date, Radios, Text};
        let yes = |label: &'static str| vec![("yes", label)];
        match self {
            Step::Child => vec![q(
                "child",
                "What is the child's reference?",
                "The council's reference on the child's record: letters and digits, for example 3310000123.",
                Text("10"),
            )],
            Step::Siblings => vec![q(
                "siblings",
                "Are brothers or sisters to be placed at the same time?",
                "Optional. Their references, separated by commas. Leave it empty when the referral is for this child alone.",
                Text("20"),
            )],
            Step::Together => vec![q(
                "together",
                "Must the brothers and sisters live together?",
                "When they must, only homes with a place for all of them are offered.",
                Radios(vec![("yes", "Yes, they must live together"), ("no", "No, they may live in different homes")]),
            )],
            Step::Urgency => vec![q(
                "urgency",
                "How soon does the child need a home?",
                "A same-day referral goes only to homes that take emergencies.",
                Radios(codes(Urgency::ALL.iter().map(|u| (u.code(), u.label())))),
            )],
            Step::NeededFrom => {
                vec![q("needed_from", "From what date is the home needed?", "For example, 27 11 2026", Date)]
            }
            Step::PlacementType => {
                let suits = || Radios(codes(Suitability::ALL.iter().map(|s| (s.code(), s.label()))));
                vec![
                    q(
                        "foster_suitability",
                        "Foster care",
                        "A family setting comes first wherever it meets the child's needs.",
                        suits(),
                    ),
                    q("residential_suitability", "A children's home", "", suits()),
                    q("supported_suitability", "Supported accommodation", "For young people of 16 and 17.", suits()),
                    q(
                        "residential_special_school",
                        "Residential special schools",
                        "They are offered only when you ask for them.",
                        Checks(yes("Also offer residential special schools")),
                    ),
                ]
            }
            Step::Needs => vec![
                q(
                    "needs",
                    "The child's needs and risks",
                    "Choose all that apply. Matching looks for carers with the skills for each.",
                    Checks(codes(Need::ALL.iter().map(|n| (n.code(), n.label())))),
                ),
                q("needs_text", "Say more about the child's needs (optional)", "", Area),
            ],
            Step::MustMeet => {
                let chosen = answers.fields.all("needs");
                let options =
                    Need::ALL.iter().filter(|n| chosen.iter().any(|c| c == n.code())).map(|n| (n.code(), n.label()));
                vec![q(
                    "must_meet_needs",
                    "Which needs must the home be able to meet?",
                    "Homes that cannot meet a need ticked here are left out. Needs not ticked still count in the ranking.",
                    Checks(codes(options)),
                )]
            }
            Step::Risks => vec![
                q(
                    "extra_risks",
                    "Risks to others",
                    "Choose all that apply.",
                    Checks(codes(ExtraRisk::ALL.iter().map(|r| (r.code(), r.label())))),
                ),
                q("risks_text", "Say more about the risks (optional)", "", Area),
                q("other_risk_to_child", "Any other risk to the child (optional)", "", Area),
                q("other_risk_to_others", "Any other risk the child may pose to others (optional)", "", Area),
            ],
            Step::Health => vec![
                q(
                    "health",
                    "The child's health (optional)",
                    "Conditions, medication, appointments the home must keep.",
                    Area,
                ),
                q(
                    "wheelchair_user",
                    "Wheelchair",
                    "Only wheelchair-accessible homes are offered.",
                    Checks(yes("The child uses a wheelchair")),
                ),
                q("adaptation_needed", "Adaptations", "", Checks(yes("The home needs adaptations for the child"))),
                q(
                    "adaptations",
                    "What the home must offer",
                    "Optional. Homes without each of these are left out.",
                    Checks(codes(Skill::ALL.iter().map(|s| (s.code(), s.label())))),
                )
                .folded(),
            ],
            Step::School => vec![
                q(
                    "school_district",
                    "The school's postcode district",
                    "Optional. The first half of the school's postcode, for example CV3. Distance to school is measured from it, rather than from the school on the child's record.",
                    Text("5"),
                ),
                q(
                    "education_continuity_important",
                    "Staying at this school",
                    "",
                    Checks(yes("Staying at this school matters: homes near it rank higher")),
                ),
                q("ehcp", "Education, Health and Care Plan", "", Checks(yes("The child has an EHCP"))),
                q("education_notes", "Anything else about the child's education (optional)", "", Area),
            ],
            Step::Area => vec![
                q(
                    "preferred_district",
                    "The preferred postcode district",
                    "Optional. The first half of a postcode near where the child should live, for example CV2. Homes nearer it rank higher.",
                    Text("5"),
                ),
                q("location_preference", "Say more about where (optional)", "", Area),
            ],
            Step::Avoid => vec![
                q(
                    "avoid_districts",
                    "Postcode districts to avoid",
                    "Optional. Districts separated by commas, for example CV1, CV2 (exploitation, a risky adult, a gang area). No home in them is offered.",
                    Text("20"),
                ),
                q(
                    "avoid_radius_miles",
                    "And within this many miles of them",
                    "Optional. A whole number from 1 to 50; homes that near an avoided district are left out too.",
                    Text("2"),
                ),
            ],
            Step::Price => vec![q(
                "max_weekly_price",
                "What is the most the council will pay a week?",
                "Optional. In pounds, for example 4500. Homes over it rank lower.",
                Text("5"),
            )],
            Step::Living => vec![
                q(
                    "cared_for_alongside",
                    "Who the child can be cared for alongside",
                    "",
                    Radios(codes(CaredForAlongside::ALL.iter().map(|c| (c.code(), c.label())))),
                ),
                q(
                    "pets",
                    "Can the child live with pets?",
                    "",
                    Radios(codes(Pets::ALL.iter().map(|p| (p.code(), p.label())))),
                ),
            ],
            Step::Communication => vec![
                q(
                    "communication_needs",
                    "Communication, language and learning needs",
                    "",
                    Radios(vec![("yes", "Yes"), ("no", "No"), ("not_specified", "Not specified")]),
                ),
                q(
                    "language_support",
                    "Communication or language support",
                    "Choose all that apply.",
                    Checks(codes(LanguageSupport::ALL.iter().map(|l| (l.code(), l.label())))),
                ),
                q(
                    "cultural_needs",
                    "Cultural needs (for example, a place of worship)",
                    "",
                    Radios(codes(CulturalNeeds::ALL.iter().map(|c| (c.code(), c.label())))),
                ),
                q("cultural_needs_detail", "Say more about cultural needs (optional)", "", Area),
            ],
            Step::Support => vec![
                q(
                    "additional_support",
                    "Additional support the child needs",
                    "Optional.",
                    Radios(codes(AdditionalSupport::ALL.iter().map(|a| (a.code(), a.label())))),
                ),
                q("additional_support_other", "Other support", "Needed when you choose \"other\".", Text("20")),
                q(
                    "secure_order",
                    "Secure accommodation",
                    "",
                    Checks(yes("A secure accommodation order (section 25) is in place or sought")),
                ),
                q(
                    "deprivation_of_liberty",
                    "Is a deprivation of liberty order in place?",
                    "",
                    Radios(vec![("yes", "Yes"), ("no", "No")]),
                ),
                q(
                    "inadequate_allowed_reason",
                    "Why homes judged Inadequate may be considered (optional)",
                    "Homes Ofsted judged Inadequate are left out unless you give a reason here.",
                    Area,
                )
                .folded(),
            ],
            Step::Wishes => vec![q(
                "wishes",
                "What does the child want?",
                "Optional. Their wishes and feelings, in their own words where you can.",
                Area,
            )],
            Step::Strengths => vec![q(
                "strengths",
                "What is going well for the child?",
                "Optional. In the child's own terms where you can: what they enjoy, who matters to them, what helps.",
                Area,
            )],
            Step::Check => vec![],
        }
    }

    /// The form fields this step's page posts.
    fn fields(self) -> Vec<String> {
        let mut out = Vec::new();
        for question in self.questions(&FormState::default()) {
            if matches!(question.kind, Kind::Date) {
                out.extend(["day", "month", "year"].map(|p| format!("{}-{p}", question.id)));
            } else {
                out.push(question.id.to_owned());
            }
        }
        out
    }

    fn applies(self, answers: &FormState) -> bool {
        match self {
            Step::NeededFrom => answers.value("urgency") != Urgency::SameDay.code(),
            Step::Together => !siblings(answers).is_empty(),
            Step::MustMeet => !answers.fields.all("needs").is_empty(),
            _ => true,
        }
    }

    /// A page that applies but whose answer is needed and missing: after a change from the check
    /// page the form goes there first (a planned referral newly needs its date).
    fn unanswered(self, answers: &FormState) -> bool {
        self.applies(answers)
            && match self {
                Step::NeededFrom => answers.part("needed_from", "day").is_empty(),
                Step::Together => answers.value("together").is_empty(),
                _ => false,
            }
    }

    fn next(self, answers: &FormState) -> Step {
        let at = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Step::ALL[at + 1..].iter().copied().find(|s| s.applies(answers)).unwrap_or(Step::Check)
    }

    fn previous(self, answers: &FormState) -> Option<Step> {
        let at = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Step::ALL[..at].iter().rev().copied().find(|s| s.applies(answers))
    }

    /// The step whose page asks for the service's `field` (`details.wishes` → Wishes).
    fn asking(field: &str) -> Step {
        let id = field.strip_prefix("details.").unwrap_or(field);
        let id = match id {
            "children" => "child",
            "siblings_together" => "together",
            other => other,
        };
        Step::ALL
            .into_iter()
            .find(|s| s.fields().iter().any(|f| f == id || f.strip_suffix("-day") == Some(id)))
            .unwrap_or(Step::Child)
    }
}

#[derive(Debug, Clone)]
enum Kind {
    /// A text box of this GOV.UK width class.
    Text(&'static str),
    Area,
    Radios(Vec<(&'static str, &'static str)>),
    Checks(Vec<(&'static str, &'static str)>),
    Date,
}

/// More ticks than this on one question (or more than four short ones) are shown in two columns,
/// and more than four are shown small, so the page's button stays within the first two screens.
const LONG_LIST: usize = 8;

/// Answers no longer than this (in characters), four or fewer, are set side by side.
const SHORT_ANSWER: usize = 26;

/// One question on a page, as the template draws it.
#[derive(Debug, Clone)]
struct Question {
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    kind: Kind,
    /// Shown folded under its label until opened (an optional list most children do not need),
    /// open whenever it holds an answer or an error.
    folded: bool,
}

impl Question {
    fn folded(mut self) -> Self {
        self.folded = true;
        self
    }
    /// Whether the template draws it folded now, given what the form holds.
    fn fold(&self, form: &FormState) -> bool {
        self.folded
            && !form.fields.0.iter().any(|(k, v)| k == self.id && !v.is_empty())
            && form.error(self.id).is_none()
    }
    /// "text", "area", "radios", "checkboxes" or "date": which macro draws it.
    fn shape(&self) -> &'static str {
        match self.kind {
            Kind::Text(_) => "text",
            Kind::Area => "area",
            Kind::Radios(_) => "radios",
            Kind::Checks(_) => "checkboxes",
            Kind::Date => "date",
        }
    }
    fn width(&self) -> &'static str {
        if let Kind::Text(w) = self.kind { w } else { "" }
    }
    fn options(&self) -> Vec<(&'static str, &'static str)> {
        match &self.kind {
            Kind::Radios(o) | Kind::Checks(o) => o.clone(),
            _ => Vec::new(),
        }
    }
    /// A box's height in lines: an optional "say more" beside other questions is shorter, so the
    /// page's button stays near; the only question on its page gets the usual five.
    fn rows(&self) -> u8 {
        if self.label.contains("(optional)") { 3 } else { 5 }
    }
    /// The list's extra classes: short answers side by side, a long list of ticks in two columns.
    fn classes(&self) -> &'static str {
        match &self.kind {
            // A few short answers ("Yes", "No", "Not specified") read as well side by side.
            Kind::Radios(o) if o.len() <= 4 && o.iter().all(|(_, label)| label.chars().count() <= SHORT_ANSWER) => {
                "govuk-radios--inline"
            }
            Kind::Radios(o) if o.iter().all(|(_, label)| label.chars().count() <= SHORT_ANSWER) => {
                "govuk-radios--small hearth-columns"
            }
            Kind::Checks(o)
                if o.len() > LONG_LIST
                    || (o.len() > 4 && o.iter().all(|(_, label)| label.chars().count() <= SHORT_ANSWER)) =>
            {
                "govuk-checkboxes--small hearth-columns"
            }
            Kind::Checks(o) if o.len() > 4 => "govuk-checkboxes--small",
            _ => "",
        }
    }
}

fn q(id: &'static str, label: &'static str, hint: &'static str, kind: Kind) -> Question {
    Question { id, label, hint, kind, folded: false }
}

fn codes(it: impl Iterator<Item = (&'static str, &'static str)>) -> Vec<(&'static str, &'static str)> {
    it.collect()
}

/// Every answer field, in the order the steps ask for them.
fn answer_fields() -> Vec<String> {
    Step::ALL.into_iter().flat_map(Step::fields).collect()
}

/// A list typed in one box: separated by commas, semicolons or spaces.
fn listed(raw: &str) -> Vec<String> {
    raw.split([',', ' ', ';']).map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned).collect()
}

fn siblings(a: &FormState) -> Vec<String> {
    listed(a.value("siblings"))
}

fn ticked(a: &FormState, field: &str) -> bool {
    a.value(field) == "yes"
}

fn chosen(a: &FormState, field: &str) -> Option<String> {
    Some(a.value(field).to_owned()).filter(|v| !v.is_empty())
}

/// A whole number as typed ("£1,200" too); `None` when empty. Not a number: an error in words.
fn whole(form: &mut FormState, field: &str, what: &str) -> Option<i64> {
    let raw = form.value(field).trim().trim_start_matches('£').replace(',', "");
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| form.add(field, format!("Enter {what} as a whole number"))).ok()
}

/// The form's details as the API takes them; the page's own conversions add their errors to `form`.
fn details(form: &mut FormState) -> DetailsInput {
    let a = &*form;
    let needs = a.fields.all("needs");
    let mut d = DetailsInput {
        strengths: a.value("strengths").to_owned(),
        needs_text: a.value("needs_text").to_owned(),
        risks_text: a.value("risks_text").to_owned(),
        school_district: chosen(a, "school_district").map(|s| s.trim().to_owned()),
        ehcp: ticked(a, "ehcp"),
        education_continuity_important: ticked(a, "education_continuity_important"),
        education_notes: a.value("education_notes").to_owned(),
        health: a.value("health").to_owned(),
        wishes: a.value("wishes").to_owned(),
        location_preference: a.value("location_preference").to_owned(),
        communication_needs: chosen(a, "communication_needs"),
        language_support: a.fields.all("language_support"),
        adaptation_needed: ticked(a, "adaptation_needed"),
        cultural_needs: chosen(a, "cultural_needs"),
        cultural_needs_detail: a.value("cultural_needs_detail").to_owned(),
        cared_for_alongside: chosen(a, "cared_for_alongside"),
        pets: chosen(a, "pets"),
        additional_support: chosen(a, "additional_support"),
        additional_support_other: a.value("additional_support_other").to_owned(),
        deprivation_of_liberty: chosen(a, "deprivation_of_liberty").map(|v| v == "yes"),
        foster_suitability: chosen(a, "foster_suitability"),
        residential_suitability: chosen(a, "residential_suitability"),
        supported_suitability: chosen(a, "supported_suitability"),
        extra_risks: a.fields.all("extra_risks"),
        other_risk_to_child: a.value("other_risk_to_child").to_owned(),
        other_risk_to_others: a.value("other_risk_to_others").to_owned(),
        secure_order: ticked(a, "secure_order"),
        max_weekly_price: None,
        inadequate_allowed_reason: chosen(a, "inadequate_allowed_reason"),
        avoid_districts: listed(a.value("avoid_districts")),
        avoid_radius_miles: None,
        wheelchair_user: ticked(a, "wheelchair_user"),
        adaptations: a.fields.all("adaptations"),
        // A need ticked as one the home must meet, then taken off the needs, no longer applies.
        must_meet_needs: a.fields.all("must_meet_needs").into_iter().filter(|n| needs.contains(n)).collect(),
        residential_special_school: ticked(a, "residential_special_school"),
    };
    d.max_weekly_price = whole(form, "max_weekly_price", "the most the council will pay a week, in pounds,");
    d.avoid_radius_miles = whole(form, "avoid_radius_miles", "the miles");
    d
}

#[derive(Template)]
#[template(path = "new_referral.html")]
struct StepPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    step: &'static str,
    back: Option<&'static str>,
    /// The answers given on other pages, carried as hidden fields.
    hidden: Vec<(String, String)>,
    returning: bool,
    form: FormState,
    questions: Vec<Question>,
    /// One question: its label or legend is the page's heading.
    single: bool,
    csrf_token: String,
}

/// What the check page says of a page where nothing was given.
const NONE_GIVEN: &str = "None given";

struct CheckRow {
    key: &'static str,
    value: String,
    step: &'static str,
}

/// A referral not yet closed that one of the children is already on.
struct Duplicate {
    reference: String,
    referral: i64,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "new_referral_check.html")]
struct CheckPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    rows: Vec<CheckRow>,
    /// The pages where nothing was given, folded under one line so the button stays near.
    unanswered: Vec<CheckRow>,
    /// Referrals the children are already on: the page warns and asks to confirm a second.
    duplicates: Vec<Duplicate>,
    /// Why the confirmation is needed, when "Create referral" was pressed without it.
    second_error: Option<String>,
    hidden: Vec<(String, String)>,
    csrf_token: String,
}

/// The answers other than `except`'s own fields, as hidden inputs.
fn hidden(answers: &FormState, except: Step) -> Vec<(String, String)> {
    let all = answer_fields();
    let own = except.fields();
    answers.fields.0.iter().filter(|(k, _)| all.contains(k) && !own.contains(k)).cloned().collect()
}

fn step_page(chrome: Chrome, csrf: &str, step: Step, form: FormState, returning: bool) -> axum::response::Response {
    let questions = step.questions(&form);
    let page = StepPage {
        chrome,
        title: step.title(),
        error_title: form.has_errors(),
        errors: form.summary(),
        step: step.code(),
        back: step.previous(&form).map(Step::code),
        hidden: hidden(&form, step),
        returning,
        single: questions.len() == 1,
        questions,
        csrf_token: csrf.to_owned(),
        form,
    };
    render(page.form.status(), &page)
}

#[derive(serde::Deserialize)]
struct Start {
    /// A child's reference, from "New referral for this child" on the child's page.
    child: Option<String>,
}

async fn start(who: Signed, axum::extract::Query(q): axum::extract::Query<Start>) -> Reply {
    // A role that may not write referrals is told so before it types anything.
    who.principal
        .require(hearth_domain::access::Capability::EditReferrals)
        .map_err(|d| ServiceError::denied(d, "referrals"))?;
    // Only the shape of a reference is taken; the first step checks it is one of the council's.
    let child = q.child.filter(|c| (1..=10).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()));
    let form = match child {
        Some(c) => FormState::default().with("child", &c),
        None => FormState::default(),
    };
    Ok(step_page(who.chrome(), &who.session.csrf_token, Step::Child, form, false))
}

/// The council's child with this reference, if there is one.
async fn child_of(app: &App, post: &Posted, reference: &str) -> Result<Option<ChildId>, ServiceError> {
    let la = post.principal.la_code.ok_or(ServiceError::Forbidden(hearth_domain::access::Capability::EditReferrals))?;
    app.services.child_by_reference(&post.principal, la, reference).await
}

/// "3310000123: female, 14 (born 3 March 2012)": the child confirmed by what the record holds
/// (Hearth knows children by reference, never by name). Reading the record is audited.
async fn who_is(app: &App, post: &Posted, reference: &str) -> Result<String, ServiceError> {
    let Some(id) = child_of(app, post, reference).await? else {
        return Ok(format!("{reference}: no child looked after by your council has this reference"));
    };
    let c = app.services.child(&post.principal, id, &post.origin).await?;
    let age = hearth_domain::child::age_on(c.date_of_birth, app.services.today());
    Ok(format!(
        "{}: {}, {age} (born {})",
        c.reference,
        c.sex.label().to_lowercase(),
        super::referrals::day(&c.date_of_birth)
    ))
}

/// What was answered to `question`, in words.
fn said(form: &FormState, question: &Question) -> String {
    match &question.kind {
        Kind::Radios(o) | Kind::Checks(o) => {
            let picked: Vec<&str> =
                o.iter().filter(|(code, _)| form.chose(question.id, code)).map(|(_, label)| *label).collect();
            picked.join(", ")
        }
        Kind::Date => {
            let mut f = FormState::new(form.fields.clone());
            f.date(question.id, "the date", false).as_ref().map_or_else(String::new, super::referrals::day)
        }
        _ => form.value(question.id).trim().to_owned(),
    }
}

/// The referrals not yet closed that the form's children are already on.
async fn duplicates(app: &App, post: &Posted, form: &FormState) -> Result<Vec<Duplicate>, ServiceError> {
    let mut found = Vec::new();
    for reference in std::iter::once(form.value("child").trim().to_owned()).chain(siblings(form)) {
        let Some(child) = child_of(app, post, &reference).await? else { continue };
        for (id, status) in app.services.unclosed_referrals_of_child(&post.principal, child).await? {
            found.push(Duplicate { reference: reference.clone(), referral: id.0, status: status.label() });
        }
    }
    Ok(found)
}

async fn check_page(app: &App, post: &Posted, form: FormState) -> Result<axum::response::Response, ServiceError> {
    let mut rows = Vec::new();
    for step in Step::ALL.into_iter().filter(|s| *s != Step::Check && s.applies(&form)) {
        let value = match step {
            Step::Child => who_is(app, post, form.value("child").trim()).await?,
            Step::Siblings => {
                let mut lines = Vec::new();
                for reference in siblings(&form) {
                    lines.push(who_is(app, post, &reference).await?);
                }
                if lines.is_empty() { "None: this child alone".to_owned() } else { lines.join("\n") }
            }
            _ => {
                let questions = step.questions(&form);
                let single = questions.len() == 1;
                let lines: Vec<String> = questions
                    .iter()
                    .filter_map(|q| {
                        let v = said(&form, q);
                        (!v.is_empty()).then(|| if single { v } else { format!("{}: {v}", q.label) })
                    })
                    .collect();
                if lines.is_empty() { NONE_GIVEN.to_owned() } else { lines.join("\n") }
            }
        };
        rows.push(CheckRow { key: check_key(step), value, step: step.code() });
    }
    let (unanswered, rows): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.value == NONE_GIVEN);
    let page = CheckPage {
        chrome: Chrome::for_principal(&post.principal, &post.session.csrf_token, None),
        title: Step::Check.title(),
        error_title: form.has_errors(),
        errors: form.summary(),
        rows,
        unanswered,
        duplicates: duplicates(app, post, &form).await?,
        second_error: form.error("second").map(str::to_owned),
        hidden: hidden(&form, Step::Check),
        csrf_token: post.session.csrf_token.clone(),
    };
    Ok(render(form.status(), &page))
}

/// The check page's name for each step's row (each row's "Change" button is named after its step).
fn check_key(step: Step) -> &'static str {
    match step {
        Step::Child => "Child",
        Step::Siblings => "Brothers and sisters",
        Step::Together => "Live together",
        Step::Urgency => "Urgency",
        Step::NeededFrom => "Needed from",
        Step::PlacementType => "Kind of home",
        Step::Needs => "Needs and risks",
        Step::MustMeet => "Needs the home must meet",
        Step::Risks => "Other risks",
        Step::Health => "Health and access",
        Step::School => "School",
        Step::Area => "Where the home should be",
        Step::Avoid => "Areas to avoid",
        Step::Price => "Most the council will pay a week",
        Step::Living => "Living with others",
        Step::Communication => "Communication and culture",
        Step::Support => "Extra support and orders",
        Step::Wishes => "The child's wishes",
        Step::Strengths => "What is going well",
        Step::Check => "",
    }
}

/// Checks one page's answers, adding its errors to `form`.
async fn check_step(app: &App, post: &Posted, step: Step, form: &mut FormState) -> Result<(), ServiceError> {
    match step {
        Step::Child => {
            let reference = form.value("child").trim().to_owned();
            if reference.is_empty() {
                form.add("child", "Enter the child's reference");
            } else if child_of(app, post, &reference).await?.is_none() {
                form.add("child", format!("No child looked after by your council has the reference {reference}"));
            }
        }
        Step::Siblings => {
            let own = form.value("child").trim().to_ascii_uppercase();
            for reference in siblings(form) {
                if reference.to_ascii_uppercase() == own {
                    form.add(
                        "siblings",
                        format!("{reference} is the child the referral is for; enter only their brothers and sisters"),
                    );
                } else if child_of(app, post, &reference).await?.is_none() {
                    form.add(
                        "siblings",
                        format!("No child looked after by your council has the reference {reference}"),
                    );
                }
            }
        }
        Step::Together if !["yes", "no"].contains(&form.value("together")) => {
            form.add("together", "Choose whether the brothers and sisters must live together");
        }
        Step::Urgency if Urgency::parse(form.value("urgency")).is_err() => {
            form.add("urgency", "Choose how soon the child needs a home");
        }
        Step::NeededFrom => match form.date("needed_from", "the date the home is needed from", true) {
            Some(d) if d < app.services.today() => form.add("needed_from", "The date must be today or in the future"),
            _ => {}
        },
        Step::Needs if form.fields.all("needs").iter().any(|n| Need::parse(n).is_err()) => {
            form.add("needs", "Choose needs from the list");
        }
        Step::Area => {
            let d = form.value("preferred_district").trim();
            if !d.is_empty() && PostcodeDistrict::parse(d).is_err() {
                form.add("preferred_district", "Enter the first half of a postcode, like CV2, or leave it empty");
            }
        }
        _ => {}
    }
    // The domain's rules for the details this page asks, reported on the page's own fields.
    let own = step.fields();
    let mut page = FormState::new(form.fields.clone());
    let input = details(&mut page);
    let mut errs = ValidationErrors::default();
    input.parse_into(&mut errs);
    for e in page.errors.into_iter().chain(errs.0.into_iter().map(|e| ErrorItem {
        field: Some(e.field.strip_prefix("details.").unwrap_or(e.field).to_owned()),
        message: e.message,
    })) {
        let field = e.field.clone().unwrap_or_default();
        if own.contains(&field) && form.error(&field).is_none() {
            form.add(&field, e.message);
        }
    }
    Ok(())
}

async fn create(app: &App, post: &Posted, mut form: FormState) -> Reply {
    let mut children = Vec::new();
    for reference in std::iter::once(form.value("child").trim().to_owned()).chain(siblings(&form)) {
        match child_of(app, post, &reference).await? {
            Some(id) => children.push(id.0),
            None => {
                let step = if children.is_empty() { "child" } else { "siblings" };
                form.add(
                    &format!("change-{step}"),
                    format!("No child looked after by your council has the reference {reference}"),
                );
            }
        }
    }
    let details = details(&mut form);
    let date = if Step::NeededFrom.applies(&form) {
        form.date("needed_from", "the date the home is needed from", true)
    } else {
        Some(app.services.today())
    };
    // A page's own errors (a number that is not one) are shown on the check page, linked to its row.
    let own: Vec<ErrorItem> = std::mem::take(&mut form.errors);
    for e in own {
        let field = e.field.unwrap_or_default();
        let to = if field.starts_with("change-") { field } else { format!("change-{}", Step::asking(&field).code()) };
        form.add(&to, e.message);
    }
    // A child already on a referral not yet closed: a second one only when the officer says so. The
    // API takes it without asking (a case system knows what it sends).
    if !form.has_errors()
        && form.value("second") != "yes"
        && let Some(d) = duplicates(app, post, &form).await?.first()
    {
        form.add(
            "second",
            format!(
                "{} is already on referral {} ({}): tick the box to make a second referral, or go to referral {}",
                d.reference,
                d.referral,
                d.status.to_lowercase(),
                d.referral
            ),
        );
    }
    if form.has_errors() {
        return Ok(check_page(app, post, form).await?);
    }
    let input = ReferralInput {
        siblings_together: children.len() > 1 && form.value("together") == "yes",
        children,
        urgency: form.value("urgency").to_owned(),
        needed_from: date.map_or_else(String::new, |d| d.to_string()),
        needs: form.fields.all("needs"),
        preferred_district: chosen(&form, "preferred_district").map(|d| d.trim().to_owned()),
        details,
    };
    match app.services.create_referral(&post.principal, &input, &post.origin).await {
        Ok(r) => Ok(Redirect::to(&format!("/referrals/{}?created=true", r.summary.id)).into_response()),
        Err(ServiceError::Invalid(errs)) => {
            for e in errs.0 {
                form.add(&format!("change-{}", Step::asking(e.field).code()), e.message);
            }
            Ok(check_page(app, post, form).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn answer(axum::extract::State(app): axum::extract::State<App>, post: Posted) -> Reply {
    let chrome = Chrome::for_principal(&post.principal, &post.session.csrf_token, None);
    let csrf = post.session.csrf_token.clone();
    let form = FormState::new(post.fields.clone());
    let returning = post.fields.get("return") == "check";
    // "Back" or "Change": show that page with the answers so far, checking nothing.
    if let Some(to) = Step::parse(post.fields.get("change")) {
        if to == Step::Check {
            return Ok(check_page(&app, &post, form).await?);
        }
        return Ok(step_page(chrome, &csrf, to, form, post.fields.get("from") == "check"));
    }
    let step = Step::parse(post.fields.get("step")).unwrap_or(Step::Child);
    if step == Step::Check {
        return create(&app, &post, form).await;
    }
    let mut form = form;
    check_step(&app, &post, step, &mut form).await?;
    if form.has_errors() {
        return Ok(step_page(chrome, &csrf, step, form, returning));
    }
    // Coming back from the check page, a changed answer may newly need another (a planned
    // referral its date, brothers and sisters whether they must live together).
    let next = if returning {
        Step::ALL.into_iter().find(|s| s.unanswered(&form)).unwrap_or(Step::Check)
    } else {
        step.next(&form)
    };
    if next == Step::Check {
        return Ok(check_page(&app, &post, form).await?);
    }
    Ok(step_page(chrome, &csrf, next, form, returning))
}

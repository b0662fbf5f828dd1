//! What every page form shares: the posted fields as typed (kept, so a refused form comes back with
//! the person's input), per-field errors for the GOV.UK error summary, and the guard in front of every
//! post that changes something. The guard never drops what was typed: a lost session goes to sign-in
//! carrying the form, and a stale CSRF token gets a page that sends the same answers again.

use super::{Chrome, ErrorItem, PageError, Visitor, render};
use crate::App;
use crate::auth::{origin_of, same_secret};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hearth_domain::access::Principal;
use hearth_domain::{DomainError, ValidationErrors};
use hearth_service::SessionRecord;
use hearth_service::{Origin, ServiceError};
use jiff::civil::Date;

/// The fields of a posted form in the order sent; a name may repeat (checkboxes).
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Self {
        Self(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// The fields of a form sent with a file (`enctype="multipart/form-data"`): each part by its
    /// name, a file as its text (bytes that are not UTF-8 become U+FFFD, which the file's own checks
    /// then refuse in words). A body that is not well-formed multipart is refused with why.
    async fn from_multipart(request: Request, app: &App) -> Result<Self, String> {
        let mut parts = axum::extract::Multipart::from_request(request, app).await.map_err(|e| e.body_text())?;
        let mut fields = Vec::new();
        while let Some(part) = parts.next_field().await.map_err(|e| e.body_text())? {
            let name = part.name().unwrap_or_default().to_owned();
            let bytes = part.bytes().await.map_err(|e| e.body_text())?;
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
        Ok(Self(fields))
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_owned(), value.to_owned()));
    }

    /// The fields worth carrying through a sign-in or a resend: never the CSRF token (a new one is
    /// issued) nor a password (it is not written into a page; the person types it again).
    fn carried(&self) -> Vec<(String, String)> {
        self.0.iter().filter(|(k, _)| k != "csrf_token" && !k.contains("password")).cloned().collect()
    }

    pub fn encode(&self) -> String {
        serde_urlencoded::to_string(self.carried()).unwrap_or_default()
    }
}

/// A form as it will be shown again: what was typed and what was wrong with it.
#[derive(Debug, Default)]
pub struct FormState {
    pub fields: Fields,
    pub errors: Vec<ErrorItem>,
    /// The service refused because the world moved on (another offer was accepted, a deadline
    /// passed): shown at the top of the same form, answered 409.
    pub conflict: bool,
}

impl FormState {
    pub fn new(fields: Fields) -> Self {
        Self { fields, errors: vec![], conflict: false }
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields.get(name)
    }

    /// Whether a radio or checkbox with this value was chosen.
    pub fn chose(&self, name: &str, value: &str) -> bool {
        self.fields.0.iter().any(|(k, v)| k == name && v == value)
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field.as_deref() == Some(field)).map(|e| e.message.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The errors again, for the error summary at the top of the page.
    pub fn summary(&self) -> Vec<ErrorItem> {
        self.errors.clone()
    }

    /// 409 for a conflict, 422 when the form is shown again because of its errors, else 200.
    pub fn status(&self) -> StatusCode {
        if self.conflict {
            StatusCode::CONFLICT
        } else if self.has_errors() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(ErrorItem { field: Some(field.to_owned()), message: capitalise(&message.into()) });
    }

    /// The service's field errors, each linked to its input (`ids` renames a service field to the
    /// page's input id where they differ).
    pub fn add_all(&mut self, errs: ValidationErrors, ids: &[(&str, &str)]) {
        for DomainError { field, message } in errs.0 {
            let id = ids.iter().find(|(f, _)| *f == field).map_or(field, |(_, id)| *id);
            self.add(id, message);
        }
    }

    /// Takes a service answer: `Invalid` becomes field errors (returning `None`), anything else an error.
    pub fn absorb<T>(&mut self, result: Result<T, ServiceError>, ids: &[(&str, &str)]) -> Result<Option<T>, PageError> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(ServiceError::Invalid(errs)) => {
                self.add_all(errs, ids);
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl FormState {
    /// Like [`FormState::absorb`], and a conflict becomes a sentence in the error summary, so the
    /// person reads what happened on the page where they acted rather than on an error page.
    pub fn absorb_conflict<T>(
        &mut self,
        result: Result<T, ServiceError>,
        ids: &[(&str, &str)],
    ) -> Result<Option<T>, PageError> {
        match result {
            Err(ServiceError::Conflict(message)) => {
                self.errors.push(ErrorItem { field: None, message: capitalise(&message) });
                self.conflict = true;
                Ok(None)
            }
            other => self.absorb(other, ids),
        }
    }

    /// A hidden or fixed field the form always carries (an id from the address, a default).
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.fields.set(name, value);
        self
    }
}

/// Why the three boxes of a GOV.UK date input are not a date; each says so in the Design System's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Enter {0}")]
    Missing(&'static str),
    #[error("{0} must include a {1}")]
    MissingPart(&'static str, &'static str),
    #[error("Year must include 4 numbers")]
    ShortYear,
    #[error("{0} must be a real date")]
    NotReal(&'static str),
}

/// Reads one date from its day, month and year boxes. A whole date typed into one box (31/12/2026,
/// 31-12-2026, 31 12 2026 or 2026-12-31) is taken too: people paste dates, and refusing a date they
/// can see is right would be a wrong answer. Months may be written as numbers or names (12, Dec,
/// December). `what` names the date in the message ("the start date").
pub fn parse_date(day: &str, month: &str, year: &str, what: &'static str) -> Result<Option<Date>, DateError> {
    let parts = [day.trim(), month.trim(), year.trim()];
    let filled: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    let (d, m, y) = match filled.as_slice() {
        [] => return Ok(None),
        [whole] if whole.contains(['/', '-', '.', ' ']) => split_whole(whole).ok_or(DateError::NotReal(what))?,
        _ => (parts[0], parts[1], parts[2]),
    };
    let missing: Vec<&'static str> =
        [(d, "day"), (m, "month"), (y, "year")].into_iter().filter(|(p, _)| p.is_empty()).map(|(_, n)| n).collect();
    match missing.as_slice() {
        [] => {}
        [one] => return Err(DateError::MissingPart(what, one)),
        [a, b] => {
            return Err(DateError::MissingPart(
                what,
                if (*a, *b) == ("day", "month") {
                    "day and month"
                } else if *a == "day" {
                    "day and year"
                } else {
                    "month and year"
                },
            ));
        }
        _ => return Ok(None),
    }
    let number = |p: &str| p.parse::<i16>().ok();
    let (Some(day), Some(month)) = (number(d), month_number(m)) else {
        return Err(DateError::NotReal(what));
    };
    if y.len() != 4 {
        return Err(if y.chars().all(|c| c.is_ascii_digit()) {
            DateError::ShortYear
        } else {
            DateError::NotReal(what)
        });
    }
    let year = number(y).ok_or(DateError::NotReal(what))?;
    let (Ok(month), Ok(day)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(DateError::NotReal(what));
    };
    Date::new(year, month, day).map(Some).map_err(|_| DateError::NotReal(what))
}

/// "31/12/2026" (or with dashes, dots or spaces) as day, month, year; "2026-12-31" as ISO.
fn split_whole(whole: &str) -> Option<(&str, &str, &str)> {
    let mut it = whole.split(['/', '-', '.', ' ']).map(str::trim).filter(|p| !p.is_empty());
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(if a.len() == 4 { (c, b, a) } else { (a, b, c) })
}

fn month_number(m: &str) -> Option<i16> {
    if let Ok(n) = m.parse::<i16>() {
        return Some(n);
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let m = m.to_ascii_lowercase();
    let at = NAMES.iter().position(|n| m.len() >= 3 && n.starts_with(&m))?;
    i16::try_from(at + 1).ok()
}

impl FormState {
    /// One box of the date input `name` ("day", "month" or "year"), as typed.
    pub fn part(&self, name: &str, part: &str) -> &str {
        self.fields
            .0
            .iter()
            .find(|(k, _)| k.strip_prefix(name).and_then(|r| r.strip_prefix('-')) == Some(part))
            .map_or("", |(_, v)| v.as_str())
    }

    /// Fills the date input `name`'s boxes with `d`, as a page shows a stored date.
    pub fn set_date(&mut self, name: &str, d: Date) {
        self.fields.set(&format!("{name}-day"), &d.day().to_string());
        self.fields.set(&format!("{name}-month"), &d.month().to_string());
        self.fields.set(&format!("{name}-year"), &d.year().to_string());
    }

    pub fn with_date(mut self, name: &str, d: Date) -> Self {
        self.set_date(name, d);
        self
    }

    /// The date typed into `name`'s boxes, or `None` when they are empty; a date that is not one is
    /// recorded as `name`'s error (linked to the day box, whose id is `name`), and `None` returned.
    /// A single field called `name` is read when the boxes are absent, so an address written with
    /// an ISO date (`?as_at=2026-11-25`) still works.
    pub fn date(&mut self, name: &str, what: &'static str, required: bool) -> Option<Date> {
        let (d, m, y) = (self.part(name, "day"), self.part(name, "month"), self.part(name, "year"));
        let whole = self.value(name);
        let answer = if [d, m, y].iter().all(|p| p.trim().is_empty()) {
            let whole = whole.to_owned();
            let answer = parse_date(&whole, "", "", what);
            // Shown again in the boxes: as a date when it was one, else as typed, in the first box.
            match answer {
                Ok(Some(date)) => self.set_date(name, date),
                _ => self.fields.set(&format!("{name}-day"), &whole),
            }
            answer
        } else {
            parse_date(d, m, y, what)
        };
        match answer {
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                if required {
                    self.add(name, DateError::Missing(what).to_string());
                }
                None
            }
            Err(e) => {
                self.add(name, e.to_string());
                None
            }
        }
    }
}

/// The error summary and status of a page holding several forms: every form's errors in page order,
/// and the gravest status among them (a conflict over invalid input over none).
pub fn summary_of<'a>(forms: impl IntoIterator<Item = &'a FormState>) -> (Vec<ErrorItem>, StatusCode) {
    let mut errors = Vec::new();
    let mut status = StatusCode::OK;
    for f in forms {
        errors.extend(f.summary());
        status = status.max(f.status());
    }
    (errors, status)
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A form post from someone signed in whose CSRF token matched: safe to act on.
pub struct Posted {
    pub principal: Principal,
    pub session: SessionRecord,
    pub origin: Origin,
    pub fields: Fields,
    /// Sent by htmx: answer with the fragment it swaps in, not a whole page.
    pub htmx: bool,
    pub notices: Option<usize>,
}

impl Posted {
    pub fn viewer(&self) -> super::Viewer<'_> {
        super::Viewer { principal: &self.principal, csrf: &self.session.csrf_token, notices: self.notices }
    }
}

/// What a refused post answers instead: sign in (keeping the form) or send it again.
pub struct Refused(Response);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequest<App> for Posted {
    type Rejection = Refused;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let path = parts.uri.path().to_owned();
        let htmx = parts.headers.contains_key("hx-request");
        let origin = origin_of(&parts);
        let visitor = <Visitor as axum::extract::FromRequestParts<App>>::from_request_parts(&mut parts, app)
            .await
            .map_err(|e| Refused(e.into_response()))?;
        let multipart = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let request = Request::from_parts(parts, body);
        let fields = if multipart {
            Fields::from_multipart(request, app).await
        } else {
            let bytes = Bytes::from_request(request, app)
                .await
                .map_err(|e| Refused(PageError(crate::AppError::InternalMessage(e.to_string())).into_response()))?;
            Ok(Fields::parse(&bytes))
        }
        .map_err(|message| Refused(PageError(crate::AppError::Malformed(message)).into_response()))?;
        let Some((principal, session)) = visitor.0 else {
            let page = super::account::sign_in_to_resume(&path, &fields);
            return Err(Refused(retarget(htmx, page)));
        };
        if !same_secret(fields.get("csrf_token"), &session.csrf_token) {
            let chrome = Chrome::for_visitor(&Visitor(Some((principal, session.clone()))));
            let page = resend_page(chrome, &path, &fields, &session.csrf_token, StatusCode::FORBIDDEN, CSRF_MESSAGE);
            return Err(Refused(retarget(htmx, page)));
        }
        let notices = super::notice_count(app, &principal).await;
        Ok(Self { principal, session, origin, fields, htmx, notices })
    }
}

pub const CSRF_MESSAGE: &str =
    "This form was out of date, so nothing was changed. Your answers were kept: send them again.";

/// For an htmx post, a whole page replaces the page's body (htmx would otherwise swap a page into a
/// table row), so the person sees the sign-in or resend page as they would without JavaScript.
fn retarget(htmx: bool, mut page: Response) -> Response {
    if htmx {
        let h: &mut HeaderMap = page.headers_mut();
        h.insert("hx-retarget", HeaderValue::from_static("body"));
        h.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    }
    page
}

/// A post that could not be acted on, ready to send again with a fresh CSRF token.
#[derive(Template)]
#[template(path = "resend.html")]
struct Resend {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    notice: Option<&'static str>,
    action: String,
    fields: Vec<(String, String)>,
    csrf_token: String,
}

/// The page that sends `fields` to `action` again, with `message` above it.
pub fn resend_page(
    chrome: Chrome,
    action: &str,
    fields: &Fields,
    csrf_token: &str,
    status: StatusCode,
    message: &'static str,
) -> Response {
    let refused = status.is_client_error();
    let page = Resend {
        chrome,
        title: "Send your form again",
        error_title: refused,
        errors: if refused { vec![ErrorItem { field: None, message: message.into() }] } else { vec![] },
        notice: (!refused).then_some(message),
        action: super::account::safe_next(action).to_owned(),
        fields: fields.carried(),
        csrf_token: csrf_token.to_owned(),
    };
    render(status, &page)
}

#[cfg(test)]
mod tests {
    use super::{DateError, Fields, parse_date};

    fn d(y: i16, m: i8, day: i8) -> Option<jiff::civil::Date> {
        Some(jiff::civil::date(y, m, day))
    }

    #[test]
    fn dates_are_read_from_boxes_and_whole_entries() {
        let w = "the start date";
        assert_eq!(parse_date("31", "12", "2026", w), Ok(d(2026, 12, 31)));
        assert_eq!(parse_date(" 1 ", "dec", "2026", w), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date("1", "February", "2027", w), Ok(d(2027, 2, 1)));
        assert_eq!(parse_date("31/12/2026", "", "", w), Ok(d(2026, 12, 31)));
        assert_eq!(parse_date("", "", "31-12-2026", w), Ok(d(2026, 12, 31)));
        assert_eq!(parse_date("2026-12-31", "", "", w), Ok(d(2026, 12, 31)));
        assert_eq!(parse_date("", "", "", w), Ok(None));
    }

    #[test]
    fn dates_that_are_not_say_why_in_words() {
        let w = "the start date";
        assert_eq!(parse_date("31", "2", "2027", w), Err(DateError::NotReal(w)));
        assert_eq!(parse_date("31", "13", "2027", w), Err(DateError::NotReal(w)));
        assert_eq!(parse_date("x", "1", "2027", w), Err(DateError::NotReal(w)));
        assert_eq!(parse_date("31/02/2027", "", "", w), Err(DateError::NotReal(w)));
        assert_eq!(parse_date("31", "12", "", w), Err(DateError::MissingPart(w, "year")));
        assert_eq!(parse_date("", "", "2027", w), Err(DateError::MissingPart(w, "day and month")));
        assert_eq!(parse_date("31", "12", "26", w), Err(DateError::ShortYear));
        assert_eq!(DateError::MissingPart(w, "year").to_string(), "the start date must include a year");
        assert_eq!(DateError::NotReal(w).to_string(), "the start date must be a real date");
    }

    #[test]
    fn fields_keep_repeats_and_never_carry_secrets() {
        let f = Fields::parse(b"needs=cse&needs=missing&csrf_token=t&password=p&new_password=q&name=a+b");
        assert_eq!(f.all("needs"), ["cse", "missing"]);
        assert_eq!(f.get("name"), "a b");
        assert_eq!(f.encode(), "needs=cse&needs=missing&name=a+b");
    }
}

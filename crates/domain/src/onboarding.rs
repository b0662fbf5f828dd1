//! A provider asking to join Hearth: what it tells the region (its name, Companies House number, Ofsted
//! URN, who to contact, the councils and frameworks it works with), and the shapes those must have.
//! Who decides and what happens then is the service's; here are the facts and their rules.

use crate::code_list;
use crate::org::Email;
use crate::{DomainError, ValidationErrors};
use serde::{Deserialize, Serialize};

code_list! {
    /// Where an application to join stands.
    pub enum ApplicationStatus ("status") {
        Pending = "pending" => "Waiting for a decision",
        Approved = "approved" => "Approved",
        Refused = "refused" => "Refused",
    }
}

/// How long an invitation link works, from when it was sent.
pub const INVITATION_DAYS: i64 = 7;

/// A Companies House registration number as the register writes it: eight characters, either eight
/// digits (`01234567`, England and Wales) or two letters and six digits (`SC123456`, `NI012345`,
/// `OC301234`). Spaces are dropped and letters upper-cased.
pub fn check_company_number(raw: &str) -> Result<String, DomainError> {
    let n: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if n.is_empty() {
        return Err(DomainError::new(
            "company_number",
            "enter the Companies House number: eight digits (01234567) or two letters and six digits (SC123456)",
        ));
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = n.len() == 8
        && n.is_ascii()
        && (digits(&n) || (n.as_bytes()[..2].iter().all(u8::is_ascii_uppercase) && digits(&n[2..])));
    if ok {
        Ok(n)
    } else {
        let shown: String = raw.trim().chars().take(40).collect();
        Err(DomainError::new(
            "company_number",
            format!(
                "'{shown}' is not a Companies House number: eight digits (01234567) or two letters and six digits (SC123456)"
            ),
        ))
    }
}

/// An application as typed, on the page or through the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationForm {
    /// The organisation's name, as it should appear to councils.
    pub organisation_name: String,
    /// Companies House registration number: eight digits, or two letters and six digits.
    pub company_number: String,
    /// Ofsted URN, where the provider is registered with Ofsted: seven digits, or SC and six digits.
    #[serde(default)]
    pub urn: Option<String>,
    /// The person who will manage the organisation's use of Hearth; the invitation goes to them.
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// The councils it works with (DfE LA codes or ONS codes, in the region).
    #[serde(default)]
    pub councils: Vec<String>,
    /// Whether it is on, or is asking to join, the regional fostering framework.
    #[serde(default)]
    pub framework: bool,
}

/// An application that parsed: every value in its shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedApplication {
    pub organisation_name: String,
    pub company_number: String,
    pub urn: Option<String>,
    pub contact_name: String,
    pub contact_email: Email,
    pub contact_phone: Option<String>,
    /// DfE LA codes, sorted, no repeats.
    pub councils: Vec<u16>,
    pub framework: bool,
}

fn name_field(field: &'static str, value: &str, what: &str, errors: &mut ValidationErrors) -> String {
    let v = value.trim();
    if let Err(e) = crate::text::check_line(field, v) {
        errors.push(e);
    } else if v.is_empty() {
        errors.push(DomainError::new(field, format!("give {what}, up to 200 characters")));
    }
    v.to_owned()
}

impl ApplicationForm {
    /// Every field's rule at once, so the person sees each mistake, named, in one answer.
    pub fn parse(&self) -> Result<ParsedApplication, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let organisation_name =
            name_field("organisation_name", &self.organisation_name, "the organisation's name", &mut errors);
        let company_number = match crate::text::check_line("company_number", &self.company_number) {
            Ok(()) => errors.check(check_company_number(&self.company_number)),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let urn = match self.urn.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => match crate::text::check_line("urn", u) {
                Ok(()) => errors.check(crate::home_upkeep::check_urn(u)),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        let contact_name =
            name_field("contact_name", &self.contact_name, "the name of the person to contact", &mut errors);
        let contact_email = match crate::text::check_line("contact_email", &self.contact_email) {
            Ok(()) if self.contact_email.trim().is_empty() => {
                errors.push(DomainError::new("contact_email", "enter the contact's e-mail address"));
                None
            }
            Ok(()) => errors
                .check(Email::parse(&self.contact_email).map_err(|e| DomainError::new("contact_email", e.message))),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let contact_phone = match self.contact_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => {
                let shaped = p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'))
                    && (10..=20).contains(&p.chars().filter(char::is_ascii_digit).count())
                    && p.len() <= 30;
                if shaped {
                    Some(p.to_owned())
                } else {
                    errors.push(DomainError::new(
                        "contact_phone",
                        "give a telephone number of 10 to 20 digits (spaces, brackets, + and - are fine), or leave it out",
                    ));
                    None
                }
            }
        };
        let mut councils = Vec::new();
        if let Err(e) = crate::text::check_list("councils", self.councils.len(), crate::text::MAX_LIST_ITEMS) {
            errors.push(e);
        } else {
            for code in &self.councils {
                match crate::text::check_line("councils", code).and_then(|()| crate::council::council(code)) {
                    Ok(c) => councils.push(c.la_code),
                    Err(e) => errors.push(DomainError::new("councils", e.message)),
                }
            }
        }
        councils.sort_unstable();
        councils.dedup();
        errors.into_result()?;
        let (Some(company_number), Some(contact_email)) = (company_number, contact_email) else {
            return Err(DomainError::new("request", "a checked value went missing").into());
        };
        Ok(ParsedApplication {
            organisation_name,
            company_number,
            urn,
            contact_name,
            contact_email,
            contact_phone,
            councils,
            framework: self.framework,
        })
    }
}

/// Why an invitation link cannot be used, in words for the person holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationRefusal {
    Unknown,
    Used,
    Expired,
    Deactivated,
}

impl InvitationRefusal {
    pub fn words(self) -> &'static str {
        match self {
            Self::Unknown => {
                "this invitation link is not one Hearth sent; check you copied the whole link from the e-mail"
            }
            Self::Used => {
                "this invitation link has already been used; sign in with the password you set, or ask the person who approved your organisation for a new invitation"
            }
            Self::Expired => {
                "this invitation link has expired (links work for 7 days); ask the person who approved your organisation to send a new one"
            }
            Self::Deactivated => {
                "the account this invitation was for has been deactivated, so it cannot be used; ask the person who approved your organisation"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_numbers_have_two_shapes() {
        assert_eq!(check_company_number("01234567").unwrap(), "01234567");
        assert_eq!(check_company_number(" sc 123456 ").unwrap(), "SC123456");
        for bad in ["", "1234567", "123456789", "S1234567", "SC12345X", "ÉC123456", "SCX23456"] {
            let e = check_company_number(bad).expect_err(bad);
            assert_eq!(e.field, "company_number");
        }
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            organisation_name: "Hollybush Care Ltd".into(),
            company_number: "01234567".into(),
            urn: Some("SC123456".into()),
            contact_name: "Sam Hollis".into(),
            contact_email: "Sam@Hollybush.example".into(),
            contact_phone: None,
            councils: vec!["331".into(), "E08000026".into(), "330".into()],
            framework: true,
        }
    }

    #[test]
    fn an_application_parses_whole() {
        let p = form().parse().unwrap();
        assert_eq!(p.councils, vec![330, 331]);
        assert_eq!(p.contact_email.as_str(), "sam@hollybush.example");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut f = form();
        f.company_number = "ABC".into();
        f.urn = Some("12345".into());
        f.contact_email = "nobody".into();
        f.councils = vec!["999".into()];
        let errs = f.parse().expect_err("wrong");
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["company_number", "urn", "contact_email", "councils"]);
    }
}

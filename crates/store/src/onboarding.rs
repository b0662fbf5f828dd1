//! Provider onboarding's records (migration 0018): applications to join and the invitations that let a
//! new provider's first manager set their password. An invitation's secret is never stored, only its
//! SHA-256, as for sessions and API tokens.

use crate::StoreError;
use crate::convert::timestamp_from_sql;
use crate::rows::parse;
use hearth_domain::onboarding::{ApplicationStatus, ParsedApplication};
use hearth_domain::org::Email;
use hearth_domain::{OrganisationId, UserId};
use jiff::Timestamp;

/// An application to join, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub id: i64,
    pub form: ParsedApplication,
    pub status: ApplicationStatus,
    pub submitted_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<UserId>,
    /// Why it was refused.
    pub reason: Option<String>,
    /// The organisation made when it was approved.
    pub organisation: Option<OrganisationId>,
}

/// An invitation to write, with the moment it was made and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// Hex SHA-256 of the link's secret.
    pub token_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Everything an approval writes, in one transaction: the provider organisation, its first manager
/// (no password until the invitation is used), the invitation and the e-mail that carries its link.
#[derive(Debug, Clone)]
pub struct Approval {
    pub application: i64,
    pub invitation: NewInvitation,
    /// The invitation e-mail; its link holds the secret, so it is written only here, to the outbox.
    pub email: crate::NewEmail,
    pub at: Timestamp,
}

/// What an approval made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub application: ApplicationRecord,
    pub organisation: OrganisationId,
    pub manager: UserId,
}

/// An invitation as stored (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: i64,
    pub user: UserId,
    pub application: Option<i64>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

macro_rules! application_columns {
    () => {
        "id, organisation_name, company_number, urn, contact_name, contact_email, contact_phone, councils, \
         framework, status, submitted_at, decided_at, decided_by, reason, organisation_id"
    };
}

pub(crate) const INSERT_APPLICATION: &str = concat!(
    "INSERT INTO applications (organisation_name, company_number, urn, contact_name, contact_email, \
     contact_phone, councils, framework, status, submitted_at, from_ip) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING ",
    application_columns!()
);
pub(crate) const APPLICATIONS: &str = concat!("SELECT ", application_columns!(), " FROM applications ORDER BY id DESC");
pub(crate) const APPLICATION: &str = concat!("SELECT ", application_columns!(), " FROM applications WHERE id = $1");
pub(crate) const APPLICATION_OF_ORGANISATION: &str = concat!(
    "SELECT ",
    application_columns!(),
    " FROM applications WHERE organisation_id = $1 ORDER BY id DESC LIMIT 1"
);
/// The latest applications from one address, newest first (the "ask to join" throttle reads their times).
pub(crate) const RECENT_FROM: &str =
    "SELECT submitted_at FROM applications WHERE from_ip = $1 ORDER BY id DESC LIMIT $2";
pub(crate) const INSERT_PROVIDER: &str =
    "INSERT INTO organisations (kind, name, la_code, sector) VALUES ('provider', $1, NULL, NULL) RETURNING id";
/// Takes the application's row for the decision (PostgreSQL holds it to the end of the transaction, so
/// a second decision at the same moment waits and then finds it decided); 0 rows when it is not pending.
pub(crate) const TAKE_PENDING: &str = "UPDATE applications SET status = status WHERE id = $1 AND status = 'pending'";
pub(crate) const APPLICATION_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1)";
pub(crate) const APPROVE: &str = "UPDATE applications SET status = 'approved', decided_at = $2, decided_by = $3, \
     organisation_id = $4 WHERE id = $1 AND status = 'pending'";
pub(crate) const REFUSE: &str = "UPDATE applications SET status = 'refused', decided_at = $2, decided_by = $3, \
     reason = $4 WHERE id = $1 AND status = 'pending'";

macro_rules! invitation_columns {
    () => {
        "id, user_id, application_id, created_at, expires_at, used_at"
    };
}

pub(crate) const INSERT_INVITATION: &str = concat!(
    "INSERT INTO invitations (token_hash, user_id, application_id, created_at, expires_at) \
     VALUES ($1, $2, $3, $4, $5) RETURNING ",
    invitation_columns!()
);
pub(crate) const INVITATION_BY_HASH: &str =
    concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE token_hash = $1");
/// Marks an invitation used, once: a second use finds it used and changes nothing.
pub(crate) const USE_INVITATION: &str = "UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
/// An unused invitation of the user's is ended when a new one is sent.
pub(crate) const END_OPEN_INVITATIONS: &str =
    "UPDATE invitations SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
pub(crate) const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ApplicationRow {
    id: i64,
    organisation_name: String,
    company_number: String,
    urn: Option<String>,
    contact_name: String,
    contact_email: String,
    contact_phone: Option<String>,
    councils: String,
    framework: bool,
    status: String,
    submitted_at: time::OffsetDateTime,
    decided_at: Option<time::OffsetDateTime>,
    decided_by: Option<i64>,
    reason: Option<String>,
    organisation_id: Option<i64>,
}

impl TryFrom<ApplicationRow> for ApplicationRecord {
    type Error = StoreError;
    fn try_from(r: ApplicationRow) -> Result<Self, StoreError> {
        let councils = r
            .councils
            .split_whitespace()
            .map(|c| c.parse::<u16>().map_err(|_| crate::error::unreadable("applications.councils")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            id: r.id,
            form: ParsedApplication {
                organisation_name: r.organisation_name,
                company_number: r.company_number,
                urn: r.urn,
                contact_name: r.contact_name,
                contact_email: parse("applications.contact_email", &r.contact_email, Email::parse)?,
                contact_phone: r.contact_phone,
                councils,
                framework: r.framework,
            },
            status: parse("applications.status", &r.status, ApplicationStatus::parse)?,
            submitted_at: timestamp_from_sql(r.submitted_at, "applications.submitted_at")?,
            decided_at: r.decided_at.map(|t| timestamp_from_sql(t, "applications.decided_at")).transpose()?,
            decided_by: r.decided_by.map(UserId),
            reason: r.reason,
            organisation: r.organisation_id.map(OrganisationId),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct InvitationRow {
    pub(crate) id: i64,
    user_id: i64,
    application_id: Option<i64>,
    created_at: time::OffsetDateTime,
    expires_at: time::OffsetDateTime,
    used_at: Option<time::OffsetDateTime>,
}

impl TryFrom<InvitationRow> for InvitationRecord {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: r.id,
            user: UserId(r.user_id),
            application: r.application_id,
            created_at: timestamp_from_sql(r.created_at, "invitations.created_at")?,
            expires_at: timestamp_from_sql(r.expires_at, "invitations.expires_at")?,
            used_at: r.used_at.map(|t| timestamp_from_sql(t, "invitations.used_at")).transpose()?,
        })
    }
}

/// The councils column: LA codes, space-separated.
pub(crate) fn councils_to_sql(codes: &[u16]) -> String {
    codes.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// An e-mail holding a one-time link: its body is replaced once sent (see `OUTBOX_SENT`).
pub(crate) const INSERT_LINK_EMAIL: &str = "INSERT INTO outbox (recipient, subject, body, referral_id, created_at, \
     next_attempt_at, one_time_link) VALUES ($1, $2, $3, NULL, $4, $4, $5)";

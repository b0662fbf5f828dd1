//! Records behind sign-in: accounts with their password hashes, sessions, API tokens and sign-in
//! attempts. Secrets are never stored: sessions and tokens are kept as SHA-256 hashes of the value the
//! client holds, passwords as Argon2id PHC strings.

use hearth_domain::access::Capability;
use hearth_domain::org::{Email, OrganisationKind, Role, User};
use hearth_domain::{OrganisationId, ReferralId, UserId};
use jiff::Timestamp;

/// A user with what signing in needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub user: User,
    /// Argon2id PHC string; `None` until a password is set (such a user cannot sign in).
    pub password_hash: Option<String>,
    /// A deactivated user cannot sign in and their sessions and tokens stop working.
    pub active: bool,
    pub organisation_kind: OrganisationKind,
    /// The organisation's DfE LA code, for councils.
    pub la_code: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub organisation: OrganisationId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

impl UserChange {
    /// What the audit line says about a change: the fields it sets, with the new value where that is a
    /// code or a flag. Never the display name (a person's name) and never the password hash.
    pub(crate) fn audit_detail(&self) -> String {
        let mut fields = Vec::new();
        if self.display_name.is_some() {
            fields.push("display_name".to_owned());
        }
        if let Some(role) = self.role {
            fields.push(format!("role {}", role.code()));
        }
        if let Some(active) = self.active {
            fields.push(format!("active {active}"));
        }
        if self.password_hash.is_some() {
            fields.push("password".to_owned());
        }
        if fields.is_empty() { "no fields changed".to_owned() } else { format!("changed {}", fields.join(", ")) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// Hex SHA-256 of the cookie's secret.
    pub token_hash: String,
    pub user: UserId,
    /// The CSRF token forms and cookie-authenticated API calls must echo.
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: i64,
    pub user: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl SessionRecord {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiToken {
    /// Hex SHA-256 of the bearer secret.
    pub token_hash: String,
    pub organisation: OrganisationId,
    /// The administrator who issued it; the token acts with this user's role, narrowed to its scopes.
    pub issued_by: UserId,
    pub name: String,
    pub scopes: Vec<Capability>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub organisation: OrganisationId,
    pub issued_by: UserId,
    pub name: String,
    pub scopes: Vec<Capability>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiTokenRecord {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }
}

/// One sign-in attempt, kept for throttling (and audited when it fails).
#[derive(Debug, Clone, PartialEq)]
pub struct SignInAttempt {
    /// As typed, lower-cased: attempts on unknown e-mails are throttled too.
    pub email: String,
    pub ip: String,
    pub at: Timestamp,
    pub succeeded: bool,
}

/// The e-mail as attempts are kept and counted. The caller lower-cases already; doing it again here
/// means that a caller who forgot cannot let "Officer@…" dodge the throttle on "officer@…".
pub(crate) fn attempt_email(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// Failed attempts since a moment, counted by account (from any address), by address (on any
/// account) and by the pair, with the moments a throttle needs to say when it lifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCounts {
    pub by_account: u32,
    pub by_address: u32,
    /// On this account from this address.
    pub by_pair: u32,
    /// The oldest failure counted from this address.
    pub address_oldest: Option<Timestamp>,
    /// The oldest and the newest failure counted on this account from this address.
    pub pair_oldest: Option<Timestamp>,
    pub pair_latest: Option<Timestamp>,
}

/// A provider's relation to a referral: sent to it, and whether its offer was accepted (after which
/// it may see the full referral).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub referral: ReferralId,
    pub provider: OrganisationId,
    pub sent_at: Timestamp,
    pub offer_accepted: bool,
}

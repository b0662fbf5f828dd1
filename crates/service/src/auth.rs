//! Signing in and proving who you are: Argon2id passwords, sessions and API tokens. The secrets a
//! client holds are random 256-bit values; the store keeps only their SHA-256, so a copy of the
//! database lets nobody sign in.

use crate::auth_cache::Cached;
use crate::{ServiceError, Services};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hearth_domain::access::{Capability, Credential, Principal};
use hearth_domain::audit::Actor;
use hearth_domain::org::Email;
use hearth_store::{Account, ApiTokenRecord, NewApiToken, NewSession, SessionRecord, SignInAttempt};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// How long sessions last and when sign-in is throttled (see [`crate::throttle`]).
#[derive(Debug, Clone)]
pub struct AuthPolicy {
    /// A session ends this long after sign-in, whatever happens (a working day and a bit).
    pub session_lifetime: SignedDuration,
    /// Failed attempts on one account from one address within `window` before that address is
    /// refused for that account for the rest of the window.
    pub max_failures_per_pair: u32,
    /// Failed attempts on one account from any addresses within `window` after which it is under
    /// attack: every address that has failed on it waits `backoff` after its last failure.
    pub max_failures_per_account: u32,
    /// Failed attempts from one address within `window`, across accounts (password spraying), after
    /// which the address is refused for everyone.
    pub max_failures_per_address: u32,
    pub window: SignedDuration,
    pub backoff: SignedDuration,
    /// Requests to join ("ask to join") from one address within `application_window`, after which
    /// that address waits until the oldest of them leaves the window.
    pub max_applications_per_address: u32,
    pub application_window: SignedDuration,
    /// How long an invitation link works.
    pub invitation_lifetime: SignedDuration,
    /// The address people reach Hearth at, for links in e-mails (no trailing slash).
    pub public_url: String,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            session_lifetime: SignedDuration::from_hours(10),
            max_failures_per_pair: 5,
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            window: SignedDuration::from_mins(15),
            backoff: SignedDuration::from_mins(5),
            max_applications_per_address: 30,
            application_window: SignedDuration::from_hours(1),
            invitation_lifetime: SignedDuration::from_hours(24 * hearth_domain::onboarding::INVITATION_DAYS),
            public_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// Hashes a password with Argon2id (default parameters: 19 MiB, 2 passes), as a PHC string.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("cannot hash a password: {e}")))
}

/// Checks a password against a PHC string; a malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

/// Verified against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong
/// password and the timing does not tell which accounts exist.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no account has this password").unwrap_or_default());

/// A fresh random secret, hex-encoded.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the store keeps of a secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Bearer tokens carry a recognisable prefix, so secret scanners and people can tell what leaked.
pub const TOKEN_PREFIX: &str = "hearth_";

/// A new session: the cookie's secret and the CSRF token to echo, returned once.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session_secret: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    pub principal: Principal,
}

/// Where a request came from, for the audit log and throttling.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: String,
    pub user_agent: Option<String>,
}

const WRONG_CREDENTIALS: &str = "the e-mail address or password is not right";
const NOT_SIGNED_IN: &str = "you are not signed in, or your session has ended; sign in again";
const BAD_TOKEN: &str = "the API token is not valid: it is unknown, expired or revoked";

pub fn principal_of(account: &Account, credential: Credential, scopes: Vec<Capability>) -> Principal {
    Principal {
        user: account.user.id,
        organisation: account.user.organisation,
        organisation_kind: account.organisation_kind,
        la_code: account.la_code,
        role: account.user.role,
        credential,
        scopes,
    }
}

/// The audit actor for a principal, with where the request came from.
pub fn actor_of(p: &Principal, label: &str, origin: &Origin) -> Actor {
    Actor {
        user: Some(p.user),
        organisation: Some(p.organisation),
        label: label.to_owned(),
        from: Some(origin.ip.clone()).filter(|s| !s.is_empty()),
    }
}

impl Services {
    /// Signs a person in. Refuses, without saying which was wrong, an unknown e-mail, a wrong
    /// password or a deactivated account; refuses an attempt the throttle holds back (an address that
    /// failed too often; see [`crate::throttle`]), saying when to try again. Every refusal and every
    /// limit reached is audited.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str, origin: &Origin) -> Result<SignedIn, ServiceError> {
        // What was typed is recorded with the attempt: text no database could store (a NUL) is refused
        // first, the same way whichever page or API it came through.
        hearth_domain::text::check_line("email", email)?;
        let now = self.clock.now();
        let typed = email.trim().to_ascii_lowercase();
        let since = now.checked_sub(self.policy.window).unwrap_or(now);
        let failures = self.store.failed_sign_ins_since(&typed, &origin.ip, since).await?;
        // Who is failing is not known: the lines name the account by id (the store looks it up), never
        // by what was typed, which may be a password typed into the wrong box.
        let anonymous = Actor {
            user: None,
            organisation: None,
            label: "sign-in".to_owned(),
            from: Some(origin.ip.clone()).filter(|s| !s.is_empty()),
        };
        if let Some(refusal) = self.policy.refusal(&failures, now) {
            let detail = refusal.audit_detail(now);
            self.store.record_sign_in_throttle(&anonymous, &typed, "session.sign_in_refused", &detail, now).await?;
            return Err(ServiceError::Throttled { retry_after_secs: refusal.retry_after(now) });
        }

        let account = match Email::parse(&typed) {
            Ok(e) => self.store.account_by_email(&e).await?,
            Err(_) => None,
        };
        let hash = account.as_ref().and_then(|a| a.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
        let pw = password.to_owned();
        let verified = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
            .await
            .map_err(|e| ServiceError::Internal(format!("password check did not finish: {e}")))?;
        let account = account.filter(|a| verified && a.active && a.password_hash.is_some());

        let actor = match &account {
            Some(a) => Actor {
                user: Some(a.user.id),
                organisation: Some(a.user.organisation),
                label: a.user.email.as_str().to_owned(),
                from: anonymous.from.clone(),
            },
            None => anonymous.clone(),
        };
        let attempt =
            SignInAttempt { email: typed.clone(), ip: origin.ip.clone(), at: now, succeeded: account.is_some() };
        self.store.record_sign_in(&actor, &attempt).await?;
        let Some(account) = account else {
            for lock in self.policy.locks_reached(&failures) {
                self.store.record_sign_in_throttle(&anonymous, &typed, "session.locked", &lock, now).await?;
            }
            return Err(ServiceError::Unauthenticated(WRONG_CREDENTIALS));
        };

        let secret = new_secret();
        let csrf_token = new_secret();
        let expires_at = now.checked_add(self.policy.session_lifetime).unwrap_or(now);
        let session = NewSession {
            token_hash: secret_hash(&secret),
            user: account.user.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
            ip: Some(origin.ip.clone()).filter(|s| !s.is_empty()),
            user_agent: origin.user_agent.clone(),
        };
        self.store.create_session(&actor, &session).await?;
        Ok(SignedIn {
            session_secret: secret,
            csrf_token,
            expires_at,
            principal: principal_of(&account, Credential::Session, vec![]),
        })
    }

    /// The person behind a session cookie, with the session (for its CSRF token).
    #[tracing::instrument(skip_all)]
    pub async fn authenticate_session(&self, secret: &str) -> Result<(Principal, SessionRecord), ServiceError> {
        let now = self.clock.now();
        let hash = secret_hash(secret);
        if let Some(hit) = self.auth_cache.get(&hash, now) {
            return match hit.session {
                Some(s) if s.is_live(now) => Ok((hit.principal, s)),
                _ => Err(ServiceError::Unauthenticated(NOT_SIGNED_IN)),
            };
        }
        let session = self
            .store
            .session_by_hash(&hash)
            .await?
            .filter(|s| s.is_live(now))
            .ok_or(ServiceError::Unauthenticated(NOT_SIGNED_IN))?;
        let account = self.store.account(session.user).await?;
        if !account.active {
            return Err(ServiceError::Unauthenticated(NOT_SIGNED_IN));
        }
        let principal = principal_of(&account, Credential::Session, vec![]);
        let entry =
            Cached { principal: principal.clone(), session: Some(session.clone()), token: None, fetched_at: now };
        self.auth_cache.put(hash, entry);
        Ok((principal, session))
    }

    /// The API client behind a bearer token.
    #[tracing::instrument(skip_all)]
    pub async fn authenticate_token(&self, secret: &str) -> Result<Principal, ServiceError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(ServiceError::Unauthenticated(BAD_TOKEN));
        }
        let now = self.clock.now();
        let hash = secret_hash(secret);
        if let Some(hit) = self.auth_cache.get(&hash, now) {
            return match hit.token {
                Some((_, expires)) if expires.is_none_or(|e| now < e) => Ok(hit.principal),
                _ => Err(ServiceError::Unauthenticated(BAD_TOKEN)),
            };
        }
        let token = self
            .store
            .api_token_by_hash(&hash)
            .await?
            .filter(|t| t.is_live(now))
            .ok_or(ServiceError::Unauthenticated(BAD_TOKEN))?;
        let issuer = self.store.account(token.issued_by).await?;
        // A token dies with its issuer's account, so removing a leaver also stops their systems' tokens.
        if !issuer.active || issuer.user.organisation != token.organisation {
            return Err(ServiceError::Unauthenticated(BAD_TOKEN));
        }
        let principal = principal_of(&issuer, Credential::Token, token.scopes);
        let entry = Cached {
            principal: principal.clone(),
            session: None,
            token: Some((token.id, token.expires_at)),
            fetched_at: now,
        };
        self.auth_cache.put(hash, entry);
        Ok(principal)
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn my_sessions(&self, p: &Principal) -> Result<Vec<SessionRecord>, ServiceError> {
        Ok(self.store.sessions_of(p.user, self.clock.now()).await?)
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, session))]
    pub async fn sign_out(&self, p: &Principal, session: i64, origin: &Origin) -> Result<(), ServiceError> {
        let actor = actor_of(p, "sign out", origin);
        self.store.revoke_session(&actor, p.user, session, self.now()).await?;
        self.auth_cache.forget_session(session);
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn sign_out_everywhere(&self, p: &Principal, origin: &Origin) -> Result<u64, ServiceError> {
        let actor = actor_of(p, "sign out everywhere", origin);
        let n = self.store.revoke_all_sessions(&actor, p.user, self.now()).await?;
        self.auth_cache.forget_user(p.user);
        Ok(n)
    }

    /// Issues a token for the caller's organisation; the secret is returned once and never again.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn issue_token(
        &self,
        p: &Principal,
        name: &str,
        scopes: &[Capability],
        lifetime_days: Option<u32>,
        origin: &Origin,
    ) -> Result<(ApiTokenRecord, String), ServiceError> {
        p.require(Capability::ManageTokens).map_err(|d| ServiceError::denied(d, "token"))?;
        let mut errors = hearth_domain::ValidationErrors::default();
        let name = name.trim();
        if let Err(e) = hearth_domain::text::check_line("name", name) {
            errors.push(e);
        } else if name.is_empty() || name.len() > 100 {
            errors.push(hearth_domain::DomainError::new(
                "name",
                "give the token a name of 1 to 100 characters, e.g. the system that uses it",
            ));
        }
        if scopes.is_empty() {
            errors.push(hearth_domain::DomainError::new("scopes", "choose at least one scope"));
        }
        let refused: Vec<&str> = scopes.iter().filter(|c| !p.may_grant(**c)).map(|c| c.code()).collect();
        if !refused.is_empty() {
            errors.push(hearth_domain::DomainError::new(
                "scopes",
                format!(
                    "a token cannot do more than its issuer's role allows; you cannot grant: {}",
                    refused.join(", ")
                ),
            ));
        }
        if lifetime_days.is_some_and(|d| d == 0 || d > 366) {
            errors.push(hearth_domain::DomainError::new("expires_in_days", "a token lasts from 1 to 366 days"));
        }
        errors.into_result()?;
        let now = self.clock.now();
        let secret = format!("{TOKEN_PREFIX}{}", new_secret());
        let expires_at =
            lifetime_days.and_then(|d| now.checked_add(SignedDuration::from_hours(24 * i64::from(d))).ok());
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let token = NewApiToken {
            token_hash: secret_hash(&secret),
            organisation: p.organisation,
            issued_by: p.user,
            name: name.to_owned(),
            scopes,
            created_at: now,
            expires_at,
        };
        let record = self.store.create_api_token(&actor_of(p, "issue token", origin), &token).await?;
        Ok((record, secret))
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn tokens(&self, p: &Principal) -> Result<Vec<ApiTokenRecord>, ServiceError> {
        p.require_org(Capability::ManageTokens, p.organisation).map_err(|d| ServiceError::denied(d, "token"))?;
        Ok(self.store.api_tokens_of(p.organisation).await?)
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, token = id))]
    pub async fn revoke_token(&self, p: &Principal, id: i64, origin: &Origin) -> Result<(), ServiceError> {
        p.require(Capability::ManageTokens).map_err(|d| ServiceError::denied(d, "token"))?;
        self.store.revoke_api_token(&actor_of(p, "revoke token", origin), p.organisation, id, self.now()).await?;
        self.auth_cache.forget_token(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horse ", &h));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn secrets_are_random_and_stored_hashed() {
        let a = new_secret();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_secret());
        assert_eq!(secret_hash(&a), secret_hash(&a));
        assert_ne!(secret_hash(&a), a);
    }
}

//! Administration: an organisation's users and its audit trail; and the reference figures every
//! signed-in role may read.

use crate::auth::{Origin, actor_of, hash_password};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::audit::AuditEntry;
use hearth_domain::org::{Email, OrganisationKind, Role};
use hearth_domain::seed::RegionCounts;
use hearth_domain::{DomainError, OrganisationId, UserId, ValidationErrors};
use hearth_store::{Account, AuditQuery, NewUser, UserChange};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One line of the audit trail as an administrator reads it: the line as recorded, with the person
/// and organisation named.
#[derive(Debug, Clone, Serialize)]
pub struct AuditLine {
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The person: "display name (e-mail)" for someone signed in or their API token; for Hearth
    /// itself or an unknown person signing in, the line's own label ("escalation job", "sign-in").
    pub who: String,
    /// The organisation the person acted for, by name.
    pub organisation_name: Option<String>,
}

/// A user as their administrators see them. Never the password hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    #[schema(value_type = i64)]
    pub id: UserId,
    #[schema(value_type = i64)]
    pub organisation: OrganisationId,
    pub email: String,
    pub display_name: String,
    #[schema(value_type = String)]
    pub role: Role,
    pub active: bool,
}

impl From<Account> for UserView {
    fn from(a: Account) -> Self {
        Self {
            id: a.user.id,
            organisation: a.user.organisation,
            email: a.user.email.as_str().to_owned(),
            display_name: a.user.display_name,
            role: a.user.role,
            active: a.active,
        }
    }
}

/// A new user as an administrator types it.
#[derive(Debug, Clone)]
pub struct UserForm {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

/// Passwords: long enough to resist guessing (NCSC advises length over complexity rules).
pub const MIN_PASSWORD_LENGTH: usize = 12;

pub(crate) fn check_password(password: &str, errors: &mut ValidationErrors) {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        errors.push(DomainError::new(
            "password",
            format!("the password must be at least {MIN_PASSWORD_LENGTH} characters; three random words work well"),
        ));
    }
}

/// The domain's rule for giving a role, said beside the form's role field.
fn given_role(p: &Principal, role: Role, kind: OrganisationKind) -> Result<Role, DomainError> {
    p.may_give_role(role, kind).map(|()| role).map_err(|e| DomainError::new("role", e.to_string()))
}

impl Services {
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn region_counts(&self, p: &Principal) -> Result<RegionCounts, ServiceError> {
        p.require(Capability::ViewReference).map_err(|d| ServiceError::denied(d, "region"))?;
        Ok(self.store.counts().await?)
    }

    /// The users of the caller's organisation (platform administrators: of any organisation).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, organisation = organisation.0))]
    pub async fn users(&self, p: &Principal, organisation: OrganisationId) -> Result<Vec<UserView>, ServiceError> {
        p.require_org(Capability::ManageUsers, organisation)
            .map_err(|d| ServiceError::denied(d, format!("organisation {organisation}")))?;
        Ok(self.store.accounts_of(organisation).await?.into_iter().map(UserView::from).collect())
    }

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, organisation = organisation.0))]
    pub async fn create_user(
        &self,
        p: &Principal,
        organisation: OrganisationId,
        form: &UserForm,
        origin: &Origin,
    ) -> Result<UserView, ServiceError> {
        p.require_org(Capability::ManageUsers, organisation)
            .map_err(|d| ServiceError::denied(d, format!("organisation {organisation}")))?;
        let org = self
            .store
            .organisations()
            .await?
            .into_iter()
            .find(|o| o.id == organisation)
            .ok_or_else(|| ServiceError::NotFound(format!("organisation {organisation}")))?;
        let mut errors = ValidationErrors::default();
        let email = errors.check(Email::parse(&form.email));
        let role = errors.check(Role::parse(&form.role));
        let name = form.display_name.trim();
        if name.is_empty() {
            errors.push(DomainError::new("display_name", "give the person's name, up to 200 characters"));
        } else {
            // A name is one line: it is shown in headers, lists and the audit trail.
            errors.check(hearth_domain::text::check_line("display_name", name));
        }
        if let Some(r) = role {
            errors.check(given_role(p, r, org.kind));
        }
        check_password(&form.password, &mut errors);
        errors.into_result()?;
        let (Some(email), Some(role)) = (email, role) else {
            return Err(ServiceError::Internal("validated values missing".into()));
        };
        let password = form.password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??;
        let user = NewUser { organisation, email, display_name: name.to_owned(), role, password_hash: Some(hash) };
        match self.store.create_user(&actor_of(p, "add user", origin), &user, self.now()).await {
            Err(hearth_store::StoreError::Conflict(_)) => Err(ServiceError::Invalid(
                DomainError::new("email", "a user with this e-mail address already exists").into(),
            )),
            other => Ok(other?.into()),
        }
    }

    /// Changes a user's role or deactivates them; a deactivated user's sessions end at once.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, account = id.0))]
    pub async fn update_user(
        &self,
        p: &Principal,
        id: UserId,
        role: Option<&str>,
        active: Option<bool>,
        origin: &Origin,
    ) -> Result<UserView, ServiceError> {
        let what = format!("user {id}");
        p.require(Capability::ManageUsers).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let account = self.store.account(id).await?;
        p.require_org(Capability::ManageUsers, account.user.organisation).map_err(|d| ServiceError::denied(d, what))?;
        let mut errors = ValidationErrors::default();
        let role = match role {
            Some(r) => errors.check(Role::parse(r)),
            None => None,
        };
        if let Some(r) = role {
            errors.check(given_role(p, r, account.organisation_kind));
        }
        if id == p.user && active == Some(false) {
            errors.push(DomainError::new("active", "you cannot deactivate yourself; ask another administrator"));
        }
        errors.into_result()?;
        let actor = actor_of(p, "change user", origin);
        let change = UserChange { role, active, ..UserChange::default() };
        let updated = self.store.update_user(&actor, id, &change, self.now()).await?;
        if active == Some(false) {
            self.store.revoke_all_sessions(&actor, id, self.now()).await?;
        }
        // Reactivating is how people are told to get back in ("ask your administrator"): it unlocks too.
        if active == Some(true) {
            self.store.clear_sign_in_failures(&actor_of(p, "unlock user", origin), id, self.now()).await?;
        }
        // A new role or a deactivation must apply to the user's very next request.
        self.auth_cache.forget_user(id);
        Ok(updated.into())
    }

    /// Unlocks a user's sign-in: forgets their failed attempts, so that no throttle holds them back
    /// (audited `user.unlock`). Returns how many failures were forgotten.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, account = id.0))]
    pub async fn unlock_user(&self, p: &Principal, id: UserId, origin: &Origin) -> Result<u64, ServiceError> {
        let what = format!("user {id}");
        p.require(Capability::ManageUsers).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let account = self.store.account(id).await?;
        p.require_org(Capability::ManageUsers, account.user.organisation).map_err(|d| ServiceError::denied(d, what))?;
        Ok(self.store.clear_sign_in_failures(&actor_of(p, "unlock user", origin), id, self.now()).await?)
    }

    /// The caller's organisation's audit trail (platform administrators: everyone's), newest first.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn audit(&self, p: &Principal, mut query: AuditQuery) -> Result<Vec<AuditLine>, ServiceError> {
        p.require(Capability::ViewAudit).map_err(|d| ServiceError::denied(d, "audit"))?;
        if !p.is_platform() {
            query.organisation = Some(p.organisation);
        }
        if query.limit == 0 || query.limit > 1000 {
            query.limit = 1000;
        }
        // The page's search boxes reach here without the API's query checks.
        for (field, value) in
            [("action", &query.action_prefix), ("record_type", &query.record_type), ("record_id", &query.record_id)]
        {
            if let Some(v) = value {
                hearth_domain::text::check_line(field, v)?;
            }
        }
        if let (Some(a), Some(b)) = (query.since, query.until)
            && b < a
        {
            return Err(DomainError::new("until", "the end of the period is before its start").into());
        }
        let entries = self.store.audit(&query).await?;
        // A line records the person by id and the request by a short label (what the page or route
        // did, e.g. "accept offer"); the reader wants the person, so each id is named here, once per
        // search, from the accounts and organisations as they are now.
        let mut people: HashMap<UserId, Option<String>> = HashMap::new();
        let mut orgs: HashMap<OrganisationId, Option<String>> = HashMap::new();
        let mut lines = Vec::with_capacity(entries.len());
        for entry in entries {
            let who = match entry.user {
                Some(u) => match people.get(&u) {
                    Some(known) => known.clone(),
                    None => {
                        let name = match self.store.account(u).await {
                            Ok(a) => Some(format!("{} ({})", a.user.display_name, a.user.email.as_str())),
                            Err(hearth_store::StoreError::NotFound { .. }) => None,
                            Err(e) => return Err(e.into()),
                        };
                        people.insert(u, name.clone());
                        name
                    }
                },
                None => None,
            };
            let organisation_name = match entry.organisation {
                Some(o) => match orgs.get(&o) {
                    Some(known) => known.clone(),
                    None => {
                        let name = match self.organisation(o).await {
                            Ok(org) => Some(org.name),
                            Err(ServiceError::NotFound(_)) => None,
                            Err(e) => return Err(e),
                        };
                        orgs.insert(o, name.clone());
                        name
                    }
                },
                None => None,
            };
            let who = who.unwrap_or_else(|| match entry.user {
                Some(u) => format!("user {u}"),
                // Hearth itself (the demo loader, the escalation job) or an unknown person signing in.
                None => entry.actor_label.clone(),
            });
            lines.push(AuditLine { entry, who, organisation_name });
        }
        Ok(lines)
    }
}

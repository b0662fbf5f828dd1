//! Provider onboarding (issue 16): a provider asks to join; an administrator of the regional hub, or of a
//! council the provider names, approves it or refuses it with a reason; on approval the provider's
//! first manager is invited by e-mail (a one-time link that expires) and sets their own password.
//!
//! Who decides which: the hub's administrators see and decide every application; a council's
//! administrators see and decide those that name their council among the councils the provider works
//! with. Anyone else is refused (403), and a council administrator asking for an application that does
//! not name their council is told it was not found (404), as for a record of another organisation.
//!
//! Asking to join needs no account: it is throttled by address, and its answer is the same whatever
//! is already in Hearth, so that it tells nobody which organisations or people exist.

use crate::auth::{Origin, actor_of, hash_password, new_secret, secret_hash};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::audit::Actor;
use hearth_domain::council::council_name;
use hearth_domain::onboarding::{ApplicationForm, ApplicationStatus, InvitationRefusal};
use hearth_domain::org::{OrganisationKind, Role};
use hearth_domain::{DomainError, ValidationErrors};
use hearth_store::{ApplicationRecord, Approval, NewEmail, NewInvitation};
use serde::Serialize;
use utoipa::ToSchema;

/// A council an application names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CouncilRef {
    pub la_code: u16,
    pub name: String,
}

/// An application to join as its deciders see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub organisation_name: String,
    pub company_number: String,
    pub urn: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub councils: Vec<CouncilRef>,
    /// Whether it is on, or asks to join, the regional fostering framework.
    pub framework: bool,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    /// Why it was refused.
    pub reason: Option<String>,
    /// The provider organisation made on approval.
    pub organisation: Option<i64>,
    /// The provider's first manager, invited on approval.
    pub manager: Option<i64>,
}

impl ApplicationView {
    fn new(a: &ApplicationRecord, manager: Option<i64>) -> Self {
        Self {
            id: a.id,
            organisation_name: a.form.organisation_name.clone(),
            company_number: a.form.company_number.clone(),
            urn: a.form.urn.clone(),
            contact_name: a.form.contact_name.clone(),
            contact_email: a.form.contact_email.as_str().to_owned(),
            contact_phone: a.form.contact_phone.clone(),
            councils: a.form.councils.iter().map(|c| CouncilRef { la_code: *c, name: council_name(*c) }).collect(),
            framework: a.form.framework,
            status: a.status.code().to_owned(),
            submitted_at: a.submitted_at.to_string(),
            decided_at: a.decided_at.map(|t| t.to_string()),
            reason: a.reason.clone(),
            organisation: a.organisation.map(|o| o.0),
            manager,
        }
    }
}

/// What the person asking to join is told: the same words whatever Hearth already holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationReceived {
    /// The application's number, to quote when asking about it.
    pub reference: i64,
    pub message: String,
}

/// An invitation link that still works: whose it is, for the page that sets the password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub email: String,
    pub display_name: String,
    pub organisation_name: String,
    pub expires_at: String,
}

/// A provider's own organisation, as its people see it ("Our organisation").
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OurOrganisation {
    pub id: i64,
    pub name: String,
    pub company_number: Option<String>,
    pub urn: Option<String>,
    pub councils: Vec<CouncilRef>,
    /// The lots (home kind codes) it holds on the regional fostering framework; empty if not on it.
    pub framework_lots: Vec<String>,
    /// Its people, by name and role.
    pub people: Vec<(String, String)>,
    pub homes: usize,
}

const RECEIVED: &str = "Thank you: your request to join has been received. The regional hub or a council you named \
     will look at it and write to the contact's e-mail address with their decision.";

/// The hub's administrators, and a council's administrators for applications naming their council.
fn may_decide(p: &Principal, a: &ApplicationRecord) -> bool {
    p.role == Role::Administrator
        && match p.organisation_kind {
            OrganisationKind::RegionalHub => true,
            OrganisationKind::Council => p.la_code.is_some_and(|la| a.form.councils.contains(&la)),
            _ => false,
        }
}

/// Only administrators of the hub or a council decide applications.
pub(crate) fn require_decider(p: &Principal) -> Result<(), ServiceError> {
    let kind = matches!(p.organisation_kind, OrganisationKind::RegionalHub | OrganisationKind::Council);
    if p.role == Role::Administrator && kind { Ok(()) } else { Err(ServiceError::Forbidden(Capability::ManageUsers)) }
}

fn invitation_email(
    public_url: &str,
    to: &str,
    organisation: &str,
    secret: &str,
    expires: jiff::Timestamp,
) -> NewEmail {
    let link = format!("{public_url}/invitations/{secret}");
    NewEmail {
        to: to.to_owned(),
        subject: format!("You are invited to Hearth for {organisation}"),
        body: format!(
            "{organisation} has been approved to use Hearth, the West Midlands placement portal, and you are its \
             first manager.\n\nSet your password here (the link works once, until {}):\n\n{link}\n\nThen sign in \
             with this e-mail address to add your homes. If you did not ask to join, ignore this e-mail.\n",
            when(expires)
        ),
    }
}

/// A moment as people in England read it: "16:00 on 2 December 2026".
fn when(t: jiff::Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%H:%M on %-d %B %Y").to_string()
}

impl Services {
    /// A provider asks to join (no account needed). Throttled by address; the answer does not depend
    /// on what Hearth already holds.
    #[tracing::instrument(skip_all)]
    pub async fn ask_to_join(
        &self,
        form: &ApplicationForm,
        origin: &Origin,
    ) -> Result<ApplicationReceived, ServiceError> {
        let now = self.now();
        let max = self.policy.max_applications_per_address;
        let recent = self.store.applications_from(&origin.ip, max).await?;
        let since = now.checked_sub(self.policy.application_window).unwrap_or(now);
        let in_window: Vec<_> = recent.iter().filter(|t| **t >= since).collect();
        if max == 0 || in_window.len() >= max as usize {
            let oldest = in_window.last().map_or(now, |t| **t);
            let lifts = oldest.checked_add(self.policy.application_window).unwrap_or(now);
            let secs = lifts.duration_since(now).as_secs().max(1);
            return Err(ServiceError::TooManyApplications { retry_after_secs: secs });
        }
        let parsed = form.parse()?;
        let actor = Actor {
            user: None,
            organisation: None,
            label: "ask to join".to_owned(),
            from: Some(origin.ip.clone()).filter(|s| !s.is_empty()),
        };
        let made = self.store.create_application(&actor, &parsed, &origin.ip, now).await?;
        Ok(ApplicationReceived { reference: made.id, message: RECEIVED.to_owned() })
    }

    /// The applications the caller may decide, newest first; only those with `status` when given.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn applications(
        &self,
        p: &Principal,
        status: Option<&str>,
    ) -> Result<Vec<ApplicationView>, ServiceError> {
        require_decider(p)?;
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(ApplicationStatus::parse(s)?),
            None => None,
        };
        let list = self.store.applications().await?;
        Ok(list
            .iter()
            .filter(|a| may_decide(p, a) && status.is_none_or(|s| a.status == s))
            .map(|a| ApplicationView::new(a, None))
            .collect())
    }

    /// One application (the caller's to decide), with its manager once approved.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, application = id))]
    pub async fn application(&self, p: &Principal, id: i64) -> Result<ApplicationView, ServiceError> {
        let a = self.decidable(p, id).await?;
        let manager = self.manager_of(&a).await?;
        Ok(ApplicationView::new(&a, manager.map(|m| m.0)))
    }

    async fn decidable(&self, p: &Principal, id: i64) -> Result<ApplicationRecord, ServiceError> {
        require_decider(p)?;
        let a = self.store.application(id).await?;
        if may_decide(p, &a) { Ok(a) } else { Err(ServiceError::NotFound(format!("application {id}"))) }
    }

    async fn manager_of(&self, a: &ApplicationRecord) -> Result<Option<hearth_domain::UserId>, ServiceError> {
        let Some(org) = a.organisation else { return Ok(None) };
        let people = self.store.accounts_of(org).await?;
        Ok(people.iter().find(|u| u.user.email == a.form.contact_email).or(people.first()).map(|u| u.user.id))
    }

    /// Approves an application: makes the provider organisation and its first manager, and e-mails the
    /// manager a one-time link to set their password (through the outbox).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, application = id))]
    pub async fn approve_application(
        &self,
        p: &Principal,
        id: i64,
        origin: &Origin,
    ) -> Result<ApplicationView, ServiceError> {
        let a = self.decidable(p, id).await?;
        if a.status != ApplicationStatus::Pending {
            return Err(ServiceError::Conflict(format!(
                "application {id} has already been {}",
                a.status.label().to_lowercase()
            )));
        }
        let now = self.now();
        let secret = new_secret();
        let expires_at = now.checked_add(self.policy.invitation_lifetime).unwrap_or(now);
        let email = invitation_email(
            &self.policy.public_url,
            a.form.contact_email.as_str(),
            &a.form.organisation_name,
            &secret,
            expires_at,
        );
        let approval = Approval {
            application: id,
            invitation: NewInvitation { token_hash: secret_hash(&secret), created_at: now, expires_at },
            email,
            at: now,
        };
        let approved = self.store.approve_application(&actor_of(p, "approve application", origin), &approval).await?;
        // The new provider is looked up from the matching index's copy of the organisations.
        self.load_supply().await?;
        Ok(ApplicationView::new(&approved.application, Some(approved.manager.0)))
    }

    /// Refuses an application with a reason, which the contact is told by e-mail.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, application = id))]
    pub async fn refuse_application(
        &self,
        p: &Principal,
        id: i64,
        reason: &str,
        origin: &Origin,
    ) -> Result<ApplicationView, ServiceError> {
        let a = self.decidable(p, id).await?;
        let reason = reason.trim();
        hearth_domain::text::check("reason", reason, hearth_domain::text::Shape::Paragraphs, 2000)?;
        if reason.is_empty() {
            return Err(DomainError::new("reason", "say why the application is refused; the provider is told").into());
        }
        if a.status != ApplicationStatus::Pending {
            return Err(ServiceError::Conflict(format!(
                "application {id} has already been {}",
                a.status.label().to_lowercase()
            )));
        }
        let email = NewEmail {
            to: a.form.contact_email.as_str().to_owned(),
            subject: format!("Your request to join Hearth for {}", a.form.organisation_name),
            body: format!(
                "Your request for {} to join Hearth, the West Midlands placement portal, has been refused.\n\n\
                 The reason given:\n\n{reason}\n\nYou may ask to join again once this is put right.\n",
                a.form.organisation_name
            ),
        };
        let refused = self
            .store
            .refuse_application(&actor_of(p, "refuse application", origin), id, reason, &email, self.now())
            .await?;
        Ok(ApplicationView::new(&refused, None))
    }

    /// Sends an approved application's manager a new invitation (the old link stops working), for a
    /// link that expired or was lost before it was used.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, application = id))]
    pub async fn reinvite(&self, p: &Principal, id: i64, origin: &Origin) -> Result<ApplicationView, ServiceError> {
        let a = self.decidable(p, id).await?;
        let manager = match (a.status, self.manager_of(&a).await?) {
            (ApplicationStatus::Approved, Some(m)) => m,
            _ => {
                return Err(ServiceError::Conflict(format!(
                    "application {id} is not approved, so there is nobody to invite"
                )));
            }
        };
        let account = self.store.account(manager).await?;
        if account.password_hash.is_some() {
            return Err(ServiceError::Conflict(
                "the manager has already set their password; they can sign in, or their administrator can help".into(),
            ));
        }
        if !account.active {
            return Err(ServiceError::Conflict("the manager's account has been deactivated".into()));
        }
        let now = self.now();
        let secret = new_secret();
        let expires_at = now.checked_add(self.policy.invitation_lifetime).unwrap_or(now);
        let email = invitation_email(
            &self.policy.public_url,
            account.user.email.as_str(),
            &a.form.organisation_name,
            &secret,
            expires_at,
        );
        let invitation = NewInvitation { token_hash: secret_hash(&secret), created_at: now, expires_at };
        self.store.reinvite(&actor_of(p, "send invitation", origin), manager, Some(id), &invitation, &email).await?;
        Ok(ApplicationView::new(&a, Some(manager.0)))
    }

    /// Checks an invitation link; says in words why one cannot be used.
    async fn live_invitation(
        &self,
        secret: &str,
    ) -> Result<(hearth_store::InvitationRecord, hearth_store::Account), ServiceError> {
        let refuse = |r: InvitationRefusal| ServiceError::Invalid(DomainError::new("token", r.words()).into());
        hearth_domain::text::check_line("token", secret)?;
        let shaped = secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit());
        if !shaped {
            return Err(refuse(InvitationRefusal::Unknown));
        }
        let invitation =
            self.store.invitation_by_hash(&secret_hash(secret)).await?.ok_or(refuse(InvitationRefusal::Unknown))?;
        if invitation.used_at.is_some() {
            return Err(refuse(InvitationRefusal::Used));
        }
        if self.now() >= invitation.expires_at {
            return Err(refuse(InvitationRefusal::Expired));
        }
        let account = self.store.account(invitation.user).await?;
        if !account.active {
            return Err(refuse(InvitationRefusal::Deactivated));
        }
        Ok((invitation, account))
    }

    /// Whose an invitation link is, if it can still be used.
    #[tracing::instrument(skip_all)]
    pub async fn invitation(&self, secret: &str) -> Result<InvitationView, ServiceError> {
        let (invitation, account) = self.live_invitation(secret).await?;
        let organisation_name = self.organisation(account.user.organisation).await.map(|o| o.name).unwrap_or_default();
        Ok(InvitationView {
            email: account.user.email.as_str().to_owned(),
            display_name: account.user.display_name,
            organisation_name,
            expires_at: invitation.expires_at.to_string(),
        })
    }

    /// Uses an invitation link to set the invited person's password, once. They then sign in as anyone
    /// does.
    #[tracing::instrument(skip_all)]
    pub async fn accept_invitation(
        &self,
        secret: &str,
        password: &str,
        origin: &Origin,
    ) -> Result<InvitationView, ServiceError> {
        let (invitation, account) = self.live_invitation(secret).await?;
        let organisation_name = self.organisation(account.user.organisation).await.map(|o| o.name).unwrap_or_default();
        let view = InvitationView {
            email: account.user.email.as_str().to_owned(),
            display_name: account.user.display_name.clone(),
            organisation_name,
            expires_at: invitation.expires_at.to_string(),
        };
        let mut errors = ValidationErrors::default();
        crate::admin::check_password(password, &mut errors);
        if let Err(e) = hearth_domain::text::check("password", password, hearth_domain::text::Shape::Line, 1000) {
            errors.push(e);
        }
        errors.into_result()?;
        let pw = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??;
        let actor = Actor {
            user: Some(account.user.id),
            organisation: Some(account.user.organisation),
            label: account.user.email.as_str().to_owned(),
            from: Some(origin.ip.clone()).filter(|s| !s.is_empty()),
        };
        match self.store.accept_invitation(&actor, invitation.id, account.user.id, &hash, self.now()).await {
            Err(hearth_store::StoreError::Conflict(m)) => {
                Err(ServiceError::Invalid(DomainError::new("token", m).into()))
            }
            other => other.map_err(ServiceError::from),
        }?;
        self.auth_cache.forget_user(account.user.id);
        Ok(view)
    }

    /// The caller's own provider organisation: what it told Hearth when it joined, its framework lots,
    /// its people and how many homes it runs.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn our_organisation(&self, p: &Principal) -> Result<OurOrganisation, ServiceError> {
        if p.organisation_kind != OrganisationKind::Provider {
            return Err(ServiceError::Forbidden(Capability::ManageHomes));
        }
        let org = self.organisation(p.organisation).await?;
        let application = self.store.application_of(p.organisation).await?;
        let framework_lots = self
            .store
            .framework_lots()
            .await?
            .into_iter()
            .filter(|(o, _)| *o == p.organisation)
            .map(|(_, k)| k.code().to_owned())
            .collect();
        let people = self
            .store
            .accounts_of(p.organisation)
            .await?
            .into_iter()
            .filter(|a| a.active)
            .map(|a| (a.user.display_name, a.user.role.label().to_owned()))
            .collect();
        let homes = self.store.homes().await?.iter().filter(|h| h.provider == p.organisation && h.active).count();
        Ok(OurOrganisation {
            id: org.id.0,
            name: org.name,
            company_number: application.as_ref().map(|a| a.form.company_number.clone()),
            urn: application.as_ref().and_then(|a| a.form.urn.clone()),
            councils: application
                .map(|a| a.form.councils.iter().map(|c| CouncilRef { la_code: *c, name: council_name(*c) }).collect())
                .unwrap_or_default(),
            framework_lots,
            people,
            homes,
        })
    }
}

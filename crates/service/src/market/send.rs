//! Sending a referral: to chosen providers, to every fitting provider, or by the council's cascade.
//! Only providers with a home that passes the matching engine's hard rules ever receive it.

use super::notify::{Message, describe, when};
use super::views::{RecipientView, SendRequest, SendingView};
use crate::auth::{Origin, actor_of};
use crate::matching::Fitting;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::audit::Actor;
use hearth_domain::contract::ContractTier;
use hearth_domain::dispatch::{SendMode, cascade_steps, step_deadline};
use hearth_domain::referral::{Referral, ReferralAction, ReferralStatus};
use hearth_domain::{DomainError, OrganisationId, ReferralId};
use hearth_store::{NewSending, Sending};
use std::collections::BTreeSet;

impl Services {
    /// Sends one of the council's referrals. A draft is submitted on the way; a closed referral is a
    /// conflict. Providers that already have the referral are not sent it twice.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn send_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        req: &SendRequest,
        origin: &Origin,
    ) -> Result<SendingView, ServiceError> {
        let mut r = self.own_referral(p, id, Capability::EditReferrals).await?;
        let mode = SendMode::parse(&req.mode)?;
        // A draft is opened by sending it (below); anything else must still be live.
        if r.status != ReferralStatus::Draft {
            r.status.check_live(id, ReferralAction::Send)?;
        }
        let fitting = self.fitting(id).await?;
        if fitting.is_empty() {
            return Err(ServiceError::Conflict(format!(
                "no home passes the hard rules for referral {id} today, so there is nobody to send it to; \
                 check the referral's needs and dates, or record it as unmet need"
            )));
        }
        let (step, providers) = match mode {
            SendMode::Chosen => (None, chosen(&fitting, &req.providers)?),
            SendMode::AllFitting => (None, providers_of(&fitting, None)),
            SendMode::Cascade => {
                if self.store.open_sending_of(id).await?.is_some_and(|s| s.mode == SendMode::Cascade) {
                    return Err(ServiceError::Conflict(format!(
                        "referral {id} is already being sent by the cascade; Hearth opens each step in turn"
                    )));
                }
                let steps = cascade_steps(fitting.iter().map(|f| f.view.tier));
                let first = steps.first().copied().unwrap_or(ContractTier::Spot);
                (Some(first), providers_of(&fitting, Some(first)))
            }
        };
        if r.status == ReferralStatus::Draft {
            let actor = actor_of(p, "submit referral", origin);
            r = self
                .store
                .transition_referral(&actor, id, ReferralStatus::Draft, ReferralStatus::Open, self.now())
                .await?;
        }
        let actor = actor_of(p, "send referral", origin);
        let sending = self.open_sending(&actor, &r, mode, step, providers, None).await?;
        let views = self.sending_views(id).await?;
        views.into_iter().find(|v| v.id == sending.id).ok_or_else(|| ServiceError::Internal("sending lost".into()))
    }

    /// Every sending of a council's referral, oldest first, with the providers each reached.
    /// Which providers were sent it is the council's business: a provider is told it is not found,
    /// as for any referral it may not see in full.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn sendings(&self, p: &Principal, id: ReferralId) -> Result<Vec<SendingView>, ServiceError> {
        if p.organisation_kind == hearth_domain::org::OrganisationKind::Provider {
            p.require(Capability::ViewSentReferrals).map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
            return Err(ServiceError::NotFound(format!("referral {id}")));
        }
        self.own_referral(p, id, Capability::ViewReferrals).await?;
        self.sending_views(id).await
    }

    /// A provider belongs to the sending that first reached it: the one opened when it was sent.
    async fn sending_views(&self, id: ReferralId) -> Result<Vec<SendingView>, ServiceError> {
        let recipients = self.store.recipients_of(id).await?;
        let mut views = Vec::new();
        for s in self.store.sendings_of(id).await? {
            let mut view = SendingView::from(&s);
            for rec in recipients.iter().filter(|r| r.sent_at == s.opened_at) {
                let name = self.organisation(rec.provider).await.map(|o| o.name).unwrap_or_default();
                view.recipients.push(RecipientView { provider: rec.provider.0, name, sent_at: rec.sent_at });
            }
            views.push(view);
        }
        Ok(views)
    }

    /// Opens a sending to `providers` with its deadline, telling each provider (and, when `manager_note`
    /// is given, the council's team managers: the cascade moved on without them).
    pub(crate) async fn open_sending(
        &self,
        actor: &Actor,
        r: &Referral,
        mode: SendMode,
        step: Option<ContractTier>,
        providers: Vec<OrganisationId>,
        manager_note: Option<&str>,
    ) -> Result<Sending, ServiceError> {
        let now = self.now();
        let due_at = step_deadline(r.urgency, mode, now, &self.deadlines);
        let what = describe(r, &self.ages_of(r).await?);
        let subject = format!("New {what}");
        let body = format!(
            "Hearth has sent you {what}.\n\nRead the referral and answer with an offer or a decline by {}:\n\
             /referrals/{}\n\nThis e-mail names no child; the referral is in Hearth.\n",
            when(due_at),
            r.id
        );
        let mut msg = Message::default();
        for org in &providers {
            let emails = self.responders(*org).await?;
            msg.tell_organisation(*org, &emails, &subject, &body);
        }
        if let Some(note) = manager_note
            && let Some(council) = self.council_organisation(r.la_code).await?
        {
            let managers = self.emails_of(council, &[hearth_domain::org::Role::TeamManager]).await?;
            let subject = format!("Cascade moved on: {what}");
            msg.tell_organisation(council, &managers, &subject, &format!("{note}\n\n/referrals/{}\n", r.id));
        }
        let new = NewSending { mode, step, opened_at: now, due_at, providers };
        Ok(self.store.open_sending(actor, r.id, &new, &msg.into_notify()).await?)
    }
}

/// The distinct providers of the fitting homes (of one tier, when given), best-ranked first.
pub(crate) fn providers_of(fitting: &[Fitting], tier: Option<ContractTier>) -> Vec<OrganisationId> {
    let mut seen = BTreeSet::new();
    fitting
        .iter()
        .filter(|f| tier.is_none_or(|t| f.view.tier == t))
        .filter(|f| seen.insert(f.provider))
        .map(|f| f.provider)
        .collect()
}

/// The officer's choice, each checked against the fitting homes.
fn chosen(fitting: &[Fitting], ids: &[i64]) -> Result<Vec<OrganisationId>, ServiceError> {
    if ids.is_empty() {
        return Err(DomainError::new("providers", "choose at least one provider from the matches").into());
    }
    let fits = providers_of(fitting, None);
    let mut out = Vec::new();
    let mut errs = hearth_domain::ValidationErrors::default();
    for id in ids {
        let org = OrganisationId(*id);
        if !fits.contains(&org) {
            errs.push(DomainError::new(
                "providers",
                format!(
                    "provider {id} has no home that could meet this referral (the hard rules of matching), \
                     so it cannot be sent it"
                ),
            ));
        } else if !out.contains(&org) {
            out.push(org);
        }
    }
    errs.into_result()?;
    Ok(out)
}

//! Individual Placement Agreements: read, re-issued as a new version when terms change, signed by
//! each party over the hash of the exact text, downloaded as a document.

use super::accept::agreement_terms;
use super::notify::Message;
use super::views::{AgreementChange, AgreementView, SignInput};
use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::agreement::{Agreement, Party, Signature, render};
use hearth_domain::offer::{Offer, OfferStatus};
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::Referral;
use hearth_domain::text::Shape;
use hearth_domain::{DomainError, ReferralId};

impl Services {
    /// Every version of a referral's agreement: for its council, and for the provider whose offer was
    /// accepted. Reading one is audited (it names the children).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn agreements(
        &self,
        p: &Principal,
        id: ReferralId,
        origin: &Origin,
    ) -> Result<Vec<AgreementView>, ServiceError> {
        self.agreement_party(p, id).await?;
        self.store
            .record_read(
                &actor_of(p, "read agreements", origin),
                "agreement.read",
                "referral",
                &id.to_string(),
                self.now(),
            )
            .await?;
        Ok(self.store.agreements_of(id).await?.into_iter().map(AgreementView::from).collect())
    }

    /// One version as a document a person can read: its text and who signed it when.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, agreement))]
    pub async fn agreement_document(
        &self,
        p: &Principal,
        agreement: i64,
        origin: &Origin,
    ) -> Result<(String, String), ServiceError> {
        let a = self.agreement_record(agreement).await?;
        self.agreement_party(p, a.referral).await.map_err(|e| renamed(e, agreement))?;
        self.store
            .record_read(
                &actor_of(p, "download agreement", origin),
                "agreement.read",
                "agreement",
                &agreement.to_string(),
                self.now(),
            )
            .await?;
        let mut doc = a.text.clone();
        doc.push_str(&format!("\nSHA-256 of the text above: {}\n", a.text_hash));
        for s in &a.signatures {
            doc.push_str(&format!(
                "Signed for {} by {} at {} (text hash {})\n",
                s.party.label().to_lowercase(),
                s.name,
                s.at,
                s.text_hash
            ));
        }
        if !a.is_locked() {
            doc.push_str("Not yet signed by both parties.\n");
        }
        if a.superseded {
            doc.push_str("A newer version replaces this one.\n");
        }
        Ok((format!("placement-agreement-{}-v{}.txt", a.referral, a.version), doc))
    }

    /// A new version with changed terms (the council's), to be signed again by both.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn change_agreement(
        &self,
        p: &Principal,
        id: ReferralId,
        change: &AgreementChange,
        origin: &Origin,
    ) -> Result<AgreementView, ServiceError> {
        let r = self.own_referral(p, id, Capability::EditReferrals).await?;
        let notes = change.notes.trim();
        if notes.is_empty() {
            return Err(DomainError::new("notes", "say what changes in this version").into());
        }
        // The notes become part of the text both parties sign by its hash.
        hearth_domain::text::check("notes", notes, Shape::Signed, hearth_domain::offer::MAX_TEXT)?;
        let offer = self.accepted_offer(&r).await?;
        let version = self.store.agreements_of(id).await?.iter().map(|a| a.version).max().unwrap_or(0) + 1;
        let mut children = Vec::new();
        for c in &r.children {
            children.push(self.store.child_unaudited(*c).await?);
        }
        let home = self.store.home(offer.home).await?;
        let provider = self.organisation(offer.provider).await?;
        let terms = agreement_terms(
            &r,
            &offer,
            &children,
            &home,
            &provider,
            hearth_domain::council::council_name(r.la_code),
            notes,
        );
        let actor = actor_of(p, "change agreement", origin);
        let a = self.store.create_agreement(&actor, id, offer.id, &render(&terms, version), self.now()).await?;
        Ok(AgreementView::from(a))
    }

    /// Signs a version for the caller's side, over the hash of the text they read.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, agreement))]
    pub async fn sign_agreement(
        &self,
        p: &Principal,
        agreement: i64,
        input: &SignInput,
        origin: &Origin,
    ) -> Result<AgreementView, ServiceError> {
        let a = self.agreement_record(agreement).await?;
        let party = self.agreement_party(p, a.referral).await.map_err(|e| renamed(e, agreement))?;
        let needed = match party {
            Party::Council => Capability::EditReferrals,
            Party::Provider => Capability::RespondToReferrals,
        };
        p.require(needed).map_err(|d| ServiceError::denied(d, format!("agreement {agreement}")))?;
        a.check_signature(party, input.text_hash.trim())?;
        let account = self.store.account(p.user).await?;
        let signature = Signature {
            party,
            user: p.user,
            organisation: p.organisation,
            name: account.user.display_name.clone(),
            at: self.now(),
            text_hash: a.text_hash.clone(),
        };
        let msg = self.signing_news(&a, party).await?;
        let actor = actor_of(p, "sign agreement", origin);
        Ok(AgreementView::from(self.store.sign_agreement(&actor, agreement, &signature, &msg.into_notify()).await?))
    }

    /// The other side hears that one side signed.
    async fn signing_news(&self, a: &Agreement, signed: Party) -> Result<Message, ServiceError> {
        let mut msg = Message::default();
        let r = self.store.referral_unaudited(a.referral).await?;
        let subject = format!(
            "Placement agreement for referral {} (version {}) signed by {}",
            a.referral,
            a.version,
            signed.label().to_lowercase()
        );
        let body = format!("Read and sign it: /referrals/{}/agreements\n", a.referral);
        match signed {
            Party::Council => {
                let offer = self.store.offer(a.offer).await?;
                msg.tell_organisation(offer.provider, &self.responders(offer.provider).await?, &subject, &body);
            }
            Party::Provider => {
                if let Some(council) = self.council_organisation(r.la_code).await? {
                    self.tell_referrer(&mut msg, &r, council, &subject, &body).await?;
                }
            }
        }
        Ok(msg)
    }

    /// Which side of a referral's agreement the caller is on: its council, or the provider whose offer
    /// was accepted. Anyone else is told it does not exist.
    async fn agreement_party(&self, p: &Principal, id: ReferralId) -> Result<Party, ServiceError> {
        let what = format!("referral {id}");
        if p.organisation_kind == OrganisationKind::Council {
            // Another council's agreement reads as missing whatever the role, like a missing one.
            let r = self.store.referral_unaudited(id).await?;
            p.require_council_record(Capability::ViewReferrals, r.la_code)
                .map_err(|d| ServiceError::denied(d, what.clone()))?;
            return Ok(Party::Council);
        }
        p.require(Capability::ViewSentReferrals).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let recipient =
            self.store.recipient(id, p.organisation).await?.ok_or_else(|| ServiceError::NotFound(what.clone()))?;
        if recipient.offer_accepted { Ok(Party::Provider) } else { Err(ServiceError::NotFound(what)) }
    }

    async fn agreement_record(&self, id: i64) -> Result<Agreement, ServiceError> {
        match self.store.agreement(id).await {
            Err(hearth_store::StoreError::NotFound { .. }) => Err(ServiceError::NotFound(format!("agreement {id}"))),
            other => Ok(other?),
        }
    }

    async fn accepted_offer(&self, r: &Referral) -> Result<Offer, ServiceError> {
        self.store
            .offers_of(r.id)
            .await?
            .into_iter()
            .find(|o| o.status == OfferStatus::Accepted)
            .ok_or_else(|| ServiceError::Conflict(format!("referral {} has no accepted offer to agree", r.id)))
    }
}

/// A referral the caller may not see reads as the agreement not existing.
fn renamed(e: ServiceError, agreement: i64) -> ServiceError {
    match e {
        ServiceError::NotFound(_) => ServiceError::NotFound(format!("agreement {agreement}")),
        other => other,
    }
}

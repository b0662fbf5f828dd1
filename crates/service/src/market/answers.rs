//! Providers' answers: an offer of a home (pre-filled from the home's profile) or a decline with a
//! reason, withdrawing an offer, and a provider's live offers. The council sees every answer side by
//! side; a provider its own.

use super::notify::{Message, describe, when};
use super::views::{AnswersView, DeclineView, HomeChoices, OfferFormView, OfferView, SendingView};
use crate::auth::{Origin, actor_of};
use crate::matching::Fitting;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::offer::{DeclineInput, Offer, OfferDefaults, OfferInput};
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{Referral, ReferralAction};
use hearth_domain::{DomainError, HomeId, OfferId, ReferralId, VacancyId};
use hearth_store::StoreError;
use jiff::Timestamp;

impl Services {
    /// What an offer of `home` would start with: the price the council would pay (its contract's, or
    /// the home's asking price) and the later of the date needed and the date the place is free.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0, home = home.0))]
    pub async fn offer_form(&self, p: &Principal, id: ReferralId, home: HomeId) -> Result<OfferFormView, ServiceError> {
        let (r, due_at) = self.answerable(p, id).await?;
        let fit = self.fitting_home(p, &r, home).await?;
        let defaults = self.offer_defaults(&r, &fit).await?;
        Ok(OfferFormView {
            referral: id.0,
            home: home.0,
            home_name: fit.view.name.clone(),
            vacancy: fit.view.vacancy,
            weekly_price: defaults.weekly_price.pounds(),
            start: defaults.start,
            due_at,
        })
    }

    /// Which of the caller's homes could be offered on a referral sent to it: those that pass every
    /// hard rule, best first (the council's ranking, with its reasons), and the others with the first
    /// rule each fails, so a provider never has to guess which home fits. For a provider the referral
    /// was sent to (a council team answering for its in-house homes alike); anyone else is told it is
    /// not found.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn home_choices(&self, p: &Principal, id: ReferralId) -> Result<HomeChoices, ServiceError> {
        let what = format!("referral {id}");
        p.require(Capability::RespondToReferrals).map_err(|d| ServiceError::denied(d, what.clone()))?;
        self.store.recipient(id, p.organisation).await?.ok_or(ServiceError::NotFound(what))?;
        let considered = self.fitting(id).await?;
        let total = considered.len();
        let fitting = considered.into_iter().filter(|f| f.provider == p.organisation).map(|f| f.view).collect();
        let unfit = self.unfit_homes(id, p.organisation).await?;
        Ok(HomeChoices { referral: id.0, fitting, considered: total, unfit })
    }

    /// A provider offers one of its homes for a referral sent to it.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn make_offer(
        &self,
        p: &Principal,
        id: ReferralId,
        input: &OfferInput,
        origin: &Origin,
    ) -> Result<OfferView, ServiceError> {
        let (r, _) = self.answerable(p, id).await?;
        let fit = self.fitting_home(p, &r, HomeId(input.home)).await?;
        let defaults = self.offer_defaults(&r, &fit).await?;
        let mut draft = input.parse(defaults, self.today())?;
        draft.terms.vacancy = match input.vacancy {
            Some(v) => Some(self.vacancy_for(&r, fit.home, VacancyId(v)).await?),
            None => fit.view.vacancy.map(VacancyId),
        };
        let what = describe(&r, &self.ages_of(&r).await?);
        // The notice is this line alone: it names who offered, so the officer knows without opening it.
        let subject = format!("Offer on {what} from {}", fit.view.provider);
        let body = format!(
            "{} offered {} at £{} a week from {}.\n\nCompare the offers: /referrals/{}/offers\n",
            fit.view.provider,
            fit.view.name,
            draft.weekly_price.pounds(),
            draft.start,
            r.id
        );
        let mut msg = Message::default();
        if let Some(council) = self.council_organisation(r.la_code).await? {
            self.tell_referrer(&mut msg, &r, council, &subject, &body).await?;
        }
        let actor = actor_of(p, "make offer", origin);
        let offer = self.store.make_offer(&actor, id, p.organisation, &draft, self.now(), &msg.into_notify()).await?;
        self.offer_view(&offer, r.la_code, None).await
    }

    /// A provider takes back a live offer.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, offer = id.0))]
    pub async fn withdraw_offer(&self, p: &Principal, id: OfferId, origin: &Origin) -> Result<OfferView, ServiceError> {
        p.require(Capability::RespondToReferrals).map_err(|d| ServiceError::denied(d, format!("offer {id}")))?;
        let offer = self.store.offer(id).await?;
        if offer.provider != p.organisation {
            return Err(ServiceError::NotFound(format!("offer {id}")));
        }
        let r = self.store.referral_unaudited(offer.referral).await?;
        let mut msg = Message::default();
        if let Some(council) = self.council_organisation(r.la_code).await? {
            let what = describe(&r, &self.ages_of(&r).await?);
            let subject = format!("Offer {id} withdrawn on {what}");
            let body = format!("The provider withdrew offer {id}.\n\n/referrals/{}/offers\n", r.id);
            self.tell_referrer(&mut msg, &r, council, &subject, &body).await?;
        }
        let actor = actor_of(p, "withdraw offer", origin);
        let offer = self.store.withdraw_offer(&actor, id, p.organisation, self.now(), &msg.into_notify()).await?;
        self.offer_view(&offer, r.la_code, None).await
    }

    /// A provider declines a referral sent to it, with a reason commissioners count.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn decline_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        input: &DeclineInput,
        origin: &Origin,
    ) -> Result<DeclineView, ServiceError> {
        let (r, _) = self.answerable(p, id).await?;
        let (reason, note) = input.parse()?;
        let provider = self.organisation(p.organisation).await?;
        let mut msg = Message::default();
        if let Some(council) = self.council_organisation(r.la_code).await? {
            let what = describe(&r, &self.ages_of(&r).await?);
            let subject = format!("{} declined {what}", provider.name);
            let body = format!("Reason: {}. {note}\n\n/referrals/{}/offers\n", reason.label(), r.id);
            self.tell_referrer(&mut msg, &r, council, &subject, &body).await?;
        }
        let actor = actor_of(p, "decline referral", origin);
        let d = self.store.decline(&actor, id, p.organisation, reason, &note, self.now(), &msg.into_notify()).await?;
        Ok(DeclineView::of(&d, provider.name))
    }

    /// The answers on a referral: all of them, with prices against the contract and the region and
    /// each home's ranking, for its council; a provider's own for a provider it was sent to.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn answers(&self, p: &Principal, id: ReferralId) -> Result<AnswersView, ServiceError> {
        let what = format!("referral {id}");
        let (r, council_view) = if p.organisation_kind == OrganisationKind::Council
            && p.la_code.is_some()
            && p.can(Capability::ViewReferrals)
        {
            (self.own_referral(p, id, Capability::ViewReferrals).await?, true)
        } else {
            p.require(Capability::ViewSentReferrals)
                .or_else(|_| p.require(Capability::RespondToReferrals))
                .map_err(|d| ServiceError::denied(d, what.clone()))?;
            let r = self.store.referral_unaudited(id).await?;
            self.store.recipient(id, p.organisation).await?.ok_or(ServiceError::NotFound(what))?;
            (r, false)
        };
        let fitting = if council_view && !r.status.is_closed() { self.fitting(id).await? } else { Vec::new() };
        let mut offers = Vec::new();
        for o in self.store.offers_of(id).await? {
            if council_view || o.provider == p.organisation {
                let ranking = fitting.iter().find(|f| f.home == o.home).map(|f| f.view.clone());
                offers.push(self.offer_view(&o, r.la_code, ranking).await?);
            }
        }
        let mut declines = Vec::new();
        for d in self.store.declines_of(id).await? {
            if council_view || d.provider == p.organisation {
                let name = self.organisation(d.provider).await.map(|o| o.name).unwrap_or_default();
                declines.push(DeclineView::of(&d, name));
            }
        }
        let sending = self.store.open_sending_of(id).await?.as_ref().map(SendingView::from);
        Ok(AnswersView { referral: id.0, status: r.status, sending, offers, declines })
    }

    /// A referral sent to the caller's organisation that still takes answers, and the deadline that
    /// applies to it. Late answers are refused: the cascade has moved on, or the officer is deciding.
    async fn answerable(&self, p: &Principal, id: ReferralId) -> Result<(Referral, Option<Timestamp>), ServiceError> {
        let what = format!("referral {id}");
        p.require(Capability::RespondToReferrals).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let r = self.store.referral_unaudited(id).await?;
        let recipient = self.store.recipient(id, p.organisation).await?.ok_or(ServiceError::NotFound(what))?;
        r.status.check_live(id, ReferralAction::Answer)?;
        // The sending that first reached this provider opened when it was sent the referral.
        let due_at =
            self.store.sendings_of(id).await?.into_iter().rfind(|s| s.opened_at <= recipient.sent_at).map(|s| s.due_at);
        if let Some(due) = due_at
            && self.now() > due
        {
            return Err(ServiceError::Conflict(format!(
                "answers to referral {id} were due by {}; that deadline has passed",
                when(due)
            )));
        }
        Ok((r, due_at))
    }

    /// The caller's home, if it passes the hard rules for the referral: a home without a free place
    /// is a conflict (open a vacancy first); one that cannot meet the referral is invalid.
    async fn fitting_home(&self, p: &Principal, r: &Referral, home: HomeId) -> Result<Fitting, ServiceError> {
        let h = match self.store.home(home).await {
            Ok(h) if h.provider == p.organisation => h,
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                return Err(DomainError::new("home", format!("home {home} is not one of your homes")).into());
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(fit) = self.fitting(r.id).await?.into_iter().find(|f| f.home == home) {
            return Ok(fit);
        }
        let open_places = self.free_places(home).await?;
        if open_places < r.children.len() as u32 {
            return Err(ServiceError::Conflict(format!(
                "{} has no vacancy open for {} child(ren); open a vacancy before offering it",
                h.name,
                r.children.len()
            )));
        }
        Err(DomainError::new(
            "home",
            format!("{} does not meet this referral's hard rules (age, sex, needs, dates or type of home)", h.name),
        )
        .into())
    }

    async fn offer_defaults(&self, r: &Referral, fit: &Fitting) -> Result<OfferDefaults, ServiceError> {
        let free_from = match fit.view.vacancy {
            Some(v) => self.store.vacancy(VacancyId(v)).await?.available_from,
            None => r.needed_from,
        };
        let weekly_price = hearth_domain::home::WeeklyPrice::new(i64::from(fit.view.weekly_price))?;
        Ok(OfferDefaults { weekly_price, start: r.needed_from.max(free_from) })
    }

    /// A named vacancy must be the home's, with room for every child.
    async fn vacancy_for(&self, r: &Referral, home: HomeId, id: VacancyId) -> Result<VacancyId, ServiceError> {
        let v = match self.store.vacancy(id).await {
            Ok(v) if v.home == home => v,
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                return Err(DomainError::new("vacancy", format!("vacancy {id} is not a vacancy of home {home}")).into());
            }
            Err(e) => return Err(e.into()),
        };
        if usize::from(v.places) < r.children.len() {
            return Err(ServiceError::Conflict(format!(
                "vacancy {id} has {} free place(s); the referral needs {}",
                v.places,
                r.children.len()
            )));
        }
        Ok(id)
    }

    pub(crate) async fn offer_view(
        &self,
        o: &Offer,
        la_code: u16,
        ranking: Option<crate::matching::MatchView>,
    ) -> Result<OfferView, ServiceError> {
        let home = self.store.home(o.home).await?;
        let provider = self.organisation(o.provider).await?;
        let (tier, contract) = self.contract_terms(&home, la_code).await?;
        let mut view = OfferView::base(o, provider.name, home.name.clone(), tier);
        view.contract_price = contract.map(|c| c.pounds());
        view.regional_median = self.median_price(home.kind).await?;
        view.ranking = ranking;
        Ok(view)
    }
}

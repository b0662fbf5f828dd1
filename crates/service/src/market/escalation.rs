//! The escalation job: for every open sending whose deadline has passed (or whose providers have all
//! answered) without a live offer, open the cascade's next step, mark the referral unmet when nobody
//! is left to ask, or tell the officer and team manager that chosen providers did not answer.
//!
//! Idempotent: each decision is re-read from the database, and each store call re-checks in its
//! transaction, so running the job twice, or in two processes, does nothing twice. Time comes from the
//! service's clock, so tests drive it by hand.

use super::notify::{Message, describe};
use super::send::providers_of;
use crate::{ServiceError, Services};
use hearth_domain::audit::Actor;
use hearth_domain::dispatch::{Escalation, SendMode, SendingState, cascade_steps};
use hearth_domain::org::Role;
use hearth_domain::referral::Referral;
use hearth_store::OpenSending;
use serde::Serialize;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EscalationReport {
    /// Open sendings looked at.
    pub checked: usize,
    /// Cascade steps opened.
    pub next_steps: usize,
    /// Referrals marked unmet.
    pub unmet: usize,
    /// Overdue sendings reported to the officer and team manager.
    pub overdue: usize,
}

fn job() -> Actor {
    Actor { user: None, organisation: None, label: "escalation job".to_owned(), from: None }
}

impl Services {
    /// Runs the escalation rules once over every open sending.
    #[tracing::instrument(skip_all)]
    pub async fn run_escalations(&self) -> Result<EscalationReport, ServiceError> {
        let mut report = EscalationReport::default();
        for open in self.store.open_sendings().await? {
            report.checked += 1;
            if let Err(e) = self.escalate(&open, &mut report).await {
                // One referral's failure must not stop the others; the next run tries it again.
                tracing::error!(referral = open.sending.referral.0, error = %e, "escalation failed");
            }
        }
        Ok(report)
    }

    async fn escalate(&self, open: &OpenSending, report: &mut EscalationReport) -> Result<(), ServiceError> {
        let now = self.now();
        let s = &open.sending;
        let r = self.store.referral_unaudited(s.referral).await?;
        let fitting = if s.mode == SendMode::Cascade { self.fitting(r.id).await? } else { Vec::new() };
        let sent: Vec<_> = self.store.recipients_of(r.id).await?.into_iter().map(|x| x.provider).collect();
        // Later steps with somebody not yet asked.
        let later: Vec<_> = cascade_steps(fitting.iter().map(|f| f.view.tier))
            .into_iter()
            .filter(|t| s.step.is_some_and(|now| t.position() > now.position()))
            .filter(|t| providers_of(&fitting, Some(*t)).iter().any(|p| !sent.contains(p)))
            .collect();
        let state = SendingState {
            mode: s.mode,
            step: s.step,
            due_at: s.due_at,
            live_offers: open.live_offers,
            unanswered: open.unanswered,
            later_steps: later,
            overdue_told: s.overdue_told,
        };
        match state.escalation(now) {
            Escalation::Wait => {}
            Escalation::NextStep(tier) => {
                let providers: Vec<_> =
                    providers_of(&fitting, Some(tier)).into_iter().filter(|p| !sent.contains(p)).collect();
                let note = format!(
                    "No provider in the {} step made an offer in time, so Hearth has sent the referral to the {} step ({} provider(s)).",
                    s.step.map_or("previous", |t| t.label()),
                    tier.label().to_lowercase(),
                    providers.len()
                );
                self.open_sending(&job(), &r, SendMode::Cascade, Some(tier), providers, Some(&note)).await?;
                report.next_steps += 1;
            }
            Escalation::Unmet => {
                let msg = self
                    .council_news(&r, "Unmet", "Nobody Hearth could ask made an offer in time. The referral is now recorded as unmet need, which commissioners see.")
                    .await?;
                if self.store.mark_unmet(&job(), r.id, now, &msg.into_notify()).await? {
                    self.matching.forget_request(r.id);
                    report.unmet += 1;
                }
            }
            Escalation::Overdue => {
                let msg = self
                    .council_news(&r, "No answer in time", "The providers it was sent to did not answer by the deadline. Send it to more providers from the matches, or by the cascade.")
                    .await?;
                if self.store.mark_overdue(&job(), s.id, now, &msg.into_notify()).await? {
                    report.overdue += 1;
                }
            }
        }
        Ok(())
    }

    /// The referrer and the council's team managers hear the same news.
    async fn council_news(&self, r: &Referral, headline: &str, text: &str) -> Result<Message, ServiceError> {
        let mut msg = Message::default();
        let Some(council) = self.council_organisation(r.la_code).await? else { return Ok(msg) };
        let what = describe(r, &self.ages_of(r).await?);
        let subject = format!("{headline}: {what}");
        let body = format!("{text}\n\n/referrals/{}\n", r.id);
        let person = self.referrer(r).await?;
        let referrer = person.as_ref().map(|(_, e)| e.clone());
        msg.tell_person(council, person, &subject, &body);
        let managers: Vec<String> = self
            .emails_of(council, &[Role::TeamManager])
            .await?
            .into_iter()
            .filter(|e| Some(e) != referrer.as_ref())
            .collect();
        msg.email_all(&managers, &subject, &body);
        Ok(msg)
    }
}

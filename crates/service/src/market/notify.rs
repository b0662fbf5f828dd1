//! Who is told what, in words. E-mails and notices never name a child: a referral is described by
//! its number, urgency, council and the children's ages, as in the provider's minimised view, because
//! e-mail leaves Hearth and may be read on a shared screen.

use crate::{ServiceError, Services};
use hearth_domain::child::age_on;
use hearth_domain::council::council_name;
use hearth_domain::org::Role;
use hearth_domain::referral::Referral;
use hearth_domain::{OrganisationId, UserId};
use hearth_store::{NewEmail, NewNotice, Notify};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Builds the notifications of one change.
#[derive(Debug, Default)]
pub(crate) struct Message {
    notify: Notify,
}

impl Message {
    pub(crate) fn into_notify(self) -> Notify {
        self.notify
    }

    /// An e-mail to each address and one notice to the organisation.
    pub(crate) fn tell_organisation(&mut self, org: OrganisationId, emails: &[String], subject: &str, body: &str) {
        self.email_all(emails, subject, body);
        self.notify.notices.push(NewNotice { organisation: org, user: None, text: subject.to_owned() });
    }

    /// An e-mail to a person and a notice to them alone.
    pub(crate) fn tell_person(
        &mut self,
        org: OrganisationId,
        person: Option<(UserId, String)>,
        subject: &str,
        body: &str,
    ) {
        match person {
            Some((user, email)) => {
                self.email_all(&[email], subject, body);
                self.notify.notices.push(NewNotice { organisation: org, user: Some(user), text: subject.to_owned() });
            }
            None => self.notify.notices.push(NewNotice { organisation: org, user: None, text: subject.to_owned() }),
        }
    }

    pub(crate) fn email_all(&mut self, emails: &[String], subject: &str, body: &str) {
        for to in emails {
            self.notify.emails.push(NewEmail { to: to.clone(), subject: subject.to_owned(), body: body.to_owned() });
        }
    }
}

/// "same-day referral 12 from Coventry for a child aged 14": what a notice may say of a referral.
pub(crate) fn describe(r: &Referral, ages: &[i16]) -> String {
    let council = council_name(r.la_code);
    let urgency = r.urgency.label().to_lowercase();
    let children = match ages {
        [one] => format!("a child aged {one}"),
        many => {
            let list: Vec<String> = many.iter().map(ToString::to_string).collect();
            format!("{} children aged {}", many.len(), list.join(", "))
        }
    };
    format!("referral {} ({urgency}) from {council} for {children}", r.id)
}

/// A moment as people in England read it: "16:00 on 25 November 2026".
pub(crate) fn when(t: Timestamp) -> String {
    let tz = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%H:%M on %-d %B %Y").to_string()
}

impl Services {
    /// The children's ages on the referral's start date, for [`describe`].
    pub(crate) async fn ages_of(&self, r: &Referral) -> Result<Vec<i16>, ServiceError> {
        let mut ages = Vec::with_capacity(r.children.len());
        for c in &r.children {
            ages.push(age_on(self.store.child_unaudited(*c).await?.date_of_birth, r.needed_from));
        }
        Ok(ages)
    }

    /// The e-mail addresses of an organisation's active users who answer referrals for it: provider
    /// staff and managers, or a council's team managers for its in-house service.
    pub(crate) async fn responders(&self, org: OrganisationId) -> Result<Vec<String>, ServiceError> {
        let roles = [Role::ProviderStaff, Role::ProviderManager, Role::TeamManager];
        self.emails_of(org, &roles).await
    }

    pub(crate) async fn emails_of(&self, org: OrganisationId, roles: &[Role]) -> Result<Vec<String>, ServiceError> {
        Ok(self
            .store
            .accounts_of(org)
            .await?
            .into_iter()
            .filter(|a| a.active && roles.contains(&a.user.role))
            .map(|a| a.user.email.as_str().to_owned())
            .collect())
    }

    /// The officer who wrote the referral, if they are still active.
    pub(crate) async fn referrer(&self, r: &Referral) -> Result<Option<(UserId, String)>, ServiceError> {
        let Some(user) = r.created_by else { return Ok(None) };
        let account = self.store.account(user).await?;
        Ok(account.active.then(|| (user, account.user.email.as_str().to_owned())))
    }

    /// Tells the referrer, with an e-mail and a notice, and the council organisation when nobody
    /// wrote it (a loaded referral).
    pub(crate) async fn tell_referrer(
        &self,
        msg: &mut Message,
        r: &Referral,
        council: OrganisationId,
        subject: &str,
        body: &str,
    ) -> Result<(), ServiceError> {
        let person = self.referrer(r).await?;
        msg.tell_person(council, person, subject, body);
        Ok(())
    }
}

//! The [`MarketStore`](crate::MarketStore) methods both backends share, written once and stamped out per
//! pool type by `impl_market_store!`, for the same reasons as `impl_store!` (see `common.rs`), whose
//! helpers it uses (`fail`, `timed`, `begin_write`, `write_audit`/`commit_audited`, `insert_rows`,
//! `write_referral_event`); it is invoked next to `impl_store!` so that those stay private to the backend.
//!
//! Each write is one transaction holding the change, its audit line, and the e-mails and notices it
//! causes. Rows another request may change at the same moment are taken in one order everywhere (the
//! referral, then its offers, then the home, then the vacancy, then placements; see `market_sql` for how a row is
//! taken), so two requests never wait for each other in a circle, and a fact that changed first is
//! answered with a [`StoreError::Conflict`] that says what happened.

use crate::StoreError;
use hearth_domain::offer::OfferStatus;
use hearth_domain::referral::ReferralStatus;
use hearth_domain::{OfferId, ReferralId};

/// Whether a statement failed on a unique index: the race a guard cannot see coming (two inserts of
/// rows that may not coexist). Told apart by kind, never by the index's name.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

pub(crate) fn is_check_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::CheckViolation)
}

/// A referral is live, and so open to sending and answers, while it is open or has offers.
pub(crate) const fn is_live(status: ReferralStatus) -> bool {
    matches!(status, ReferralStatus::Open | ReferralStatus::Offers)
}

/// Why a change cannot be made to a referral that is no longer live: what became of it, then
/// `consequence`.
pub(crate) fn not_live(id: ReferralId, status: ReferralStatus, consequence: &str) -> StoreError {
    let what = match status {
        ReferralStatus::Draft => format!("referral {id} is still a draft and has not been sent"),
        ReferralStatus::Placed => format!("referral {id} has been placed"),
        ReferralStatus::Withdrawn => format!("referral {id} was withdrawn by the council"),
        ReferralStatus::Unmet => format!("referral {id} was closed as unmet need"),
        ReferralStatus::Open | ReferralStatus::Offers => format!("referral {id} is {}", status.label().to_lowercase()),
    };
    StoreError::Conflict(format!("{what}; {consequence}"))
}

/// Why an offer that is no longer live cannot be accepted or withdrawn.
pub(crate) fn offer_not_live(id: OfferId, status: OfferStatus) -> StoreError {
    StoreError::Conflict(match status {
        OfferStatus::Withdrawn => format!("offer {id} was withdrawn by the provider"),
        OfferStatus::Accepted => format!("offer {id} has already been accepted"),
        OfferStatus::NotChosen => format!("offer {id} was closed when another offer was accepted"),
        OfferStatus::Lapsed => format!("offer {id} lapsed when the referral ended"),
        OfferStatus::Made => format!("offer {id} changed while it was being updated; try again"),
    })
}

macro_rules! impl_market_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Takes the referral's row for the rest of the transaction (see `market_sql`); its status now.
            async fn lock_referral(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                id: hearth_domain::ReferralId,
            ) -> Result<hearth_domain::referral::ReferralStatus, crate::StoreError> {
                let status: Option<String> = sqlx::query_scalar(crate::market_sql::LOCK_REFERRAL)
                    .bind(id.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let status = status.ok_or_else(|| crate::StoreError::NotFound { what: format!("referral {id}") })?;
                hearth_domain::referral::ReferralStatus::parse(&status)
                    .map_err(|_| crate::error::unreadable("referrals.status"))
            }

            /// Moves a referral whose row this transaction holds, with its event (as `transition_referral`
            /// does); closing it sets `closed_at`.
            async fn move_referral(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::ReferralId,
                from: hearth_domain::referral::ReferralStatus,
                to: hearth_domain::referral::ReferralStatus,
                at: jiff::Timestamp,
            ) -> Result<(), crate::StoreError> {
                let moved: Option<i64> = sqlx::query_scalar(crate::sql::TRANSITION_REFERRAL)
                    .bind(to.code())
                    .bind(to.is_closed().then(|| crate::convert::timestamp_to_sql(at)))
                    .bind(id.0)
                    .bind(from.code())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                if moved.is_none() {
                    // Unreachable while the row is held; said as a conflict rather than trusted.
                    return Err(crate::StoreError::Conflict(format!(
                        "referral {id} changed while it was being updated; reload it and try again"
                    )));
                }
                Self::write_referral_event(conn, actor, id.0, Some(from), Some(to), at).await.map_err(|e| self.fail(e))
            }

            /// Queues what a change tells people, in the change's transaction, dated `at`: each e-mail is
            /// due at once.
            async fn write_notify(
                conn: &mut <$db as sqlx::Database>::Connection,
                notify: &crate::Notify,
                referral: Option<hearth_domain::ReferralId>,
                at: jiff::Timestamp,
            ) -> Result<(), sqlx::Error> {
                let at = crate::convert::timestamp_to_sql(at);
                let referral = referral.map(|r| r.0);
                Self::insert_rows(conn, crate::market_sql::INSERT_OUTBOX, &notify.emails, |b, m| {
                    b.push_bind(m.to.as_str())
                        .push_bind(m.subject.as_str())
                        .push_bind(m.body.as_str())
                        .push_bind(referral)
                        .push_bind(at)
                        .push_bind(at);
                })
                .await?;
                Self::insert_rows(conn, crate::market_sql::INSERT_NOTICES, &notify.notices, |b, n| {
                    b.push_bind(n.organisation.0)
                        .push_bind(n.user.map(|u| u.0))
                        .push_bind(referral)
                        .push_bind(n.text.as_str())
                        .push_bind(at);
                })
                .await
            }

            /// Takes the home's row and checks it has room for `children` more placed there.
            async fn hold_home_for(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                home: hearth_domain::HomeId,
                children: u16,
            ) -> Result<(), crate::StoreError> {
                let (name, occupancy) = self.lock_home(conn, home).await?;
                occupancy.check_placing(&name, children).map_err(|e| crate::StoreError::Conflict(e.message))
            }

            /// Takes `places` from a vacancy, never below zero; the places left.
            async fn take_places(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                vacancy: hearth_domain::VacancyId,
                places: u16,
            ) -> Result<u16, crate::StoreError> {
                let left: Option<i32> = sqlx::query_scalar(crate::market_sql::TAKE_PLACES)
                    .bind(vacancy.0)
                    .bind(i32::from(places))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                if let Some(left) = left {
                    return crate::rows::narrow("vacancies.places", left);
                }
                let free: Option<i32> = sqlx::query_scalar(crate::market_sql::VACANCY_PLACES)
                    .bind(vacancy.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                Err(match free {
                    None => crate::StoreError::NotFound { what: format!("vacancy {vacancy}") },
                    Some(0) => crate::StoreError::Conflict(format!(
                        "the home has no free place left: vacancy {vacancy} was filled a moment ago"
                    )),
                    Some(free) => crate::StoreError::Conflict(format!(
                        "the home has only {free} free places left in vacancy {vacancy}, and {places} are needed"
                    )),
                })
            }

            /// Ends a placement that is still open.
            async fn end_open_placement(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                id: hearth_domain::PlacementId,
                ending: &hearth_domain::placement::Ending,
            ) -> Result<hearth_domain::placement::Placement, crate::StoreError> {
                let row: Option<crate::rows::PlacementRow> = sqlx::query_as(crate::market_sql::END_PLACEMENT)
                    .bind(id.0)
                    .bind(crate::convert::date_to_sql(ending.end))
                    .bind(ending.reason_ceased.code())
                    .bind(ending.reason_change.map(|r| r.code()))
                    .bind(ending.planned)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| {
                        if crate::market_impl::is_check_violation(&e) {
                            crate::StoreError::Invalid(format!(
                                "placement {id} cannot end on {}: a placement must end after the day it started",
                                ending.end
                            ))
                        } else {
                            self.fail(e)
                        }
                    })?;
                if let Some(row) = row {
                    return row.try_into();
                }
                let end: Option<Option<time::Date>> = sqlx::query_scalar(crate::market_sql::PLACEMENT_END)
                    .bind(id.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                Err(match end {
                    None => crate::StoreError::NotFound { what: format!("placement {id}") },
                    Some(end) => crate::StoreError::Conflict(format!(
                        "placement {id} has already ended{}; reload the child's placements",
                        end.map(|d| format!(" (on {d})")).unwrap_or_default()
                    )),
                })
            }

            /// Writes a new placement (its id is the database's).
            async fn insert_placement(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                p: &hearth_domain::placement::Placement,
            ) -> Result<hearth_domain::placement::Placement, crate::StoreError> {
                use crate::convert::date_to_sql;
                let row: crate::rows::PlacementRow = sqlx::query_as(crate::market_sql::INSERT_PLACEMENT)
                    .bind(p.child.0)
                    .bind(i32::from(p.la_code))
                    .bind(p.home.map(|h| h.0))
                    .bind(p.referral.map(|r| r.0))
                    .bind(p.placement_type.code())
                    .bind(p.provider.code())
                    .bind(p.tier.map(|t| t.code()))
                    .bind(date_to_sql(p.start))
                    .bind(p.end.map(date_to_sql))
                    .bind(p.reason_ceased.map(|r| r.code()))
                    .bind(p.reason_change.map(|r| r.code()))
                    .bind(p.planned_ending)
                    .bind(p.previous.map(|r| r.0))
                    .bind(p.step_down)
                    .bind(p.postcode.as_ref().map(|c| c.as_str()))
                    .bind(p.pl_utla.as_deref())
                    .bind(p.distance.0)
                    .bind(p.weekly_cost.map(|w| crate::rows::int(w.pounds())))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.try_into()
            }

            /// One version of an agreement with its signatures.
            async fn read_agreement(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
            ) -> Result<hearth_domain::agreement::Agreement, crate::StoreError> {
                let row: Option<crate::market_rows::AgreementRow> = sqlx::query_as(crate::market_sql::AGREEMENT)
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let row = row.ok_or_else(|| crate::StoreError::NotFound { what: format!("agreement {id}") })?;
                let signatures = sqlx::query_as(Self::timed(crate::market_sql::SIGNATURES_OF_AGREEMENT))
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                crate::market_rows::agreements_with_signatures(vec![row], signatures)?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("agreement {id}") })
            }

            /// Placements by a selection taking a key as `$1` and a limit as `$2` (0: all).
            async fn read_placements(
                &self,
                sql: &'static str,
                key: i64,
                limit: u32,
            ) -> Result<Vec<hearth_domain::placement::Placement>, crate::StoreError> {
                // LIMIT wants a number on both backends: the largest one stands for "no limit".
                let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
                let rows: Vec<crate::rows::PlacementRow> =
                    sqlx::query_as(sql).bind(key).bind(limit).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }
        }

        #[async_trait::async_trait]
        impl crate::MarketStore for $store {
            async fn open_sending(
                &self,
                actor: &hearth_domain::audit::Actor,
                referral: hearth_domain::ReferralId,
                sending: &crate::NewSending,
                notify: &crate::Notify,
            ) -> Result<crate::Sending, crate::StoreError> {
                use crate::convert::timestamp_to_sql;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let status = self.lock_referral(&mut tx, referral).await?;
                if !crate::market_impl::is_live(status) {
                    return Err(crate::market_impl::not_live(
                        referral,
                        status,
                        "only an open referral, or one with offers, can be sent",
                    ));
                }
                let opened = timestamp_to_sql(sending.opened_at);
                sqlx::query(crate::market_sql::CLOSE_OPEN_SENDING)
                    .bind(referral.0)
                    .bind(opened)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let row: crate::market_rows::SendingRow = sqlx::query_as(crate::market_sql::INSERT_SENDING)
                    .bind(referral.0)
                    .bind(sending.mode.code())
                    .bind(sending.step.map(|s| s.code()))
                    .bind(opened)
                    .bind(timestamp_to_sql(sending.due_at))
                    .bind(actor.user.map(|u| u.0))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let opened_sending = crate::Sending::try_from(row)?;
                let mut added = 0;
                for provider in &sending.providers {
                    added += sqlx::query(crate::market_sql::ADD_RECIPIENT)
                        .bind(referral.0)
                        .bind(provider.0)
                        .bind(opened)
                        .bind(opened_sending.id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?
                        .rows_affected();
                }
                Self::write_notify(&mut tx, notify, Some(referral), sending.opened_at)
                    .await
                    .map_err(|e| self.fail(e))?;
                let providers: Vec<String> = sending.providers.iter().map(ToString::to_string).collect();
                let line = crate::sql::AuditLine {
                    action: "referral.send",
                    record_type: "referral",
                    record_id: Some(referral.to_string()),
                    detail: Some(format!(
                        "sending {}, mode {}, step {}, providers {} ({added} not sent it before)",
                        opened_sending.id,
                        sending.mode,
                        sending.step.map_or("none", |s| s.code()),
                        providers.join(", ")
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(opened_sending)
            }

            async fn open_sending_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Option<crate::Sending>, crate::StoreError> {
                let row: Option<crate::market_rows::SendingRow> = sqlx::query_as(crate::market_sql::OPEN_SENDING_OF)
                    .bind(referral.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn sendings_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Vec<crate::Sending>, crate::StoreError> {
                let rows: Vec<crate::market_rows::SendingRow> = sqlx::query_as(crate::market_sql::SENDINGS_OF)
                    .bind(referral.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn open_sendings(&self) -> Result<Vec<crate::OpenSending>, crate::StoreError> {
                let rows: Vec<crate::market_rows::OpenSendingRow> =
                    sqlx::query_as(Self::timed(crate::market_sql::OPEN_SENDINGS))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn mark_overdue(
                &self,
                actor: &hearth_domain::audit::Actor,
                sending: i64,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<bool, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let marked: Option<(i64, time::OffsetDateTime)> = sqlx::query_as(crate::market_sql::MARK_OVERDUE)
                    .bind(sending)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                // Told already, or closed: dropping the transaction writes nothing.
                let Some((referral, due_at)) = marked else { return Ok(false) };
                let due_at = crate::convert::timestamp_from_sql(due_at, "referral_sendings.due_at")?;
                Self::write_notify(&mut tx, notify, Some(hearth_domain::ReferralId(referral)), at)
                    .await
                    .map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "referral.overdue",
                    record_type: "referral",
                    record_id: Some(referral.to_string()),
                    detail: Some(format!("sending {sending}, due {due_at}")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(true)
            }

            async fn mark_unmet(
                &self,
                actor: &hearth_domain::audit::Actor,
                referral: hearth_domain::ReferralId,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<bool, crate::StoreError> {
                use hearth_domain::referral::ReferralStatus;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let status = self.lock_referral(&mut tx, referral).await?;
                if !crate::market_impl::is_live(status) {
                    return Ok(false);
                }
                // An offer made since the job looked means the referral has moved on: the officer has
                // something to decide on, which unmet would throw away.
                let live: i64 = sqlx::query_scalar(crate::market_sql::LIVE_OFFER_COUNT)
                    .bind(referral.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if live > 0 {
                    return Ok(false);
                }
                sqlx::query(crate::market_sql::CLOSE_OPEN_SENDING)
                    .bind(referral.0)
                    .bind(crate::convert::timestamp_to_sql(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                self.move_referral(&mut tx, actor, referral, status, ReferralStatus::Unmet, at).await?;
                Self::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "referral.unmet",
                    record_type: "referral",
                    record_id: Some(referral.to_string()),
                    detail: Some(format!("{status} -> {}", ReferralStatus::Unmet)),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(true)
            }

            async fn recipients_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Vec<crate::Recipient>, crate::StoreError> {
                let rows: Vec<crate::rows::RecipientRow> =
                    sqlx::query_as(Self::timed(crate::market_sql::RECIPIENTS_OF))
                        .bind(referral.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn make_offer(
                &self,
                actor: &hearth_domain::audit::Actor,
                referral: hearth_domain::ReferralId,
                provider: hearth_domain::OrganisationId,
                offer: &hearth_domain::offer::OfferDraft,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::offer::Offer, crate::StoreError> {
                use hearth_domain::referral::ReferralStatus;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let status = self.lock_referral(&mut tx, referral).await?;
                if !crate::market_impl::is_live(status) {
                    return Err(crate::market_impl::not_live(referral, status, "it takes no more offers"));
                }
                let sent: bool = sqlx::query_scalar(crate::market_sql::IS_RECIPIENT)
                    .bind(referral.0)
                    .bind(provider.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if !sent {
                    return Err(crate::StoreError::Conflict(format!(
                        "referral {referral} was not sent to provider {provider}; a provider can answer only the \
                         referrals sent to it"
                    )));
                }
                let pounds = offer.weekly_price.pounds();
                let row: crate::market_rows::OfferRow = sqlx::query_as(crate::market_sql::INSERT_OFFER)
                    .bind(referral.0)
                    .bind(provider.0)
                    .bind(offer.home.0)
                    .bind(crate::rows::int(pounds))
                    .bind(crate::convert::date_to_sql(offer.start))
                    .bind(crate::convert::timestamp_to_sql(at))
                    .bind(offer.terms.vacancy.map(|v| v.0))
                    .bind(offer.terms.includes.as_str())
                    .bind(offer.terms.notes.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| {
                        if crate::market_impl::is_unique_violation(&e) {
                            crate::StoreError::Conflict(format!(
                                "home {} already has a live offer on referral {referral}; withdraw it before \
                                 offering the home again",
                                offer.home
                            ))
                        } else {
                            self.fail(e)
                        }
                    })?;
                let made = hearth_domain::offer::Offer::try_from(row)?;
                let superseded = sqlx::query(crate::market_sql::SUPERSEDE_DECLINES)
                    .bind(referral.0)
                    .bind(provider.0)
                    .bind(made.id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                if status == ReferralStatus::Open {
                    self.move_referral(&mut tx, actor, referral, status, ReferralStatus::Offers, at).await?;
                }
                Self::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "offer.create",
                    record_type: "offer",
                    record_id: Some(made.id.to_string()),
                    detail: Some(format!(
                        "referral {referral}, home {}, {pounds} pounds a week{}",
                        offer.home,
                        if superseded > 0 { ", superseding the provider's decline" } else { "" }
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(made)
            }

            async fn withdraw_offer(
                &self,
                actor: &hearth_domain::audit::Actor,
                offer: hearth_domain::OfferId,
                provider: hearth_domain::OrganisationId,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::offer::Offer, crate::StoreError> {
                use hearth_domain::offer::OfferStatus;
                use hearth_domain::referral::ReferralStatus;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let located: Option<(i64, i64)> = sqlx::query_as(crate::market_sql::OFFER_REFERRAL)
                    .bind(offer.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                // Another provider's offer is not found, exactly as one that does not exist.
                let referral = match located {
                    Some((referral, owner)) if owner == provider.0 => hearth_domain::ReferralId(referral),
                    _ => return Err(crate::StoreError::NotFound { what: format!("offer {offer}") }),
                };
                let status = self.lock_referral(&mut tx, referral).await?;
                let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::WITHDRAW_OFFER)
                    .bind(offer.0)
                    .bind(crate::convert::timestamp_to_sql(at))
                    .bind(provider.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let Some(row) = row else {
                    let now: String = sqlx::query_scalar(crate::market_sql::OFFER_STATUS)
                        .bind(offer.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    let now = OfferStatus::parse(&now).map_err(|_| crate::error::unreadable("offers.status"))?;
                    return Err(crate::market_impl::offer_not_live(offer, now));
                };
                let withdrawn = hearth_domain::offer::Offer::try_from(row)?;
                let mut reopened = false;
                if status == ReferralStatus::Offers {
                    let live: i64 = sqlx::query_scalar(crate::market_sql::LIVE_OFFER_COUNT)
                        .bind(referral.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    if live == 0 {
                        self.move_referral(&mut tx, actor, referral, status, ReferralStatus::Open, at).await?;
                        reopened = true;
                    }
                }
                Self::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "offer.withdraw",
                    record_type: "offer",
                    record_id: Some(offer.to_string()),
                    detail: Some(if reopened {
                        format!("referral {referral}, open again: no live offer is left")
                    } else {
                        format!("referral {referral}")
                    }),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(withdrawn)
            }

            async fn decline(
                &self,
                actor: &hearth_domain::audit::Actor,
                referral: hearth_domain::ReferralId,
                provider: hearth_domain::OrganisationId,
                reason: hearth_domain::offer::DeclineReason,
                note: &str,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::offer::Decline, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let status = self.lock_referral(&mut tx, referral).await?;
                if !crate::market_impl::is_live(status) {
                    return Err(crate::market_impl::not_live(referral, status, "there is nothing left to decline"));
                }
                // One standing answer per provider (the rule and its words are the domain's); the
                // referral's row, held above, makes a second decline or offer racing this one wait.
                let (live_offer, declined): (Option<i64>, bool) = sqlx::query_as(crate::market_sql::PROVIDER_ANSWERS)
                    .bind(referral.0)
                    .bind(provider.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                hearth_domain::offer::check_decline(referral, live_offer.map(hearth_domain::OfferId), declined)
                    .map_err(crate::StoreError::Conflict)?;
                let row: crate::market_rows::DeclineRow = sqlx::query_as(crate::market_sql::INSERT_DECLINE)
                    .bind(referral.0)
                    .bind(provider.0)
                    .bind(reason.code())
                    .bind(crate::convert::timestamp_to_sql(at))
                    .bind(note)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let declined = hearth_domain::offer::Decline::try_from(row)?;
                Self::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| self.fail(e))?;
                // The reason's code only: the note is free text and may describe the child.
                let line = crate::sql::AuditLine {
                    action: "referral.decline",
                    record_type: "referral",
                    record_id: Some(referral.to_string()),
                    detail: Some(format!("provider {provider}, reason {reason}")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(declined)
            }

            async fn offer(
                &self,
                id: hearth_domain::OfferId,
            ) -> Result<hearth_domain::offer::Offer, crate::StoreError> {
                let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::OFFER)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.ok_or_else(|| crate::StoreError::NotFound { what: format!("offer {id}") })?.try_into()
            }

            async fn offers_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Vec<hearth_domain::offer::Offer>, crate::StoreError> {
                let rows: Vec<crate::market_rows::OfferRow> = sqlx::query_as(Self::timed(crate::market_sql::OFFERS_OF))
                    .bind(referral.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn declines_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Vec<hearth_domain::offer::Decline>, crate::StoreError> {
                let rows: Vec<crate::market_rows::DeclineRow> =
                    sqlx::query_as(Self::timed(crate::market_sql::DECLINES_OF))
                        .bind(referral.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn accept_offer(
                &self,
                actor: &hearth_domain::audit::Actor,
                acceptance: &crate::Acceptance,
                notify: &crate::Notify,
            ) -> Result<Vec<hearth_domain::placement::Placement>, crate::StoreError> {
                use hearth_domain::offer::OfferStatus;
                use hearth_domain::referral::ReferralStatus;
                let (id, at) = (acceptance.offer, acceptance.at);
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // 1. The offer's referral, found and locked in one statement (this is the hot path of
                // the busiest write): of many officers accepting at once, the first to take its row
                // goes on; the others find it placed.
                let locked: Option<(i64, String)> = sqlx::query_as(crate::market_sql::LOCK_REFERRAL_OF_OFFER)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let (referral, status) =
                    locked.ok_or_else(|| crate::StoreError::NotFound { what: format!("offer {id}") })?;
                let referral = hearth_domain::ReferralId(referral);
                let status =
                    ReferralStatus::parse(&status).map_err(|_| crate::error::unreadable("referrals.status"))?;
                match status {
                    ReferralStatus::Open | ReferralStatus::Offers => {}
                    ReferralStatus::Placed => {
                        return Err(crate::StoreError::Conflict(format!(
                            "referral {referral} was placed by another officer a moment ago; reload it to see \
                             the placement"
                        )));
                    }
                    other => {
                        return Err(crate::market_impl::not_live(
                            referral,
                            other,
                            "its offers can no longer be accepted",
                        ));
                    }
                }

                // 2. The offer, if still live.
                let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::ACCEPT_OFFER)
                    .bind(id.0)
                    .bind(crate::convert::timestamp_to_sql(at))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| {
                        if crate::market_impl::is_unique_violation(&e) {
                            crate::StoreError::Conflict(format!(
                                "referral {referral} already has an accepted offer; reload it"
                            ))
                        } else {
                            self.fail(e)
                        }
                    })?;
                let Some(row) = row else {
                    let now: String = sqlx::query_scalar(crate::market_sql::OFFER_STATUS)
                        .bind(id.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    let now = OfferStatus::parse(&now).map_err(|_| crate::error::unreadable("offers.status"))?;
                    return Err(crate::market_impl::offer_not_live(id, now));
                };
                let accepted = hearth_domain::offer::Offer::try_from(row)?;

                // 3. The home's places: never more children placed than it has (the rule is the domain's),
                // counted with the home's row held so that accepts for its other vacancies wait.
                let children = u16::try_from(acceptance.placements.len()).unwrap_or(u16::MAX);
                self.hold_home_for(&mut tx, accepted.home, children).await?;

                // 4. The places, if the offer named a vacancy.
                let mut taken = None;
                if let Some(vacancy) = accepted.terms.vacancy
                    && acceptance.places > 0
                {
                    taken = Some((vacancy, self.take_places(&mut tx, vacancy, acceptance.places).await?));
                }

                // 5. The other live offers.
                let not_chosen = sqlx::query(crate::market_sql::NOT_CHOSEN)
                    .bind(referral.0)
                    .bind(crate::convert::timestamp_to_sql(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();

                // 6. The placements, each ending the one it follows as a move.
                let mut placements = Vec::with_capacity(acceptance.placements.len());
                for p in &acceptance.placements {
                    if let Some(previous) = p.previous {
                        let ending = hearth_domain::placement::Ending {
                            end: p.start,
                            reason_ceased: hearth_domain::ReasonEpisodeCeased::X1,
                            reason_change: Some(acceptance.move_reason),
                            planned: acceptance.move_planned,
                        };
                        self.end_open_placement(&mut tx, previous, &ending).await?;
                    }
                    placements.push(self.insert_placement(&mut tx, p).await?);
                }

                self.move_referral(&mut tx, actor, referral, status, ReferralStatus::Placed, at).await?;
                if let Some(text) = &acceptance.agreement {
                    // The offer was live until now, so it has no earlier version: this is version 1.
                    let agreement: i64 = sqlx::query_scalar(crate::market_sql::INSERT_FIRST_AGREEMENT)
                        .bind(referral.0)
                        .bind(id.0)
                        .bind(text.as_str())
                        .bind(hearth_domain::agreement::text_hash(text))
                        .bind(crate::convert::timestamp_to_sql(at))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    let line = crate::sql::AuditLine {
                        action: "agreement.create",
                        record_type: "agreement",
                        record_id: Some(agreement.to_string()),
                        detail: Some(format!("referral {referral}, offer {id}, version 1")),
                    };
                    Self::write_audit(&mut tx, actor, line).await.map_err(|e| self.fail(e))?;
                }
                Self::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| self.fail(e))?;
                let vacancy = taken.map_or_else(String::new, |(v, left)| {
                    format!(", vacancy {v}: {} places taken, {left} left", acceptance.places)
                });
                let line = crate::sql::AuditLine {
                    action: "offer.accept",
                    record_type: "offer",
                    record_id: Some(id.to_string()),
                    detail: Some(format!(
                        "referral {referral} placed, {} placements, {not_chosen} other offers not chosen{vacancy}",
                        placements.len()
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(placements)
            }

            async fn create_agreement(
                &self,
                actor: &hearth_domain::audit::Actor,
                referral: hearth_domain::ReferralId,
                offer: hearth_domain::OfferId,
                text: &str,
                at: jiff::Timestamp,
            ) -> Result<hearth_domain::agreement::Agreement, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // Holding the offer's row numbers two versions written at once one after the other.
                let held: Option<i64> = sqlx::query_scalar(crate::market_sql::LOCK_OFFER_OF_REFERRAL)
                    .bind(offer.0)
                    .bind(referral.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if held.is_none() {
                    return Err(crate::StoreError::NotFound { what: format!("offer {offer} on referral {referral}") });
                }
                let version: i32 = sqlx::query_scalar(crate::market_sql::NEXT_AGREEMENT_VERSION)
                    .bind(offer.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                sqlx::query(crate::market_sql::SUPERSEDE_AGREEMENTS)
                    .bind(offer.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let row: crate::market_rows::AgreementRow = sqlx::query_as(crate::market_sql::INSERT_AGREEMENT)
                    .bind(referral.0)
                    .bind(offer.0)
                    .bind(version)
                    .bind(text)
                    .bind(hearth_domain::agreement::text_hash(text))
                    .bind(crate::convert::timestamp_to_sql(at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let created = crate::market_rows::agreements_with_signatures(vec![row], Vec::new())?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("offer {offer}'s agreement") })?;
                // Never the text, which names the children.
                let line = crate::sql::AuditLine {
                    action: "agreement.create",
                    record_type: "agreement",
                    record_id: Some(created.id.to_string()),
                    detail: Some(format!("referral {referral}, offer {offer}, version {version}")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(created)
            }

            async fn agreement(&self, id: i64) -> Result<hearth_domain::agreement::Agreement, crate::StoreError> {
                // Two reads that must agree: one transaction gives them one snapshot.
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let agreement = self.read_agreement(&mut tx, id).await?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Ok(agreement)
            }

            async fn agreements_of(
                &self,
                referral: hearth_domain::ReferralId,
            ) -> Result<Vec<hearth_domain::agreement::Agreement>, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let agreements = sqlx::query_as(crate::market_sql::AGREEMENTS_OF)
                    .bind(referral.0)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let signatures = sqlx::query_as(Self::timed(crate::market_sql::SIGNATURES_OF_REFERRAL))
                    .bind(referral.0)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                crate::market_rows::agreements_with_signatures(agreements, signatures)
            }

            async fn sign_agreement(
                &self,
                actor: &hearth_domain::audit::Actor,
                agreement: i64,
                signature: &hearth_domain::agreement::Signature,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::agreement::Agreement, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // Holding the version's row: a newer version written at the same moment supersedes it
                // either before this looks (and it is refused) or after the signature is in.
                let row: Option<crate::market_rows::SigningRow> = sqlx::query_as(crate::market_sql::LOCK_AGREEMENT)
                    .bind(agreement)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let row = row.ok_or_else(|| crate::StoreError::NotFound { what: format!("agreement {agreement}") })?;
                if row.superseded {
                    let latest: Option<i32> = sqlx::query_scalar(crate::market_sql::LATEST_AGREEMENT_VERSION)
                        .bind(row.offer_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    return Err(crate::StoreError::Conflict(format!(
                        "version {} of the agreement has been replaced by version {}; read and sign that one",
                        row.version,
                        latest.unwrap_or(row.version + 1)
                    )));
                }
                // A signature is of the exact text its signer saw, so it can never be moved onto other words.
                if signature.text_hash != row.text_hash {
                    return Err(crate::StoreError::Conflict(format!(
                        "the text signed is not the text of version {}; reload the agreement and read it again",
                        row.version
                    )));
                }
                let added = sqlx::query(crate::market_sql::INSERT_SIGNATURE)
                    .bind(agreement)
                    .bind(signature.party.code())
                    .bind(signature.user.0)
                    .bind(signature.organisation.0)
                    .bind(signature.name.as_str())
                    .bind(crate::convert::timestamp_to_sql(signature.at))
                    .bind(signature.text_hash.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                if added == 0 {
                    return Err(crate::StoreError::Conflict(format!(
                        "{} has already signed version {} of the agreement",
                        signature.party.label().to_lowercase(),
                        row.version
                    )));
                }
                let referral = hearth_domain::ReferralId(row.referral_id);
                Self::write_notify(&mut tx, notify, Some(referral), signature.at).await.map_err(|e| self.fail(e))?;
                let signed = self.read_agreement(&mut tx, agreement).await?;
                let line = crate::sql::AuditLine {
                    action: "agreement.sign",
                    record_type: "agreement",
                    record_id: Some(agreement.to_string()),
                    detail: Some(format!(
                        "referral {referral}, version {}, signed for the {} by user {}",
                        row.version, signature.party, signature.user
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(signed)
            }

            async fn placement(
                &self,
                id: hearth_domain::PlacementId,
            ) -> Result<hearth_domain::placement::Placement, crate::StoreError> {
                let row: Option<crate::rows::PlacementRow> = sqlx::query_as(crate::market_sql::PLACEMENT)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.ok_or_else(|| crate::StoreError::NotFound { what: format!("placement {id}") })?.try_into()
            }

            async fn placements_with(
                &self,
                provider: hearth_domain::OrganisationId,
                limit: u32,
            ) -> Result<Vec<hearth_domain::placement::Placement>, crate::StoreError> {
                self.read_placements(crate::market_sql::PLACEMENTS_WITH, provider.0, limit).await
            }

            async fn placements_of_council(
                &self,
                la_code: u16,
                limit: u32,
            ) -> Result<Vec<hearth_domain::placement::Placement>, crate::StoreError> {
                self.read_placements(crate::market_sql::PLACEMENTS_OF_COUNCIL, i64::from(la_code), limit).await
            }

            async fn end_placement(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::PlacementId,
                ending: &hearth_domain::placement::Ending,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::placement::Placement, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let ended = self.end_open_placement(&mut tx, id, ending).await?;
                Self::write_notify(&mut tx, notify, ended.referral, at).await.map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "placement.end",
                    record_type: "placement",
                    record_id: Some(id.to_string()),
                    detail: Some(format!(
                        "ended {}, reason {}, {}",
                        ending.end,
                        ending.reason_ceased,
                        if ending.planned { "planned" } else { "unplanned" }
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(ended)
            }

            async fn move_placement(
                &self,
                actor: &hearth_domain::audit::Actor,
                mv: &crate::Move,
                at: jiff::Timestamp,
                notify: &crate::Notify,
            ) -> Result<hearth_domain::placement::Placement, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // The home, then the vacancy, then the placements, in the order `accept_offer` takes them.
                if let Some(home) = mv.to.home {
                    self.hold_home_for(&mut tx, home, 1).await?;
                }
                let taken = match mv.vacancy {
                    Some(v) => Some((v, self.take_places(&mut tx, v, 1).await?)),
                    None => None,
                };
                // A move ends the episode X1 whatever the ending says: a new placement follows that day.
                let ending = hearth_domain::placement::Ending {
                    reason_ceased: hearth_domain::ReasonEpisodeCeased::X1,
                    ..mv.ending
                };
                let old = self.end_open_placement(&mut tx, mv.from, &ending).await?;
                let to = hearth_domain::placement::Placement { previous: Some(mv.from), ..mv.to.clone() };
                let new = self.insert_placement(&mut tx, &to).await?;
                Self::write_notify(&mut tx, notify, new.referral.or(old.referral), at)
                    .await
                    .map_err(|e| self.fail(e))?;
                let vacancy = taken.map_or_else(String::new, |(v, left)| format!(", vacancy {v}: {left} places left"));
                let line = crate::sql::AuditLine {
                    action: "placement.move",
                    record_type: "placement",
                    record_id: Some(new.id.to_string()),
                    detail: Some(format!(
                        "from placement {} ended {}, reason {}{vacancy}",
                        mv.from,
                        ending.end,
                        ending.reason_change.map_or("none", |r| r.code())
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(new)
            }

            async fn claim_outbox(
                &self,
                now: jiff::Timestamp,
                lease_until: jiff::Timestamp,
                limit: u32,
            ) -> Result<Vec<crate::OutboxEmail>, crate::StoreError> {
                use crate::convert::timestamp_to_sql;
                // A lease that ends by `now` would leave a claimed e-mail due, for another worker to claim
                // as well.
                if lease_until <= now {
                    return Err(crate::StoreError::Invalid(format!(
                        "an outbox lease must end after it starts ({lease_until} is not after {now})"
                    )));
                }
                if limit == 0 {
                    return Ok(Vec::new());
                }
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let rows: Vec<crate::market_rows::OutboxRow> =
                    sqlx::query_as(Self::timed(crate::market_sql::CLAIM_OUTBOX))
                        .bind(timestamp_to_sql(now))
                        .bind(timestamp_to_sql(lease_until))
                        .bind(i64::from(limit))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                let mut claimed =
                    rows.into_iter().map(TryInto::try_into).collect::<Result<Vec<crate::OutboxEmail>, _>>()?;
                // RETURNING promises no order.
                claimed.sort_by_key(|e| e.id);
                Ok(claimed)
            }

            async fn outbox_sent(&self, id: i64, at: jiff::Timestamp) -> Result<(), crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let marked = sqlx::query(crate::market_sql::OUTBOX_SENT)
                    .bind(id)
                    .bind(crate::convert::timestamp_to_sql(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                self.outbox_settled(tx, id, marked).await
            }

            async fn outbox_failed(
                &self,
                id: i64,
                error: &str,
                at: jiff::Timestamp,
                retry_at: Option<jiff::Timestamp>,
            ) -> Result<(), crate::StoreError> {
                let (sql, when) = match retry_at {
                    Some(retry_at) => (crate::market_sql::OUTBOX_RETRY, retry_at),
                    None => (crate::market_sql::OUTBOX_GIVE_UP, at),
                };
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let marked = sqlx::query(sql)
                    .bind(id)
                    .bind(error)
                    .bind(crate::convert::timestamp_to_sql(when))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                self.outbox_settled(tx, id, marked).await
            }

            async fn outbox(
                &self,
                referral: Option<hearth_domain::ReferralId>,
            ) -> Result<Vec<crate::OutboxEmail>, crate::StoreError> {
                let query = match referral {
                    Some(r) => sqlx::query_as(Self::timed(crate::market_sql::OUTBOX_OF)).bind(r.0),
                    None => sqlx::query_as(Self::timed(crate::market_sql::OUTBOX_ALL)),
                };
                let rows: Vec<crate::market_rows::OutboxRow> =
                    query.fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn notices_for(
                &self,
                organisation: hearth_domain::OrganisationId,
                user: hearth_domain::UserId,
                limit: u32,
            ) -> Result<Vec<crate::Notice>, crate::StoreError> {
                let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
                let rows: Vec<crate::market_rows::NoticeRow> =
                    sqlx::query_as(Self::timed(crate::market_sql::NOTICES_FOR))
                        .bind(organisation.0)
                        .bind(user.0)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn idempotency_start(
                &self,
                owner: &str,
                key: &str,
                fingerprint: &str,
                now: jiff::Timestamp,
            ) -> Result<crate::IdempotencyStart, crate::StoreError> {
                // A key abandoned between the insert and the read is gone: the next round starts it afresh.
                for _ in 0..3 {
                    let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                    let inserted = sqlx::query(crate::market_sql::START_IDEMPOTENCY)
                        .bind(owner)
                        .bind(key)
                        .bind(fingerprint)
                        .bind(crate::convert::timestamp_to_sql(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?
                        .rows_affected();
                    let found: Option<crate::market_rows::IdempotencyRow> = if inserted == 0 {
                        sqlx::query_as(crate::market_sql::IDEMPOTENCY_KEY)
                            .bind(owner)
                            .bind(key)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(|e| self.fail(e))?
                    } else {
                        None
                    };
                    tx.commit().await.map_err(|e| self.fail(e))?;
                    if inserted > 0 {
                        return Ok(crate::IdempotencyStart::Started);
                    }
                    if let Some(found) = found {
                        return found.start(fingerprint);
                    }
                }
                Err(crate::StoreError::Conflict(
                    "that idempotency key is being started and abandoned by other requests; try again".into(),
                ))
            }

            async fn idempotency_finish(
                &self,
                owner: &str,
                key: &str,
                status: u16,
                body: &str,
            ) -> Result<(), crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let finished = sqlx::query(crate::market_sql::FINISH_IDEMPOTENCY)
                    .bind(owner)
                    .bind(key)
                    .bind(i32::from(status))
                    .bind(body)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                if finished == 0 {
                    return Err(crate::StoreError::NotFound { what: "that idempotency key".into() });
                }
                tx.commit().await.map_err(|e| self.fail(e))
            }

            async fn idempotency_abandon(&self, owner: &str, key: &str) -> Result<(), crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                sqlx::query(crate::market_sql::ABANDON_IDEMPOTENCY)
                    .bind(owner)
                    .bind(key)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))
            }
        }

        impl $store {
            /// Commits an outbox update that changed `marked` rows. Nothing changed: an e-mail already
            /// sent (a late report, left as it is) or one that does not exist.
            async fn outbox_settled(
                &self,
                mut tx: crate::write_tx::WriteTx<$db>,
                id: i64,
                marked: u64,
            ) -> Result<(), crate::StoreError> {
                if marked == 0 {
                    let exists: bool = sqlx::query_scalar(crate::market_sql::OUTBOX_EXISTS)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    if !exists {
                        return Err(crate::StoreError::NotFound { what: format!("e-mail {id} in the outbox") });
                    }
                }
                tx.commit().await.map_err(|e| self.fail(e))
            }
        }
    };
}

pub(crate) use impl_market_store;

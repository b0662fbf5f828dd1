//! The SSDA903 return from the portal's own records. Who may: a council's commissioners and team
//! managers (`figures:council`), for their own council only. The return names children (their
//! references, dates of birth and home postcodes), so it is the council's own data, like its children's
//! records: the regional hub, whose `figures:region` is for aggregates, does not get other councils'
//! returns, and another council's return answers "not found".

use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::audit::Actor;
use hearth_domain::council::council_by_la_code;
use hearth_ssda903::{CollectionYear, Export, GazetteerLocator, PlacedRecord, group_histories};

impl Services {
    /// Council `la_code`'s return for `year`, with the self-check's findings; audited as
    /// `ssda903.read` on the council.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn ssda903_export(
        &self,
        p: &Principal,
        la_code: u16,
        year: CollectionYear,
        origin: &Origin,
    ) -> Result<Export, ServiceError> {
        p.require_council(Capability::ViewCouncilFigures, la_code)
            .map_err(|d| ServiceError::denied(d, format!("council {la_code}")))?;
        self.build_return(&actor_of(p, "SSDA903 export", origin), la_code, year).await
    }

    /// The same for whoever runs `hearth export` on the server: they hold the database already, so
    /// no role is asked for; the export is audited under `label`.
    #[tracing::instrument(skip_all, fields(la = la_code))]
    pub async fn ssda903_export_as_operator(
        &self,
        label: &str,
        la_code: u16,
        year: CollectionYear,
    ) -> Result<Export, ServiceError> {
        self.build_return(&Actor::system(label), la_code, year).await
    }

    async fn build_return(&self, actor: &Actor, la_code: u16, year: CollectionYear) -> Result<Export, ServiceError> {
        let council =
            council_by_la_code(la_code).ok_or_else(|| ServiceError::NotFound(format!("council {la_code}")))?;
        let records = self.store.return_records(la_code, year.start(), year.end()).await?;
        let what = format!("{la_code}/{}", year.ending());
        self.store.record_read(actor, "ssda903.read", "council", &what, self.now()).await?;
        let placements =
            records.placements.into_iter().map(|(placement, urn)| PlacedRecord { placement, urn }).collect();
        let histories = group_histories(records.children, records.legal_statuses, placements);
        // Tens of milliseconds for a large council: off the async threads, so requests keep flowing.
        tokio::task::spawn_blocking(move || Export::build(council, year, &histories, &GazetteerLocator::embedded()))
            .await
            .map_err(|e| ServiceError::Internal(format!("the SSDA903 export stopped: {e}")))
    }
}

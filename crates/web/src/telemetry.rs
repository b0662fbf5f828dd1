//! Hearth's log output, and where each request's time went.
//!
//! Every service use case (`hearth_service`) and store method (`hearth_store`) runs in a span of its own. So that a
//! slow request explains itself without a tracing backend, [`RequestTimings`] adds up, for each request, how long
//! those spans were open, and the request's one completion line (`request finished`) carries the sums:
//!
//! ```text
//! INFO request{method=GET path=/api/v1/referrals request_id=…}: hearth_web: request finished status=200
//!      latency_ms=41.3 service="authenticate_session,referrals" service_ms=40.8 store_ms=37.9 store_calls=3
//! ```
//!
//! Times are wall-clock from a span's creation to its close, so a store call's time includes waiting for the
//! database. Only the outermost span of each kind counts (a use case that calls another, or a store method that
//! calls another, is not counted twice), and the store's time is part of the service's, not added to it. Spans run
//! side by side (`join!`) can add up to more than the request's latency. It costs one clock reading at each span's
//! start and end, and nothing for spans outside a request.

use std::time::{Duration, Instant};

use axum::http::{Request, Response};
use tracing::span::{Attributes, Id};
use tracing::{Metadata, Span, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{EnvFilter, Layer};

/// The target of the request span and of its completion line, so that logs can be filtered to requests alone.
pub const REQUEST_TARGET: &str = "hearth_web::request";
const REQUEST_SPAN: &str = "request";

/// Hearth's subscriber: one line per event on `writer`, as text or JSON, keeping what `filter` lets through, with
/// [`RequestTimings`] beside it. The timings see service and store spans whatever `filter` says, so that the sums
/// are there even when those spans are not logged.
pub fn subscriber<W>(filter: EnvFilter, json: bool, writer: W) -> impl Subscriber + Send + Sync + 'static
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer().with_writer(writer);
    let lines = if json { lines.json().with_filter(filter).boxed() } else { lines.with_filter(filter).boxed() };
    let timed = tracing_subscriber::filter::filter_fn(|metadata| {
        metadata.is_span() && (RequestTimings::is_request(metadata) || Tier::of(metadata).is_some())
    });
    tracing_subscriber::registry().with(lines).with(RequestTimings.with_filter(timed))
}

/// The span each request runs in: its method, path (never the query, which can carry search words) and request id.
pub(crate) fn request_span<B>(request: &Request<B>) -> Span {
    let request_id = request.headers().get("x-request-id").and_then(|id| id.to_str().ok()).unwrap_or_default();
    tracing::info_span!(
        target: REQUEST_TARGET,
        REQUEST_SPAN,
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
    )
}

/// The request's completion line, with what its service and store spans took when [`RequestTimings`] is installed.
pub(crate) fn request_finished<B>(response: &Response<B>, latency: Duration, span: &Span) {
    let spent = Spent::of(span);
    let service = spent.as_ref().map(|spent| spent.service.join(","));
    tracing::info!(
        target: REQUEST_TARGET,
        status = response.status().as_u16(),
        latency_ms = millis(latency),
        service = service.as_deref().filter(|names| !names.is_empty()),
        service_ms = spent.as_ref().map(|spent| millis(spent.service_time)),
        store_ms = spent.as_ref().map(|spent| millis(spent.store_time)),
        store_calls = spent.as_ref().map(|spent| spent.store_calls),
        "request finished"
    );
}

/// Milliseconds to a tenth, which is as fine as a log reader needs.
fn millis(duration: Duration) -> f64 {
    (duration.as_micros() / 100) as f64 / 10.0
}

/// What one request's service and store spans took, as summed so far.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Spent {
    /// The use cases the request ran (the names of its outermost service spans), in the order they finished, once
    /// each.
    pub service: Vec<&'static str>,
    /// How long its outermost service spans were open, added up.
    pub service_time: Duration,
    /// How long its outermost store spans were open, added up.
    pub store_time: Duration,
    /// How many outermost store spans it opened.
    pub store_calls: u32,
}

impl Spent {
    /// The sums for the request running in `span`, if it is a request span and [`RequestTimings`] is installed.
    pub fn of(span: &Span) -> Option<Spent> {
        span.with_subscriber(|(id, dispatch)| {
            let registry = dispatch.downcast_ref::<tracing_subscriber::Registry>()?;
            let span = registry.span(id)?;
            let extensions = span.extensions();
            extensions.get::<Spent>().cloned()
        })
        .flatten()
    }

    fn add(&mut self, tier: Tier, name: &'static str, took: Duration) {
        match tier {
            Tier::Service => {
                self.service_time += took;
                if !self.service.contains(&name) {
                    self.service.push(name);
                }
            }
            Tier::Store => {
                self.store_time += took;
                self.store_calls += 1;
            }
        }
    }
}

impl std::fmt::Display for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (names, service, store, calls) =
            (self.service.join(","), self.service_time, self.store_time, self.store_calls);
        write!(f, "{names}: {service:?} in the service, {store:?} of it in {calls} store calls")
    }
}

/// The kinds of span whose time is summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Service,
    Store,
}

impl Tier {
    fn of(metadata: &Metadata<'_>) -> Option<Tier> {
        let target = metadata.target();
        let within =
            |krate: &str| target == krate || target.strip_prefix(krate).is_some_and(|rest| rest.starts_with("::"));
        if within("hearth_service") {
            Some(Tier::Service)
        } else if within("hearth_store") {
            Some(Tier::Store)
        } else {
            None
        }
    }
}

/// When a service or store span was created.
struct Opened {
    tier: Tier,
    at: Instant,
}

/// The [`tracing_subscriber::Layer`] that sums, in each request span, the time its service and store spans were open
/// (see the module's documentation). [`subscriber`] installs it; [`Spent::of`] reads the sums.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestTimings;

impl RequestTimings {
    fn is_request(metadata: &Metadata<'_>) -> bool {
        metadata.target() == REQUEST_TARGET && metadata.name() == REQUEST_SPAN
    }
}

impl<S> Layer<S> for RequestTimings
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let metadata = attributes.metadata();
        if Self::is_request(metadata) {
            span.extensions_mut().insert(Spent::default());
        } else if let Some(tier) = Tier::of(metadata) {
            span.extensions_mut().insert(Opened { tier, at: Instant::now() });
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some((tier, took)) = span.extensions().get::<Opened>().map(|opened| (opened.tier, opened.at.elapsed()))
        else {
            return;
        };
        for outer in span.scope().skip(1) {
            // Inside another span of the same kind: that one's time already covers this one's.
            if outer.extensions().get::<Opened>().is_some_and(|opened| opened.tier == tier) {
                return;
            }
            if let Some(spent) = outer.extensions_mut().get_mut::<Spent>() {
                spent.add(tier, span.metadata().name(), took);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::instrument::WithSubscriber as _;

    /// Opens a request span with service and store spans inside it, the way handlers, use cases and store methods
    /// nest, and returns what the request span was given.
    async fn spent_by(work: impl std::future::Future<Output = ()>) -> Option<Spent> {
        let subscriber = subscriber(EnvFilter::new("off"), false, std::io::sink);
        async {
            let request = tracing::info_span!(target: REQUEST_TARGET, REQUEST_SPAN);
            tracing::Instrument::instrument(work, request.clone()).await;
            Spent::of(&request)
        }
        .with_subscriber(subscriber)
        .await
    }

    #[tokio::test]
    async fn sums_outermost_service_and_store_spans_in_the_request() {
        use tracing::Instrument as _;
        // Each span is made inside the one it belongs to, as `#[instrument]` makes a use case's or store method's
        // span when it is called.
        let spent = spent_by(async {
            let use_case = tracing::info_span!(target: "hearth_service::records", "referral_view");
            async {
                let store = tracing::info_span!(target: "hearth_store::sqlite", "referral");
                async {
                    // A store method that calls another store method counts once.
                    async {}.instrument(tracing::info_span!(target: "hearth_store::sqlite", "inner")).await;
                    // A use case called beneath another counts as part of it.
                    async {}.instrument(tracing::info_span!(target: "hearth_service::auth", "nested")).await;
                }
                .instrument(store)
                .await;
            }
            .instrument(use_case)
            .await;
            let again = tracing::info_span!(target: "hearth_service::records", "referral_view");
            async {
                // Counted at any level: the filter on what is logged does not decide what is timed.
                async {}.instrument(tracing::trace_span!(target: "hearth_store::postgres", "audit")).await;
            }
            .instrument(again)
            .await;
            // Spans of other crates are not counted.
            async {}.instrument(tracing::info_span!(target: "hearth_web::pages", "render")).await;
            async {}.instrument(tracing::info_span!(target: "hearth_services_elsewhere", "not_ours")).await;
        })
        .await
        .expect("the request span's sums");

        assert_eq!(spent.service, ["referral_view"], "{spent}");
        assert_eq!(spent.store_calls, 2, "{spent}");
        // The store ran inside the service, so it cannot have taken longer.
        assert!(spent.store_time <= spent.service_time, "{spent}");
    }

    #[tokio::test]
    async fn spans_outside_a_request_are_not_counted() {
        use tracing::Instrument as _;
        let subscriber = subscriber(EnvFilter::new("off"), false, std::io::sink);
        let outside = async {
            let use_case = tracing::info_span!(target: "hearth_service::escalation", "run_escalations");
            async {}.instrument(use_case.clone()).await;
            Spent::of(&use_case)
        }
        .with_subscriber(subscriber)
        .await;
        assert_eq!(outside, None);
        assert_eq!(spent_by(async {}).await, Some(Spent::default()));
    }
}

//! The marketplace's SQL, which SQLite and PostgreSQL both accept (written once, like `sql.rs`; timestamps
//! are compared and ordered as they are stored, see `convert::SqlInstant`).
//!
//! Which statuses are live, and what live offers become, are the domain's lifecycles
//! (`ReferralStatus::LIVE`, `OfferStatus::LIVE`, `OfferStatus::when_referral_becomes`): the statements
//! that guard on them are put together once, at first use, from those codes ([`Sql`]), so the rule
//! is written in one place. The other codes written out ('accepted', 'withdrawn') are single
//! transitions a test below holds to the domain's codes.
//!
//! Concurrency rests on one idiom: a write that depends on a row's state first takes that row with a
//! guarded UPDATE (a no-op one, `SET status = status`, when it only needs to hold it). PostgreSQL then
//! makes a concurrent writer of the same row wait for the first to commit and re-checks its WHERE
//! against the committed row, so a guard never passes on a state that has just changed; statements after
//! it see everything committed before the row was taken. SQLite gets the same from `BEGIN IMMEDIATE`,
//! which lets one writer in at a time.

use hearth_domain::offer::OfferStatus;
use hearth_domain::referral::ReferralStatus;

macro_rules! sending_columns {
    () => {
        "id, referral_id, mode, step, opened_at, due_at, sent_by, overdue_told, closed_at"
    };
}

macro_rules! offer_columns {
    () => {
        "id, referral_id, provider_id, home_id, weekly_price, start_date, status, made_at, vacancy_id, includes, notes"
    };
}

macro_rules! placement_columns {
    () => {
        "id, child_id, la_code, home_id, referral_id, placement_type, provider, tier, start_date, end_date, \
         reason_ceased, reason_change, planned_ending, previous_id, step_down, postcode, pl_utla, distance, weekly_cost"
    };
}

macro_rules! agreement_columns {
    () => {
        "id, referral_id, offer_id, version, text, text_hash, created_at, superseded"
    };
}

macro_rules! outbox_columns {
    () => {
        "id, recipient, subject, body, referral_id, created_at, attempts, sent_at, failed_at, last_error"
    };
}

// --- Referrals ---

/// Takes a referral's row for the rest of the transaction and says what its status is now.
pub(crate) const LOCK_REFERRAL: &str = "UPDATE referrals SET status = status WHERE id = $1 RETURNING status";

pub(crate) static LIVE_OFFER_COUNT: Sql =
    Sql::new(|| format!("SELECT COUNT(*) FROM offers WHERE referral_id = $1 AND status IN ({})", live_offers()));

// --- Sendings ---

pub(crate) const CLOSE_OPEN_SENDING: &str =
    "UPDATE referral_sendings SET closed_at = $2 WHERE referral_id = $1 AND closed_at IS NULL";

pub(crate) const INSERT_SENDING: &str = concat!(
    "INSERT INTO referral_sendings (referral_id, mode, step, opened_at, due_at, sent_by) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
    sending_columns!()
);

/// A provider already sent the referral keeps its first sending and `sent_at`.
pub(crate) const ADD_RECIPIENT: &str = "INSERT INTO referral_recipients \
     (referral_id, provider_id, sent_at, sending_id) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (referral_id, provider_id) DO NOTHING";

pub(crate) const OPEN_SENDING_OF: &str =
    concat!("SELECT ", sending_columns!(), " FROM referral_sendings WHERE referral_id = $1 AND closed_at IS NULL");

pub(crate) const SENDINGS_OF: &str =
    concat!("SELECT ", sending_columns!(), " FROM referral_sendings WHERE referral_id = $1 ORDER BY id");

/// A sending's unanswered providers are those it added as recipients (a provider sent the referral
/// before keeps its first sending) with no offer and no decline on the referral: having been sent it
/// first by this sending, anything they answered came after it opened.
pub(crate) static OPEN_SENDINGS: Sql = Sql::new(|| {
    format!(
        "SELECT s.id, s.referral_id, s.mode, s.step, s.opened_at, s.due_at, \
     s.sent_by, s.overdue_told, s.closed_at, r.la_code, r.urgency, r.status, \
     (SELECT COUNT(*) FROM offers o WHERE o.referral_id = s.referral_id AND o.status IN ({offers})) AS live_offers, \
     (SELECT COUNT(*) FROM referral_recipients t WHERE t.sending_id = s.id \
        AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.referral_id = t.referral_id AND o.provider_id = t.provider_id) \
        AND NOT EXISTS (SELECT 1 FROM declines d WHERE d.referral_id = t.referral_id AND d.provider_id = t.provider_id)\
     ) AS unanswered \
     FROM referral_sendings s JOIN referrals r ON r.id = s.referral_id \
     WHERE s.closed_at IS NULL AND r.status IN ({referrals}) ORDER BY s.due_at, s.id",
        offers = live_offers(),
        referrals = codes(ReferralStatus::LIVE.iter().map(|s| s.code())),
    )
});

/// Tells a deadline once: only an open sending not yet told is marked.
pub(crate) const MARK_OVERDUE: &str = "UPDATE referral_sendings SET overdue_told = TRUE \
     WHERE id = $1 AND closed_at IS NULL AND NOT overdue_told RETURNING referral_id, due_at";

pub(crate) const RECIPIENTS_OF: &str = "SELECT s.referral_id, s.provider_id, s.sent_at, \
     EXISTS (SELECT 1 FROM offers o WHERE o.referral_id = s.referral_id AND o.provider_id = s.provider_id \
        AND o.status = 'accepted') AS offer_accepted \
     FROM referral_recipients s WHERE s.referral_id = $1 ORDER BY s.sent_at, s.provider_id";

// --- Offers and declines ---

pub(crate) const IS_RECIPIENT: &str =
    "SELECT EXISTS (SELECT 1 FROM referral_recipients WHERE referral_id = $1 AND provider_id = $2)";

pub(crate) const INSERT_OFFER: &str = concat!(
    "INSERT INTO offers (referral_id, provider_id, home_id, weekly_price, start_date, status, made_at, vacancy_id, \
     includes, notes) VALUES ($1, $2, $3, $4, $5, 'made', $6, $7, $8, $9) RETURNING ",
    offer_columns!()
);

/// A statement put together from the domain's codes the first time it is used, then kept for the
/// process's life: `&'static str` like the others.
pub(crate) struct Sql(std::sync::LazyLock<String>);

impl Sql {
    const fn new(build: fn() -> String) -> Self {
        Self(std::sync::LazyLock::new(build))
    }

    pub(crate) fn get(&'static self) -> &'static str {
        self.0.as_str()
    }
}

/// `'a', 'b'`: codes as an SQL list (the domain's codes are plain lower-case words).
fn codes(codes: impl Iterator<Item = &'static str>) -> String {
    codes.map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

fn live_offers() -> String {
    codes(OfferStatus::LIVE.iter().map(|s| s.code()))
}

/// Closes a referral's live offers as the domain says they close when it becomes `referral`.
fn close_live_offers(referral: ReferralStatus) -> String {
    let to = OfferStatus::when_referral_becomes(referral).map_or("made", OfferStatus::code);
    format!(
        "UPDATE offers SET status = '{to}', closed_at = $2 WHERE referral_id = $1 AND status IN ({})",
        live_offers()
    )
}

pub(crate) const OFFER: &str = concat!("SELECT ", offer_columns!(), " FROM offers WHERE id = $1");

pub(crate) const OFFERS_OF: &str =
    concat!("SELECT ", offer_columns!(), " FROM offers WHERE referral_id = $1 ORDER BY made_at, id");

/// The referral an offer is on and its provider (which never change, so they are read before anything is
/// taken).
pub(crate) const OFFER_REFERRAL: &str = "SELECT referral_id, provider_id FROM offers WHERE id = $1";

/// An offer's referral, locked as `LOCK_REFERRAL` does.
pub(crate) const LOCK_REFERRAL_OF_OFFER: &str = "UPDATE referrals SET status = status \
     WHERE id = (SELECT referral_id FROM offers WHERE id = $1) RETURNING id, status";

pub(crate) const OFFER_STATUS: &str = "SELECT status FROM offers WHERE id = $1";

pub(crate) static WITHDRAW_OFFER: Sql = Sql::new(|| {
    format!(
        "UPDATE offers SET status = 'withdrawn', closed_at = $2 WHERE id = $1 AND provider_id = $3 \
         AND status IN ({}) RETURNING {}",
        live_offers(),
        offer_columns!()
    )
});

pub(crate) static ACCEPT_OFFER: Sql = Sql::new(|| {
    format!(
        "UPDATE offers SET status = 'accepted', closed_at = $2 WHERE id = $1 AND status IN ({}) RETURNING {}",
        live_offers(),
        offer_columns!()
    )
});

/// A referral that closes without a placement (withdrawn, unmet) closes its live offers with it.
pub(crate) static LAPSE_OFFERS: Sql = Sql::new(|| close_live_offers(ReferralStatus::Withdrawn));

/// Run after the chosen offer has become accepted, so only the others are still made.
pub(crate) static NOT_CHOSEN: Sql = Sql::new(|| close_live_offers(ReferralStatus::Placed));

pub(crate) const INSERT_DECLINE: &str = "INSERT INTO declines (referral_id, provider_id, reason, declined_at, note) \
     VALUES ($1, $2, $3, $4, $5) RETURNING referral_id, provider_id, reason, declined_at, note";

/// Standing declines only: one superseded by the provider's later offer is kept but no longer counts.
pub(crate) const DECLINES_OF: &str = "SELECT referral_id, provider_id, reason, declined_at, note FROM declines \
     WHERE referral_id = $1 AND superseded_by IS NULL ORDER BY declined_at, id";

/// A provider's standing answers on a referral, read while the referral's row is held: its live offer
/// (the first, if several homes were offered) and whether it has a standing decline.
pub(crate) static PROVIDER_ANSWERS: Sql = Sql::new(|| {
    format!(
        "SELECT \
     (SELECT MIN(id) FROM offers WHERE referral_id = $1 AND provider_id = $2 AND status IN ({})), \
     EXISTS (SELECT 1 FROM declines WHERE referral_id = $1 AND provider_id = $2 AND superseded_by IS NULL)",
        live_offers()
    )
});

/// An offer replaces the provider's standing decline of the referral: `$3` is the offer.
pub(crate) const SUPERSEDE_DECLINES: &str = "UPDATE declines SET superseded_by = $3 \
     WHERE referral_id = $1 AND provider_id = $2 AND superseded_by IS NULL";

// --- Vacancies ---

/// Takes `$2` places, never going below zero: no row back means there were not enough.
pub(crate) const TAKE_PLACES: &str =
    "UPDATE vacancies SET places = places - $2 WHERE id = $1 AND places >= $2 RETURNING places";

pub(crate) const VACANCY_PLACES: &str = "SELECT places FROM vacancies WHERE id = $1";

// --- Placements ---

pub(crate) const PLACEMENT: &str = concat!("SELECT ", placement_columns!(), " FROM placements WHERE id = $1");

pub(crate) const PLACEMENTS_WITH: &str = concat!(
    "SELECT ",
    placement_columns!(),
    " FROM placements WHERE home_id IN (SELECT id FROM homes WHERE provider_id = $1) \
     ORDER BY start_date DESC, id DESC LIMIT $2"
);

/// The start of a read of a list's page of placements by id: the ids follow, then `)`.
pub(crate) const PLACEMENTS_BY_IDS: &str = concat!("SELECT ", placement_columns!(), " FROM placements WHERE id IN (");

/// The start of a read of a list's page of offers by id: the ids follow, then `)`.
pub(crate) const OFFERS_BY_IDS: &str = concat!("SELECT ", offer_columns!(), " FROM offers WHERE id IN (");

pub(crate) const PLACEMENTS_OF_COUNCIL: &str = concat!(
    "SELECT ",
    placement_columns!(),
    " FROM placements WHERE la_code = $1 ORDER BY start_date DESC, id DESC LIMIT $2"
);

// --- The SSDA903 return: a council's children with a placement open on any day from $2 to $3, their
// whole placement and legal-status histories (the first episode in the year needs the one before it) ---

macro_rules! return_children {
    () => {
        "(SELECT child_id FROM placements WHERE la_code = $1 AND start_date <= $3 \
         AND (end_date IS NULL OR end_date >= $2))"
    };
}

pub(crate) const RETURN_CHILDREN: &str =
    concat!("SELECT ", crate::sql::child_columns!(), " FROM children WHERE id IN ", return_children!(), " ORDER BY id");

pub(crate) const RETURN_LEGAL_STATUSES: &str = concat!(
    "SELECT child_id, from_date, legal_status FROM legal_statuses WHERE child_id IN ",
    return_children!(),
    " ORDER BY child_id, from_date"
);

/// With the home's URN by its primary key (a join would make `id` and `la_code` ambiguous).
pub(crate) const RETURN_PLACEMENTS: &str = concat!(
    "SELECT ",
    placement_columns!(),
    ", (SELECT h.urn FROM homes h WHERE h.id = placements.home_id) AS urn FROM placements WHERE child_id IN ",
    return_children!(),
    " ORDER BY child_id, start_date, id"
);

/// Ends a placement only if it is still open, so two endings cannot both apply.
pub(crate) const END_PLACEMENT: &str = concat!(
    "UPDATE placements SET end_date = $2, reason_ceased = $3, reason_change = $4, planned_ending = $5 \
     WHERE id = $1 AND end_date IS NULL RETURNING ",
    placement_columns!()
);

pub(crate) const PLACEMENT_END: &str = "SELECT end_date FROM placements WHERE id = $1";

pub(crate) const INSERT_PLACEMENT: &str = concat!(
    "INSERT INTO placements (child_id, la_code, home_id, referral_id, placement_type, provider, tier, start_date, \
     end_date, reason_ceased, reason_change, planned_ending, previous_id, step_down, postcode, pl_utla, distance, \
     weekly_cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING ",
    placement_columns!()
);

// --- Agreements ---

/// Takes an offer's row (so two new versions of its agreement are numbered one after the other) if it
/// is on referral `$2`.
pub(crate) const LOCK_OFFER_OF_REFERRAL: &str =
    "UPDATE offers SET status = status WHERE id = $1 AND referral_id = $2 RETURNING id";

pub(crate) const NEXT_AGREEMENT_VERSION: &str =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM agreements WHERE offer_id = $1";

pub(crate) const SUPERSEDE_AGREEMENTS: &str =
    "UPDATE agreements SET superseded = TRUE WHERE offer_id = $1 AND NOT superseded";

pub(crate) const INSERT_AGREEMENT: &str = concat!(
    "INSERT INTO agreements (referral_id, offer_id, version, text, text_hash, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
    agreement_columns!()
);

/// Version 1 of an offer's agreement, written with its acceptance.
pub(crate) const INSERT_FIRST_AGREEMENT: &str = "INSERT INTO agreements (referral_id, offer_id, version, text, \
     text_hash, created_at) VALUES ($1, $2, 1, $3, $4, $5) RETURNING id";

pub(crate) const AGREEMENT: &str = concat!("SELECT ", agreement_columns!(), " FROM agreements WHERE id = $1");

pub(crate) const AGREEMENTS_OF: &str =
    concat!("SELECT ", agreement_columns!(), " FROM agreements WHERE referral_id = $1 ORDER BY id");

pub(crate) const SIGNATURES_OF_AGREEMENT: &str = "SELECT agreement_id, party, user_id, organisation_id, name, at, \
     text_hash FROM agreement_signatures WHERE agreement_id = $1 ORDER BY at, party";

pub(crate) const SIGNATURES_OF_REFERRAL: &str = "SELECT s.agreement_id, s.party, s.user_id, s.organisation_id, \
     s.name, s.at, s.text_hash FROM agreement_signatures s JOIN agreements a ON a.id = s.agreement_id \
     WHERE a.referral_id = $1 ORDER BY s.agreement_id, s.at, s.party";

/// Takes a version's row, so that a new version (which supersedes it) and a signature of it are applied
/// one after the other, and reads what signing it depends on.
pub(crate) const LOCK_AGREEMENT: &str = "UPDATE agreements SET superseded = superseded WHERE id = $1 \
     RETURNING referral_id, offer_id, version, text_hash, superseded";

pub(crate) const LATEST_AGREEMENT_VERSION: &str = "SELECT MAX(version) FROM agreements WHERE offer_id = $1";

/// No row written means the party has signed this version already.
pub(crate) const INSERT_SIGNATURE: &str = "INSERT INTO agreement_signatures \
     (agreement_id, party, user_id, organisation_id, name, at, text_hash) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (agreement_id, party) DO NOTHING";

// --- Outbox and notices ---

/// Heads for `insert_rows`: what a change tells people, in the change's transaction.
pub(crate) const INSERT_OUTBOX: &str =
    "INSERT INTO outbox (recipient, subject, body, referral_id, created_at, next_attempt_at) ";
pub(crate) const INSERT_NOTICES: &str =
    "INSERT INTO notices (organisation_id, user_id, referral_id, text, created_at) ";

/// Claims due e-mails by moving their next attempt to the lease's end. The outer WHERE repeats the
/// sub-select's test: on PostgreSQL a second worker that picked the same rows waits for the first to
/// commit and then re-checks that test against the claimed rows, which no longer pass it, so no e-mail
/// is ever claimed twice.
pub(crate) const CLAIM_OUTBOX: &str = concat!(
    "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                  AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3) \
     AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 RETURNING ",
    outbox_columns!()
);

/// What an e-mail that held a one-time link (an invitation) keeps once it is sent or given up.
macro_rules! link_removed {
    () => {
        "body = CASE WHEN one_time_link THEN '(Removed once sent: this e-mail held a one-time link to set a password.)' ELSE body END"
    };
}

pub(crate) const OUTBOX_SENT: &str = concat!(
    "UPDATE outbox SET sent_at = $2, last_error = NULL, ",
    link_removed!(),
    " WHERE id = $1 AND sent_at IS NULL"
);

pub(crate) const OUTBOX_RETRY: &str =
    "UPDATE outbox SET last_error = $2, next_attempt_at = $3 WHERE id = $1 AND sent_at IS NULL";

pub(crate) const OUTBOX_GIVE_UP: &str = concat!(
    "UPDATE outbox SET last_error = $2, failed_at = $3, ",
    link_removed!(),
    " WHERE id = $1 AND sent_at IS NULL"
);

pub(crate) const OUTBOX_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = $1)";

pub(crate) const OUTBOX_ALL: &str = concat!("SELECT ", outbox_columns!(), " FROM outbox ORDER BY created_at, id");

pub(crate) const OUTBOX_OF: &str =
    concat!("SELECT ", outbox_columns!(), " FROM outbox WHERE referral_id = $1 ORDER BY created_at, id");

pub(crate) const NOTICES_FOR: &str = "SELECT n.id, n.organisation_id, n.user_id, n.referral_id, n.text, \
     n.created_at, r.read_at FROM notices n LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = $2 \
     WHERE n.organisation_id = $1 AND (n.user_id IS NULL OR n.user_id = $2) \
     ORDER BY n.created_at DESC, n.id DESC LIMIT $3";

/// Marks one notice read by one person; read twice, it keeps the first time.
pub(crate) const MARK_NOTICE_READ: &str = "INSERT INTO notice_reads (user_id, notice_id, read_at) VALUES ($1, $2, $3) \
     ON CONFLICT (user_id, notice_id) DO NOTHING";

// --- Idempotency keys ---

/// No row written means the key was used before.
pub(crate) const START_IDEMPOTENCY: &str = "INSERT INTO idempotency_keys (owner, key, fingerprint, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (owner, key) DO NOTHING";

pub(crate) const IDEMPOTENCY_KEY: &str =
    "SELECT fingerprint, status, body FROM idempotency_keys WHERE owner = $1 AND key = $2";

pub(crate) const FINISH_IDEMPOTENCY: &str =
    "UPDATE idempotency_keys SET status = $3, body = $4 WHERE owner = $1 AND key = $2";

/// Only a key still in progress is forgotten: a finished answer stays to be replayed.
pub(crate) const ABANDON_IDEMPOTENCY: &str =
    "DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND status IS NULL";

// --- Intelligence: whole tables, read once per snapshot ---

pub(crate) const INTEL_CHILDREN: &str = concat!("SELECT ", crate::sql::child_columns!(), " FROM children ORDER BY id");

pub(crate) const INTEL_LEGAL_STATUSES: &str =
    "SELECT child_id, from_date, legal_status FROM legal_statuses ORDER BY child_id, from_date";

pub(crate) const INTEL_PLACEMENTS: &str =
    concat!("SELECT ", placement_columns!(), " FROM placements ORDER BY child_id, start_date, id");

pub(crate) const INTEL_OFFERS: &str = concat!("SELECT ", offer_columns!(), " FROM offers ORDER BY referral_id, id");

/// Standing declines only, as `DECLINES_OF`: the commissioners' figures count a decline its provider
/// later replaced with an offer no more than the officer sees it.
pub(crate) const INTEL_DECLINES: &str = "SELECT referral_id, provider_id, reason, declined_at, note FROM declines \
     WHERE superseded_by IS NULL ORDER BY referral_id, id";

/// Every recipient row; the earliest per referral is when it was first sent.
pub(crate) const INTEL_RECIPIENTS: &str =
    "SELECT referral_id, provider_id, sent_at, FALSE AS offer_accepted FROM referral_recipients";

pub(crate) const INTEL_DETAILS: &str = "SELECT referral_id, details FROM referral_details";

#[cfg(test)]
mod tests {
    use hearth_domain::offer::OfferStatus;
    use hearth_domain::referral::ReferralStatus;

    /// The statuses written out in the SQL above are the domain's codes.
    #[test]
    fn the_sql_speaks_the_domains_codes() {
        assert_eq!(OfferStatus::Made.code(), "made");
        assert_eq!(OfferStatus::Withdrawn.code(), "withdrawn");
        assert_eq!(OfferStatus::Accepted.code(), "accepted");
        assert!(ReferralStatus::LIVE.iter().all(|s| s.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    /// What the guards say is live and what live offers become are the domain's lifecycles.
    #[test]
    fn the_guards_are_put_together_from_the_domains_lifecycles() {
        assert!(super::OPEN_SENDINGS.get().contains("r.status IN ('open', 'offers')"));
        assert!(super::LIVE_OFFER_COUNT.get().ends_with("status IN ('made')"));
        assert!(super::LAPSE_OFFERS.get().starts_with("UPDATE offers SET status = 'lapsed'"));
        assert!(super::NOT_CHOSEN.get().starts_with("UPDATE offers SET status = 'not_chosen'"));
    }
}

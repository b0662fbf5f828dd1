//! SQL that SQLite and PostgreSQL both accept (`$1` placeholders, `RETURNING`, sub-selects), written
//! once. Statements whose dialects really differ are in `sqlite.rs` and `postgres.rs`. Timestamps are
//! compared and ordered as the columns are: PostgreSQL's TIMESTAMPTZ, and SQLite's text written at one
//! width (see `convert::SqlInstant`), whose text order is time order.

pub(crate) const HOLDS_DATA: &str = "SELECT EXISTS (SELECT 1 FROM organisations) OR EXISTS (SELECT 1 FROM children) \
     OR EXISTS (SELECT 1 FROM homes) OR EXISTS (SELECT 1 FROM referrals)";

pub(crate) const IS_EMPTY: &str = "SELECT NOT EXISTS (SELECT 1 FROM organisations)";

pub(crate) const APPLIED_MIGRATIONS: &str = "SELECT version FROM _sqlx_migrations";

pub(crate) const COUNTS: &str = "SELECT \
     (SELECT COUNT(*) FROM organisations) AS organisations, \
     (SELECT COUNT(*) FROM users) AS users, \
     (SELECT COUNT(*) FROM homes) AS homes, \
     (SELECT COUNT(*) FROM vacancies) AS vacancies, \
     (SELECT COUNT(*) FROM contracts) AS contracts, \
     (SELECT COUNT(*) FROM children) AS children, \
     (SELECT COUNT(*) FROM referrals) AS referrals, \
     (SELECT COUNT(*) FROM offers) AS offers, \
     (SELECT COUNT(*) FROM placements) AS placements, \
     (SELECT COUNT(*) FROM quality_visits) AS quality_visits";

pub(crate) const ORGANISATIONS: &str = "SELECT id, kind, name, la_code, sector FROM organisations ORDER BY id";

pub(crate) const USERS: &str = "SELECT id, organisation_id, email, display_name, role FROM users ORDER BY id";

pub(crate) const HOMES: &str = "SELECT id, provider_id, kind, name, urn, registration, judgement, last_inspected, \
     risk, la_code, utla, district, easting, northing, places, age_min, age_max, sex, other_children, pets, \
     weekly_price, active FROM homes ORDER BY id";

pub(crate) const HOME: &str = "SELECT id, provider_id, kind, name, urn, registration, judgement, last_inspected, \
     risk, la_code, utla, district, easting, northing, places, age_min, age_max, sex, other_children, pets, \
     weekly_price, active FROM homes WHERE id = $1";

pub(crate) const ALL_SKILLS: &str = "SELECT home_id, skill FROM home_skills";

pub(crate) const SKILLS_OF_HOME: &str = "SELECT home_id, skill FROM home_skills WHERE home_id = $1";

pub(crate) const COUNCIL_WEIGHTS: &str = "SELECT weights FROM council_weights WHERE la_code = $1";
pub(crate) const SET_COUNCIL_WEIGHTS: &str = "INSERT INTO council_weights (la_code, weights) VALUES ($1, $2) \
     ON CONFLICT (la_code) DO UPDATE SET weights = excluded.weights";
pub(crate) const CONTRACTS: &str =
    "SELECT id, la_code, provider_id, tier, weekly_price, block_beds, starts, ends FROM contracts ORDER BY id";
/// A new contract; the database gives its id.
pub(crate) const INSERT_CONTRACT: &str = "INSERT INTO contracts (la_code, provider_id, tier, weekly_price, \
     block_beds, starts, ends) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     RETURNING id, la_code, provider_id, tier, weekly_price, block_beds, starts, ends";
/// Every change of a contract's terms (migration 0015).
pub(crate) const CONTRACT_VERSIONS: &str = "SELECT contract_id, takes_effect, weekly_price, block_beds \
     FROM contract_versions ORDER BY contract_id, takes_effect";
/// A change of terms from a date; a second change on the same day replaces the first.
pub(crate) const UPSERT_CONTRACT_VERSION: &str = "INSERT INTO contract_versions (contract_id, takes_effect, \
     weekly_price, block_beds) VALUES ($1, $2, $3, $4) ON CONFLICT (contract_id, takes_effect) \
     DO UPDATE SET weekly_price = excluded.weekly_price, block_beds = excluded.block_beds";
/// A contract's last day.
pub(crate) const END_CONTRACT: &str = "UPDATE contracts SET ends = $2 WHERE id = $1 RETURNING id";
/// The regional framework's lots by provider (migration 0016).
pub(crate) const FRAMEWORK_LOTS: &str = "SELECT provider_id, kind FROM framework_lots ORDER BY provider_id, kind";
pub(crate) const CLEAR_FRAMEWORK_LOTS: &str = "DELETE FROM framework_lots WHERE provider_id = $1";
pub(crate) const INSERT_FRAMEWORK_LOT: &str = "INSERT INTO framework_lots (provider_id, kind) VALUES ($1, $2)";
pub(crate) const OPEN_VACANCIES: &str = "SELECT id, home_id, places, available_from, age_min, age_max, sex, \
     weekly_price FROM vacancies WHERE places > 0 ORDER BY id";

pub(crate) const VACANCY: &str = "SELECT id, home_id, places, available_from, age_min, age_max, sex, weekly_price \
     FROM vacancies WHERE id = $1";

pub(crate) const INSERT_VACANCY: &str = "INSERT INTO vacancies (home_id, places, available_from, age_min, age_max, \
     sex, weekly_price) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     RETURNING id, home_id, places, available_from, age_min, age_max, sex, weekly_price";

// Binds in the same order as INSERT_VACANCY (the key first, then the fields), so one function
// writes both.
pub(crate) const UPDATE_VACANCY: &str = "UPDATE vacancies SET places = $2, available_from = $3, age_min = $4, \
     age_max = $5, sex = $6, weekly_price = $7 WHERE id = $1 \
     RETURNING id, home_id, places, available_from, age_min, age_max, sex, weekly_price";

pub(crate) const SET_VACANCY_PLACES: &str = "UPDATE vacancies SET places = $1 WHERE id = $2 \
     RETURNING id, home_id, places, available_from, age_min, age_max, sex, weekly_price";

/// The home a vacancy belongs to (which never changes, so it is read before the home is taken).
pub(crate) const VACANCY_HOME: &str = "SELECT home_id FROM vacancies WHERE id = $1";

/// What a home's places are taken by, read after its row is taken (`LOCK_HOME`), so that it sees every
/// write committed before: children placed there now, and free places across its vacancies. The rule
/// is `hearth_domain::capacity`'s.
pub(crate) const HOME_OCCUPANCY: &str = "SELECT \
     (SELECT COUNT(*) FROM placements WHERE home_id = $1 AND end_date IS NULL), \
     (SELECT COALESCE(SUM(places), 0) FROM vacancies WHERE home_id = $1)";

/// A child's columns, in `rows::ChildRow`'s order: every read of children and the region load's insert
/// name them from here.
macro_rules! child_columns {
    () => {
        "id, la_code, reference, date_of_birth, sex, ethnicity, uasc, disability, sen, home_postcode, \
         home_district, school_district, legal_status, sibling_group, looked_after_since, ceased_on, \
         category_of_need"
    };
}
pub(crate) use child_columns;

pub(crate) const CHILD: &str = concat!("SELECT ", child_columns!(), " FROM children WHERE id = $1");

pub(crate) const CHILDREN_OF: &str =
    concat!("SELECT ", child_columns!(), " FROM children WHERE la_code = $1 AND ceased_on IS NULL ORDER BY id");

pub(crate) const CONNECTED_OF_CHILD: &str = "SELECT child_id, relationship, district, carer_home_id \
     FROM connected_persons WHERE child_id = $1 ORDER BY position";

pub(crate) const CONNECTED_OF_COUNCIL: &str = "SELECT p.child_id, p.relationship, p.district, p.carer_home_id \
     FROM connected_persons p JOIN children c ON c.id = p.child_id \
     WHERE c.la_code = $1 AND c.ceased_on IS NULL ORDER BY p.child_id, p.position";

pub(crate) const PLACEMENTS_OF_CHILD: &str = "SELECT id, child_id, la_code, home_id, referral_id, placement_type, \
     provider, tier, start_date, end_date, reason_ceased, reason_change, planned_ending, previous_id, step_down, \
     postcode, pl_utla, distance, weekly_cost FROM placements WHERE child_id = $1 ORDER BY start_date, id";

/// The audit search; the filters and the limit are appended as they are asked for.
pub(crate) const AUDIT_SEARCH: &str = "SELECT id, at, user_id, organisation_id, actor_label, action, record_type, \
     record_id, from_addr, detail FROM audit_log WHERE 1 = 1";

/// The moment is the service's (its clock), never the database's: one clock, which tests can set.
pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (user_id, organisation_id, actor_label, action, record_type, record_id, from_addr, detail, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The providers that answered a referral (offered or declined) were sent it, when it was made. Run by
/// a region load on the whole (just loaded) database; migration 0002 runs the same on existing data.
pub(crate) const RECIPIENTS_FROM_ANSWERS: &str = "INSERT INTO referral_recipients (referral_id, provider_id, sent_at) \
     SELECT r.id, answered.provider_id, r.created_at FROM (SELECT referral_id, provider_id FROM offers \
     UNION SELECT referral_id, provider_id FROM declines) AS answered JOIN referrals r ON r.id = answered.referral_id";

/// The three reads that make up referrals: the rows, their children and their needs, each for the
/// referrals a selection names. Every selection takes a key as `$1` and a limit as `$2`.
#[derive(Debug)]
pub(crate) struct ReferralReads {
    pub referrals: &'static str,
    pub children: &'static str,
    pub needs: &'static str,
}

macro_rules! referral_reads {
    ($selection:literal) => {
        ReferralReads {
            referrals: concat!(
                "SELECT id, la_code, siblings_together, urgency, needed_from, preferred_district, status, \
                 created_by, created_at, closed_at FROM referrals WHERE id IN (",
                $selection,
                ") ORDER BY created_at DESC, id DESC"
            ),
            children: concat!(
                "SELECT referral_id, child_id FROM referral_children WHERE referral_id IN (",
                $selection,
                ") ORDER BY referral_id, position"
            ),
            needs: concat!(
                "SELECT referral_id, need FROM referral_needs WHERE referral_id IN (",
                $selection,
                ") ORDER BY referral_id, position"
            ),
        }
    };
}

/// One referral by id (the limit is there only for the shared shape).
pub(crate) const REFERRAL: ReferralReads = referral_reads!("SELECT id FROM referrals WHERE id = $1 LIMIT $2");

/// A council's referrals by LA code, newest first.
pub(crate) const REFERRALS_OF: ReferralReads =
    referral_reads!("SELECT id FROM referrals WHERE la_code = $1 ORDER BY created_at DESC, id DESC LIMIT $2");

/// Every referral (ids are positive, so the key 0 selects them all).
pub(crate) const ALL_REFERRALS: ReferralReads =
    referral_reads!("SELECT id FROM referrals WHERE id > $1 ORDER BY id LIMIT $2");

/// The referrals sent to a provider, newest first.
pub(crate) const REFERRALS_SENT_TO: ReferralReads = referral_reads!(
    "SELECT r.id FROM referrals r JOIN referral_recipients s ON s.referral_id = r.id WHERE s.provider_id = $1 \
     ORDER BY r.created_at DESC, r.id DESC LIMIT $2"
);

/// `$3` is the accepted offer status's code.
pub(crate) const RECIPIENT: &str = "SELECT s.referral_id, s.provider_id, s.sent_at, EXISTS (SELECT 1 FROM offers o \
     WHERE o.referral_id = s.referral_id AND o.provider_id = s.provider_id AND o.status = $3) AS offer_accepted \
     FROM referral_recipients s WHERE s.referral_id = $1 AND s.provider_id = $2";

/// A new referral (always a draft); its children, needs, details and first event follow in the same
/// transaction.
pub(crate) const INSERT_REFERRAL: &str = "INSERT INTO referrals (la_code, siblings_together, urgency, \
     needed_from, preferred_district, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     RETURNING id";

/// Changes a referral's core fields while it is a draft or open (`$6`, `$7`); returns the status, or no
/// row when the referral is missing or past changing.
pub(crate) const UPDATE_REFERRAL: &str = "UPDATE referrals SET siblings_together = $1, urgency = $2, \
     needed_from = $3, preferred_district = $4 WHERE id = $5 AND status IN ($6, $7) RETURNING status";

pub(crate) const REFERRAL_STATUS: &str = "SELECT status FROM referrals WHERE id = $1";

pub(crate) const REFERRALS_OF_CHILD: &str = "SELECT r.id, r.status FROM referrals r \
     JOIN referral_children c ON c.referral_id = r.id WHERE c.child_id = $1 ORDER BY r.id DESC";

pub(crate) const DELETE_REFERRAL_CHILDREN: &str = "DELETE FROM referral_children WHERE referral_id = $1";
pub(crate) const DELETE_REFERRAL_NEEDS: &str = "DELETE FROM referral_needs WHERE referral_id = $1";

pub(crate) const UPSERT_REFERRAL_DETAILS: &str = "INSERT INTO referral_details (referral_id, details, updated_at) \
     VALUES ($1, $2, $3) ON CONFLICT (referral_id) DO UPDATE SET details = excluded.details, \
     updated_at = excluded.updated_at";

pub(crate) const REFERRAL_DETAILS: &str = "SELECT details FROM referral_details WHERE referral_id = $1";

/// Moves a referral from one status to another only if it still has the first: the check and the
/// change are one statement, so two officers acting at once cannot both move it.
pub(crate) const TRANSITION_REFERRAL: &str =
    "UPDATE referrals SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4 RETURNING id";

pub(crate) const INSERT_REFERRAL_EVENT: &str = "INSERT INTO referral_events \
     (referral_id, from_status, to_status, at, user_id) VALUES ($1, $2, $3, $4, $5)";

pub(crate) const REFERRAL_EVENTS: &str = "SELECT id, referral_id, from_status, to_status, at, user_id \
     FROM referral_events WHERE referral_id = $1 ORDER BY id";

macro_rules! account_select {
    () => {
        "SELECT u.id, u.organisation_id, u.email, u.display_name, u.role, u.password_hash, u.active, \
         o.kind AS organisation_kind, o.la_code FROM users u JOIN organisations o ON o.id = u.organisation_id "
    };
}

pub(crate) const ACCOUNT: &str = concat!(account_select!(), "WHERE u.id = $1");

pub(crate) const ACCOUNT_BY_EMAIL: &str = concat!(account_select!(), "WHERE u.email = $1");

pub(crate) const ACCOUNTS_OF: &str = concat!(account_select!(), "WHERE u.organisation_id = $1 ORDER BY u.id");

pub(crate) const USER_EXISTS: &str = "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)";

pub(crate) const USER_ID_BY_EMAIL: &str = "SELECT id FROM users WHERE email = $1";

pub(crate) const INSERT_USER: &str = "INSERT INTO users (organisation_id, email, display_name, role, password_hash) \
     VALUES ($1, $2, $3, $4, $5) RETURNING id";

/// A NULL leaves the column as it is.
pub(crate) const UPDATE_USER: &str = "UPDATE users SET display_name = COALESCE($1, display_name), \
     role = COALESCE($2, role), active = COALESCE($3, active), password_hash = COALESCE($4, password_hash) \
     WHERE id = $5 RETURNING id";

pub(crate) const SET_MISSING_PASSWORD_HASHES: &str = "UPDATE users SET password_hash = $1 WHERE password_hash IS NULL";

macro_rules! session_columns {
    () => {
        "id, user_id, csrf_token, created_at, expires_at, revoked_at, ip, user_agent"
    };
}

pub(crate) const INSERT_SESSION: &str = concat!(
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
    session_columns!()
);

pub(crate) const SESSION_BY_HASH: &str = concat!("SELECT ", session_columns!(), " FROM sessions WHERE token_hash = $1");

/// `$2` is the moment at which a session must still be live.
pub(crate) const LIVE_SESSIONS_OF: &str = concat!(
    "SELECT ",
    session_columns!(),
    " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
     ORDER BY created_at DESC, id DESC"
);

/// `$1` is now: the sessions still live then end then.
pub(crate) const REVOKE_LIVE_SESSIONS_OF: &str = "UPDATE sessions SET revoked_at = $1 \
     WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > $1";

/// Ending one record that its owner may end: `revoke` (`$1` now, `$2` the id, `$3` the owner) ends it if
/// it is the owner's and still going; `owned` (`$1` the id, `$2` the owner) tells an already ended one
/// from one that is not the owner's.
#[derive(Debug)]
pub(crate) struct Revoke {
    pub revoke: &'static str,
    pub owned: &'static str,
}

pub(crate) const REVOKE_SESSION: Revoke = Revoke {
    revoke: "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    owned: "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2)",
};

pub(crate) const REVOKE_API_TOKEN: Revoke = Revoke {
    revoke: "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND organisation_id = $3 AND revoked_at IS NULL",
    owned: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1 AND organisation_id = $2)",
};

macro_rules! api_token_columns {
    () => {
        "id, organisation_id, issued_by, name, scopes, created_at, expires_at, revoked_at"
    };
}

pub(crate) const INSERT_API_TOKEN: &str = concat!(
    "INSERT INTO api_tokens (token_hash, organisation_id, issued_by, name, scopes, created_at, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
    api_token_columns!()
);

pub(crate) const API_TOKEN_BY_HASH: &str =
    concat!("SELECT ", api_token_columns!(), " FROM api_tokens WHERE token_hash = $1");

pub(crate) const API_TOKENS_OF: &str = concat!(
    "SELECT ",
    api_token_columns!(),
    " FROM api_tokens WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
);

pub(crate) const INSERT_SIGN_IN: &str =
    "INSERT INTO sign_in_attempts (email, ip, at, succeeded) VALUES ($1, $2, $3, $4)";

/// `$1` the e-mail, `$2` the address, `$3` the moment from which failures count.
pub(crate) const FAILED_SIGN_INS: &str = "SELECT \
     (SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND NOT succeeded AND at >= $3) \
     AS by_account, \
     (SELECT COUNT(*) FROM sign_in_attempts WHERE ip = $2 AND NOT succeeded AND at >= $3) \
     AS by_address, \
     (SELECT COUNT(*) FROM sign_in_attempts \
      WHERE email = $1 AND ip = $2 AND NOT succeeded AND at >= $3) AS by_pair, \
     (SELECT at FROM sign_in_attempts WHERE ip = $2 AND NOT succeeded AND at >= $3 \
      ORDER BY at LIMIT 1) AS address_oldest, \
     (SELECT at FROM sign_in_attempts \
      WHERE email = $1 AND ip = $2 AND NOT succeeded AND at >= $3 \
      ORDER BY at LIMIT 1) AS pair_oldest, \
     (SELECT at FROM sign_in_attempts \
      WHERE email = $1 AND ip = $2 AND NOT succeeded AND at >= $3 \
      ORDER BY at DESC LIMIT 1) AS pair_latest";

/// Forgets an account's failed sign-ins (an administrator unlocked it): `$1` the e-mail.
pub(crate) const CLEAR_SIGN_IN_FAILURES: &str = "DELETE FROM sign_in_attempts WHERE email = $1 AND NOT succeeded";

/// The heads of the bulk inserts that load a region; `QueryBuilder::push_values` adds the rows.
pub(crate) mod load {
    pub(crate) const ORGANISATIONS: &str = "INSERT INTO organisations (id, kind, name, la_code, sector) ";
    pub(crate) const USERS: &str = "INSERT INTO users (id, organisation_id, email, display_name, role) ";
    pub(crate) const HOMES: &str = "INSERT INTO homes (id, provider_id, kind, name, urn, registration, judgement, \
         last_inspected, risk, la_code, utla, district, easting, northing, places, age_min, age_max, sex, \
         other_children, pets, weekly_price, active) ";
    pub(crate) const HOME_SKILLS: &str = "INSERT INTO home_skills (home_id, skill) ";
    pub(crate) const VACANCIES: &str =
        "INSERT INTO vacancies (id, home_id, places, available_from, age_min, age_max, sex, weekly_price) ";
    pub(crate) const CONTRACTS: &str =
        "INSERT INTO contracts (id, la_code, provider_id, tier, weekly_price, block_beds, starts, ends) ";
    pub(crate) const CHILDREN: &str = concat!("INSERT INTO children (", super::child_columns!(), ") ");
    pub(crate) const CONNECTED_PERSONS: &str =
        "INSERT INTO connected_persons (child_id, position, relationship, district, carer_home_id) ";
    pub(crate) const LEGAL_STATUSES: &str = "INSERT INTO legal_statuses (child_id, from_date, legal_status) ";
    pub(crate) const REFERRALS: &str = "INSERT INTO referrals (id, la_code, siblings_together, urgency, \
         needed_from, preferred_district, status, created_by, created_at, closed_at) ";
    pub(crate) const REFERRAL_CHILDREN: &str = "INSERT INTO referral_children (referral_id, position, child_id) ";
    pub(crate) const REFERRAL_NEEDS: &str = "INSERT INTO referral_needs (referral_id, position, need) ";
    pub(crate) const OFFERS: &str = "INSERT INTO offers (id, referral_id, provider_id, home_id, weekly_price, \
         start_date, status, made_at, vacancy_id, includes, notes) ";
    pub(crate) const DECLINES: &str = "INSERT INTO declines (referral_id, provider_id, reason, declined_at, note) ";
    pub(crate) const PLACEMENTS: &str = "INSERT INTO placements (id, child_id, la_code, home_id, referral_id, \
         placement_type, provider, tier, start_date, end_date, reason_ceased, reason_change, planned_ending, \
         previous_id, step_down, postcode, pl_utla, distance, weekly_cost) ";
    pub(crate) const QUALITY_VISITS: &str = "INSERT INTO quality_visits (id, home_id, la_code, due, visited, outcome) ";
}

/// How many rows of `head`'s columns fit in one statement under a backend's bind-parameter limit.
pub(crate) fn rows_per_statement(head: &str, max_binds: usize) -> usize {
    let columns = head.matches(',').count() + 1;
    (max_binds / columns).max(1)
}

/// One audit line, written in the same transaction as the change it records.
#[derive(Debug)]
pub(crate) struct AuditLine<'a> {
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: Option<String>,
    /// A short, non-personal summary: counts, codes, before and after of a number.
    pub detail: Option<String>,
    /// When it happened, by the caller's clock.
    pub at: jiff::Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_stay_under_the_bind_limits() {
        // 19 columns: 32,766 / 19 = 1,724 rows, 32,756 binds.
        assert_eq!(rows_per_statement(load::PLACEMENTS, 32_766), 1_724);
        assert!(rows_per_statement(load::PLACEMENTS, 65_535) * 19 <= 65_535);
        assert_eq!(rows_per_statement(load::HOME_SKILLS, 32_766), 16_383);
    }
}

//! SQL that SQLite and PostgreSQL both accept (`$1` placeholders, `RETURNING`, sub-selects), written
//! once. Statements whose dialects really differ are in `sqlite.rs` and `postgres.rs`.

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

pub(crate) const OPEN_VACANCIES: &str = "SELECT id, home_id, places, available_from, age_min, age_max, sex, \
     weekly_price FROM vacancies WHERE places > 0 ORDER BY id";

pub(crate) const SET_VACANCY_PLACES: &str = "UPDATE vacancies SET places = $1 WHERE id = $2 \
     RETURNING id, home_id, places, available_from, age_min, age_max, sex, weekly_price";

pub(crate) const CHILD: &str = "SELECT id, la_code, reference, date_of_birth, sex, ethnicity, uasc, disability, \
     sen, home_postcode, home_district, school_district, legal_status, sibling_group, looked_after_since, \
     ceased_on FROM children WHERE id = $1";

pub(crate) const CHILDREN_OF: &str = "SELECT id, la_code, reference, date_of_birth, sex, ethnicity, uasc, \
     disability, sen, home_postcode, home_district, school_district, legal_status, sibling_group, \
     looked_after_since, ceased_on FROM children WHERE la_code = $1 AND ceased_on IS NULL ORDER BY id";

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

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (user_id, organisation_id, actor_label, action, record_type, record_id, from_addr, detail) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

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
    pub(crate) const CHILDREN: &str = "INSERT INTO children (id, la_code, reference, date_of_birth, sex, \
         ethnicity, uasc, disability, sen, home_postcode, home_district, school_district, legal_status, \
         sibling_group, looked_after_since, ceased_on) ";
    pub(crate) const CONNECTED_PERSONS: &str =
        "INSERT INTO connected_persons (child_id, position, relationship, district, carer_home_id) ";
    pub(crate) const LEGAL_STATUSES: &str = "INSERT INTO legal_statuses (child_id, from_date, legal_status) ";
    pub(crate) const REFERRALS: &str = "INSERT INTO referrals (id, la_code, siblings_together, urgency, \
         needed_from, preferred_district, status, created_by, created_at, closed_at) ";
    pub(crate) const REFERRAL_CHILDREN: &str = "INSERT INTO referral_children (referral_id, position, child_id) ";
    pub(crate) const REFERRAL_NEEDS: &str = "INSERT INTO referral_needs (referral_id, position, need) ";
    pub(crate) const OFFERS: &str = "INSERT INTO offers (id, referral_id, provider_id, home_id, weekly_price, \
         start_date, status, made_at) ";
    pub(crate) const DECLINES: &str = "INSERT INTO declines (referral_id, provider_id, reason, declined_at) ";
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
pub(crate) struct AuditLine {
    pub action: &'static str,
    pub record_type: &'static str,
    pub record_id: Option<String>,
    /// A short, non-personal summary: counts, codes, before and after of a number.
    pub detail: Option<String>,
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

-- Hearth's schema on SQLite: one table per RegionSeed record, plus the append-only audit log.
--
-- STRICT tables, so a value of the wrong type is refused rather than silently stored. Dates are ISO
-- TEXT ('2026-11-25'), checked with date(); timestamps are RFC 3339 TEXT in UTC. Booleans are 0/1.
-- Codes are the domain's code-list strings (SSDA903 codes where DfE has them); the CHECK lists must
-- match hearth-domain's code lists, which the conformance story `every_code_round_trips` verifies.
-- PostgreSQL's migration has the same tables, columns and rules in its own types.

CREATE TABLE organisations (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('council', 'provider', 'hub', 'platform')),
    name    TEXT NOT NULL CHECK (name <> ''),
    la_code INTEGER CHECK (la_code BETWEEN 100 AND 999),
    sector  TEXT CHECK (sector IN ('local_authority', 'private', 'voluntary', 'health_authority'))
) STRICT;
-- A council's own provider services share its LA code; the council itself is one.
CREATE UNIQUE INDEX organisations_one_council_per_la_code ON organisations (la_code) WHERE kind = 'council';

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '_%@_%._%'),
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('placement_officer', 'team_manager', 'provider_staff',
                        'provider_manager', 'commissioner', 'regional_commissioner', 'administrator',
                        'platform_administrator'))
) STRICT;
CREATE INDEX users_by_organisation ON users (organisation_id);

CREATE TABLE homes (
    id             INTEGER PRIMARY KEY,
    provider_id    INTEGER NOT NULL REFERENCES organisations (id),
    kind           TEXT NOT NULL CHECK (kind IN ('foster_in_house', 'foster_agency', 'connected_person',
                       'childrens_home', 'residential_special_school', 'secure_childrens_home', 'sa_shared_house',
                       'sa_single', 'sa_supported_lodgings', 'sa_staffed_shared', 'sa_floating_support',
                       'sa_low_support')),
    name           TEXT NOT NULL CHECK (name <> ''),
    urn            TEXT,
    registration   TEXT NOT NULL CHECK (registration IN ('registered', 'applied', 'suspended', 'not_required')),
    judgement      TEXT CHECK (judgement IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
    last_inspected TEXT CHECK (date(last_inspected) IS last_inspected),
    risk           TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    la_code        INTEGER CHECK (la_code BETWEEN 100 AND 999),
    utla           TEXT NOT NULL,
    district       TEXT NOT NULL CHECK (length(district) BETWEEN 2 AND 4),
    -- OS National Grid, metres: the bounds of Great Britain's grid.
    easting        INTEGER NOT NULL CHECK (easting BETWEEN 0 AND 700000),
    northing       INTEGER NOT NULL CHECK (northing BETWEEN 0 AND 1300000),
    places         INTEGER NOT NULL CHECK (places BETWEEN 0 AND 65535),
    age_min        INTEGER NOT NULL CHECK (age_min BETWEEN 0 AND 17),
    age_max        INTEGER NOT NULL CHECK (age_max BETWEEN 0 AND 17),
    sex            TEXT NOT NULL CHECK (sex IN ('any', 'male', 'female')),
    other_children INTEGER NOT NULL CHECK (other_children BETWEEN 0 AND 255),
    pets           INTEGER NOT NULL CHECK (pets IN (0, 1)),
    weekly_price   INTEGER NOT NULL CHECK (weekly_price BETWEEN 1 AND 50000),
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    CHECK (age_min <= age_max)
) STRICT;
CREATE INDEX homes_by_provider ON homes (provider_id);
CREATE INDEX homes_by_council ON homes (la_code);

-- A home's skills, one row each (rather than the matching index's bit set, whose bit order is an
-- implementation detail that must not become a storage format).
CREATE TABLE home_skills (
    home_id INTEGER NOT NULL REFERENCES homes (id) ON DELETE CASCADE,
    skill   TEXT NOT NULL CHECK (skill IN ('disability', 'wheelchair_access', 'teenagers', 'parent_and_child',
                'emergency', 'step_down', 'sibling_groups', 'therapeutic', 'emotional_behavioural', 'autism',
                'exploitation', 'uasc', 'remand_pace')),
    PRIMARY KEY (home_id, skill)
) STRICT, WITHOUT ROWID;

CREATE TABLE vacancies (
    id             INTEGER PRIMARY KEY,
    home_id        INTEGER NOT NULL REFERENCES homes (id),
    places         INTEGER NOT NULL CHECK (places BETWEEN 0 AND 65535),
    available_from TEXT NOT NULL CHECK (date(available_from) IS available_from),
    age_min        INTEGER NOT NULL CHECK (age_min BETWEEN 0 AND 17),
    age_max        INTEGER NOT NULL CHECK (age_max BETWEEN 0 AND 17),
    sex            TEXT NOT NULL CHECK (sex IN ('any', 'male', 'female')),
    weekly_price   INTEGER NOT NULL CHECK (weekly_price BETWEEN 1 AND 50000),
    CHECK (age_min <= age_max)
) STRICT;
CREATE INDEX vacancies_by_home ON vacancies (home_id);

CREATE TABLE contracts (
    id           INTEGER PRIMARY KEY,
    la_code      INTEGER NOT NULL CHECK (la_code BETWEEN 100 AND 999),
    provider_id  INTEGER NOT NULL REFERENCES organisations (id),
    tier         TEXT NOT NULL CHECK (tier IN ('in_house', 'block', 'framework', 'spot')),
    weekly_price INTEGER NOT NULL CHECK (weekly_price BETWEEN 1 AND 50000),
    block_beds   INTEGER NOT NULL CHECK (block_beds BETWEEN 0 AND 65535),
    starts       TEXT NOT NULL CHECK (date(starts) IS starts),
    ends         TEXT CHECK (date(ends) IS ends),
    CHECK (ends IS NULL OR ends >= starts)
) STRICT;
CREATE INDEX contracts_by_provider ON contracts (provider_id);
CREATE INDEX contracts_by_council ON contracts (la_code);

CREATE TABLE children (
    id                 INTEGER PRIMARY KEY,
    la_code            INTEGER NOT NULL CHECK (la_code BETWEEN 100 AND 999),
    -- The SSDA903 CHILD identifier: 1 to 10 letters or digits, unique within its council.
    reference          TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 10
                           AND reference NOT GLOB '*[^A-Za-z0-9]*'),
    date_of_birth      TEXT NOT NULL CHECK (date(date_of_birth) IS date_of_birth),
    sex                TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
    ethnicity          TEXT NOT NULL CHECK (ethnicity IN ('WBRI', 'WIRI', 'WOTH', 'WIRT', 'WROM', 'MWBC', 'MWBA',
                           'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH',
                           'REFU', 'NOBT')),
    uasc               INTEGER NOT NULL CHECK (uasc IN (0, 1)),
    disability         INTEGER NOT NULL CHECK (disability IN (0, 1)),
    sen                TEXT NOT NULL CHECK (sen IN ('none', 'sen_support', 'ehcp')),
    home_postcode      TEXT CHECK (length(home_postcode) BETWEEN 6 AND 8),
    home_district      TEXT CHECK (length(home_district) BETWEEN 2 AND 4),
    school_district    TEXT CHECK (length(school_district) BETWEEN 2 AND 4),
    legal_status       TEXT NOT NULL CHECK (legal_status IN ('C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'L1', 'L2',
                           'L3', 'J1', 'J2', 'J3')),
    sibling_group      INTEGER,
    looked_after_since TEXT NOT NULL CHECK (date(looked_after_since) IS looked_after_since),
    ceased_on          TEXT CHECK (date(ceased_on) IS ceased_on),
    UNIQUE (la_code, reference),
    CHECK (ceased_on IS NULL OR ceased_on >= looked_after_since)
) STRICT;
CREATE INDEX children_by_council ON children (la_code, id);
CREATE INDEX children_by_sibling_group ON children (sibling_group) WHERE sibling_group IS NOT NULL;

-- Relatives and friends who could care for a child, in the order the council listed them.
CREATE TABLE connected_persons (
    child_id      INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    relationship  TEXT NOT NULL CHECK (relationship IN ('grandparent', 'aunt_uncle', 'adult_sibling',
                      'other_relative', 'family_friend')),
    district      TEXT CHECK (length(district) BETWEEN 2 AND 4),
    carer_home_id INTEGER REFERENCES homes (id),
    PRIMARY KEY (child_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX connected_persons_by_home ON connected_persons (carer_home_id) WHERE carer_home_id IS NOT NULL;

-- The start of each run of one legal status: at most one change a day, as SSDA903 episodes allow.
CREATE TABLE legal_statuses (
    child_id     INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    from_date    TEXT NOT NULL CHECK (date(from_date) IS from_date),
    legal_status TEXT NOT NULL CHECK (legal_status IN ('C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'L1', 'L2', 'L3',
                     'J1', 'J2', 'J3')),
    PRIMARY KEY (child_id, from_date)
) STRICT, WITHOUT ROWID;

CREATE TABLE referrals (
    id                 INTEGER PRIMARY KEY,
    la_code            INTEGER NOT NULL CHECK (la_code BETWEEN 100 AND 999),
    siblings_together  INTEGER NOT NULL CHECK (siblings_together IN (0, 1)),
    urgency            TEXT NOT NULL CHECK (urgency IN ('same_day', 'within_72_hours', 'planned')),
    needed_from        TEXT NOT NULL CHECK (date(needed_from) IS needed_from),
    preferred_district TEXT CHECK (length(preferred_district) BETWEEN 2 AND 4),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'open', 'offers', 'placed', 'withdrawn', 'unmet')),
    created_by         INTEGER REFERENCES users (id),
    created_at         TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    closed_at          TEXT CHECK (closed_at IS NULL OR julianday(closed_at) IS NOT NULL)
) STRICT;
CREATE INDEX referrals_by_council ON referrals (la_code, status);
CREATE INDEX referrals_by_creator ON referrals (created_by) WHERE created_by IS NOT NULL;

-- The children a referral is for, the first being the one the referral is about.
CREATE TABLE referral_children (
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    child_id    INTEGER NOT NULL REFERENCES children (id),
    PRIMARY KEY (referral_id, position),
    UNIQUE (referral_id, child_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX referral_children_by_child ON referral_children (child_id);

CREATE TABLE referral_needs (
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    need        TEXT NOT NULL CHECK (need IN ('emotional_behavioural', 'learning_disability', 'physical_disability',
                    'sensory_impairment', 'mental_health', 'autism_adhd', 'aggression', 'missing',
                    'substance_misuse', 'cse', 'cce', 'self_harm', 'offending')),
    PRIMARY KEY (referral_id, position),
    UNIQUE (referral_id, need)
) STRICT, WITHOUT ROWID;

CREATE TABLE offers (
    id           INTEGER PRIMARY KEY,
    referral_id  INTEGER NOT NULL REFERENCES referrals (id),
    provider_id  INTEGER NOT NULL REFERENCES organisations (id),
    home_id      INTEGER NOT NULL REFERENCES homes (id),
    weekly_price INTEGER NOT NULL CHECK (weekly_price BETWEEN 1 AND 50000),
    start_date   TEXT NOT NULL CHECK (date(start_date) IS start_date),
    status       TEXT NOT NULL CHECK (status IN ('made', 'withdrawn', 'accepted', 'not_chosen', 'lapsed')),
    made_at      TEXT NOT NULL CHECK (julianday(made_at) IS NOT NULL)
) STRICT;
CREATE INDEX offers_by_referral ON offers (referral_id);
CREATE INDEX offers_by_provider ON offers (provider_id);
CREATE INDEX offers_by_home ON offers (home_id);

-- Declines have no id in the domain; the row id only keeps the table ordinary.
CREATE TABLE declines (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    provider_id INTEGER NOT NULL REFERENCES organisations (id),
    reason      TEXT NOT NULL CHECK (reason IN ('no_vacancy', 'cannot_meet_needs', 'impact_on_current_children',
                    'location', 'staffing', 'price', 'other')),
    declined_at TEXT NOT NULL CHECK (julianday(declined_at) IS NOT NULL)
) STRICT;
CREATE INDEX declines_by_referral ON declines (referral_id);
CREATE INDEX declines_by_provider ON declines (provider_id);

CREATE TABLE placements (
    id             INTEGER PRIMARY KEY,
    child_id       INTEGER NOT NULL REFERENCES children (id),
    la_code        INTEGER NOT NULL CHECK (la_code BETWEEN 100 AND 999),
    home_id        INTEGER REFERENCES homes (id),
    referral_id    INTEGER REFERENCES referrals (id),
    placement_type TEXT NOT NULL CHECK (placement_type IN ('A3', 'A4', 'A5', 'A6', 'H5', 'K1', 'K2', 'K3', 'P1',
                       'P2', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4', 'U1', 'U2', 'U3', 'U4',
                       'U5', 'U6', 'Z1', 'Z11', 'Z12', 'Z13', 'Z14')),
    provider       TEXT NOT NULL CHECK (provider IN ('PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5')),
    tier           TEXT CHECK (tier IN ('in_house', 'block', 'framework', 'spot')),
    start_date     TEXT NOT NULL CHECK (date(start_date) IS start_date),
    end_date       TEXT CHECK (date(end_date) IS end_date),
    reason_ceased  TEXT CHECK (reason_ceased IN ('X1', 'E11', 'E12', 'E2', 'E3', 'E4A', 'E4B', 'E13', 'E41', 'E45',
                       'E46', 'E47', 'E48', 'E5', 'E6', 'E7', 'E9', 'E14', 'E15', 'E16', 'E17', 'E8')),
    reason_change  TEXT CHECK (reason_change IN ('CARPL', 'CLOSE', 'ALLEG', 'STAND', 'APPRR', 'CREQB', 'CREQO',
                       'CHILD', 'LAREQ', 'PLACE', 'CUSTOD', 'OTHER')),
    planned_ending INTEGER CHECK (planned_ending IN (0, 1)),
    -- Deferred, so a region's placements load in any order within its one transaction.
    previous_id    INTEGER REFERENCES placements (id) DEFERRABLE INITIALLY DEFERRED,
    step_down      INTEGER NOT NULL CHECK (step_down IN (0, 1)),
    postcode       TEXT CHECK (length(postcode) BETWEEN 6 AND 8),
    pl_utla        TEXT,
    -- DfE's PL_DISTANCE in miles; 999.9 means unknown.
    distance       REAL NOT NULL CHECK (distance BETWEEN 0 AND 999.9),
    weekly_cost    INTEGER CHECK (weekly_cost BETWEEN 1 AND 50000),
    -- SSDA903 forbids an episode that starts and ends on one day.
    CHECK (end_date IS NULL OR end_date > start_date)
) STRICT;
CREATE INDEX placements_by_child ON placements (child_id, start_date);
CREATE INDEX placements_by_home ON placements (home_id) WHERE home_id IS NOT NULL;
CREATE INDEX placements_by_council ON placements (la_code, start_date);
CREATE INDEX placements_by_referral ON placements (referral_id) WHERE referral_id IS NOT NULL;
CREATE INDEX placements_by_previous ON placements (previous_id) WHERE previous_id IS NOT NULL;

CREATE TABLE quality_visits (
    id      INTEGER PRIMARY KEY,
    home_id INTEGER NOT NULL REFERENCES homes (id),
    la_code INTEGER NOT NULL CHECK (la_code BETWEEN 100 AND 999),
    due     TEXT NOT NULL CHECK (date(due) IS due),
    visited TEXT CHECK (date(visited) IS visited),
    outcome TEXT CHECK (outcome IN ('no_concerns', 'minor_concerns', 'serious_concerns'))
) STRICT;
CREATE INDEX quality_visits_by_home ON quality_visits (home_id);
CREATE INDEX quality_visits_by_council ON quality_visits (la_code, due);

-- Who did what to which record, when and from where. No foreign keys: the log outlives what it names.
-- `at` is set by the database, in a fixed-width UTC form (milliseconds) so that text order is time order.
-- AUTOINCREMENT so that an id is never reused, even after a restore.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                        CHECK (julianday(at) IS NOT NULL),
    user_id         INTEGER,
    organisation_id INTEGER,
    actor_label     TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action <> ''),
    record_type     TEXT NOT NULL CHECK (record_type <> ''),
    record_id       TEXT,
    from_addr       TEXT,
    detail          TEXT
) STRICT;
CREATE INDEX audit_by_organisation ON audit_log (organisation_id, at);
CREATE INDEX audit_by_record ON audit_log (record_type, record_id);
CREATE INDEX audit_by_time ON audit_log (at);

-- The audit log is append-only: nothing may change or remove a line once written.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: a line cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: a line cannot be removed');
END;

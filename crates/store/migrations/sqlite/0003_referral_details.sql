-- The referral form beyond the core referral, on SQLite: one JSON document of details per referral, and
-- the referral's history (created, edited, each change of status) as events.
--
-- The details are one document rather than columns because the form is read and written whole, and
-- its fields follow the referral form and the Placements Data Standard, which change more often than
-- the schema should; the domain type reads older documents with defaults. PostgreSQL keeps it as JSONB.

CREATE TABLE referral_details (
    referral_id INTEGER PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
    details     TEXT NOT NULL CHECK (json_valid(details) AND json_type(details) = 'object'),
    updated_at  TEXT NOT NULL CHECK (julianday(updated_at) IS NOT NULL)
) STRICT;

-- `to_status` is NULL for an edit that left the status as it was; `from_status` is NULL for the
-- creation. AUTOINCREMENT so that ids order the events even if old rows are ever pruned.
CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    from_status TEXT CHECK (from_status IN ('draft', 'open', 'offers', 'placed', 'withdrawn', 'unmet')),
    to_status   TEXT CHECK (to_status IN ('draft', 'open', 'offers', 'placed', 'withdrawn', 'unmet')),
    at          TEXT NOT NULL CHECK (julianday(at) IS NOT NULL),
    user_id     INTEGER REFERENCES users (id),
    CHECK (from_status IS NOT NULL OR to_status IS NOT NULL)
) STRICT;
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, id);

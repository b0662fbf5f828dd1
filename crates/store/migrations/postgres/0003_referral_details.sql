-- The referral form beyond the core referral, on PostgreSQL: one JSONB document of details per
-- referral, and the referral's history as events. The same tables and rules as SQLite's migration,
-- which says why the details are one document.

CREATE TABLE referral_details (
    referral_id BIGINT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
    details     JSONB NOT NULL CHECK (jsonb_typeof(details) = 'object'),
    updated_at  TIMESTAMPTZ NOT NULL
);

-- `to_status` is NULL for an edit that left the status as it was; `from_status` is NULL for the creation.
CREATE TABLE referral_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id BIGINT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    from_status TEXT CHECK (from_status IN ('draft', 'open', 'offers', 'placed', 'withdrawn', 'unmet')),
    to_status   TEXT CHECK (to_status IN ('draft', 'open', 'offers', 'placed', 'withdrawn', 'unmet')),
    at          TIMESTAMPTZ NOT NULL,
    user_id     BIGINT REFERENCES users (id),
    CHECK (from_status IS NOT NULL OR to_status IS NOT NULL)
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, id);

-- Provider onboarding (issue 16): a provider asks to join; the hub's or a council's administrator
-- approves or refuses it; on approval the provider's first manager is invited by e-mail with a
-- one-time link. Only a SHA-256 of the link's secret is kept, as for sessions and API tokens.
CREATE TABLE applications (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_name TEXT NOT NULL CHECK (organisation_name <> ''),
    company_number    TEXT NOT NULL CHECK (length(company_number) = 8),
    urn               TEXT CHECK (urn IS NULL OR length(urn) IN (7, 8)),
    contact_name      TEXT NOT NULL CHECK (contact_name <> ''),
    contact_email     TEXT NOT NULL CHECK (contact_email = lower(contact_email) AND contact_email LIKE '_%@_%._%'),
    contact_phone     TEXT,
    -- DfE LA codes, space-separated, sorted ('' for none).
    councils          TEXT NOT NULL CHECK (councils NOT GLOB '*[^0-9 ]*'),
    framework         INTEGER NOT NULL CHECK (framework IN (0, 1)),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    submitted_at      TEXT NOT NULL CHECK (julianday(submitted_at) IS NOT NULL),
    -- Where the request came from: the "ask to join" form is throttled by address.
    from_ip           TEXT NOT NULL,
    decided_at        TEXT CHECK (decided_at IS NULL OR julianday(decided_at) IS NOT NULL),
    decided_by        INTEGER REFERENCES users (id),
    reason            TEXT,
    organisation_id   INTEGER REFERENCES organisations (id),
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK ((status = 'approved') = (organisation_id IS NOT NULL)),
    CHECK (status <> 'refused' OR reason IS NOT NULL)
) STRICT;
CREATE INDEX applications_by_ip ON applications (from_ip, id);
CREATE INDEX applications_by_organisation ON applications (organisation_id) WHERE organisation_id IS NOT NULL;

CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash     TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    application_id INTEGER REFERENCES applications (id),
    created_at     TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    expires_at     TEXT NOT NULL CHECK (julianday(expires_at) > julianday(created_at)),
    used_at        TEXT CHECK (used_at IS NULL OR julianday(used_at) IS NOT NULL)
) STRICT;
CREATE INDEX invitations_by_user ON invitations (user_id);

-- An invitation e-mail carries its link's secret: its body is replaced once it has been sent (or given up),
-- so the outbox does not keep a working link for the rest of its retention.
ALTER TABLE outbox ADD COLUMN one_time_link INTEGER NOT NULL DEFAULT 0 CHECK (one_time_link IN (0, 1));

-- Signing in, on SQLite: password hashes and an active flag on users, sessions, API tokens, sign-in
-- attempts (for throttling), and which providers each referral was sent to.
--
-- Secrets are never stored: sessions and tokens are kept as the hex SHA-256 of what the client holds,
-- and the CHECKs refuse anything else, so a raw secret cannot be written by mistake. Timestamps are RFC
-- 3339 TEXT in UTC whose fraction varies in width, so the store compares them through julianday(), and
-- the throttling indexes are on that expression. PostgreSQL's migration has the same tables and rules.

ALTER TABLE users ADD COLUMN password_hash TEXT CHECK (password_hash <> '');
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- AUTOINCREMENT, as the audit log's: audit lines name sessions and tokens by id, so an id must never be
-- handed out twice, even after old rows are pruned.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL CHECK (csrf_token <> ''),
    created_at TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    expires_at TEXT NOT NULL CHECK (julianday(expires_at) IS NOT NULL),
    revoked_at TEXT CHECK (revoked_at IS NULL OR julianday(revoked_at) IS NOT NULL),
    ip         TEXT,
    user_agent TEXT,
    CHECK (julianday(expires_at) > julianday(created_at))
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- `scopes` is the token's capability codes separated by single spaces (as OAuth writes scopes); the store
-- parses each back through the domain's code list when it reads a token.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    issued_by       INTEGER NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL CHECK (name <> ''),
    scopes          TEXT NOT NULL CHECK (scopes NOT GLOB '*[^-a-z: ]*' AND scopes NOT GLOB '*  *'
                        AND scopes NOT GLOB ' *' AND scopes NOT GLOB '* '),
    created_at      TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    expires_at      TEXT CHECK (expires_at IS NULL OR julianday(expires_at) > julianday(created_at)),
    revoked_at      TEXT CHECK (revoked_at IS NULL OR julianday(revoked_at) IS NOT NULL)
) STRICT;
CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id);

-- Every attempt, kept for throttling. `email` is as typed (lower-cased), not a reference to a user:
-- attempts on addresses nobody has are throttled too. Only failures are counted, so only they are indexed.
CREATE TABLE sign_in_attempts (
    id        INTEGER PRIMARY KEY,
    email     TEXT NOT NULL,
    ip        TEXT NOT NULL,
    at        TEXT NOT NULL CHECK (julianday(at) IS NOT NULL),
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
) STRICT;
CREATE INDEX sign_in_failures_by_email ON sign_in_attempts (email, julianday(at)) WHERE NOT succeeded;
CREATE INDEX sign_in_failures_by_ip ON sign_in_attempts (ip, julianday(at)) WHERE NOT succeeded;

-- The providers a referral was sent to: only they may see it (minimised until their offer is accepted).
CREATE TABLE referral_recipients (
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES organisations (id),
    sent_at     TEXT NOT NULL CHECK (julianday(sent_at) IS NOT NULL),
    PRIMARY KEY (referral_id, provider_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX referral_recipients_by_provider ON referral_recipients (provider_id);

-- A region loaded before this migration: every provider that offered or declined was sent the referral,
-- when it was made (the same rule the store applies when it loads a region).
INSERT INTO referral_recipients (referral_id, provider_id, sent_at)
SELECT r.id, answered.provider_id, r.created_at
FROM (SELECT referral_id, provider_id FROM offers UNION SELECT referral_id, provider_id FROM declines) AS answered
JOIN referrals r ON r.id = answered.referral_id;

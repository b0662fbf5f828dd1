-- Signing in, on PostgreSQL: the same tables and rules as SQLite's migration, in PostgreSQL's own types.
--
-- Secrets are never stored: sessions and tokens are kept as the hex SHA-256 of what the client holds,
-- and the CHECKs refuse anything else, so a raw secret cannot be written by mistake. New tables number
-- their own rows (ALWAYS): nothing is loaded into them with ids kept.

ALTER TABLE users ADD COLUMN password_hash TEXT CHECK (password_hash <> '');
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE sessions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL CHECK (csrf_token <> ''),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    ip         TEXT,
    user_agent TEXT,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- `scopes` is the token's capability codes separated by single spaces (as OAuth writes scopes); the store
-- parses each back through the domain's code list when it reads a token.
CREATE TABLE api_tokens (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    issued_by       BIGINT NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL CHECK (name <> ''),
    scopes          TEXT NOT NULL CHECK (scopes ~ '^([-a-z:]+( [-a-z:]+)*)?$'),
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ CHECK (expires_at > created_at),
    revoked_at      TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id);

-- Every attempt, kept for throttling. `email` is as typed (lower-cased), not a reference to a user:
-- attempts on addresses nobody has are throttled too. Only failures are counted, so only they are indexed.
CREATE TABLE sign_in_attempts (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     TEXT NOT NULL,
    ip        TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_attempts (email, at) WHERE NOT succeeded;
CREATE INDEX sign_in_failures_by_ip ON sign_in_attempts (ip, at) WHERE NOT succeeded;

-- The providers a referral was sent to: only they may see it (minimised until their offer is accepted).
CREATE TABLE referral_recipients (
    referral_id BIGINT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES organisations (id),
    sent_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (referral_id, provider_id)
);
CREATE INDEX referral_recipients_by_provider ON referral_recipients (provider_id);

-- A region loaded before this migration: every provider that offered or declined was sent the referral,
-- when it was made (the same rule the store applies when it loads a region).
INSERT INTO referral_recipients (referral_id, provider_id, sent_at)
SELECT r.id, answered.provider_id, r.created_at
FROM (SELECT referral_id, provider_id FROM offers UNION SELECT referral_id, provider_id FROM declines) AS answered
JOIN referrals r ON r.id = answered.referral_id;

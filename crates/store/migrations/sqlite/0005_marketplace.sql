-- The marketplace, on SQLite: sending referrals (by choice, to every fitting provider, or by the
-- council's cascade), offers' terms, declines' notes, placement agreements, the outbox of e-mails,
-- in-app notices, and idempotency keys for API clients that retry.

-- One row per sending: an officer's send, or one step of a cascade. The open one (closed_at NULL) is
-- the one whose deadline the escalation job watches.
CREATE TABLE referral_sendings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id  INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    mode         TEXT NOT NULL CHECK (mode IN ('chosen', 'all_fitting', 'cascade')),
    step         TEXT CHECK (step IN ('in_house', 'block', 'framework', 'spot')),
    opened_at    TEXT NOT NULL CHECK (julianday(opened_at) IS NOT NULL),
    due_at       TEXT NOT NULL CHECK (julianday(due_at) IS NOT NULL),
    -- NULL when Hearth's escalation job opened it.
    sent_by      INTEGER REFERENCES users (id),
    overdue_told INTEGER NOT NULL DEFAULT 0 CHECK (overdue_told IN (0, 1)),
    closed_at    TEXT CHECK (closed_at IS NULL OR julianday(closed_at) IS NOT NULL),
    CHECK ((mode = 'cascade') = (step IS NOT NULL))
) STRICT;
CREATE INDEX referral_sendings_by_referral ON referral_sendings (referral_id, id);
-- At most one open sending per referral.
CREATE UNIQUE INDEX referral_sendings_open ON referral_sendings (referral_id) WHERE closed_at IS NULL;

-- Which sending reached each provider (NULL for a loaded region's history).
ALTER TABLE referral_recipients ADD COLUMN sending_id INTEGER REFERENCES referral_sendings (id);

ALTER TABLE offers ADD COLUMN vacancy_id INTEGER REFERENCES vacancies (id);
ALTER TABLE offers ADD COLUMN includes TEXT NOT NULL DEFAULT '' CHECK (length(includes) <= 8000);
ALTER TABLE offers ADD COLUMN notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 8000);
ALTER TABLE offers ADD COLUMN closed_at TEXT CHECK (closed_at IS NULL OR julianday(closed_at) IS NOT NULL);
-- A home is offered once at a time for a referral, and a referral accepts one offer: the database
-- holds these even if two requests race past the service's checks.
CREATE UNIQUE INDEX offers_live_per_home ON offers (referral_id, home_id) WHERE status = 'made';
CREATE UNIQUE INDEX offers_accepted_per_referral ON offers (referral_id) WHERE status = 'accepted';

ALTER TABLE declines ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 8000);

-- Individual Placement Agreements: each version's exact text and its hash; signatures carry the hash
-- of the text their signer saw.
CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    offer_id    INTEGER NOT NULL REFERENCES offers (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    text        TEXT NOT NULL,
    text_hash   TEXT NOT NULL CHECK (length(text_hash) = 64),
    created_at  TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    superseded  INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
    UNIQUE (offer_id, version)
) STRICT;
CREATE INDEX agreements_by_referral ON agreements (referral_id);

CREATE TABLE agreement_signatures (
    agreement_id    INTEGER NOT NULL REFERENCES agreements (id),
    party           TEXT NOT NULL CHECK (party IN ('council', 'provider')),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    at              TEXT NOT NULL CHECK (julianday(at) IS NOT NULL),
    text_hash       TEXT NOT NULL CHECK (length(text_hash) = 64),
    PRIMARY KEY (agreement_id, party)
) STRICT, WITHOUT ROWID;

-- E-mails to send, written in the same transaction as the change they tell of, so a crash between the
-- change and the sending loses neither; delivered (and retried) by the outbox worker.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient       TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    referral_id     INTEGER REFERENCES referrals (id),
    created_at      TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL CHECK (julianday(next_attempt_at) IS NOT NULL),
    sent_at         TEXT CHECK (sent_at IS NULL OR julianday(sent_at) IS NOT NULL),
    -- Set when delivery was given up (a permanent refusal, or too many attempts).
    failed_at       TEXT CHECK (failed_at IS NULL OR julianday(failed_at) IS NOT NULL),
    last_error      TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_by_referral ON outbox (referral_id) WHERE referral_id IS NOT NULL;

-- In-app notices: to everyone in an organisation, or to one user.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id         INTEGER REFERENCES users (id),
    referral_id     INTEGER REFERENCES referrals (id),
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL)
) STRICT;
CREATE INDEX notices_by_organisation ON notices (organisation_id, id);

-- Idempotency keys: a client that retries a POST with the same key gets the first answer back instead
-- of a second record. `owner` is a hash of the credential; `status` is NULL while the first request
-- is still running.
CREATE TABLE idempotency_keys (
    owner       TEXT NOT NULL,
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint TEXT NOT NULL,
    status      INTEGER,
    body        TEXT,
    created_at  TEXT NOT NULL CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (owner, key)
) STRICT, WITHOUT ROWID;

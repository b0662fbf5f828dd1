-- Timestamps at one width, on SQLite. sqlx wrote moments as RFC 3339 text whose fraction varies in width
-- ('...T09:00:00Z', '...T09:00:00.5Z') and the audit log's default wrote milliseconds, so the text did not
-- sort in time order and every comparison went through julianday(). Hearth now writes every moment in UTC
-- with nine fractional digits ('2026-11-25T09:00:00.500000000Z'), so text order is time order and plain
-- indexes on the columns serve comparisons. This rewrites the moments already stored in that form:
-- first the UTC ('Z') text sqlx and the audit default wrote, digits kept and padded; then anything else
-- (another offset, a space for 'T') through strftime, which converts to UTC to the millisecond.
--
-- PostgreSQL stores TIMESTAMPTZ, already compared as moments; its 0012 only drops the audit log's default.
-- Here the default stays (SQLite cannot drop one without rebuilding the table), but the store always
-- writes the moment itself, from the service's clock.

-- The audit log refuses changes; its triggers stand aside for this one rewrite, and come back below.
DROP TRIGGER audit_log_no_update;

UPDATE referrals SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referrals SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE referrals SET closed_at = substr(closed_at, 1, 19) || '.' || substr(CASE WHEN substr(closed_at, 20, 1) = '.'
    THEN substr(closed_at, 21, length(closed_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(closed_at) <> 30 AND closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referrals SET closed_at = strftime('%Y-%m-%dT%H:%M:%f', closed_at) || '000000Z' WHERE length(closed_at) <> 30 OR closed_at NOT LIKE '%Z';

UPDATE offers SET made_at = substr(made_at, 1, 19) || '.' || substr(CASE WHEN substr(made_at, 20, 1) = '.'
    THEN substr(made_at, 21, length(made_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(made_at) <> 30 AND made_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE offers SET made_at = strftime('%Y-%m-%dT%H:%M:%f', made_at) || '000000Z' WHERE length(made_at) <> 30 OR made_at NOT LIKE '%Z';

UPDATE offers SET closed_at = substr(closed_at, 1, 19) || '.' || substr(CASE WHEN substr(closed_at, 20, 1) = '.'
    THEN substr(closed_at, 21, length(closed_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(closed_at) <> 30 AND closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE offers SET closed_at = strftime('%Y-%m-%dT%H:%M:%f', closed_at) || '000000Z' WHERE length(closed_at) <> 30 OR closed_at NOT LIKE '%Z';

UPDATE declines SET declined_at = substr(declined_at, 1, 19) || '.' || substr(CASE WHEN substr(declined_at, 20, 1) = '.'
    THEN substr(declined_at, 21, length(declined_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(declined_at) <> 30 AND declined_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE declines SET declined_at = strftime('%Y-%m-%dT%H:%M:%f', declined_at) || '000000Z' WHERE length(declined_at) <> 30 OR declined_at NOT LIKE '%Z';

UPDATE sessions SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE sessions SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE sessions SET expires_at = substr(expires_at, 1, 19) || '.' || substr(CASE WHEN substr(expires_at, 20, 1) = '.'
    THEN substr(expires_at, 21, length(expires_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(expires_at) <> 30 AND expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE sessions SET expires_at = strftime('%Y-%m-%dT%H:%M:%f', expires_at) || '000000Z' WHERE length(expires_at) <> 30 OR expires_at NOT LIKE '%Z';

UPDATE sessions SET revoked_at = substr(revoked_at, 1, 19) || '.' || substr(CASE WHEN substr(revoked_at, 20, 1) = '.'
    THEN substr(revoked_at, 21, length(revoked_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(revoked_at) <> 30 AND revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE sessions SET revoked_at = strftime('%Y-%m-%dT%H:%M:%f', revoked_at) || '000000Z' WHERE length(revoked_at) <> 30 OR revoked_at NOT LIKE '%Z';

UPDATE api_tokens SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE api_tokens SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE api_tokens SET expires_at = substr(expires_at, 1, 19) || '.' || substr(CASE WHEN substr(expires_at, 20, 1) = '.'
    THEN substr(expires_at, 21, length(expires_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(expires_at) <> 30 AND expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%f', expires_at) || '000000Z' WHERE length(expires_at) <> 30 OR expires_at NOT LIKE '%Z';

UPDATE api_tokens SET revoked_at = substr(revoked_at, 1, 19) || '.' || substr(CASE WHEN substr(revoked_at, 20, 1) = '.'
    THEN substr(revoked_at, 21, length(revoked_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(revoked_at) <> 30 AND revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%f', revoked_at) || '000000Z' WHERE length(revoked_at) <> 30 OR revoked_at NOT LIKE '%Z';

UPDATE sign_in_attempts SET at = substr(at, 1, 19) || '.' || substr(CASE WHEN substr(at, 20, 1) = '.'
    THEN substr(at, 21, length(at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(at) <> 30 AND at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE sign_in_attempts SET at = strftime('%Y-%m-%dT%H:%M:%f', at) || '000000Z' WHERE length(at) <> 30 OR at NOT LIKE '%Z';

UPDATE referral_recipients SET sent_at = substr(sent_at, 1, 19) || '.' || substr(CASE WHEN substr(sent_at, 20, 1) = '.'
    THEN substr(sent_at, 21, length(sent_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(sent_at) <> 30 AND sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_recipients SET sent_at = strftime('%Y-%m-%dT%H:%M:%f', sent_at) || '000000Z' WHERE length(sent_at) <> 30 OR sent_at NOT LIKE '%Z';

UPDATE referral_details SET updated_at = substr(updated_at, 1, 19) || '.' || substr(CASE WHEN substr(updated_at, 20, 1) = '.'
    THEN substr(updated_at, 21, length(updated_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(updated_at) <> 30 AND updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_details SET updated_at = strftime('%Y-%m-%dT%H:%M:%f', updated_at) || '000000Z' WHERE length(updated_at) <> 30 OR updated_at NOT LIKE '%Z';

UPDATE referral_events SET at = substr(at, 1, 19) || '.' || substr(CASE WHEN substr(at, 20, 1) = '.'
    THEN substr(at, 21, length(at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(at) <> 30 AND at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_events SET at = strftime('%Y-%m-%dT%H:%M:%f', at) || '000000Z' WHERE length(at) <> 30 OR at NOT LIKE '%Z';

UPDATE referral_sendings SET opened_at = substr(opened_at, 1, 19) || '.' || substr(CASE WHEN substr(opened_at, 20, 1) = '.'
    THEN substr(opened_at, 21, length(opened_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(opened_at) <> 30 AND opened_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_sendings SET opened_at = strftime('%Y-%m-%dT%H:%M:%f', opened_at) || '000000Z' WHERE length(opened_at) <> 30 OR opened_at NOT LIKE '%Z';

UPDATE referral_sendings SET due_at = substr(due_at, 1, 19) || '.' || substr(CASE WHEN substr(due_at, 20, 1) = '.'
    THEN substr(due_at, 21, length(due_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(due_at) <> 30 AND due_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_sendings SET due_at = strftime('%Y-%m-%dT%H:%M:%f', due_at) || '000000Z' WHERE length(due_at) <> 30 OR due_at NOT LIKE '%Z';

UPDATE referral_sendings SET closed_at = substr(closed_at, 1, 19) || '.' || substr(CASE WHEN substr(closed_at, 20, 1) = '.'
    THEN substr(closed_at, 21, length(closed_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(closed_at) <> 30 AND closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE referral_sendings SET closed_at = strftime('%Y-%m-%dT%H:%M:%f', closed_at) || '000000Z' WHERE length(closed_at) <> 30 OR closed_at NOT LIKE '%Z';

UPDATE agreements SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE agreements SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE agreement_signatures SET at = substr(at, 1, 19) || '.' || substr(CASE WHEN substr(at, 20, 1) = '.'
    THEN substr(at, 21, length(at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(at) <> 30 AND at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE agreement_signatures SET at = strftime('%Y-%m-%dT%H:%M:%f', at) || '000000Z' WHERE length(at) <> 30 OR at NOT LIKE '%Z';

UPDATE outbox SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE outbox SET next_attempt_at = substr(next_attempt_at, 1, 19) || '.' || substr(CASE WHEN substr(next_attempt_at, 20, 1) = '.'
    THEN substr(next_attempt_at, 21, length(next_attempt_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(next_attempt_at) <> 30 AND next_attempt_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE outbox SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%f', next_attempt_at) || '000000Z' WHERE length(next_attempt_at) <> 30 OR next_attempt_at NOT LIKE '%Z';

UPDATE outbox SET sent_at = substr(sent_at, 1, 19) || '.' || substr(CASE WHEN substr(sent_at, 20, 1) = '.'
    THEN substr(sent_at, 21, length(sent_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(sent_at) <> 30 AND sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%f', sent_at) || '000000Z' WHERE length(sent_at) <> 30 OR sent_at NOT LIKE '%Z';

UPDATE outbox SET failed_at = substr(failed_at, 1, 19) || '.' || substr(CASE WHEN substr(failed_at, 20, 1) = '.'
    THEN substr(failed_at, 21, length(failed_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(failed_at) <> 30 AND failed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE outbox SET failed_at = strftime('%Y-%m-%dT%H:%M:%f', failed_at) || '000000Z' WHERE length(failed_at) <> 30 OR failed_at NOT LIKE '%Z';

UPDATE notices SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE notices SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE idempotency_keys SET created_at = substr(created_at, 1, 19) || '.' || substr(CASE WHEN substr(created_at, 20, 1) = '.'
    THEN substr(created_at, 21, length(created_at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(created_at) <> 30 AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE idempotency_keys SET created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000000Z' WHERE length(created_at) <> 30 OR created_at NOT LIKE '%Z';

UPDATE audit_log SET at = substr(at, 1, 19) || '.' || substr(CASE WHEN substr(at, 20, 1) = '.'
    THEN substr(at, 21, length(at) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
WHERE length(at) <> 30 AND at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z';
UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%f', at) || '000000Z' WHERE length(at) <> 30 OR at NOT LIKE '%Z';

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: a line cannot be changed');
END;

-- The throttle's look-ups compare the bare column now: index it, not julianday() of it.
DROP INDEX sign_in_failures_by_email;
DROP INDEX sign_in_failures_by_ip;
CREATE INDEX sign_in_failures_by_email ON sign_in_attempts (email, at) WHERE NOT succeeded;
CREATE INDEX sign_in_failures_by_ip ON sign_in_attempts (ip, at) WHERE NOT succeeded;

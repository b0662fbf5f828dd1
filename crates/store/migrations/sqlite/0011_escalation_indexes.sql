-- The escalation job counts, for every open sending, its recipients who have neither offered nor declined.
-- Without these it read every recipient row once per open sending, and matched offers and declines by
-- provider alone: 1.5–6 s a run with a few hundred open sendings on SQLite, every 30 s. With them each
-- count is a handful of index look-ups (see BENCHMARKS.md, "The escalation job").
CREATE INDEX referral_recipients_by_sending ON referral_recipients (sending_id);

-- (referral, provider) serves "has this provider answered this referral" and, as its prefix, every
-- look-up by referral that the single-column indexes served.
CREATE INDEX offers_by_referral_provider ON offers (referral_id, provider_id);
DROP INDEX offers_by_referral;
CREATE INDEX declines_by_referral_provider ON declines (referral_id, provider_id);
DROP INDEX declines_by_referral;

-- One standing answer per provider a referral: a provider that declined and then offers has its decline
-- superseded by that offer (kept, for the record, but no longer shown or counted as a decline).
ALTER TABLE declines ADD COLUMN superseded_by INTEGER REFERENCES offers (id);
CREATE INDEX declines_standing ON declines (referral_id, provider_id) WHERE superseded_by IS NULL;

-- A home's children placed now are counted inside every write that changes its places.
CREATE INDEX placements_open_by_home ON placements (home_id) WHERE end_date IS NULL AND home_id IS NOT NULL;

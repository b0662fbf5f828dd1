-- What a provider keeps of a home beyond what matching reads (issue 16): its full postcode (private;
-- only the district in `homes` is ever shown), accessibility and adaptations in words, the weekly
-- prices of its higher need bands, and when and why it closed. One row per home opened or changed
-- through Hearth; a home without one has none of these.
CREATE TABLE home_profiles (
    home_id         INTEGER PRIMARY KEY REFERENCES homes (id) ON DELETE CASCADE,
    postcode        TEXT CHECK (length(postcode) BETWEEN 5 AND 8),
    accessibility   TEXT NOT NULL DEFAULT '' CHECK (length(accessibility) <= 10000),
    price_enhanced  INTEGER CHECK (price_enhanced BETWEEN 1 AND 50000),
    price_intensive INTEGER CHECK (price_intensive BETWEEN 1 AND 50000),
    closed_on       TEXT CHECK (date(closed_on) IS closed_on),
    close_reason    TEXT CHECK (length(close_reason) <= 10000),
    CHECK ((closed_on IS NULL) = (close_reason IS NULL))
) STRICT;
CREATE INDEX homes_by_urn ON homes (urn);

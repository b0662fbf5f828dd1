-- Each council's matching weights (hearth_matching::Weights as JSON); a council without a row uses
-- the defaults. Who changed them and when is in the audit log (`weights.update`).
CREATE TABLE council_weights (
    la_code INTEGER PRIMARY KEY CHECK (la_code BETWEEN 100 AND 999),
    weights TEXT NOT NULL CHECK (weights <> '')
) STRICT;

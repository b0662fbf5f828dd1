-- What a contract buys: a service (kinds of home) and optionally named homes. Before this, a
-- council's one contract with a provider priced every home the provider ran, whatever its kind.
CREATE TABLE contract_kinds (
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('foster_in_house', 'foster_agency', 'connected_person',
                    'childrens_home', 'residential_special_school', 'secure_childrens_home', 'sa_shared_house',
                    'sa_single', 'sa_supported_lodgings', 'sa_staffed_shared', 'sa_floating_support',
                    'sa_low_support')),
    PRIMARY KEY (contract_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE contract_homes (
    contract_id INTEGER NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    home_id     INTEGER NOT NULL REFERENCES homes (id) ON DELETE CASCADE,
    PRIMARY KEY (contract_id, home_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contract_homes_by_home ON contract_homes (home_id);

-- Contracts recorded before keep what they meant then: every kind of home the provider runs.
WITH every_kind (kind) AS (VALUES ('foster_in_house'), ('foster_agency'), ('connected_person'),
    ('childrens_home'), ('residential_special_school'), ('secure_childrens_home'), ('sa_shared_house'),
    ('sa_single'), ('sa_supported_lodgings'), ('sa_staffed_shared'), ('sa_floating_support'), ('sa_low_support'))
INSERT INTO contract_kinds (contract_id, kind)
SELECT c.id, k.kind FROM contracts c CROSS JOIN every_kind k;

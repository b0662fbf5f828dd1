-- A contract's terms changed from a date (issue 16): its first terms stay in `contracts`, each change
-- is a row here, so what was agreed before reads as it was and the cascade uses the terms in force on
-- the day it is asked about. One change a contract a day.
CREATE TABLE contract_versions (
    contract_id  BIGINT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    takes_effect DATE NOT NULL,
    weekly_price INTEGER NOT NULL CHECK (weekly_price BETWEEN 1 AND 50000),
    block_beds   INTEGER NOT NULL CHECK (block_beds BETWEEN 0 AND 65535),
    PRIMARY KEY (contract_id, takes_effect)
);

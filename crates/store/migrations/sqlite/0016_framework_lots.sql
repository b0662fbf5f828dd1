-- The regional fostering framework's members (issue 16): which providers the hub has on it, and for
-- which lots (kinds of home). The cascade reads them as the framework tier for every council in the
-- region where no council contract covers the home. A provider with no rows is not on it.
CREATE TABLE framework_lots (
    provider_id INTEGER NOT NULL REFERENCES organisations (id),
    kind        TEXT NOT NULL CHECK (kind IN ('foster_in_house', 'foster_agency', 'connected_person',
                    'childrens_home', 'residential_special_school', 'secure_childrens_home', 'sa_shared_house',
                    'sa_single', 'sa_supported_lodgings', 'sa_staffed_shared', 'sa_floating_support',
                    'sa_low_support')),
    PRIMARY KEY (provider_id, kind)
) STRICT, WITHOUT ROWID;

-- CIN, the SSDA903 category of need recorded when a child's period of care began. Nullable: records
-- loaded before this migration, and councils that have not recorded it, have none.
ALTER TABLE children ADD COLUMN category_of_need TEXT
    CHECK (category_of_need IN ('N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'));

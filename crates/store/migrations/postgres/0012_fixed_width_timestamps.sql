-- The audit log's moment comes from Hearth's clock (the service's), never the database's: the store
-- always writes it, so the default that let the database fill it in goes. (On SQLite the same
-- migration rewrites stored moments to one width; PostgreSQL's TIMESTAMPTZ needs nothing of that.)
ALTER TABLE audit_log ALTER COLUMN at DROP DEFAULT;

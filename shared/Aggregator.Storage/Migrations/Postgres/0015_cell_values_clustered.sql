-- The embedded database stores a version's cells clustered on their key from this migration on. PostgreSQL keeps
-- its table and key index as they are: its COPY path and index-only reads need no change. The script keeps the three
-- dialects' migrations in step.
SELECT 1;

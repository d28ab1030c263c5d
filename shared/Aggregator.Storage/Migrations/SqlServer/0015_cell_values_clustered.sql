-- The embedded database stores a version's cells clustered on their key from this migration on. SQL Server already
-- does: its primary key is the table's clustered index. The script keeps the three dialects' migrations in step.
SELECT 1;

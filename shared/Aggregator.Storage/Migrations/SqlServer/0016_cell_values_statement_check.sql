-- PostgreSQL checks that every cell belongs to a stored version once per statement from this migration on, instead
-- of through a foreign key row by row. SQL Server keeps its foreign key, which SqlBulkCopy checks for the whole
-- batch (CheckConstraints). The script keeps the three dialects' migrations in step.
SELECT 1;

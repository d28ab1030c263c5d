-- A rollup is completed only once its report is stored: between the sums and the report it is 'rendering'.
-- A failure keeps a stable code beside its message, and the sums' time is kept apart from the completion's.
ALTER TABLE rollups DROP CONSTRAINT ck_rollups_status;
ALTER TABLE rollups ADD CONSTRAINT ck_rollups_status CHECK (status IN ('requested', 'rendering', 'completed', 'failed'));
ALTER TABLE rollups ADD error_code nvarchar(64) NULL, computed_at datetimeoffset(7) NULL;
GO

UPDATE rollups SET computed_at = completed_at WHERE status = 'completed';
UPDATE rollups SET error_code = 'rollup_failed' WHERE status = 'failed';

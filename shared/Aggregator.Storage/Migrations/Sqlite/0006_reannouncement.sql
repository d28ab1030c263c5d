-- The reconciler announces again what waited too long for its next step. The time of the last announcement is
-- kept on the record itself, so that of several processes only the one whose guarded update wins announces it.
ALTER TABLE submission_versions ADD COLUMN announced_at TEXT NULL;
ALTER TABLE rollups ADD COLUMN announced_at TEXT NULL;
CREATE INDEX ix_submission_versions_received ON submission_versions (received_at) WHERE status = 'received';

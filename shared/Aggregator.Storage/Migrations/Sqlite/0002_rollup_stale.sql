ALTER TABLE rollups ADD COLUMN stale_since TEXT NULL;

-- Staleness used to live only in the audit log; carry it over so existing rollups keep their state.
UPDATE rollups
SET stale_since = (
  SELECT MIN(a.occurred_at) FROM audit_log a
  WHERE a.target_type = 'rollup' AND a.action = 'rollup.superseded' AND a.target_id = rollups.id)
WHERE status = 'completed'
  AND EXISTS (
    SELECT 1 FROM audit_log a
    WHERE a.target_type = 'rollup' AND a.action = 'rollup.superseded' AND a.target_id = rollups.id);

ALTER TABLE rollups ADD COLUMN stale_since timestamptz NULL;

-- Staleness used to live only in the audit log; carry it over so existing rollups keep their state.
UPDATE rollups
SET stale_since = superseded.first_at
FROM (
  SELECT target_id, MIN(occurred_at) AS first_at FROM audit_log
  WHERE target_type = 'rollup' AND action = 'rollup.superseded'
  GROUP BY target_id) AS superseded
WHERE superseded.target_id = rollups.id::text AND rollups.status = 'completed';

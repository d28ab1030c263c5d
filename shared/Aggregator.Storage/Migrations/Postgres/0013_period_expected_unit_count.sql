-- The expected units are snapshotted when a period is opened and never change, so their count is stored with the
-- period: counting them on every read made each submission's period lookup cost as much as the period was large.
ALTER TABLE periods ADD expected_unit_count integer NOT NULL DEFAULT 0;

UPDATE periods SET expected_unit_count = (SELECT COUNT(*) FROM period_units pu WHERE pu.period_id = periods.id);

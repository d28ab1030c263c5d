-- A period keeps the tree as it stood when it was opened: a unit moved to another district later still counts under
-- the district it reported to that year, so old rollups and their drill-downs are reproducible.
ALTER TABLE period_units ADD COLUMN parent_code TEXT NULL;

UPDATE period_units SET parent_code = (SELECT o.parent_code FROM org_units o WHERE o.code = period_units.unit_code);

CREATE INDEX ix_period_units_parent ON period_units (period_id, parent_code);

-- A rollup's totals split by the direct children of its root, computed in the same pass as the totals: the report's
-- breakdown and the CLI's children read these rows instead of streaming every unit's cells again. Rollups built
-- before this migration have none and are split by streaming their inputs' cells, as before.
CREATE TABLE rollup_child_values (
  rollup_id TEXT NOT NULL,
  child_code TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NOT NULL,
  CONSTRAINT pk_rollup_child_values PRIMARY KEY (rollup_id, child_code, cell_id),
  CONSTRAINT fk_rollup_child_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT ck_rollup_child_values_value CHECK (
    value NOT GLOB '*[^0-9.-]*' AND value NOT GLOB '?*-*' AND value NOT GLOB '*.*.*'
    AND (value GLOB '[0-9]*' OR value GLOB '-[0-9]*') AND value GLOB '*[0-9]'
    AND (instr(value, '.') = 0 OR length(value) - instr(value, '.') <= 6)
    AND (CASE WHEN instr(value, '.') = 0 THEN length(value) ELSE instr(value, '.') - 1 END) - (value GLOB '-*') <= 15)
) STRICT, WITHOUT ROWID;


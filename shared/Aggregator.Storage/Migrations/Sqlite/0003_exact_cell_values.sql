-- Values were already exact decimal text; what was missing is the numeric(21,6) contract the other databases keep.
-- The tables are rebuilt with a check that the text is a plain decimal (no exponent, as a double would print) with
-- at most fifteen integer digits and six places. Every value stored before passes it and is copied unchanged.
CREATE TABLE cell_values_0003 (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NULL,
  raw_text TEXT NULL,
  flags INTEGER NOT NULL,
  CONSTRAINT pk_cell_values PRIMARY KEY (submission_id, version, cell_id),
  CONSTRAINT fk_cell_values_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_cell_values_value CHECK (value IS NULL OR (
    value NOT GLOB '*[^0-9.-]*' AND value NOT GLOB '?*-*' AND value NOT GLOB '*.*.*'
    AND (value GLOB '[0-9]*' OR value GLOB '-[0-9]*') AND value GLOB '*[0-9]'
    AND (instr(value, '.') = 0 OR length(value) - instr(value, '.') <= 6)
    AND (CASE WHEN instr(value, '.') = 0 THEN length(value) ELSE instr(value, '.') - 1 END) - (value GLOB '-*') <= 15))
) STRICT;
INSERT INTO cell_values_0003 (submission_id, version, cell_id, value, raw_text, flags)
SELECT submission_id, version, cell_id, value, raw_text, flags FROM cell_values;
DROP TABLE cell_values;
ALTER TABLE cell_values_0003 RENAME TO cell_values;

CREATE TABLE rollup_values_0003 (
  rollup_id TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NULL,
  CONSTRAINT pk_rollup_values PRIMARY KEY (rollup_id, cell_id),
  CONSTRAINT fk_rollup_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT ck_rollup_values_value CHECK (value IS NULL OR (
    value NOT GLOB '*[^0-9.-]*' AND value NOT GLOB '?*-*' AND value NOT GLOB '*.*.*'
    AND (value GLOB '[0-9]*' OR value GLOB '-[0-9]*') AND value GLOB '*[0-9]'
    AND (instr(value, '.') = 0 OR length(value) - instr(value, '.') <= 6)
    AND (CASE WHEN instr(value, '.') = 0 THEN length(value) ELSE instr(value, '.') - 1 END) - (value GLOB '-*') <= 15))
) STRICT;
INSERT INTO rollup_values_0003 (rollup_id, cell_id, value)
SELECT rollup_id, cell_id, value FROM rollup_values;
DROP TABLE rollup_values;
ALTER TABLE rollup_values_0003 RENAME TO rollup_values;

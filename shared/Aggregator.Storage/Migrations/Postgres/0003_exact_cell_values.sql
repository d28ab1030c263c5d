-- Cell and rollup values keep six places, the core's scale (one 分 is 0.000001 万元), so a value read exactly is
-- stored exactly; the fifteen integer digits of numeric(19,4) are kept, so every existing value converts unchanged.
ALTER TABLE cell_values ALTER COLUMN value TYPE numeric(21, 6);
ALTER TABLE rollup_values ALTER COLUMN value TYPE numeric(21, 6);

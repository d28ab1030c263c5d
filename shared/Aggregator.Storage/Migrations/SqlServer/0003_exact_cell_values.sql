-- Cell and rollup values keep six places, the core's scale (one 分 is 0.000001 万元), so a value read exactly is
-- stored exactly; the fifteen integer digits of decimal(19,4) are kept, so every existing value converts unchanged.
ALTER TABLE cell_values ALTER COLUMN value decimal(21, 6) NULL;
GO

ALTER TABLE rollup_values ALTER COLUMN value decimal(21, 6) NULL;

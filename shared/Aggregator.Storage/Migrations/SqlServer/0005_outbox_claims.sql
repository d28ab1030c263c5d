-- A relay claims the rows it publishes for a lease, so that several processes never publish one row together;
-- a row that keeps failing is set aside as 'dead' with its last error instead of being retried for ever.
ALTER TABLE outbox ADD
  status nvarchar(16) NOT NULL CONSTRAINT df_outbox_status DEFAULT 'pending',
  claimed_until datetimeoffset(7) NULL;
GO

ALTER TABLE outbox ADD CONSTRAINT ck_outbox_status CHECK (status IN ('pending', 'published', 'dead'));
UPDATE outbox SET status = 'published' WHERE published_at IS NOT NULL;

DROP INDEX ix_outbox_pending ON outbox;
CREATE INDEX ix_outbox_pending ON outbox (id) INCLUDE (created_at, claimed_until) WHERE status = 'pending';
CREATE INDEX ix_outbox_published ON outbox (published_at) WHERE status = 'published';
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

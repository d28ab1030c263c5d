-- A relay claims the rows it publishes for a lease, so that several processes never publish one row together;
-- a row that keeps failing is set aside as 'dead' with its last error instead of being retried for ever.
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'dead'));
ALTER TABLE outbox ADD COLUMN claimed_until TEXT NULL;
UPDATE outbox SET status = 'published' WHERE published_at IS NOT NULL;

DROP INDEX ix_outbox_pending;
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX ix_outbox_published ON outbox (published_at) WHERE status = 'published';
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

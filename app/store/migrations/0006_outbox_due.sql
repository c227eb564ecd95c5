-- The outbox asks "which message is due next?" before every send. With the state
-- inside the index, SQLite sorted every waiting row to answer; this partial index
-- holds only waiting rows, in due order, so the answer is its first entry.
DROP INDEX outbox_due;
CREATE INDEX outbox_waiting ON outbox (next_attempt_at, id) WHERE state IN ('queued', 'retrying');

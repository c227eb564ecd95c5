-- An outbox claim ("sending") has an owner and a lease, so that two senders on
-- one workspace, however started, never send one copy twice: recovery requeues
-- only a claim whose lease ran out, or whose owner held the workspace lock
-- before this process took it (and so is gone). The owner is a random id per
-- open workspace; the lease is renewed while a message is being transferred.
-- Rows left "sending" by an older version have no lease and are recovered.
ALTER TABLE outbox ADD COLUMN claim_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claim_until TEXT;

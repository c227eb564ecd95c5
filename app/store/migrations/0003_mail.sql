-- Sending: the coach's settings, posts, and the durable outbox.

-- Settings are small named JSON values (the mail account, rate limits). Passwords
-- are never stored here: they live in the system keyring.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Why an address must not be mailed: the member unsubscribed, or mail to it bounced
-- hard. Sending skips these and tells the coach why.
ALTER TABLE clients ADD COLUMN unsubscribed_at TEXT;
ALTER TABLE clients ADD COLUMN bounced_at TEXT;
ALTER TABLE clients ADD COLUMN bounce_reason TEXT NOT NULL DEFAULT '';

-- The Message-ID every message to the cohort refers to, so members' mail clients
-- keep the cohort's mail in one conversation.
ALTER TABLE cohorts ADD COLUMN thread_id TEXT NOT NULL DEFAULT '';

-- A post is what the coach writes to a cohort: an announcement now, digests and
-- replies later.
CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    cohort_id    INTEGER NOT NULL REFERENCES cohorts (id),
    kind         TEXT NOT NULL DEFAULT 'announcement' CHECK (kind IN ('announcement', 'digest', 'reply')),
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'queued')),
    send_at      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    queued_at    TEXT
);
CREATE INDEX posts_cohort ON posts (cohort_id, id);

-- One row per recipient of a post, written in the same transaction as the post is
-- queued, before any network. The message is rendered from the post at send time
-- with the stored Message-ID and date, so a message sent twice after a crash is
-- the same message and mail clients fold the copies.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id),
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    token           TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'retrying', 'failed', 'skipped', 'canceled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_answer     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_post ON outbox (post_id, state);
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

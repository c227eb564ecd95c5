-- foreign_keys: off
-- Trust in incoming mail. A From header proves nothing, so every reply now
-- carries how sure Roundtable is of its sender, and what the coach approved; a
-- bounce stops sending only when it provably concerns mail we sent; an
-- unsubscribe needs its own token and, when unproven, the member's confirmation.
--
-- inbox_messages and replies are rebuilt (SQLite cannot change a CHECK in place)
-- with foreign keys off, as SQLite's own procedure for table changes says; the
-- runner checks every foreign key before it commits.

CREATE TABLE inbox_messages_new (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('reply', 'unmatched', 'auto_reply', 'bounce', 'unsubscribe', 'personal', 'command')),
    client_id    INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL,
    -- The authserv-id of the topmost Authentication-Results field, "" for none:
    -- what the settings suggest as the coach's provider until the coach names it.
    auth_serv_id TEXT NOT NULL DEFAULT ''
);
INSERT INTO inbox_messages_new (id, message_id, content_hash, kind, client_id, reason, imported_at)
    SELECT id, message_id, content_hash, kind, client_id, reason, imported_at FROM inbox_messages;
DROP TABLE inbox_messages;
ALTER TABLE inbox_messages_new RENAME TO inbox_messages;
CREATE UNIQUE INDEX inbox_messages_message_id ON inbox_messages (message_id) WHERE message_id <> '';

-- A reply's trust: 'verified' (the coach's provider confirmed the sender),
-- 'plausible' (from the member's address, no verdict either way), 'unverified'
-- (another sender, or a failing verdict: it waits for the coach). approved_at is
-- the coach's word that it may be shown to the other members whatever its trust
-- or guess. 'personal' replies are the coach's other 1:1 mail with a client,
-- kept only when the coach turned that on. Kind 'command' is a member's one-word
-- reply that changes how they get mail ("digest", "pause").
CREATE TABLE replies_new (
    id               INTEGER PRIMARY KEY,
    inbox_message_id INTEGER NOT NULL UNIQUE REFERENCES inbox_messages (id) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('threaded', 'unmatched', 'personal')),
    post_id          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    client_id        INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    from_name        TEXT NOT NULL,
    from_email       TEXT NOT NULL COLLATE NOCASE,
    subject          TEXT NOT NULL,
    sent_at          TEXT,
    received_at      TEXT NOT NULL,
    text             TEXT NOT NULL,
    quoted           TEXT NOT NULL,
    match_reason     TEXT NOT NULL DEFAULT '',
    guess            INTEGER NOT NULL DEFAULT 0,
    unmatched_reason TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    read_at          TEXT,
    handled_at       TEXT,
    trust            TEXT NOT NULL DEFAULT 'plausible' CHECK (trust IN ('verified', 'plausible', 'unverified')),
    trust_reason     TEXT NOT NULL DEFAULT '',
    approved_at      TEXT,
    -- Only for the coach: the member began with "private", or the coach said so.
    private          INTEGER NOT NULL DEFAULT 0,
    -- The coach's hand on what the group sees: hidden from digests, highlighted
    -- in them, or pinned to the top of the next ones.
    hidden_at        TEXT,
    highlighted      INTEGER NOT NULL DEFAULT 0,
    pinned           INTEGER NOT NULL DEFAULT 0
);
INSERT INTO replies_new (id, inbox_message_id, state, post_id, client_id, from_name, from_email, subject, sent_at,
    received_at, text, quoted, match_reason, guess, unmatched_reason, notes, read_at, handled_at, trust_reason)
    SELECT id, inbox_message_id, state, post_id, client_id, from_name, from_email, subject, sent_at,
    received_at, text, quoted, match_reason, guess, unmatched_reason, notes, read_at, handled_at,
    'Imported before Roundtable checked senders.' FROM replies;
DROP TABLE replies;
ALTER TABLE replies_new RENAME TO replies;
CREATE INDEX replies_post ON replies (post_id, received_at, id) WHERE state = 'threaded';
CREATE INDEX replies_unmatched ON replies (state, id);
CREATE INDEX replies_from ON replies (from_email);

-- The least trust a reply needs to be shown to the cohort's other members
-- without the coach's approval: 'plausible' (verified and plausible replies) or
-- 'verified' ("verified only").
ALTER TABLE cohorts ADD COLUMN reply_sharing TEXT NOT NULL DEFAULT 'plausible' CHECK (reply_sharing IN ('plausible', 'verified'));

-- Each copy's own bounce token: its envelope sender is coach+rt-b-TOKEN@domain
-- where plus-addressing is on, so a bounce arriving there is provably about it.
ALTER TABLE outbox ADD COLUMN bounce_token TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX outbox_bounce_token ON outbox (bounce_token) WHERE bounce_token <> '';

-- Unsubscribing: the member's own token (never the reply token, which is in
-- every copy a member may forward), and a request waiting for the member to
-- confirm it by email, with the confirmation's token.
ALTER TABLE clients ADD COLUMN unsubscribe_token TEXT;
ALTER TABLE clients ADD COLUMN unsubscribe_requested_at TEXT;
ALTER TABLE clients ADD COLUMN unsubscribe_confirm_token TEXT;
CREATE UNIQUE INDEX clients_unsubscribe_token ON clients (unsubscribe_token) WHERE unsubscribe_token IS NOT NULL;
CREATE UNIQUE INDEX clients_unsubscribe_confirm ON clients (unsubscribe_confirm_token) WHERE unsubscribe_confirm_token IS NOT NULL;

-- A delivery report that names a member's address but cites nothing we sent to
-- it: the coach confirms it (the address is marked bouncing) or dismisses it.
-- It never stops sending by itself.
CREATE TABLE suspected_bounces (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    inbox_message_id INTEGER REFERENCES inbox_messages (id) ON DELETE SET NULL,
    email            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    reason           TEXT NOT NULL,
    text             TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed', 'dismissed')),
    decided_at       TEXT
);
CREATE INDEX suspected_bounces_client ON suspected_bounces (client_id, state);

-- What happened to a client's mail over time, with the evidence: unsubscribed
-- (and by what), resubscribed by the coach, a bounce confirmed or dismissed.
CREATE TABLE client_events (
    id        INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    note      TEXT NOT NULL
);
CREATE INDEX client_events_client ON client_events (client_id, at);

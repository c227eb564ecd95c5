-- Importing replies from the coach's mailbox. Only mail that belongs to the
-- community is kept: replies, and the auto-replies, bounces and unsubscribe
-- requests that change how a member is mailed. The coach's own mail never is.

-- A member who sent an auto-reply is away: since when, until when if they said,
-- and the auto-reply's subject. A real reply from them clears it.
ALTER TABLE clients ADD COLUMN away_since TEXT;
ALTER TABLE clients ADD COLUMN away_until TEXT;
ALTER TABLE clients ADD COLUMN away_note TEXT NOT NULL DEFAULT '';
-- The last temporary delivery failure: noted, sending goes on.
ALTER TABLE clients ADD COLUMN soft_bounced_at TEXT;
ALTER TABLE clients ADD COLUMN soft_bounce_reason TEXT NOT NULL DEFAULT '';

-- How far each watched folder has been read. A new uid_validity means the
-- server renumbered the folder: it is read again from the start, and
-- inbox_messages keeps what was already imported from coming in twice.
CREATE TABLE inbox_folders (
    account      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (account, folder)
);

-- Every message imported, whatever it was, by Message-ID and by a hash of its
-- content, so that no message is acted on twice.
CREATE TABLE inbox_messages (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('reply', 'unmatched', 'auto_reply', 'bounce', 'unsubscribe')),
    client_id    INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX inbox_messages_message_id ON inbox_messages (message_id) WHERE message_id <> '';

-- Members' replies. A reply under a post has post_id and client_id; one in the
-- unmatched queue has state 'unmatched', with why, and perhaps a post or client
-- it seems to belong to.
CREATE TABLE replies (
    id               INTEGER PRIMARY KEY,
    inbox_message_id INTEGER NOT NULL UNIQUE REFERENCES inbox_messages (id) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('threaded', 'unmatched')),
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
    handled_at       TEXT
);
CREATE INDEX replies_post ON replies (post_id, received_at, id) WHERE state = 'threaded';
CREATE INDEX replies_unmatched ON replies (state, id);
CREATE INDEX replies_from ON replies (from_email);

-- Files that came with a reply. Data is NULL when the file was over the limit.
CREATE TABLE reply_attachments (
    id           INTEGER PRIMARY KEY,
    reply_id     INTEGER NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB,
    omitted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reply_attachments_reply ON reply_attachments (reply_id);

-- Senders the coach chose to ignore: their mail is skipped from then on.
CREATE TABLE ignored_senders (
    email      TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
    created_at TEXT NOT NULL
);

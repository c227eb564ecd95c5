-- The built-in sandbox mail server's mailboxes: every message it delivered, as
-- delivered, so a coach trying Roundtable without a mail account keeps what each
-- member received across restarts. The sandbox numbers a mailbox's IMAP UIDs in
-- id order, so rows are only ever added.
CREATE TABLE sandbox_messages (
    id          INTEGER PRIMARY KEY,
    mailbox     TEXT NOT NULL COLLATE NOCASE CHECK (mailbox <> ''),
    raw         BLOB NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX sandbox_messages_mailbox ON sandbox_messages (mailbox, id);

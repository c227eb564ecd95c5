-- A file of the coach's 1:1 mail with a client stays in the mailbox: the sync
-- keeps the message's words and lists its files without downloading them
-- (inbox/lean.go). in_mailbox marks such a file; it is omitted too (no data).
--
-- Why: 1:1 mail is kept only for the client's page, its files are already in
-- the coach's mailbox, and downloading and storing them was most of a sync
-- that keeps 1:1 mail (docs/benchmarks.md, session 9).
ALTER TABLE reply_attachments ADD COLUMN in_mailbox INTEGER NOT NULL DEFAULT 0 CHECK (in_mailbox IN (0, 1));

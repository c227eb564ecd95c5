-- foreign_keys: off
-- Live sessions: a cohort's group calls and a client's 1:1s, their invitations
-- (iMIP, through the outbox like every other message), the members' answers,
-- attendance and the reminders sent.

-- A session of a cohort or of one client. start_at is the first occurrence in
-- UTC; time_zone keeps its wall clock, so a weekly 18:00 stays 18:00 across DST.
-- uid is the iCalendar UID of every message about it; sequence goes up with
-- every change sent, so calendars apply the newest.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    cohort_id    INTEGER REFERENCES cohorts (id) ON DELETE CASCADE,
    client_id    INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    start_at     TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    time_zone    TEXT NOT NULL,
    link         TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    agenda       TEXT NOT NULL DEFAULT '',
    every_weeks  INTEGER NOT NULL DEFAULT 0 CHECK (every_weeks >= 0),
    until_date   TEXT NOT NULL DEFAULT '',
    count        INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    sequence     INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- The coach's private note: never sent anywhere.
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((cohort_id IS NULL) <> (client_id IS NULL))
);
CREATE INDEX sessions_cohort ON sessions (cohort_id, start_at);
CREATE INDEX sessions_client ON sessions (client_id, start_at);

-- Who is invited, what they answered and where the answer was read (their
-- calendar's REPLY, the words of a plain reply, or the coach), whether they
-- came, and the coach's private note about them in this session. 'removed':
-- they left the cohort and were sent a cancellation.
CREATE TABLE session_attendees (
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    client_id       INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    state           TEXT NOT NULL DEFAULT 'invited' CHECK (state IN ('invited', 'removed')),
    partstat        TEXT NOT NULL DEFAULT 'needs-action' CHECK (partstat IN ('needs-action', 'accepted', 'declined', 'tentative')),
    partstat_source TEXT NOT NULL DEFAULT '' CHECK (partstat_source IN ('', 'calendar', 'text', 'coach')),
    partstat_at     TEXT,
    attended        INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    invited_at      TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
);
CREATE INDEX session_attendees_client ON session_attendees (client_id);

-- Each reminder sent, once per member, occurrence and offset: the unique key is
-- what keeps run-due, the window's timer and a laptop waking up from sending one
-- twice.
CREATE TABLE session_reminders (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, client_id, occurrence, minutes)
);

-- Minutes before a session its reminders go, comma-separated ('' for none).
ALTER TABLE cohorts ADD COLUMN session_reminders TEXT NOT NULL DEFAULT '1440,60';

-- Mail about a session is a post of kind 'session' (so it goes through the
-- outbox, durable and retried like every other message, and a plain reply to it
-- finds it by its reply token). A 1:1 session has no cohort, so cohort_id may
-- now be NULL; SQLite cannot change a CHECK or a NOT NULL in place, so posts is
-- rebuilt with foreign keys off, as in 0009.
CREATE TABLE posts_new (
    id           INTEGER PRIMARY KEY,
    cohort_id    INTEGER REFERENCES cohorts (id),
    kind         TEXT NOT NULL DEFAULT 'announcement' CHECK (kind IN ('announcement', 'digest', 'reply', 'session')),
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'queued')),
    send_at      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    queued_at    TEXT,
    in_reply_to  TEXT NOT NULL DEFAULT '',
    to_client_id INTEGER REFERENCES clients (id),
    send_now     INTEGER NOT NULL DEFAULT 0,
    session_id   INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    CHECK (cohort_id IS NOT NULL OR kind = 'session')
);
INSERT INTO posts_new (id, cohort_id, kind, subject, body, status, send_at, created_at, updated_at, queued_at,
    in_reply_to, to_client_id, send_now)
    SELECT id, cohort_id, kind, subject, body, status, send_at, created_at, updated_at, queued_at,
    in_reply_to, to_client_id, send_now FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_cohort ON posts (cohort_id, id);
CREATE INDEX posts_session ON posts (session_id) WHERE session_id IS NOT NULL;

-- The calendar object of a copy (the whole .ics, this member's own), fixed when
-- queued like its Message-ID, so a copy sent again after a crash is the same;
-- its iTIP method goes in the MIME type beside it. '' for mail without one.
ALTER TABLE outbox ADD COLUMN calendar TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN calendar_method TEXT NOT NULL DEFAULT '';

-- An imported message may be a member's answer to an invitation ('rsvp'): their
-- calendar's iTIP REPLY, or a plain "yes" to the invitation mail. It is recorded
-- on the attendee and enters no conversation; the row keeps it from being read
-- twice. The CHECK changes, so inbox_messages is rebuilt as in 0009.
CREATE TABLE inbox_messages_new (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('reply', 'unmatched', 'auto_reply', 'bounce', 'unsubscribe', 'personal', 'command', 'rsvp')),
    client_id    INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    reason       TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL,
    auth_serv_id TEXT NOT NULL DEFAULT ''
);
INSERT INTO inbox_messages_new (id, message_id, content_hash, kind, client_id, reason, imported_at, auth_serv_id)
    SELECT id, message_id, content_hash, kind, client_id, reason, imported_at, auth_serv_id FROM inbox_messages;
DROP TABLE inbox_messages;
ALTER TABLE inbox_messages_new RENAME TO inbox_messages;
CREATE UNIQUE INDEX inbox_messages_message_id ON inbox_messages (message_id) WHERE message_id <> '';

-- The client timeline reads a client's copies and replies in time order; these
-- keep it instant at thousands of events.
CREATE INDEX outbox_client ON outbox (client_id, created_at);
CREATE INDEX replies_client ON replies (client_id, received_at) WHERE client_id IS NOT NULL;

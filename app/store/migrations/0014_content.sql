-- foreign_keys: off
-- Content: a library of lessons, each cohort's curriculum (when each lesson is
-- released), what was released to whom, and the check-ins: replies to a
-- lesson's post, "done" replies and the coach's marks.

-- A lesson of the library, reusable across cohorts. slug names its file in a
-- Markdown folder (import and export), so importing the same folder again
-- updates the lesson in place.
CREATE TABLE lessons (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    module     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    body       TEXT NOT NULL DEFAULT '',
    checkin    TEXT NOT NULL DEFAULT '',
    ask_done   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX lessons_title ON lessons (title COLLATE NOCASE);

-- Files attached to a lesson: copied to the post that carries it in a cohort,
-- so every member's copy carries them as a post's would.
CREATE TABLE lesson_attachments (
    id           INTEGER PRIMARY KEY,
    lesson_id    INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX lesson_attachments_lesson ON lesson_attachments (lesson_id, id);

-- A cohort's curriculum: when each lesson is released. rule 'date': on on_date
-- (YYYY-MM-DD) at hour; 'cohort_day': day N of the cohort (day 1 is its start
-- date); 'join_day': day N of each member's membership (day 1 is the day they
-- joined). hour NULL: the cohort's digest hour. The wall clock is read in the
-- zone the digest setting names (the coach's, or each member's own).
-- post_id is the post that carries the lesson in this cohort, made at its first
-- release, so every member's copy and every reply share one conversation.
CREATE TABLE curriculum (
    cohort_id  INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    lesson_id  INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    rule       TEXT NOT NULL CHECK (rule IN ('date', 'cohort_day', 'join_day')),
    on_date    TEXT NOT NULL DEFAULT '',
    day        INTEGER NOT NULL DEFAULT 0 CHECK (day >= 0),
    hour       INTEGER CHECK (hour IS NULL OR (hour BETWEEN 0 AND 23)),
    post_id    INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, lesson_id)
);

-- What a member joining after lessons were due gets: all of them at once in one
-- welcome mail, or only the lessons still to come.
ALTER TABLE cohorts ADD COLUMN late_joiners TEXT NOT NULL DEFAULT 'catch_up' CHECK (late_joiners IN ('catch_up', 'next'));

-- A join date the coach gave (YYYY-MM-DD) for a member who started elsewhere;
-- '' when the membership's own joined_at counts.
ALTER TABLE memberships ADD COLUMN joined_on TEXT NOT NULL DEFAULT '';

-- Each lesson released to each member, once: the primary key is what keeps
-- run-due, the window's timer and a run killed half-way from sending a lesson
-- twice. It is written in the same transaction as the member's outbox copy.
-- via: 'mail' (their own copy), 'digest' (an item of their next digest),
-- 'welcome' (listed in the catch-up mail, post_id).
CREATE TABLE lesson_releases (
    cohort_id   INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    lesson_id   INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    released_at TEXT NOT NULL,
    post_id     INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    via         TEXT NOT NULL CHECK (via IN ('mail', 'digest', 'welcome')),
    -- By member first: every run reads what each member has.
    PRIMARY KEY (cohort_id, client_id, lesson_id)
) WITHOUT ROWID;
CREATE INDEX lesson_releases_digest ON lesson_releases (cohort_id, released_at) WHERE via = 'digest';

-- A lesson marked done (by the member's "done" reply or by the coach) or
-- excused by the coach.
CREATE TABLE lesson_marks (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    lesson_id INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    state     TEXT NOT NULL CHECK (state IN ('done', 'excused')),
    source    TEXT NOT NULL CHECK (source IN ('mail', 'coach')),
    at        TEXT NOT NULL,
    PRIMARY KEY (cohort_id, lesson_id, client_id)
);

-- A post that carries a lesson (its release, a catch-up mail, a correction)
-- names it, so that a reply to it is that lesson's check-in.
ALTER TABLE posts ADD COLUMN lesson_id INTEGER REFERENCES lessons (id) ON DELETE SET NULL;
CREATE INDEX posts_lesson ON posts (lesson_id) WHERE lesson_id IS NOT NULL;

-- A member's "done" reply to a lesson is recorded on the lesson ('done') and
-- enters no conversation. The CHECK changes, so inbox_messages is rebuilt as in
-- 0013.
CREATE TABLE inbox_messages_new (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('reply', 'unmatched', 'auto_reply', 'bounce', 'unsubscribe', 'personal', 'command', 'rsvp', 'done')),
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

-- Digests: every member regularly gets what the coach posted and what the other
-- members replied, and can answer any item of it.

-- A cohort's digest schedule (defaults by kind, as app.DefaultDigest says), the
-- coach's approval rule, and the note for the top of the next digests (with when
-- it was written: it goes in every digest built after that, once per member).
ALTER TABLE cohorts ADD COLUMN digest_every TEXT NOT NULL DEFAULT 'weekly' CHECK (digest_every IN ('daily', 'weekly', 'off'));
ALTER TABLE cohorts ADD COLUMN digest_weekday INTEGER NOT NULL DEFAULT 5 CHECK (digest_weekday BETWEEN 0 AND 6);
ALTER TABLE cohorts ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23);
ALTER TABLE cohorts ADD COLUMN digest_member_local INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cohorts ADD COLUMN digest_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohorts ADD COLUMN digest_note TEXT NOT NULL DEFAULT '';
ALTER TABLE cohorts ADD COLUMN digest_note_at TEXT;
UPDATE cohorts SET
    digest_every = CASE kind WHEN 'micro_community' THEN 'daily' WHEN 'one_to_one' THEN 'off' ELSE 'weekly' END,
    digest_hour = CASE kind WHEN 'micro_community' THEN 18 ELSE 9 END;

-- How each member gets the cohort's mail: every post as it happens (and the
-- digest of the others' replies), posts only inside the digest, or nothing.
ALTER TABLE memberships ADD COLUMN delivery TEXT NOT NULL DEFAULT 'individual' CHECK (delivery IN ('individual', 'digest', 'none'));

-- "Send now to everyone": the post goes individually whatever each member's
-- delivery; their digest lists it as already sent.
ALTER TABLE posts ADD COLUMN send_now INTEGER NOT NULL DEFAULT 0;

-- One build of a cohort's digests: the items that came in between since and
-- until, shared by every member whose digest it carries (each member's own
-- replies and what came before their own since are left out of theirs). Items
-- keep the words as they were sent, so "what did Ana receive?" has an answer and
-- a copy sent again after a crash is the same message.
CREATE TABLE digest_editions (
    id         INTEGER PRIMARY KEY,
    cohort_id  INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    post_id    INTEGER NOT NULL REFERENCES posts (id),
    since      TEXT NOT NULL,
    until      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    note_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX digest_editions_cohort ON digest_editions (cohort_id, id);

CREATE TABLE digest_items (
    id           INTEGER PRIMARY KEY,
    edition_id   INTEGER NOT NULL REFERENCES digest_editions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    post_id      INTEGER NOT NULL REFERENCES posts (id),
    post_subject TEXT NOT NULL,
    reply_id     INTEGER REFERENCES replies (id) ON DELETE SET NULL,
    client_id    INTEGER, -- the reply's author, left out of their own digest
    author       TEXT NOT NULL,
    at           TEXT NOT NULL,
    text         TEXT NOT NULL,
    highlighted  INTEGER NOT NULL DEFAULT 0,
    pinned       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX digest_items_edition ON digest_items (edition_id, position);

-- One member's digest for one period of the schedule: decided and recorded in
-- one transaction with its outbox copy, so a period is never sent twice, and a
-- laptop asleep for weeks sends one digest for the latest period only. An empty
-- digest is recorded (items 0, no copy) so the period counts as done.
CREATE TABLE digests (
    id         INTEGER PRIMARY KEY,
    cohort_id  INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    edition_id INTEGER REFERENCES digest_editions (id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    since      TEXT NOT NULL,
    until      TEXT NOT NULL,
    delivery   TEXT NOT NULL,
    zone       TEXT NOT NULL,
    items      INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (cohort_id, client_id, period)
);
CREATE INDEX digests_client ON digests (client_id, id);

-- The outbox copy that carries a digest.
ALTER TABLE outbox ADD COLUMN digest_id INTEGER REFERENCES digests (id);
CREATE INDEX outbox_digest ON outbox (digest_id) WHERE digest_id IS NOT NULL;

-- One search over everything the coach has written or been sent: clients,
-- posts, members' replies, sessions and the coach's private notes.
--
-- search_items holds one row per thing found (its kind, the row it stands for,
-- its cohort, client and date, and the text searched). Each kind has a view
-- that says what its rows look like (search_source_KIND), and triggers on the
-- kind's own table that delete its items and insert them again from the view,
-- so SQL alone keeps the index right whoever writes. Two FTS5 tables index the
-- items as external content: search_words by word (diacritics removed, so
-- "Chloe" finds "Chloé"; prefix indexes for as-you-type), search_trigrams by
-- every three characters (a substring inside a word: "stein" in "Goldstein",
-- "gmail" in an address). The trigram index covers names, subjects, addresses
-- and tags, not the long texts: over those it would weigh three and a half
-- times the text itself (some 180 MB for 100,000 replies), where words and
-- prefixes already find what a coach types.
-- Triggers on search_items keep both in step, deleting with the old values as
-- FTS5 requires of external content.
--
-- A new kind is one later migration: its view, its triggers and an INSERT that
-- fills its items (as for lessons below); plus its entry in app.SearchKinds.

-- The client list searched clients_search, kept by Go code; it searches
-- search_words now.
DROP TABLE clients_search;

CREATE TABLE search_items (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    ref_id    INTEGER NOT NULL,
    -- The second half of a key of two (an attendee note: session and client).
    sub_id    INTEGER NOT NULL DEFAULT 0,
    -- Where the thing opens: a reply's post, a note's session.
    parent_id INTEGER NOT NULL DEFAULT 0,
    cohort_id INTEGER,
    client_id INTEGER,
    at        TEXT NOT NULL,
    -- Only ever the coach's: a private reply, a personal 1:1 mail, a note.
    private   INTEGER NOT NULL DEFAULT 0,
    -- What a result is called on screen (not searched).
    label     TEXT NOT NULL,
    -- Searched, most telling first: what the thing is called (a client's name,
    -- a post's or session's title; '' for a reply or a note), then addresses,
    -- tags and a reply's sender and subject, then the long text. Ranking weighs
    -- them in that order.
    title     TEXT NOT NULL,
    meta      TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE UNIQUE INDEX search_items_ref ON search_items (kind, ref_id, sub_id);
-- What a search reads of every match to rank and filter it, kept apart from
-- the long texts: a search reads this small index, not thousands of rows.
CREATE INDEX search_items_rank ON search_items (id, kind, at, cohort_id, client_id);

CREATE VIRTUAL TABLE search_words USING fts5 (
    title, meta, body,
    content = 'search_items', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE VIRTUAL TABLE search_trigrams USING fts5 (
    title, meta,
    content = 'search_items', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);

-- What things are called (names, subjects, titles), by word: a word in most of
-- the workspace ("week") ranks only its newest matches, plus every thing so
-- called, found here without reading the word's whole list (store.Search).
CREATE VIRTUAL TABLE search_titles USING fts5 (
    title,
    content = 'search_items', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- The clients list searches its clients by word as the coach types, from the
-- first letter: over every reply too, a single letter would take a third of a
-- second in a big workspace. Its own small index holds the clients' items only
-- (external content: the view below).
CREATE VIEW search_client_content AS
SELECT id, title, meta, body FROM search_items WHERE kind = 'client';
CREATE VIRTUAL TABLE search_client_words USING fts5 (
    title, meta, body,
    content = 'search_client_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_items_ai AFTER INSERT ON search_items BEGIN
    INSERT INTO search_words (rowid, title, meta, body) VALUES (new.id, new.title, new.meta, new.body);
    INSERT INTO search_trigrams (rowid, title, meta) VALUES (new.id, new.title, new.meta);
    INSERT INTO search_titles (rowid, title) VALUES (new.id, new.title);
    INSERT INTO search_client_words (rowid, title, meta, body) SELECT new.id, new.title, new.meta, new.body WHERE new.kind = 'client';
END;
CREATE TRIGGER search_items_ad AFTER DELETE ON search_items BEGIN
    INSERT INTO search_words (search_words, rowid, title, meta, body) VALUES ('delete', old.id, old.title, old.meta, old.body);
    INSERT INTO search_trigrams (search_trigrams, rowid, title, meta) VALUES ('delete', old.id, old.title, old.meta);
    INSERT INTO search_titles (search_titles, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO search_client_words (search_client_words, rowid, title, meta, body)
        SELECT 'delete', old.id, old.title, old.meta, old.body WHERE old.kind = 'client';
END;
CREATE TRIGGER search_items_au AFTER UPDATE ON search_items BEGIN
    INSERT INTO search_words (search_words, rowid, title, meta, body) VALUES ('delete', old.id, old.title, old.meta, old.body);
    INSERT INTO search_trigrams (search_trigrams, rowid, title, meta) VALUES ('delete', old.id, old.title, old.meta);
    INSERT INTO search_titles (search_titles, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO search_client_words (search_client_words, rowid, title, meta, body)
        SELECT 'delete', old.id, old.title, old.meta, old.body WHERE old.kind = 'client';
    INSERT INTO search_words (rowid, title, meta, body) VALUES (new.id, new.title, new.meta, new.body);
    INSERT INTO search_trigrams (rowid, title, meta) VALUES (new.id, new.title, new.meta);
    INSERT INTO search_titles (rowid, title) VALUES (new.id, new.title);
    INSERT INTO search_client_words (rowid, title, meta, body) SELECT new.id, new.title, new.meta, new.body WHERE new.kind = 'client';
END;

-- The sources. Every view has the same columns, in search_items' order.

CREATE VIEW search_source_client AS
SELECT 'client' AS kind, c.id AS ref_id, 0 AS sub_id, 0 AS parent_id, NULL AS cohort_id, c.id AS client_id,
    c.updated_at AS at, 0 AS private, c.name AS label, c.name AS title,
    c.email || ' ' || coalesce((SELECT group_concat(a.email, ' ') FROM client_aliases a WHERE a.client_id = c.id), '')
        || ' ' || coalesce((SELECT group_concat(t.tag, ' ') FROM client_tags t WHERE t.client_id = c.id), '') AS meta,
    c.goals || char(10) || c.notes AS body
FROM clients c;

-- What the coach wrote: announcements and answers. Digests and session mail are
-- made from other rows, which are searched themselves.
CREATE VIEW search_source_post AS
SELECT 'post' AS kind, p.id AS ref_id, 0 AS sub_id, 0 AS parent_id, p.cohort_id AS cohort_id, p.to_client_id AS client_id,
    coalesce(p.queued_at, p.send_at, p.created_at) AS at, 0 AS private, p.subject AS label, p.subject AS title,
    '' AS meta, p.body AS body
FROM posts p WHERE p.kind IN ('announcement', 'reply');

-- Members' replies, as trimmed (the quoted history is not theirs), with the
-- coach's note on them.
CREATE VIEW search_source_reply AS
SELECT 'reply' AS kind, r.id AS ref_id, 0 AS sub_id, coalesce(r.post_id, 0) AS parent_id,
    (SELECT p.cohort_id FROM posts p WHERE p.id = r.post_id) AS cohort_id, r.client_id AS client_id,
    r.received_at AS at, (r.private <> 0 OR r.state = 'personal') AS private, r.from_name AS label, '' AS title,
    r.from_name || ' ' || r.from_email || ' ' || r.subject AS meta, r.text || char(10) || r.notes AS body
FROM replies r;

-- The lesson library (a lesson is the coach's, in no cohort until a curriculum
-- releases it; the posts that carry it are not searched twice).
CREATE VIEW search_source_lesson AS
SELECT 'lesson' AS kind, l.id AS ref_id, 0 AS sub_id, 0 AS parent_id, NULL AS cohort_id, NULL AS client_id,
    l.updated_at AS at, 0 AS private, l.title AS label, l.title AS title, l.module AS meta,
    l.body || char(10) || l.checkin AS body
FROM lessons l;

CREATE VIEW search_source_session AS
SELECT 'session' AS kind, s.id AS ref_id, 0 AS sub_id, 0 AS parent_id, s.cohort_id AS cohort_id, s.client_id AS client_id,
    s.start_at AS at, 0 AS private, s.title AS label, s.title AS title, s.location AS meta, s.agenda AS body
FROM sessions s;

CREATE VIEW search_source_session_note AS
SELECT 'session_note' AS kind, s.id AS ref_id, 0 AS sub_id, s.id AS parent_id, s.cohort_id AS cohort_id, s.client_id AS client_id,
    s.start_at AS at, 1 AS private, s.title AS label, '' AS title, '' AS meta, s.note AS body
FROM sessions s WHERE s.note <> '';

CREATE VIEW search_source_attendee_note AS
SELECT 'attendee_note' AS kind, a.session_id AS ref_id, a.client_id AS sub_id, a.session_id AS parent_id,
    s.cohort_id AS cohort_id, a.client_id AS client_id, s.start_at AS at, 1 AS private,
    c.name || ' · ' || s.title AS label, '' AS title, c.name AS meta, a.note AS body
FROM session_attendees a JOIN sessions s ON s.id = a.session_id JOIN clients c ON c.id = a.client_id
WHERE a.note <> '';

-- A big import of clients pauses the client triggers inside its transaction
-- (a row here) and brings the clients' items up to date once at its end
-- (store.resyncSearch), before it commits: row by row, a trigger on every
-- insert made a 10,000-client import several times slower. Empty outside an
-- import's transaction.
CREATE TABLE search_paused (kind TEXT PRIMARY KEY);

-- The triggers: a change to a source deletes its items and inserts them again
-- from its view (a note emptied simply leaves none). UPDATE triggers name the
-- columns searched, so marking a reply read touches no index.

CREATE TRIGGER search_client_ai AFTER INSERT ON clients
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_client WHERE ref_id = new.id;
END;
CREATE TRIGGER search_client_au AFTER UPDATE OF name, email, goals, notes ON clients
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    DELETE FROM search_items WHERE kind = 'client' AND ref_id = old.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_client WHERE ref_id = new.id;
    DELETE FROM search_items WHERE kind = 'attendee_note' AND sub_id = new.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_attendee_note WHERE sub_id = new.id;
END;
CREATE TRIGGER search_client_ad AFTER DELETE ON clients
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    DELETE FROM search_items WHERE kind = 'client' AND ref_id = old.id;
END;

-- A client's tags and other addresses are searched with the client.
CREATE TRIGGER search_client_tag_ai AFTER INSERT ON client_tags
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    UPDATE search_items SET meta = (SELECT meta FROM search_source_client WHERE ref_id = new.client_id)
        WHERE kind = 'client' AND ref_id = new.client_id;
END;
CREATE TRIGGER search_client_tag_ad AFTER DELETE ON client_tags
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    UPDATE search_items SET meta = (SELECT meta FROM search_source_client WHERE ref_id = old.client_id)
        WHERE kind = 'client' AND ref_id = old.client_id;
END;
CREATE TRIGGER search_client_alias_ai AFTER INSERT ON client_aliases
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    UPDATE search_items SET meta = (SELECT meta FROM search_source_client WHERE ref_id = new.client_id)
        WHERE kind = 'client' AND ref_id = new.client_id;
END;
CREATE TRIGGER search_client_alias_ad AFTER DELETE ON client_aliases
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'client') BEGIN
    UPDATE search_items SET meta = (SELECT meta FROM search_source_client WHERE ref_id = old.client_id)
        WHERE kind = 'client' AND ref_id = old.client_id;
END;

CREATE TRIGGER search_post_ai AFTER INSERT ON posts BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_post WHERE ref_id = new.id;
END;
CREATE TRIGGER search_post_au AFTER UPDATE OF kind, cohort_id, to_client_id, subject, body, send_at, queued_at ON posts BEGIN
    DELETE FROM search_items WHERE kind = 'post' AND ref_id = old.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_post WHERE ref_id = new.id;
END;
CREATE TRIGGER search_post_ad AFTER DELETE ON posts BEGIN
    DELETE FROM search_items WHERE kind = 'post' AND ref_id = old.id;
END;

CREATE TRIGGER search_reply_ai AFTER INSERT ON replies BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_reply WHERE ref_id = new.id;
END;
CREATE TRIGGER search_reply_au AFTER UPDATE OF state, post_id, client_id, from_name, from_email, subject, received_at,
    text, notes, private ON replies BEGIN
    DELETE FROM search_items WHERE kind = 'reply' AND ref_id = old.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_reply WHERE ref_id = new.id;
END;
CREATE TRIGGER search_reply_ad AFTER DELETE ON replies BEGIN
    DELETE FROM search_items WHERE kind = 'reply' AND ref_id = old.id;
END;

CREATE TRIGGER search_lesson_ai AFTER INSERT ON lessons BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_lesson WHERE ref_id = new.id;
END;
CREATE TRIGGER search_lesson_au AFTER UPDATE OF title, module, body, checkin ON lessons BEGIN
    DELETE FROM search_items WHERE kind = 'lesson' AND ref_id = old.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_lesson WHERE ref_id = new.id;
END;
CREATE TRIGGER search_lesson_ad AFTER DELETE ON lessons BEGIN
    DELETE FROM search_items WHERE kind = 'lesson' AND ref_id = old.id;
END;

CREATE TRIGGER search_session_ai AFTER INSERT ON sessions BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_session WHERE ref_id = new.id
        UNION ALL SELECT * FROM search_source_session_note WHERE ref_id = new.id;
END;
CREATE TRIGGER search_session_au AFTER UPDATE OF cohort_id, client_id, title, start_at, location, agenda, note ON sessions BEGIN
    DELETE FROM search_items WHERE kind IN ('session', 'session_note', 'attendee_note') AND ref_id = old.id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_session WHERE ref_id = new.id
        UNION ALL SELECT * FROM search_source_session_note WHERE ref_id = new.id
        UNION ALL SELECT * FROM search_source_attendee_note WHERE ref_id = new.id;
END;
CREATE TRIGGER search_session_ad AFTER DELETE ON sessions BEGIN
    DELETE FROM search_items WHERE kind IN ('session', 'session_note', 'attendee_note') AND ref_id = old.id;
END;

CREATE TRIGGER search_attendee_ai AFTER INSERT ON session_attendees BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_attendee_note WHERE ref_id = new.session_id AND sub_id = new.client_id;
END;
CREATE TRIGGER search_attendee_au AFTER UPDATE OF note ON session_attendees BEGIN
    DELETE FROM search_items WHERE kind = 'attendee_note' AND ref_id = old.session_id AND sub_id = old.client_id;
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_attendee_note WHERE ref_id = new.session_id AND sub_id = new.client_id;
END;
CREATE TRIGGER search_attendee_ad AFTER DELETE ON session_attendees BEGIN
    DELETE FROM search_items WHERE kind = 'attendee_note' AND ref_id = old.session_id AND sub_id = old.client_id;
END;

-- What is already there.
INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
    SELECT * FROM search_source_client
    UNION ALL SELECT * FROM search_source_post
    UNION ALL SELECT * FROM search_source_reply
    UNION ALL SELECT * FROM search_source_lesson
    UNION ALL SELECT * FROM search_source_session
    UNION ALL SELECT * FROM search_source_session_note
    UNION ALL SELECT * FROM search_source_attendee_note;

-- A run of imported mail writes its replies' search items in one statement at
-- the end of the run (store.DB.ImportMails) instead of one per reply.
--
-- Why: FTS5 writes its pending terms out as a new segment at every statement
-- savepoint, and an INSERT whose trigger writes to an FTS5 table opens one. An
-- item per reply therefore left one tiny segment per reply for FTS5 to merge:
-- 10,000 replies' items took 1.5 s that way and 0.15 s as one INSERT ... SELECT
-- (measured in session 8, docs/benchmarks.md), and that was most of an
-- import's time in SQLite. Outside an import the trigger works as before.
DROP TRIGGER search_reply_ai;
CREATE TRIGGER search_reply_ai AFTER INSERT ON replies
    WHEN NOT EXISTS (SELECT 1 FROM search_paused WHERE kind = 'reply') BEGIN
    INSERT INTO search_items (kind, ref_id, sub_id, parent_id, cohort_id, client_id, at, private, label, title, meta, body)
        SELECT * FROM search_source_reply WHERE ref_id = new.id;
END;

-- A post that carries lessons (a lesson mailed to a cohort, a late joiner's
-- catch-up welcome, one per member) is not searched as a post: its lessons are
-- searched as lessons (search_source_lesson), and the welcomes made the palette
-- list the same mail once per late joiner.
DROP VIEW search_source_post;
CREATE VIEW search_source_post AS
SELECT 'post' AS kind, p.id AS ref_id, 0 AS sub_id, 0 AS parent_id, p.cohort_id AS cohort_id, p.to_client_id AS client_id,
    coalesce(p.queued_at, p.send_at, p.created_at) AS at, 0 AS private, p.subject AS label, p.subject AS title,
    '' AS meta, p.body AS body
FROM posts p WHERE p.kind IN ('announcement', 'reply') AND p.lesson_id IS NULL;

DELETE FROM search_items WHERE kind = 'post' AND ref_id IN (SELECT id FROM posts WHERE lesson_id IS NOT NULL);

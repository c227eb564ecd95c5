-- Full-text search over clients. The store keeps it in step with the clients it
-- indexes, in the same transaction; rowid is the client's id.
CREATE VIRTUAL TABLE clients_search USING fts5 (
    name, email, aliases, tags, goals, notes,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO clients_search (rowid, name, email, aliases, tags, goals, notes)
SELECT c.id, c.name, c.email,
       coalesce((SELECT group_concat(email, ' ') FROM client_aliases WHERE client_id = c.id), ''),
       coalesce((SELECT group_concat(tag, ' ') FROM client_tags WHERE client_id = c.id), ''),
       c.goals, c.notes
FROM clients c;

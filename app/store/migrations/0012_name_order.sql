-- Names sort as people expect (Élodie, Eric, Zoë), not by code point: each
-- client carries a collation key made in Go (golang.org/x/text/collate, the
-- Unicode root order) whenever the name is written, and lists sort by it.
-- Rows written before this version get theirs when the workspace is opened.
ALTER TABLE clients ADD COLUMN sort_key BLOB;
CREATE INDEX clients_sort ON clients (sort_key, id);
DROP INDEX clients_name;

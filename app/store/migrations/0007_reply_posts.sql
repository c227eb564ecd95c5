-- The coach's answer to one reply: a post of kind 'reply' that goes to one member
-- (or the whole cohort) and continues the member's thread.
ALTER TABLE posts ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN to_client_id INTEGER REFERENCES clients (id);

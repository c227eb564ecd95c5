-- The home screen: who has gone quiet, and how each cohort is doing.

-- Days without a reply after which a member of the cohort counts as gone quiet;
-- 0 means the default for the cohort's kind (app.DefaultQuietDays), so a cohort
-- follows a better default later unless the coach chose a number.
ALTER TABLE cohorts ADD COLUMN quiet_days INTEGER NOT NULL DEFAULT 0 CHECK (quiet_days BETWEEN 0 AND 365);

-- The home screen counts the replies of the last weeks, cohort by cohort; this
-- keeps that a range read at 100,000 messages.
CREATE INDEX replies_received ON replies (received_at) WHERE state = 'threaded' AND client_id IS NOT NULL;

-- What waits for the coach: unread replies, and unverified ones waiting for
-- approval. Both lists are short; these keep counting them from reading every
-- reply ever received.
CREATE INDEX replies_unread ON replies (post_id) WHERE state = 'threaded' AND read_at IS NULL;
CREATE INDEX replies_unapproved ON replies (post_id) WHERE state = 'threaded' AND trust = 'unverified' AND approved_at IS NULL;

-- The messages being handed over now and those that failed: few at any time,
-- counted on every look at the home screen.
CREATE INDEX outbox_sending ON outbox (id) WHERE state = 'sending';
CREATE INDEX outbox_failed ON outbox (updated_at) WHERE state = 'failed';

-- Members' own "done" by mail are check-ins: the home screen counts the recent ones.
CREATE INDEX lesson_marks_done ON lesson_marks (at) WHERE state = 'done' AND source = 'mail';

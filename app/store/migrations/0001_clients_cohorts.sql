-- Clients, their other addresses and tags; cohorts and who is in them.
-- Times are UTC text ("2026-11-22T15:04:05.000Z"); cohort dates are calendar days.

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    phone       TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'alumni')),
    goals       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX clients_name ON clients (name COLLATE NOCASE, id);
CREATE INDEX clients_created ON clients (created_at, id);
CREATE INDEX clients_updated ON clients (updated_at, id);

-- Other addresses a client writes from. An address belongs to one client only,
-- whether as a client's email or as an alias; the store checks across both tables.
CREATE TABLE client_aliases (
    email     TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE
);
CREATE INDEX client_aliases_client ON client_aliases (client_id);

CREATE TABLE client_tags (
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (client_id, tag)
) WITHOUT ROWID;
CREATE INDEX client_tags_tag ON client_tags (tag, client_id);

CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('mastermind', 'group_coaching', 'micro_community',
                    'course_cohort', 'community_of_practice', 'one_to_one', 'other')),
    purpose     TEXT NOT NULL DEFAULT '',
    start_date  TEXT NOT NULL DEFAULT '',
    end_date    TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    archived_at TEXT
);

-- A client's time in a cohort. Leaving sets left_at and keeps the row; rejoining
-- adds a new row, so the history of who was there when stays whole.
CREATE TABLE memberships (
    id        INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    role      TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'co_host')),
    joined_at TEXT NOT NULL,
    left_at   TEXT
);
CREATE UNIQUE INDEX memberships_current ON memberships (cohort_id, client_id) WHERE left_at IS NULL;
CREATE INDEX memberships_client ON memberships (client_id, cohort_id);

-- The release of a round's results to the Kommunen (issue 22): while a row
-- exists, each invited Kommune sees its own figures against the region on
-- its personal link. Withdrawing deletes the row; both are in the audit log.
-- min_group: the least number of Kommunen an aggregate of others is made
-- of; show_members: a Kommune sees the names of the other members of its
-- supervision group.
CREATE TABLE result_releases (
    round_id     INTEGER PRIMARY KEY REFERENCES rounds (id),
    min_group    INTEGER NOT NULL CHECK (min_group BETWEEN 3 AND 100),
    show_members INTEGER NOT NULL CHECK (show_members IN (0, 1)),
    released_at  TEXT    NOT NULL,
    released_by  TEXT    NOT NULL
);

-- The mail queue learns a third kind: the results mail with the link. SQLite
-- cannot change a CHECK constraint, so the table is rebuilt with the same
-- columns, rows and indexes (no table refers to mail_queue).
CREATE TABLE mail_queue_new (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    kommune_id    INTEGER NOT NULL REFERENCES kommunen (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('invitation', 'reminder', 'results')),
    automatic     INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
    recipients    TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unklar', 'cancelled')),
    dedup_key     TEXT    NOT NULL UNIQUE,
    message_id    TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    server_answer TEXT    NOT NULL DEFAULT '',
    queued_at     TEXT    NOT NULL,
    queued_by     TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    sent_at       TEXT
);
INSERT INTO mail_queue_new (id, round_id, kommune_id, kind, automatic, recipients, subject, body, status, dedup_key,
    message_id, attempts, server_answer, queued_at, queued_by, updated_at, sent_at)
SELECT id, round_id, kommune_id, kind, automatic, recipients, subject, body, status, dedup_key,
    message_id, attempts, server_answer, queued_at, queued_by, updated_at, sent_at FROM mail_queue;
DROP TABLE mail_queue;
ALTER TABLE mail_queue_new RENAME TO mail_queue;
CREATE INDEX mail_queue_status ON mail_queue (status, id);
CREATE INDEX mail_queue_round_kommune ON mail_queue (round_id, kommune_id);

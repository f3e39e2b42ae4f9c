-- The data version: a counter bumped in the same transaction as every
-- write that changes what a plan reads (answers, submit, return and
-- reopen, Kommunen, boundaries, scenarios). Caches of drawn maps and plans
-- are keyed on it; it lives in the database because the CLI writes from
-- another process.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

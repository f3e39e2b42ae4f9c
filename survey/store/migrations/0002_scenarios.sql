-- Planning scenarios per round: named parameter sets (JSON), one of them
-- decisive (maßgeblich): it drives the key figures and the workbook.
CREATE TABLE scenarios (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    name       TEXT    NOT NULL,
    params     TEXT    NOT NULL,
    decisive   INTEGER NOT NULL DEFAULT 0 CHECK (decisive IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (round_id, name)
);
CREATE UNIQUE INDEX scenarios_decisive ON scenarios (round_id) WHERE decisive = 1;

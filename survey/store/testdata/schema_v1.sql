-- Kommunen that can be invited to rounds.
CREATE TABLE kommunen (
    id              INTEGER PRIMARY KEY,
    ags             TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL DEFAULT '',
    lat             REAL    NOT NULL,
    lon             REAL    NOT NULL,
    population      INTEGER NOT NULL DEFAULT 0,
    population_year INTEGER NOT NULL DEFAULT 0
);

-- Published questionnaire versions; never changed once stored.
CREATE TABLE questionnaires (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    format     TEXT    NOT NULL CHECK (format IN ('yaml', 'xlsform')),
    source     BLOB    NOT NULL,
    sha256     TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    UNIQUE (slug, version)
);

-- Survey rounds (Erhebungsrunden).
CREATE TABLE rounds (
    id               INTEGER PRIMARY KEY,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires (id),
    title            TEXT    NOT NULL,
    opens_on         TEXT    NOT NULL,
    deadline         TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('planned', 'open', 'closed')),
    created_at       TEXT    NOT NULL
);

-- One response per invited Kommune and round; the row exists from the
-- invitation on, with status 'new' (nicht begonnen).
CREATE TABLE responses (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES rounds (id),
    kommune_id     INTEGER NOT NULL REFERENCES kommunen (id),
    status         TEXT    NOT NULL CHECK (status IN ('new', 'draft', 'submitted', 'returned')),
    revision       INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT,
    updated_by     TEXT    NOT NULL DEFAULT '',
    submitted_at   TEXT,
    return_message TEXT    NOT NULL DEFAULT '',
    UNIQUE (round_id, kommune_id)
);
CREATE INDEX responses_kommune ON responses (kommune_id);

-- Personal links: looked up by the SHA-256 of the token, kept AES-GCM
-- encrypted (key file outside the database) so staff can show them again.
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses (id),
    token_hash  BLOB    NOT NULL UNIQUE,
    token_enc   BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    revoked_at  TEXT
);
CREATE UNIQUE INDEX tokens_active ON tokens (response_id) WHERE revoked_at IS NULL;

-- Current answers: one row per response, question and item, with the
-- typed value (num or text) and the raw text as typed. valid = 0 keeps
-- invalid draft input as typed.
CREATE TABLE answers (
    response_id INTEGER NOT NULL REFERENCES responses (id),
    question_id TEXT    NOT NULL,
    item        TEXT    NOT NULL DEFAULT '',
    num         REAL,
    text        TEXT,
    raw         TEXT    NOT NULL,
    valid       INTEGER NOT NULL CHECK (valid IN (0, 1)),
    revision    INTEGER NOT NULL,
    PRIMARY KEY (response_id, question_id, item)
) WITHOUT ROWID;
CREATE INDEX answers_question ON answers (question_id, item);

-- Every change of an answer with the revision that made it (old → new).
-- Feeds the merge of concurrent edits and the audit.
CREATE TABLE answer_changes (
    response_id INTEGER NOT NULL REFERENCES responses (id),
    revision    INTEGER NOT NULL,
    question_id TEXT    NOT NULL,
    item        TEXT    NOT NULL DEFAULT '',
    old_raw     TEXT,
    new_raw     TEXT,
    PRIMARY KEY (response_id, revision, question_id, item)
) WITHOUT ROWID;

-- Who saved which revision, when.
CREATE TABLE revisions (
    response_id INTEGER NOT NULL REFERENCES responses (id),
    revision    INTEGER NOT NULL,
    saved_at    TEXT    NOT NULL,
    saved_by    TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    PRIMARY KEY (response_id, revision)
) WITHOUT ROWID;

-- Staff accounts. No default account exists.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'viewer')),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    disabled_at   TEXT
);

-- Server-side sessions, looked up by the SHA-256 of the cookie value.
CREATE TABLE sessions (
    id_hash      BLOB    PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('staff', 'kommune')),
    user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
    token_id     INTEGER REFERENCES tokens (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    CHECK ((kind = 'staff') = (user_id IS NOT NULL)),
    CHECK ((kind = 'kommune') = (token_id IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Audit log: logins, changes, returns, exports, user management.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_id    INTEGER,
    actor_label TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    round_id    INTEGER,
    kommune_id  INTEGER,
    detail      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_round_kommune ON audit_log (round_id, kommune_id);

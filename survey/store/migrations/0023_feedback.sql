-- Anonymous feedback on training dates (issue 20, item 6). Nothing here
-- names a participant, a booking or a Kommune, and nothing records when
-- more precisely than the day: TestFeedbackSchemaAnonymous fails if a
-- column is added. The tables are WITHOUT ROWID and keyed by a hash or a
-- random id, so their rows have no order of arrival either.

-- One row per date whose codes were issued: when (the day) and how many.
-- A date gets its codes once.
CREATE TABLE feedback_dates (
    date_id   INTEGER PRIMARY KEY REFERENCES offer_dates (id),
    issued_on TEXT    NOT NULL,
    codes     INTEGER NOT NULL CHECK (codes >= 0)
);

-- The single-use codes: only the SHA-256 of each (the code itself is shown
-- once and never stored), the date it is for, and whether it was used.
CREATE TABLE feedback_tokens (
    hash    BLOB    NOT NULL PRIMARY KEY,
    date_id INTEGER NOT NULL REFERENCES offer_dates (id),
    used    INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX feedback_tokens_date ON feedback_tokens (date_id, used);

-- One feedback: a random id (no order of arrival), the date and the day it
-- was given.
CREATE TABLE feedback_responses (
    id       TEXT    NOT NULL PRIMARY KEY,
    date_id  INTEGER NOT NULL REFERENCES offer_dates (id),
    given_on TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX feedback_responses_date ON feedback_responses (date_id);

-- Its answers by question id of the feedback form (survey/defaults).
CREATE TABLE feedback_values (
    response_id TEXT NOT NULL REFERENCES feedback_responses (id),
    question_id TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;

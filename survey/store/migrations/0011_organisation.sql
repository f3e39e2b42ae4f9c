-- The organisation that runs the survey (survey.Organisation): named in
-- letters, mails, the questionnaire's header and the legal pages. At most
-- one row. An installation whose Kommunen are exactly Region Hannover's 21
-- ran as Region Hannover's Koordinierungsstelle Integration before this
-- table existed (the name was built in): it keeps that name.
CREATE TABLE organisation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    office     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    address    TEXT    NOT NULL DEFAULT '',
    signature  TEXT    NOT NULL DEFAULT '',
    contact    TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL
);

INSERT INTO organisation (id, office, body, updated_at, updated_by)
SELECT 1, 'Koordinierungsstelle Integration', 'Region Hannover', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'Aktualisierung'
WHERE (SELECT count(*) FROM kommunen) = 21
  AND (SELECT count(*) FROM kommunen WHERE ags LIKE '03241%') = 21;

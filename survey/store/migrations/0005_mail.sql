-- Contact addresses of the Kommunen: invitations and reminders go to all
-- addresses of a Kommune in one mail.
CREATE TABLE kommune_contacts (
    id         INTEGER PRIMARY KEY,
    kommune_id INTEGER NOT NULL REFERENCES kommunen (id) ON DELETE CASCADE,
    email      TEXT    NOT NULL COLLATE NOCASE,
    name       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    UNIQUE (kommune_id, email)
);

-- Mail settings of a round: the texts staff edited (NULL: the default
-- text applies) and the automatic reminder (days before the deadline;
-- 0: off). updated_at tells a preview whether the texts changed since.
CREATE TABLE round_mail (
    round_id           INTEGER PRIMARY KEY REFERENCES rounds (id),
    invitation_subject TEXT,
    invitation_body    TEXT,
    reminder_subject   TEXT,
    reminder_body      TEXT,
    auto_reminder_days INTEGER NOT NULL DEFAULT 0 CHECK (auto_reminder_days BETWEEN 0 AND 60),
    updated_at         TEXT    NOT NULL,
    updated_by         TEXT    NOT NULL DEFAULT ''
);

-- The outgoing mail queue and send log: one row per mail (one Kommune, all
-- its addresses). The texts are kept as queued, with their placeholders;
-- the link is put in when the mail is sent, from the Kommune's current
-- link, so no token is ever stored here in clear.
--
-- status: queued → sending (committed before the mail server is
-- contacted) → sent | failed; cancelled when, by the time of sending, the
-- mail has no purpose any more (round closed, already submitted, no link,
-- no address). A row found in 'sending' at start was
-- interrupted between the server's answer and the commit: it becomes
-- 'unklar' and is never sent again without a person deciding so.
-- dedup_key makes a second mail of the same kind to the same Kommune on the
-- same day impossible (e.g. "reminder:3:17:2026-11-25").
CREATE TABLE mail_queue (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    kommune_id    INTEGER NOT NULL REFERENCES kommunen (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('invitation', 'reminder')),
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
CREATE INDEX mail_queue_status ON mail_queue (status, id);
CREATE INDEX mail_queue_round_kommune ON mail_queue (round_id, kommune_id);

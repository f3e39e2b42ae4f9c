-- The rest of the mails to participants (issue 20, items 4 and 5;
-- docs/offers-mail.md): a change or cancellation of a date, the reminder a
-- few days before, and staff's message to all participants of a date.
--
-- offer_mails is rebuilt (SQLite cannot change a CHECK) with the kind
-- 'message' and what a mail needs beyond ids, fixed when it is queued:
-- the date's time and place before a change (prev_*; what the participant
-- had), staff's reason for a cancellation, and the message it carries
-- (message_id). Still no address and no name: those stay in participants,
-- where the retention empties them.

-- Staff's messages to the participants of a date: subject and text as
-- written (checked and limited by survey.CheckOfferMessage), whether the
-- waiting list was included, and how many mails were queued.
CREATE TABLE offer_messages (
    id         INTEGER PRIMARY KEY,
    date_id    INTEGER NOT NULL REFERENCES offer_dates (id),
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    waiting    INTEGER NOT NULL CHECK (waiting IN (0, 1)),
    recipients INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX offer_messages_date ON offer_messages (date_id);

CREATE TABLE offer_mails_new (
    id             INTEGER PRIMARY KEY,
    booking_id     INTEGER NOT NULL REFERENCES bookings (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    date_id        INTEGER NOT NULL REFERENCES offer_dates (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('confirmation', 'waiting', 'moved_up', 'changed', 'cancelled', 'booking_cancelled', 'reminder', 'message')),
    sequence       INTEGER NOT NULL,
    first_mail     INTEGER NOT NULL CHECK (first_mail IN (0, 1)),
    status         TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unklar', 'cancelled')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    server_answer  TEXT    NOT NULL DEFAULT '',
    queued_at      TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    sent_at        TEXT,
    prev_starts_at TEXT,
    prev_ends_at   TEXT,
    prev_place     TEXT,
    reason         TEXT    NOT NULL DEFAULT '',
    message_id     INTEGER REFERENCES offer_messages (id)
);
INSERT INTO offer_mails_new (id, booking_id, participant_id, date_id, kind, sequence, first_mail, status, attempts, server_answer,
    queued_at, updated_at, sent_at)
    SELECT id, booking_id, participant_id, date_id, kind, sequence, first_mail, status, attempts, server_answer,
    queued_at, updated_at, sent_at FROM offer_mails;
DROP TABLE offer_mails;
ALTER TABLE offer_mails_new RENAME TO offer_mails;
CREATE INDEX offer_mails_status ON offer_mails (status, id);
CREATE INDEX offer_mails_participant ON offer_mails (participant_id, date_id);
CREATE INDEX offer_mails_message ON offer_mails (message_id) WHERE message_id IS NOT NULL;

-- One reminder per participant and date, however often and however many
-- at once the worker looks for due reminders.
CREATE UNIQUE INDEX offer_mails_reminder_once ON offer_mails (participant_id, date_id) WHERE kind = 'reminder';

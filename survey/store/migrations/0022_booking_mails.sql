-- Booking through the Kommune's personal link (issue 20, item 3): the
-- moment a waiting booking moved up (a moved-up participant may decline),
-- and the queue of mails to participants (confirmation, waiting-list
-- place, move-up, cancellation of the booking; docs/offers-mail.md).
ALTER TABLE bookings ADD COLUMN moved_up_at TEXT;

-- The mails to participants, queued in the transaction of the booking
-- change they tell of. sequence is the calendar entry's SEQUENCE when
-- queued (the date's sequence plus the earlier status mails to the
-- participant about the date), first_mail whether it is the first mail to
-- the participant (it carries the Art. 14 GDPR notice). status as in
-- mail_queue: queued → sending (committed before the mail server is
-- contacted) → sent | failed; a row found 'sending' at start becomes
-- 'unklar'; 'cancelled' when there is nothing to send any more.
CREATE TABLE offer_mails (
    id             INTEGER PRIMARY KEY,
    booking_id     INTEGER NOT NULL REFERENCES bookings (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    date_id        INTEGER NOT NULL REFERENCES offer_dates (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('confirmation', 'waiting', 'moved_up', 'changed', 'cancelled', 'booking_cancelled', 'reminder')),
    sequence       INTEGER NOT NULL,
    first_mail     INTEGER NOT NULL CHECK (first_mail IN (0, 1)),
    status         TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unklar', 'cancelled')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    server_answer  TEXT    NOT NULL DEFAULT '',
    queued_at      TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    sent_at        TEXT
);
CREATE INDEX offer_mails_status ON offer_mails (status, id);
CREATE INDEX offer_mails_participant ON offer_mails (participant_id, date_id);

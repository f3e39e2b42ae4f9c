-- Bookings of offers by the Kommunen (issue 20, items 3 to 8). The tables
-- come with the offers so that the booking code needs no migration of its
-- own; invariants the booking code keeps, each inside one write
-- transaction: a date's bookings with status 'booked' or 'attended' never
-- exceed its capacity; a Kommune's group bookings never exceed its seats in
-- offer_members; before a date's release_on the places reserved for other
-- Kommunen (date_reservations minus their bookings) are not booked.

-- The last day a Kommune may cancel a booking of the date (Berlin date,
-- inclusive; NULL: until the date starts) and the day its reserved seats
-- are released to all (NULL: reserved until the date).
ALTER TABLE offer_dates ADD COLUMN cancel_until TEXT;
ALTER TABLE offer_dates ADD COLUMN release_on TEXT;

-- People a Kommune names for its seats: name, function, e-mail, nothing
-- more (personal data: kept only as long as needed, see retention).
CREATE TABLE participants (
    id         INTEGER PRIMARY KEY,
    kommune_id INTEGER NOT NULL REFERENCES kommunen (id),
    name       TEXT    NOT NULL,
    function   TEXT    NOT NULL DEFAULT '',
    email      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX participants_kommune ON participants (kommune_id);

-- A participant's booking of an offer: of a training date (date_id set) or
-- of a seat in a supervision group (date_id NULL). waiting_since orders
-- the waiting list (status 'waiting'); a moved-up booking turns 'booked'.
CREATE TABLE bookings (
    id             INTEGER PRIMARY KEY,
    offer_id       INTEGER NOT NULL REFERENCES offers (id),
    date_id        INTEGER REFERENCES offer_dates (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    kommune_id     INTEGER NOT NULL REFERENCES kommunen (id),
    status         TEXT    NOT NULL CHECK (status IN ('booked', 'waiting', 'cancelled', 'attended')),
    waiting_since  TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX bookings_date ON bookings (date_id, status);
CREATE INDEX bookings_offer ON bookings (offer_id, kommune_id);
CREATE UNIQUE INDEX bookings_once ON bookings (offer_id, coalesce(date_id, 0), participant_id) WHERE status != 'cancelled';

-- Attendance of a group's sessions (continuity), per dated session.
CREATE TABLE session_attendance (
    date_id        INTEGER NOT NULL REFERENCES offer_dates (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    PRIMARY KEY (date_id, participant_id)
) WITHOUT ROWID;

-- Seats of a training date reserved for a Kommune (up to its surveyed
-- need) until the date's release_on.
CREATE TABLE date_reservations (
    date_id    INTEGER NOT NULL REFERENCES offer_dates (id) ON DELETE CASCADE,
    kommune_id INTEGER NOT NULL REFERENCES kommunen (id),
    seats      INTEGER NOT NULL CHECK (seats > 0),
    PRIMARY KEY (date_id, kommune_id)
) WITHOUT ROWID;

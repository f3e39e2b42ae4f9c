-- Offers made from a round's plan (issue 20): supervision groups and
-- training series, their dates, and the providers who run them. The plan
-- itself is never changed; each offer keeps the plan item it was made
-- from (plan_key, plan_snapshot), so the plan can be turned into offers
-- again without duplicates (analysis.DiffPlan). Money is in integer cents.

-- Supervisors and trainers, shared by all rounds.
CREATE TABLE providers (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('supervisor', 'trainer')),
    name           TEXT    NOT NULL,
    organisation   TEXT    NOT NULL DEFAULT '',
    qualification  TEXT    NOT NULL DEFAULT '',
    contact        TEXT    NOT NULL DEFAULT '',
    -- fee_cents per fee_unit, net of VAT; travel_cents per dated session or
    -- day that meets on site, net of VAT.
    fee_cents      INTEGER NOT NULL CHECK (fee_cents >= 0),
    fee_unit       TEXT    NOT NULL CHECK (fee_unit IN ('hour', 'day')),
    travel_cents   INTEGER NOT NULL DEFAULT 0 CHECK (travel_cents >= 0),
    -- VAT in basis points (1900 = 19 %); 0 with vat_exempt = 1 for a
    -- provider exempt from VAT (§ 4 Nr. 21 UStG and the like).
    vat_bp         INTEGER NOT NULL CHECK (vat_bp BETWEEN 0 AND 10000),
    vat_exempt     INTEGER NOT NULL DEFAULT 0 CHECK (vat_exempt IN (0, 1)),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    CHECK (vat_exempt = 0 OR vat_bp = 0)
);

-- An offer: a supervision group ('group') or the training days of one
-- module ('training') of a round. plan_key names the plan item it was made
-- from ('group:G03', 'module:asyl'; '' for offers staff added or split
-- off) and plan_snapshot holds that item as it was when made or last
-- updated from the plan (JSON, meaning owned by the analysis).
CREATE TABLE offers (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('group', 'training')),
    title           TEXT    NOT NULL,
    module_id       TEXT    NOT NULL DEFAULT '',
    plan_key        TEXT    NOT NULL DEFAULT '',
    plan_snapshot   TEXT    NOT NULL DEFAULT '',
    online          INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
    meeting_ags     TEXT    NOT NULL DEFAULT '',
    place           TEXT    NOT NULL DEFAULT '',
    -- groups: planned sessions and their length; training: planned days
    -- (sessions) of session_minutes each.
    sessions        INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    session_minutes INTEGER NOT NULL DEFAULT 0 CHECK (session_minutes >= 0),
    -- training: places per date for new dates.
    capacity        INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    provider_id     INTEGER REFERENCES providers (id),
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX offers_round ON offers (round_id, kind);
-- A plan item is made into at most one offer of a round: turning the plan
-- into offers again never duplicates.
CREATE UNIQUE INDEX offers_plan_key ON offers (round_id, plan_key) WHERE plan_key != '';

-- A supervision group's member Kommunen with their seats.
CREATE TABLE offer_members (
    offer_id   INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    kommune_id INTEGER NOT NULL REFERENCES kommunen (id),
    seats      INTEGER NOT NULL CHECK (seats > 0),
    PRIMARY KEY (offer_id, kommune_id)
) WITHOUT ROWID;
CREATE INDEX offer_members_kommune ON offer_members (kommune_id);

-- The dates of an offer: a group's sessions or a module's training days.
-- Times are UTC instants (RFC 3339). sequence counts the changes of a
-- date that participants are told of (iCalendar SEQUENCE); uid is its
-- iCalendar UID, fixed for its life.
CREATE TABLE offer_dates (
    id         INTEGER PRIMARY KEY,
    offer_id   INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    starts_at  TEXT    NOT NULL,
    ends_at    TEXT    NOT NULL,
    place      TEXT    NOT NULL DEFAULT '',
    capacity   INTEGER NOT NULL CHECK (capacity >= 0),
    status     TEXT    NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    sequence   INTEGER NOT NULL DEFAULT 0,
    uid        TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX offer_dates_offer ON offer_dates (offer_id, starts_at);

-- A counter per round bumped with every change of its offers: the plan's
-- diff is computed against it and applied only while it stands
-- (compare-and-set), so two staff members turning the plan into offers at
-- once cannot both create them.
CREATE TABLE offer_state (
    round_id INTEGER PRIMARY KEY REFERENCES rounds (id),
    revision INTEGER NOT NULL
);

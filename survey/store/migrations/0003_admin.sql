-- Per-Kommune deadline extension (a date, Europe/Berlin; the day counts
-- until its end). NULL: the round's deadline applies. The later of the two
-- deadlines counts.
ALTER TABLE responses ADD COLUMN deadline_override TEXT;

-- Audit log filters (action, time range), newest first.
CREATE INDEX audit_action ON audit_log (action, id);
CREATE INDEX audit_at ON audit_log (at);

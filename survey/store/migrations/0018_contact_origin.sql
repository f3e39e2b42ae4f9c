-- Where a contact address came from: typed on its page or imported from a
-- CSV file (origin_question ''), or copied from a Kommune's answer to a
-- round (the round and the question it came from). Copying an answer again
-- after the Kommune changed its address replaces the earlier copy from the
-- same question; typed and imported addresses are never replaced.
ALTER TABLE kommune_contacts ADD COLUMN origin_round_id INTEGER REFERENCES rounds (id) ON DELETE SET NULL;
ALTER TABLE kommune_contacts ADD COLUMN origin_question TEXT NOT NULL DEFAULT '';

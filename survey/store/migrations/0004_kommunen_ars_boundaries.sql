-- Regional key (ARS, 12 digits) of a Kommune; '' when not known. The key
-- column ags stays the one unique key per Kommune: the AGS (8 digits) or,
-- for an association of municipalities without an AGS of its own
-- (Samtgemeinde), its ARS (12 digits).
ALTER TABLE kommunen ADD COLUMN ars TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX kommunen_ars ON kommunen (ars) WHERE ars <> '';

-- Boundaries of the Kommunen for the maps: the last uploaded GeoJSON,
-- reduced to the features that match a Kommune, each with the property
-- "ags" set to the Kommune's key. No row: the maps show Region Hannover.
CREATE TABLE boundaries (
    id          INTEGER PRIMARY KEY,
    geojson     BLOB    NOT NULL,
    features    INTEGER NOT NULL,
    uploaded_at TEXT    NOT NULL,
    uploaded_by TEXT    NOT NULL DEFAULT ''
);

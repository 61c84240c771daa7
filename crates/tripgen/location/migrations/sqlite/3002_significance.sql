-- Place significance (0–100, see docs/location.md), the Wikidata identity of the physical
-- place, the import model that computed them, and duplicate merging: a place merged into
-- another (same physical place) keeps its row for old references but is never listed.
ALTER TABLE places ADD COLUMN significance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE places ADD COLUMN wikidata TEXT;
ALTER TABLE places ADD COLUMN model INTEGER NOT NULL DEFAULT 0;
ALTER TABLE places ADD COLUMN merged_into TEXT;
CREATE INDEX places_significance ON places (significance);
CREATE INDEX places_wikidata ON places (wikidata);

-- Timetables imported from GTFS feeds (`tripgen import gtfs`, transit::timetable, gzip
-- JSON), one row per feed file, replaced on re-import; linked to the imported city the
-- stops lie in. In the database beside `road_graphs`, so every replica and a backup see
-- the same timetable as the catalogue it belongs to.
CREATE TABLE transit_timetables (
    feed TEXT PRIMARY KEY,
    city_id TEXT NOT NULL,
    format INTEGER NOT NULL,
    stops BIGINT NOT NULL,
    trips BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    timetable BYTEA NOT NULL
);

-- What each import brought and from where (`tripgen cities`, `GET /locations/cities`):
-- one row per imported file, with the box around its places to match it to cities.
CREATE TABLE catalogue_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,               -- file path or the URL it was downloaded from
    dataset TEXT NOT NULL,              -- file name
    imported_at INTEGER NOT NULL,       -- epoch ms
    snapshot_at INTEGER,                -- OSM data timestamp the file states, epoch ms
    places_read INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    min_lat REAL,
    min_lon REAL,
    max_lat REAL,
    max_lon REAL
);

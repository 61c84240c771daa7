-- Location context: the place catalogue and the gazetteer. Instants are epoch ms.
-- `doc` holds the full place (JSON), `summary` what lists need; the other columns are
-- what queries filter and sort on.
CREATE TABLE places (
    rid INTEGER PRIMARY KEY,            -- key of the R*Tree and FTS5 indexes
    id TEXT NOT NULL UNIQUE,            -- osm:<node|way|relation>:<id>
    name TEXT NOT NULL,
    name_en TEXT,
    name_ko TEXT,
    category TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    rating REAL,
    review_count INTEGER,
    source TEXT NOT NULL,               -- SourceRecord JSON ("newer version wins")
    summary TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX places_category ON places (category);

CREATE VIRTUAL TABLE places_rtree USING rtree (rid, min_lat, max_lat, min_lon, max_lon);

-- Trigram tokens find substrings in any script (Hangul included), case-insensitively.
CREATE VIRTUAL TABLE places_fts USING fts5 (
    name, name_en, name_ko, content = 'places', content_rowid = 'rid', tokenize = 'trigram'
);

CREATE TRIGGER places_ai AFTER INSERT ON places BEGIN
    INSERT INTO places_rtree (rid, min_lat, max_lat, min_lon, max_lon)
        VALUES (new.rid, new.lat, new.lat, new.lon, new.lon);
    INSERT INTO places_fts (rowid, name, name_en, name_ko)
        VALUES (new.rid, new.name, new.name_en, new.name_ko);
END;
CREATE TRIGGER places_ad AFTER DELETE ON places BEGIN
    DELETE FROM places_rtree WHERE rid = old.rid;
    INSERT INTO places_fts (places_fts, rowid, name, name_en, name_ko)
        VALUES ('delete', old.rid, old.name, old.name_en, old.name_ko);
END;
CREATE TRIGGER places_au AFTER UPDATE ON places BEGIN
    UPDATE places_rtree SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon
        WHERE rid = new.rid;
    INSERT INTO places_fts (places_fts, rowid, name, name_en, name_ko)
        VALUES ('delete', old.rid, old.name, old.name_en, old.name_ko);
    INSERT INTO places_fts (rowid, name, name_en, name_ko)
        VALUES (new.rid, new.name, new.name_en, new.name_ko);
END;

-- City nodes as read from files (the gazetteer is rebuilt from these and the places).
CREATE TABLE city_entries (
    id TEXT PRIMARY KEY NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE cities (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);

-- `version` changes on every import; replicas reload their in-memory index when it does.
CREATE TABLE catalogue_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
);
INSERT INTO catalogue_meta (key, value) VALUES ('version', 0);

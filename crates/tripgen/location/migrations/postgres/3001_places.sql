-- Location context: the place catalogue and the gazetteer (PostGIS + trigram search).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE places (
    id TEXT PRIMARY KEY,                -- osm:<node|way|relation>:<id>
    name TEXT NOT NULL,
    name_en TEXT,
    name_ko TEXT,
    category TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    geog geography(Point, 4326) GENERATED ALWAYS AS
        (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED,
    search_names TEXT GENERATED ALWAYS AS
        (lower(name || ' ' || coalesce(name_en, '') || ' ' || coalesce(name_ko, ''))) STORED,
    rating DOUBLE PRECISION,
    review_count BIGINT,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX places_geog ON places USING GIST (geog);
CREATE INDEX places_names_trgm ON places USING GIN (search_names gin_trgm_ops);
CREATE INDEX places_category ON places (category);

CREATE TABLE city_entries (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);

CREATE TABLE cities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE catalogue_meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO catalogue_meta (key, value) VALUES ('version', 0);

-- What each import brought and from where (`tripgen cities`, `GET /locations/cities`):
-- one row per imported file, with the box around its places to match it to cities.
CREATE TABLE catalogue_imports (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    dataset TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    snapshot_at BIGINT,
    places_read BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    min_lat DOUBLE PRECISION,
    min_lon DOUBLE PRECISION,
    max_lat DOUBLE PRECISION,
    max_lon DOUBLE PRECISION
);

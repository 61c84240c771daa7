-- The street graph built from each imported .osm.pbf (roads::codec, gzip), one row per
-- dataset, replaced on re-import. In the database rather than a file so every replica
-- and a backup see the same graph as the catalogue it belongs to.
CREATE TABLE road_graphs (
    dataset TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    format INTEGER NOT NULL,
    nodes BIGINT NOT NULL,
    edges BIGINT NOT NULL,
    built_at BIGINT NOT NULL,
    graph BYTEA NOT NULL
);

-- The street graph built from each imported .osm.pbf (roads::codec, gzip), one row per
-- dataset, replaced on re-import. In the database rather than a file so every replica
-- and a backup see the same graph as the catalogue it belongs to.
CREATE TABLE road_graphs (
    dataset TEXT PRIMARY KEY,           -- file name, as in catalogue_imports
    source TEXT NOT NULL,
    format INTEGER NOT NULL,            -- roads::codec::FORMAT_VERSION
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    built_at INTEGER NOT NULL,          -- epoch ms
    graph BLOB NOT NULL
);

-- Stations, ferry terminals and ferry routes read from each imported .osm.pbf
-- (transport::read; JSON of transport::TransportNetwork), one row per dataset, replaced on
-- re-import. Not places: journeys ask them, plans never visit them (docs/journeys.md).
CREATE TABLE transport_networks (
    dataset TEXT PRIMARY KEY,           -- file name, as in catalogue_imports
    source TEXT NOT NULL,
    hubs BIGINT NOT NULL,
    ferries BIGINT NOT NULL,
    built_at BIGINT NOT NULL,          -- epoch ms
    network TEXT NOT NULL
);

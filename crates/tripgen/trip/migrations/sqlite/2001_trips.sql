-- Trip context. Instants are epoch milliseconds (INTEGER) so one SQL text serves
-- PostgreSQL and SQLite; ids are UUIDs (16-byte BLOBs here); civil dates are ISO `YYYY-MM-DD` text.
-- owner_id names a user of the user context; no cross-context foreign key.
CREATE TABLE trips (
    id BLOB PRIMARY KEY NOT NULL,
    owner_id BLOB NOT NULL,
    name TEXT NOT NULL,
    -- lower-cased name: search and the `name` sort (byte order, as in SQLite)
    name_key TEXT NOT NULL,
    transport_mode TEXT,
    start_date TEXT,
    end_date TEXT,
    -- days since 1970-01-01 of start_date, 99999999 without one (the `startDate` sort)
    start_key INTEGER NOT NULL,
    -- local midnight of the start date (first city) / after the end date (last city)
    starts_at INTEGER,
    ends_at INTEGER,
    schedule_state TEXT NOT NULL DEFAULT 'none',
    generation_state TEXT NOT NULL DEFAULT 'idle',
    generation_request_id TEXT,
    generated_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX trips_owner_created ON trips (owner_id, created_at DESC, id DESC);
CREATE INDEX trips_owner_window ON trips (owner_id, starts_at, ends_at);

CREATE TABLE trip_members (
    id BLOB PRIMARY KEY NOT NULL,
    trip_id BLOB NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    age INTEGER NOT NULL,
    gender TEXT NOT NULL,
    health TEXT NOT NULL,
    -- comma-separated preference words
    preferences TEXT NOT NULL
);
CREATE INDEX trip_members_trip ON trip_members (trip_id, position);

CREATE TABLE trip_destinations (
    id BLOB PRIMARY KEY NOT NULL,
    trip_id BLOB NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    destination_name TEXT NOT NULL,
    city_name TEXT NOT NULL,
    -- lower-cased typed and resolved names, for the list search
    search_key TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    time_zone TEXT NOT NULL,
    country TEXT,
    nights INTEGER NOT NULL,
    accommodation TEXT,
    lodging_lat REAL NOT NULL,
    lodging_lon REAL NOT NULL,
    lodging_resolved INTEGER NOT NULL,
    check_in_time TEXT NOT NULL,
    check_out_time TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL
);
CREATE INDEX trip_destinations_trip ON trip_destinations (trip_id, position);

-- The plan of each day, one row per version; the last three versions of a day are kept.
CREATE TABLE trip_schedule_days (
    trip_id BLOB NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    day_index INTEGER NOT NULL,
    version INTEGER NOT NULL,
    plan TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (trip_id, day_index, version)
);

-- Read-only share links; only the SHA-256 of a token is stored.
CREATE TABLE trip_shares (
    token_hash TEXT PRIMARY KEY NOT NULL,
    trip_id BLOB NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX trip_shares_trip ON trip_shares (trip_id);

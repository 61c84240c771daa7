-- Change detection (TRIP-062): the last check of each trip, returned again within the
-- same local day unless the schedule changed (`fingerprint` = current day versions).
CREATE TABLE trip_change_checks (
    trip_id BLOB PRIMARY KEY NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    checked_at INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    report TEXT NOT NULL
);

-- Notices put on a trip (the D-1 check, …); `dedupe_key` makes each notice once-only
-- across replicas and retries.
CREATE TABLE trip_notices (
    id BLOB PRIMARY KEY NOT NULL,
    trip_id BLOB NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
    owner_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    report TEXT,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX trip_notices_trip ON trip_notices (trip_id, created_at);

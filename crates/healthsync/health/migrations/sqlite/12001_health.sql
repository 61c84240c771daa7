-- Health context (spec §4.1). Instants are epoch milliseconds; ids are UUIDs (16-byte
-- BLOBs here). No foreign keys to the user context's tables: contexts share one database
-- but not tables; a user's rows are erased by the `user-deleted` consumer.

-- Imported NHIS rows (anonymised): one per (dataset, year, member serial). Every item
-- column is nullable (blank or implausible in the file).
CREATE TABLE checkup_rows (
    dataset TEXT NOT NULL,
    reference_year INTEGER NOT NULL,
    member_serial INTEGER NOT NULL,
    region_code TEXT,
    sex INTEGER NOT NULL,
    age_band INTEGER NOT NULL,
    height REAL, weight REAL, waist REAL,
    vision_left REAL, vision_right REAL, hearing_left REAL, hearing_right REAL,
    sbp REAL, dbp REAL, glucose REAL,
    total_chol REAL, tg REAL, hdl REAL, ldl REAL,
    hemoglobin REAL, urine_protein REAL, creatinine REAL,
    ast REAL, alt REAL, ggt REAL,
    smoking REAL, drinking REAL,
    oral_exam REAL, caries REAL, missing_teeth REAL, tooth_wear REAL, wisdom_tooth REAL, tartar REAL,
    disclosed_on TEXT,
    -- first 8 bytes of SHA-256 over the normalised row: "unchanged" on re-import
    row_hash INTEGER NOT NULL,
    import_id BLOB NOT NULL,
    PRIMARY KEY (dataset, reference_year, member_serial)
);
-- Linking (§4.4): candidates of a sex and age band in a year, ordered by member serial.
CREATE INDEX checkup_rows_candidates ON checkup_rows (dataset, reference_year, sex, age_band, member_serial);
CREATE INDEX checkup_rows_person ON checkup_rows (dataset, member_serial);

CREATE TABLE checkup_datasets (
    name TEXT PRIMARY KEY NOT NULL,
    -- sample | nhis
    source TEXT NOT NULL,
    -- JSON array of reference years present
    years TEXT NOT NULL,
    rows INTEGER NOT NULL,
    -- bumped by every import that inserted or updated a row (drops derived caches)
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE import_runs (
    id BLOB PRIMARY KEY NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    dataset TEXT,
    rows INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    bad_rows INTEGER NOT NULL,
    -- the full report (bad rows, implausible and blank counts)
    report TEXT NOT NULL,
    -- applied | rejected
    state TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
);

CREATE TABLE checkup_links (
    user_id BLOB PRIMARY KEY NOT NULL,
    dataset TEXT NOT NULL,
    member_serial INTEGER NOT NULL,
    rule TEXT NOT NULL,
    matched_sex INTEGER NOT NULL,
    matched_age_band INTEGER NOT NULL,
    reference_year INTEGER NOT NULL,
    linked_at INTEGER NOT NULL
);

CREATE TABLE checkups (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL,
    reference_year INTEGER NOT NULL,
    -- sample | nhis
    source TEXT NOT NULL,
    -- dataset/year/serial of the row it was judged from
    source_ref TEXT NOT NULL,
    row_hash INTEGER NOT NULL,
    -- JSON [{code, value, status}]
    items TEXT NOT NULL,
    bmi REAL,
    egfr REAL,
    -- JSON {group: status}
    groups TEXT NOT NULL,
    health_score INTEGER NOT NULL,
    risk_level TEXT NOT NULL,
    sex INTEGER NOT NULL,
    age_band INTEGER NOT NULL,
    ranges_version INTEGER NOT NULL,
    synced_at INTEGER NOT NULL,
    UNIQUE (user_id, reference_year)
);

CREATE TABLE checkup_files (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL,
    object_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX checkup_files_user ON checkup_files (user_id, uploaded_at);

-- Reference ranges, versioned (§4.2). sex 0 all, 1 men, 2 women; band normal|warning|
-- danger; one row per inclusive interval (part orders several intervals of one band).
CREATE TABLE normal_ranges (
    version INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    sex INTEGER NOT NULL,
    unit TEXT NOT NULL,
    band TEXT NOT NULL,
    part INTEGER NOT NULL,
    min_value REAL,
    max_value REAL,
    item_group TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (version, item_code, sex, band, part)
);

-- Sync attempts per user (HS-HEALTH-010: at most 10 per hour), shared by every replica.
CREATE TABLE health_sync_log (
    user_id BLOB NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX health_sync_log_user ON health_sync_log (user_id, at);

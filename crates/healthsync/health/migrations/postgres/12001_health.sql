-- Health context (spec §4.1). Instants are epoch milliseconds; ids are native UUIDs.
-- No foreign keys to the user context's tables: contexts share one database
-- but not tables; a user's rows are erased by the `user-deleted` consumer.

-- Imported NHIS rows (anonymised): one per (dataset, year, member serial). Every item
-- column is nullable (blank or implausible in the file).
CREATE TABLE checkup_rows (
    dataset TEXT NOT NULL,
    reference_year BIGINT NOT NULL,
    member_serial BIGINT NOT NULL,
    region_code TEXT,
    sex BIGINT NOT NULL,
    age_band BIGINT NOT NULL,
    height DOUBLE PRECISION, weight DOUBLE PRECISION, waist DOUBLE PRECISION,
    vision_left DOUBLE PRECISION, vision_right DOUBLE PRECISION, hearing_left DOUBLE PRECISION, hearing_right DOUBLE PRECISION,
    sbp DOUBLE PRECISION, dbp DOUBLE PRECISION, glucose DOUBLE PRECISION,
    total_chol DOUBLE PRECISION, tg DOUBLE PRECISION, hdl DOUBLE PRECISION, ldl DOUBLE PRECISION,
    hemoglobin DOUBLE PRECISION, urine_protein DOUBLE PRECISION, creatinine DOUBLE PRECISION,
    ast DOUBLE PRECISION, alt DOUBLE PRECISION, ggt DOUBLE PRECISION,
    smoking DOUBLE PRECISION, drinking DOUBLE PRECISION,
    oral_exam DOUBLE PRECISION, caries DOUBLE PRECISION, missing_teeth DOUBLE PRECISION, tooth_wear DOUBLE PRECISION, wisdom_tooth DOUBLE PRECISION, tartar DOUBLE PRECISION,
    disclosed_on TEXT,
    -- first 8 bytes of SHA-256 over the normalised row: "unchanged" on re-import
    row_hash BIGINT NOT NULL,
    import_id UUID NOT NULL,
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
    rows BIGINT NOT NULL,
    -- bumped by every import that inserted or updated a row (drops derived caches)
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE import_runs (
    id UUID PRIMARY KEY,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    dataset TEXT,
    rows BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    bad_rows BIGINT NOT NULL,
    -- the full report (bad rows, implausible and blank counts)
    report TEXT NOT NULL,
    -- applied | rejected
    state TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL
);

CREATE TABLE checkup_links (
    user_id UUID PRIMARY KEY,
    dataset TEXT NOT NULL,
    member_serial BIGINT NOT NULL,
    rule TEXT NOT NULL,
    matched_sex BIGINT NOT NULL,
    matched_age_band BIGINT NOT NULL,
    reference_year BIGINT NOT NULL,
    linked_at BIGINT NOT NULL
);

CREATE TABLE checkups (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    reference_year BIGINT NOT NULL,
    -- sample | nhis
    source TEXT NOT NULL,
    -- dataset/year/serial of the row it was judged from
    source_ref TEXT NOT NULL,
    row_hash BIGINT NOT NULL,
    -- JSON [{code, value, status}]
    items TEXT NOT NULL,
    bmi DOUBLE PRECISION,
    egfr DOUBLE PRECISION,
    -- JSON {group: status}
    groups TEXT NOT NULL,
    health_score BIGINT NOT NULL,
    risk_level TEXT NOT NULL,
    sex BIGINT NOT NULL,
    age_band BIGINT NOT NULL,
    ranges_version BIGINT NOT NULL,
    synced_at BIGINT NOT NULL,
    UNIQUE (user_id, reference_year)
);

CREATE TABLE checkup_files (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    object_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX checkup_files_user ON checkup_files (user_id, uploaded_at);

-- Reference ranges, versioned (§4.2). sex 0 all, 1 men, 2 women; band normal|warning|
-- danger; one row per inclusive interval (part orders several intervals of one band).
CREATE TABLE normal_ranges (
    version BIGINT NOT NULL,
    item_code TEXT NOT NULL,
    sex BIGINT NOT NULL,
    unit TEXT NOT NULL,
    band TEXT NOT NULL,
    part BIGINT NOT NULL,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    item_group TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (version, item_code, sex, band, part)
);

-- Sync attempts per user (HS-HEALTH-010: at most 10 per hour), shared by every replica.
CREATE TABLE health_sync_log (
    user_id UUID NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX health_sync_log_user ON health_sync_log (user_id, at);

-- In-app notifications (HS-AI-060) and the daily batch (HS-BATCH-010…030).
CREATE TABLE notifications (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL,
    kind TEXT NOT NULL,              -- daily_nudge | celebration | checkup_synced | welcome
    date TEXT NOT NULL,              -- the local day it is for
    mission_id TEXT,
    milestone INTEGER,
    code TEXT NOT NULL,              -- rules text code (rendered per request language)
    params TEXT NOT NULL,            -- JSON
    body TEXT,                       -- AI text in the user's language, if any
    urgency TEXT,
    motivation_type TEXT,
    generated_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
-- One nudge per user and day; one celebration per user, mission and milestone.
CREATE UNIQUE INDEX notifications_one_nudge ON notifications (user_id, kind, date) WHERE kind = 'daily_nudge';
CREATE UNIQUE INDEX notifications_one_celebration ON notifications (user_id, mission_id, milestone) WHERE kind = 'celebration';
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE batch_runs (
    id BLOB PRIMARY KEY,
    run_date TEXT NOT NULL,
    evaluated_day TEXT NOT NULL,
    state TEXT NOT NULL,             -- running | succeeded | failed
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    candidates INTEGER NOT NULL,
    lagging INTEGER NOT NULL,
    notified INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    ai_templates INTEGER NOT NULL,
    fallback_templates INTEGER NOT NULL,
    error TEXT
);
CREATE INDEX batch_runs_date ON batch_runs (run_date, started_at);

-- Exactly-once across replicas: the holder of a lease runs, renewing it by heartbeat.
CREATE TABLE batch_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until INTEGER NOT NULL
);

-- In-app notifications (HS-AI-060) and the daily batch (HS-BATCH-010…030).
CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    kind TEXT NOT NULL,              -- daily_nudge | celebration | checkup_synced | welcome
    date TEXT NOT NULL,              -- the local day it is for
    mission_id TEXT,
    milestone BIGINT,
    code TEXT NOT NULL,              -- rules text code (rendered per request language)
    params TEXT NOT NULL,            -- JSON
    body TEXT,                       -- AI text in the user's language, if any
    urgency TEXT,
    motivation_type TEXT,
    generated_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
-- One nudge per user and day; one celebration per user, mission and milestone.
CREATE UNIQUE INDEX notifications_one_nudge ON notifications (user_id, kind, date) WHERE kind = 'daily_nudge';
CREATE UNIQUE INDEX notifications_one_celebration ON notifications (user_id, mission_id, milestone) WHERE kind = 'celebration';
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE batch_runs (
    id UUID PRIMARY KEY,
    run_date TEXT NOT NULL,
    evaluated_day TEXT NOT NULL,
    state TEXT NOT NULL,             -- running | succeeded | failed
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    candidates BIGINT NOT NULL,
    lagging BIGINT NOT NULL,
    notified BIGINT NOT NULL,
    skipped BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    ai_templates BIGINT NOT NULL,
    fallback_templates BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX batch_runs_date ON batch_runs (run_date, started_at);

-- Exactly-once across replicas: the holder of a lease runs, renewing it by heartbeat.
CREATE TABLE batch_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until BIGINT NOT NULL
);

-- The 3-line diagnoses (HS-AI-010), kept 2 h per (checkup, occupation, language).
CREATE TABLE diagnoses (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL,
    checkup_id BLOB NOT NULL,
    input_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    -- JSON arrays of strings
    lines TEXT NOT NULL,
    considerations TEXT NOT NULL,
    generated_by TEXT NOT NULL,      -- ai | rules
    provider TEXT,
    model TEXT,
    latency_ms INTEGER NOT NULL,
    -- 1 when asked with refresh=true (5 per day)
    refreshed INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX diagnoses_user ON diagnoses (user_id, created_at);

-- Every model call, without content (spec §4.1).
CREATE TABLE ai_calls (
    id BLOB PRIMARY KEY,
    purpose TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT,
    outcome TEXT NOT NULL,           -- ok | failed | invalid:<check> | timeout
    latency_ms INTEGER NOT NULL,
    at INTEGER NOT NULL
);

-- The 3-line diagnoses (HS-AI-010), kept 2 h per (checkup, occupation, language).
CREATE TABLE diagnoses (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    checkup_id UUID NOT NULL,
    input_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    -- JSON arrays of strings
    lines TEXT NOT NULL,
    considerations TEXT NOT NULL,
    generated_by TEXT NOT NULL,      -- ai | rules
    provider TEXT,
    model TEXT,
    latency_ms BIGINT NOT NULL,
    -- 1 when asked with refresh=true (5 per day)
    refreshed BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX diagnoses_user ON diagnoses (user_id, created_at);

-- Every model call, without content (spec §4.1).
CREATE TABLE ai_calls (
    id UUID PRIMARY KEY,
    purpose TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT,
    outcome TEXT NOT NULL,           -- ok | failed | invalid:<check> | timeout
    latency_ms BIGINT NOT NULL,
    at BIGINT NOT NULL
);

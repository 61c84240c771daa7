-- Intelligence context (spec §4.1): mission recommendations. Instants are epoch
-- milliseconds; ids are UUIDs (16-byte BLOBs here); flags are 0/1.
CREATE TABLE recommendations (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL,
    -- SHA-256 of what the answer depends on (checkup, occupation, exclusions)
    input_hash TEXT NOT NULL,
    -- [{missionId, riskFactors[], occupationMatch[]}] in order
    missions TEXT NOT NULL,
    -- the flagged groups the reason names
    flagged TEXT NOT NULL,
    based_on_checkup INTEGER NOT NULL,
    generated_by TEXT NOT NULL,
    -- 1 when asked with refresh=true (10 per day)
    refreshed INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX recommendations_user ON recommendations (user_id, created_at);

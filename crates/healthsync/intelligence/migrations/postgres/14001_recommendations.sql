-- Intelligence context (spec §4.1): mission recommendations. Instants are epoch
-- milliseconds; ids are UUIDs (native UUIDs); flags are 0/1.
CREATE TABLE recommendations (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    -- SHA-256 of what the answer depends on (checkup, occupation, exclusions)
    input_hash TEXT NOT NULL,
    -- [{missionId, riskFactors[], occupationMatch[]}] in order
    missions TEXT NOT NULL,
    -- the flagged groups the reason names
    flagged TEXT NOT NULL,
    based_on_checkup BIGINT NOT NULL,
    generated_by TEXT NOT NULL,
    -- 1 when asked with refresh=true (10 per day)
    refreshed BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX recommendations_user ON recommendations (user_id, created_at);

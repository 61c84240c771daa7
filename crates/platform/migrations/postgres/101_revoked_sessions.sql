-- Deny-list of ended sessions: an access token whose session id is here is refused
-- by every replica until the entry expires (instants are epoch milliseconds).
CREATE TABLE revoked_sessions (
    session_id UUID PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);

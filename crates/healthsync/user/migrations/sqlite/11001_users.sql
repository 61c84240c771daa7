-- HealthSync User context (spec §4.1). Instants are epoch milliseconds; ids are UUIDs
-- (16-byte BLOBs here). E-mail and name are encrypted at rest (AES-256-GCM, platform cipher).
CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    oidc_issuer TEXT NOT NULL,
    oidc_subject TEXT NOT NULL,
    email_enc TEXT NOT NULL,
    email_verified BOOLEAN NOT NULL,
    name_enc TEXT,
    -- YYYY-MM-DD
    birth_date TEXT,
    -- male | female
    sex TEXT,
    occupation_code TEXT,
    -- pending | active
    status TEXT NOT NULL,
    -- user | admin
    role TEXT NOT NULL,
    language TEXT NOT NULL,
    notifications_enabled BOOLEAN NOT NULL,
    ai_consent BOOLEAN NOT NULL,
    health_consent_at INTEGER,
    created_at INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL,
    profile_completed_at INTEGER,
    UNIQUE (oidc_issuer, oidc_subject)
);

-- One sign-in attempt (/oidc/start): single use, 10 minutes. The state is stored hashed,
-- the PKCE verifier encrypted.
CREATE TABLE oidc_login_attempts (
    state_hash TEXT PRIMARY KEY NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier_enc TEXT NOT NULL,
    next TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

-- A session is one sign-in: a family of rotating refresh tokens, at most 90 days.
CREATE TABLE sessions (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens are stored as SHA-256 hashes, never raw.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    session_id BLOB NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Security events (sign-in, sign-out, refresh-token reuse, deletion); no personal data.
CREATE TABLE audit_events (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX audit_events_user ON audit_events (user_id, at);

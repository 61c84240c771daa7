-- The health assistant's chat (HS-AI-030). Message text is encrypted at rest.
CREATE TABLE chat_sessions (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    message_count BIGINT NOT NULL
);
CREATE INDEX chat_sessions_user ON chat_sessions (user_id, last_activity_at);

CREATE TABLE chat_messages (
    id UUID PRIMARY KEY,
    session_id UUID NOT NULL,
    user_id UUID NOT NULL,
    role TEXT NOT NULL,              -- user | assistant
    content_enc TEXT NOT NULL,
    response_type TEXT,              -- answer | referral | refusal (assistant only)
    generated_by TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX chat_messages_session ON chat_messages (session_id, created_at);
CREATE INDEX chat_messages_user ON chat_messages (user_id, role, created_at);

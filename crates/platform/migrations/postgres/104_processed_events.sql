-- Idempotent event consumers (platform::jobs::event): one row per handled (event, consumer).
CREATE TABLE processed_events (
    event_id UUID NOT NULL,
    consumer TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, consumer)
);

-- Durable job queue (generation, notifications, …). Instants are epoch milliseconds.
-- A worker claims a row with a lease (lease_owner, lease_until) and extends it while it
-- works; a row whose lease expired is claimable again, so a killed worker is replaced.
CREATE TABLE jobs (
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    -- queued | running | completed | failed | cancelled | dead
    state TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- the thing the job is about (e.g. a trip id), for "one at a time" and ownership checks
    subject TEXT,
    -- what part of the subject (e.g. `day:3` for a day regeneration), for limits per part
    topic TEXT,
    -- idempotency: a second enqueue with the same key finds this row
    dedupe_key TEXT UNIQUE,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    progress INTEGER NOT NULL DEFAULT 0,
    step TEXT,
    message TEXT,
    eta_secs INTEGER,
    result TEXT,
    last_error TEXT,
    event_seq INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_claim ON jobs (kind, state, run_at);
CREATE INDEX jobs_subject ON jobs (subject, topic, state);

-- Every state and progress change of a job, numbered per job: the SSE stream replays
-- them after `Last-Event-ID`.
CREATE TABLE job_events (
    job_id BLOB NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

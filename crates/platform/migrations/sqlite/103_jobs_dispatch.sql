-- Service Bus backend (jobs.backend = servicebus): when the job's message was last sent
-- to the broker. The jobs table is the outbox: a queued job without a message (enqueued
-- in another context's transaction, or whose message was lost) is sent by a dispatcher.
ALTER TABLE jobs ADD COLUMN dispatched_at BIGINT;
CREATE INDEX jobs_dispatch ON jobs (state, dispatched_at);

//! Prometheus metrics of the queue: depth, wait, run time, failures.

use std::time::Duration;

pub fn enqueued(kind: &str) {
    metrics::counter!("tripgen_jobs_enqueued_total", "kind" => kind.to_string()).increment(1);
}

/// Time from "ready" (run_at) to claim.
pub fn waited(kind: &str, millis: i64) {
    metrics::histogram!("tripgen_job_wait_seconds", "kind" => kind.to_string())
        .record(millis as f64 / 1000.0);
}

pub fn ran(kind: &str, outcome: &'static str, took: Duration) {
    metrics::histogram!("tripgen_job_run_seconds", "kind" => kind.to_string(), "outcome" => outcome)
        .record(took.as_secs_f64());
    if outcome == "completed" {
        metrics::counter!("tripgen_jobs_completed_total", "kind" => kind.to_string()).increment(1);
    }
}

/// `result`: `retry` (queued again) or `dead` (dead-lettered).
pub fn failed(kind: &str, result: &'static str) {
    metrics::counter!("tripgen_jobs_failed_total", "kind" => kind.to_string(), "result" => result)
        .increment(1);
}

pub fn depth(kind: &str, queued: i64) {
    metrics::gauge!("tripgen_jobs_queued", "kind" => kind.to_string()).set(queued as f64);
}

//! Contract tests of the durable job queue on SQLite and PostgreSQL: idempotent enqueue,
//! claim with lease, fencing, retry with backoff, dead letter, cancel, events, and
//! concurrent claimers taking every job exactly once.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use serde_json::json;
use tripgen_platform::clock::ManualClock;
use tripgen_platform::jobs::queue::Claim;
use tripgen_platform::jobs::{
    CancelOutcome, Enqueued, FailOutcome, JobQueue, JobState, NewJob, Progress,
};
use tripgen_platform::{Platform, db};

const KIND: &str = "notification";
const LEASE: Duration = Duration::from_secs(30);

async fn queue(backend: Backend) -> Option<(Store, JobQueue, ManualClock)> {
    let store = Store::new(backend).await?;
    let clock = ManualClock::new(Utc::now());
    let platform = Platform::build(store.config(), Arc::new(clock.clone()))
        .await
        .expect("platform");
    platform
        .db
        .migrate(&mut db::platform_migrations())
        .await
        .expect("migrate");
    let q = JobQueue::new(platform.db.clone(), Arc::new(clock.clone()));
    Some((store, q, clock))
}

fn claimed(c: Option<Claim>) -> tripgen_platform::jobs::Job {
    match c {
        Some(Claim::Job(j)) => j,
        other => panic!("expected a job, got {other:?}"),
    }
}

on_both_backends!(
    lease_retry_dead_letter,
    concurrent_claims_take_each_job_once
);

async fn lease_retry_dead_letter(backend: Backend) {
    let Some((_s, q, clock)) = queue(backend).await else {
        return;
    };
    let now = q.now_ms();
    // Idempotent enqueue.
    let mut job = NewJob::new(KIND, json!({ "n": 1 }), now);
    job.dedupe_key = Some("k-1".into());
    job.max_attempts = 2;
    let id = match q.enqueue(&job).await.unwrap() {
        Enqueued::Created(id) => id,
        e => panic!("{e:?}"),
    };
    let mut again = NewJob::new(KIND, json!({ "n": 2 }), now);
    again.dedupe_key = Some("k-1".into());
    assert_eq!(q.enqueue(&again).await.unwrap(), Enqueued::Existing(id));

    // Claim, progress, heartbeat: fenced by the lease owner.
    let j = claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    assert_eq!((j.id, j.attempts, j.state), (id, 1, JobState::Running));
    assert!(q.claim(KIND, "b", LEASE).await.unwrap().is_none(), "leased");
    let p = Progress {
        percent: 40,
        step: "places".into(),
        message: "…".into(),
        eta_secs: Some(3),
    };
    assert!(q.progress(id, "a", &p).await.unwrap());
    assert!(!q.progress(id, "b", &p).await.unwrap(), "not b's job");
    assert!(q.heartbeat(id, "a", LEASE).await.unwrap());

    // The lease expires: b takes over, a's writes are refused.
    clock.advance(chrono::Duration::seconds(31));
    let j = claimed(q.claim(KIND, "b", LEASE).await.unwrap());
    assert_eq!(j.attempts, 2);
    assert!(j.last_error.unwrap().contains("lease expired"));
    assert!(!q.heartbeat(id, "a", LEASE).await.unwrap());
    assert!(!q.complete(id, "a", None, "late").await.unwrap());

    // b fails on the last attempt: dead letter with the reason.
    assert_eq!(
        q.fail(id, "b", "upstream down", true).await.unwrap(),
        FailOutcome::Dead
    );
    let j = q.get(id).await.unwrap().unwrap();
    assert_eq!(j.state, JobState::Dead);
    assert_eq!(j.last_error.as_deref(), Some("upstream down"));
    assert_eq!(j.status().status, "failed");
    assert!(j.status().dead_lettered);

    // Retry with backoff: not claimable before the backoff, claimable after.
    let r = q
        .enqueue(&NewJob::new(KIND, json!({}), now))
        .await
        .unwrap()
        .id();
    claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    let FailOutcome::Retry { at } = q.fail(r, "a", "flaky", true).await.unwrap() else {
        panic!("retry expected")
    };
    let wait = at - q.now_ms();
    assert!((2000..=2400).contains(&wait), "first backoff ≈ 2 s: {wait}");
    assert!(q.claim(KIND, "a", LEASE).await.unwrap().is_none());
    clock.advance(chrono::Duration::seconds(3));
    let j = claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    assert_eq!((j.id, j.attempts), (r, 2));
    assert!(
        q.complete(r, "a", Some(&json!({"ok": true})), "done")
            .await
            .unwrap()
    );
    assert_eq!(
        q.cancel(r, "x").await.unwrap(),
        CancelOutcome::Finished(JobState::Completed)
    );

    // Cancel: a queued job at once; a running one fences its worker out.
    let c = q
        .enqueue(&NewJob::new(KIND, json!({}), now))
        .await
        .unwrap()
        .id();
    claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    assert_eq!(q.cancel(c, "stop").await.unwrap(), CancelOutcome::Cancelled);
    assert!(!q.progress(c, "a", &p).await.unwrap());
    assert!(!q.complete(c, "a", None, "late").await.unwrap());
    assert_eq!(
        q.cancel(c, "stop").await.unwrap(),
        CancelOutcome::Finished(JobState::Cancelled)
    );
    assert_eq!(
        q.cancel(uuid::Uuid::now_v7(), "x").await.unwrap(),
        CancelOutcome::NotFound
    );

    // Events: one per change, numbered, readable after any number.
    let ev = q.events_after(id, 0, 100).await.unwrap();
    let seqs: Vec<i64> = ev.iter().map(|(s, _)| *s).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert!(ev.iter().any(|(_, d)| d.contains("\"places\"")));
    assert_eq!(
        q.events_after(id, 2, 100).await.unwrap().len(),
        ev.len() - 2
    );
}

/// Four workers race for 40 jobs: every job is claimed exactly once (PostgreSQL: `FOR
/// UPDATE SKIP LOCKED`; SQLite: one writer at a time).
async fn concurrent_claims_take_each_job_once(backend: Backend) {
    let Some((_s, q, _clock)) = queue(backend).await else {
        return;
    };
    let now = q.now_ms();
    for i in 0..40 {
        q.enqueue(&NewJob::new(KIND, json!({ "i": i }), now))
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..4 {
        let q = q.clone();
        tasks.push(tokio::spawn(async move {
            let me = format!("w{w}");
            let mut got = Vec::new();
            while let Some(c) = q.claim(KIND, &me, LEASE).await.unwrap() {
                let j = claimed(Some(c));
                assert!(q.complete(j.id, &me, None, "ok").await.unwrap());
                got.push(j.id);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 40, "every job once");
    assert_eq!(unique.len(), 40);
}

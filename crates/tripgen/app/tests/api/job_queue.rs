//! Contract tests of the durable job queue on SQLite and PostgreSQL: idempotent enqueue,
//! claim with lease, fencing, retry with backoff, dead letter, cancel, events, and
//! concurrent claimers taking every job exactly once.
//!
//! The same contract runs again with delivery through an AMQP 1.0 broker (the Service Bus
//! backend) when TRIPGEN_TEST_AMQP_URL names one (scripts/test-services.sh starts
//! RabbitMQ with its AMQP 1.0 plugin); each test gets its own queues.

use crate::common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use serde_json::json;
use tripgen_platform::clock::ManualClock;
use tripgen_platform::jobs::queue::Claim;
use tripgen_platform::jobs::{
    CancelOutcome, Enqueued, FailOutcome, JobQueue, JobState, NewJob, Progress, ServiceBus,
    ServiceBusConfig,
};
use tripgen_platform::{Platform, db};

const KIND: &str = "notification";
const LEASE: Duration = Duration::from_secs(30);

/// How jobs reach the workers in a test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Table,
    Amqp,
}

/// CI sets `TRIPGEN_TEST_REQUIRE_AMQP=1`: there a missing broker fails instead of skipping.
fn require_amqp(var: &str) {
    assert!(
        std::env::var("TRIPGEN_TEST_REQUIRE_AMQP").as_deref() != Ok("1"),
        "TRIPGEN_TEST_REQUIRE_AMQP=1 but {var} is not set: the AMQP tests must run"
    );
}

/// A broker config with queues of its own, or `None` (SKIPPED) without a test broker.
fn amqp_config() -> Option<ServiceBusConfig> {
    let Ok(url) = std::env::var("TRIPGEN_TEST_AMQP_URL") else {
        require_amqp("TRIPGEN_TEST_AMQP_URL");
        eprintln!(
            "SKIPPED (AMQP): set TRIPGEN_TEST_AMQP_URL (scripts/test-services.sh starts RabbitMQ) to run this test through the Service Bus backend"
        );
        return None;
    };
    Some(ServiceBusConfig {
        url: Some(url),
        address_prefix: format!("/queue/t-{}-", uuid::Uuid::now_v7().simple()),
        receive_wait_ms: 300,
        ..ServiceBusConfig::default()
    })
}

async fn queue(backend: Backend) -> Option<(Store, JobQueue, ManualClock)> {
    queue_via(backend, Delivery::Table).await
}

async fn queue_via(backend: Backend, delivery: Delivery) -> Option<(Store, JobQueue, ManualClock)> {
    let amqp = match delivery {
        Delivery::Amqp => Some(amqp_config()?),
        Delivery::Table => None,
    };
    let store = Store::new(backend).await?;
    let clock = ManualClock::new(Utc::now());
    let platform = Platform::build(store.config().platform(), Arc::new(clock.clone()))
        .await
        .expect("platform");
    platform
        .db
        .migrate(&mut db::platform_migrations())
        .await
        .expect("migrate");
    let q = match amqp {
        None => JobQueue::database(platform.db.clone(), Arc::new(clock.clone())),
        Some(config) => JobQueue::with_servicebus(
            platform.db.clone(),
            Arc::new(clock.clone()),
            Arc::new(ServiceBus::new(config).expect("broker config")),
        ),
    };
    Some((store, q, clock))
}

/// Runs a contract through the AMQP broker, on SQLite and on PostgreSQL.
macro_rules! through_amqp {
    ($($name:ident => $contract:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let Some(q) = super::queue_via(super::common::Backend::Sqlite, super::Delivery::Amqp).await else { return };
                    super::$contract(q).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(q) = super::queue_via(super::common::Backend::Postgres, super::Delivery::Amqp).await else { return };
                    super::$contract(q).await;
                }
            }
        )*
    };
}

through_amqp!(
    amqp_lease_retry_dead_letter => lease_retry_dead_letter_contract,
    amqp_concurrent_claims_take_each_job_once => concurrent_claims_contract,
    amqp_outbox_dead_letter_queue_and_redelivery => amqp_only_contract,
);

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
    let Some(q) = queue(backend).await else {
        return;
    };
    lease_retry_dead_letter_contract(q).await;
}

async fn lease_retry_dead_letter_contract((_s, q, clock): (Store, JobQueue, ManualClock)) {
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
    // The completed job's status no longer shows the failure it recovered from; the row
    // keeps it for operators.
    let done = q.get(r).await.unwrap().unwrap();
    assert_eq!(done.last_error.as_deref(), Some("flaky"));
    assert_eq!(done.status().error, None);
    assert_eq!(done.status().attempts, 2);
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
    let Some(q) = queue(backend).await else {
        return;
    };
    concurrent_claims_contract(q).await;
}

async fn concurrent_claims_contract((_s, q, _clock): (Store, JobQueue, ManualClock)) {
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

/// What only the broker backend has: the outbox dispatch of jobs inserted in another
/// context's transaction, the broker's dead-letter queue, and redelivery to another
/// process after the first one lost its connection (then a lease takeover).
async fn amqp_only_contract((s, q, clock): (Store, JobQueue, ManualClock)) {
    use tripgen_platform::db::Db;
    use tripgen_platform::jobs::JobConnection;
    let now = q.now_ms();

    // Outbox: a job committed with the caller's own transaction has no message yet.
    let job = NewJob::new(KIND, json!({ "outbox": true }), now);
    match &q.db {
        Db::Sqlite(pool) => {
            let mut tx = pool.begin().await.unwrap();
            assert!(tx.insert_job(&job, now).await.unwrap());
            tx.commit().await.unwrap();
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            assert!(tx.insert_job(&job, now).await.unwrap());
            tx.commit().await.unwrap();
        }
    }
    assert!(
        q.claim(KIND, "a", LEASE).await.unwrap().is_none(),
        "no message yet"
    );
    assert_eq!(q.dispatch().await.unwrap(), 1);
    assert_eq!(q.dispatch().await.unwrap(), 0, "sent once");
    let j = claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    assert_eq!(j.id, job.id);
    assert!(q.complete(j.id, "a", None, "ok").await.unwrap());
    assert_eq!(q.servicebus().unwrap().held_count(), 0, "message settled");

    // Dead letter: the broker's dead-letter queue receives the message (RabbitMQ: the
    // dead-letter policy scripts/test-services.sh sets; Service Bus: `$DeadLetterQueue`).
    let d = q
        .enqueue(&NewJob::new(KIND, json!({}), now))
        .await
        .unwrap()
        .id();
    claimed(q.claim(KIND, "a", LEASE).await.unwrap());
    assert_eq!(
        q.fail(d, "a", "bad input", false).await.unwrap(),
        FailOutcome::Dead
    );
    match std::env::var("TRIPGEN_TEST_AMQP_DLQ") {
        Ok(dlq) => {
            let bus = q.servicebus().unwrap();
            let reader = ServiceBus::new(ServiceBusConfig {
                address_prefix: String::new(),
                ..bus.broker.config.clone()
            })
            .unwrap();
            let mut found = false;
            let mut others = Vec::new();
            while let Some(m) = reader.broker.receive(&dlq).await.unwrap() {
                if m.job_id == Some(d) {
                    let lane = m.lane.clone();
                    reader
                        .broker
                        .settle(
                            &lane,
                            m.info,
                            tripgen_platform::jobs::broker::Settle::Complete,
                        )
                        .await;
                    found = true;
                    break;
                }
                // Another test's dead letter: kept unsettled until ours is found.
                others.push(m);
            }
            for m in others {
                let lane = m.lane.clone();
                reader
                    .broker
                    .settle(
                        &lane,
                        m.info,
                        tripgen_platform::jobs::broker::Settle::Abandon,
                    )
                    .await;
            }
            assert!(found, "the dead-lettered message reached {dlq}");
            reader.broker.close().await;
        }
        Err(_) => {
            require_amqp("TRIPGEN_TEST_AMQP_DLQ");
            eprintln!(
                "SKIPPED (AMQP dead-letter queue): TRIPGEN_TEST_AMQP_DLQ names the broker's dead-letter queue"
            )
        }
    }

    // Redelivery: process 1 claims and loses its connection; the broker redelivers to
    // process 2, which waits for the lease to end and then takes the job over.
    let r = q
        .enqueue(&NewJob::new(KIND, json!({}), now))
        .await
        .unwrap()
        .id();
    claimed(q.claim(KIND, "p1", LEASE).await.unwrap());
    q.servicebus().unwrap().broker.close().await;
    let config = q.servicebus().unwrap().broker.config.clone();
    let other = JobQueue::with_servicebus(
        q.db.clone(),
        Arc::new(clock.clone()),
        Arc::new(ServiceBus::new(config).unwrap()),
    );
    assert!(
        other.claim(KIND, "p2", LEASE).await.unwrap().is_none(),
        "p1's lease still holds"
    );
    assert_eq!(
        other.servicebus().unwrap().held_count(),
        1,
        "held until then"
    );
    clock.advance(chrono::Duration::seconds(31));
    let j = claimed(other.claim(KIND, "p2", LEASE).await.unwrap());
    assert_eq!((j.id, j.attempts), (r, 2));
    assert!(!q.complete(r, "p1", None, "late").await.unwrap());
    assert!(other.complete(r, "p2", None, "ok").await.unwrap());
    assert_eq!(other.servicebus().unwrap().held_count(), 0);
    other.servicebus().unwrap().broker.close().await;
    drop(s);
}

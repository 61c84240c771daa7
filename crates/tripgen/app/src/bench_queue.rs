//! `tripgen bench queue`: job throughput of the real queue — enqueue N jobs, let a
//! worker pool with W workers run them (an attempt does nothing, so the figure is the
//! queue's own cost: claim, lease, events, completion, and the broker round trips),
//! for the configured database and, with an AMQP URL, through the Service Bus backend.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use async_trait::async_trait;
use serde_json::Value;
use tripgen_platform::jobs::{
    Job, JobContext, JobError, JobHandler, JobQueue, NewJob, ServiceBus, ServiceBusConfig,
    WorkerOptions, WorkerPool,
};
use tripgen_platform::{Platform, SystemClock, db};

struct Noop(&'static str);

#[async_trait]
impl JobHandler for Noop {
    fn kind(&self) -> &'static str {
        self.0
    }

    async fn run(&self, _job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        Ok(None)
    }
}

pub struct Row {
    pub delivery: String,
    pub database: &'static str,
    pub jobs: usize,
    pub workers: usize,
    pub enqueue_per_sec: f64,
    pub run_per_sec: f64,
}

async fn completed(queue: &JobQueue, kind: &str) -> anyhow::Result<i64> {
    Ok(queue.completed_count(kind, "bench", "bench").await?)
}

async fn one(queue: JobQueue, delivery: &str, jobs: usize, workers: usize) -> anyhow::Result<Row> {
    let kind: &'static str =
        Box::leak(format!("bench-{}", uuid::Uuid::now_v7().simple()).into_boxed_str());
    let started = Instant::now();
    for i in 0..jobs {
        let mut job = NewJob::new(kind, serde_json::json!({ "i": i }), queue.now_ms());
        job.subject = Some("bench".into());
        job.topic = Some("bench".into());
        queue.enqueue(&job).await?;
    }
    let enqueue = started.elapsed();
    let started = Instant::now();
    let pool = WorkerPool::start(
        queue.clone(),
        vec![Arc::new(Noop(kind))],
        WorkerOptions {
            concurrency: workers,
            poll: Duration::from_millis(50),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(600);
    while completed(&queue, kind).await? < jobs as i64 {
        if Instant::now() > deadline {
            pool.kill().await;
            anyhow::bail!("{delivery}: the jobs did not finish within 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let run = started.elapsed();
    pool.stop(Duration::from_secs(10)).await;
    Ok(Row {
        delivery: delivery.to_string(),
        database: queue.db.backend(),
        jobs,
        workers,
        enqueue_per_sec: jobs as f64 / enqueue.as_secs_f64(),
        run_per_sec: jobs as f64 / run.as_secs_f64(),
    })
}

pub async fn run(
    mut config: Config,
    jobs: usize,
    workers: usize,
    amqp_url: Option<String>,
    amqp_prefix: String,
) -> anyhow::Result<Vec<Row>> {
    config.database.migrate_on_start = false;
    let platform = Platform::build(config.platform(), Arc::new(SystemClock)).await?;
    platform.db.migrate(&mut db::platform_migrations()).await?;
    let clock = platform.clock.clone();
    let mut rows = vec![
        one(
            JobQueue::database(platform.db.clone(), clock.clone()),
            "database",
            jobs,
            workers,
        )
        .await?,
    ];
    if let Some(url) = amqp_url {
        let bus = Arc::new(ServiceBus::new(ServiceBusConfig {
            url: Some(url),
            address_prefix: amqp_prefix,
            prefetch: (workers as u32).saturating_mul(2).max(8),
            receive_wait_ms: 50,
            ..ServiceBusConfig::default()
        })?);
        let q = JobQueue::with_servicebus(platform.db.clone(), clock, bus.clone());
        rows.push(one(q, "amqp", jobs, workers).await?);
        bus.broker.close().await;
    }
    platform.db.close().await;
    Ok(rows)
}

pub fn render(rows: &[Row]) -> String {
    let mut out = String::from("delivery  database  jobs  workers  enqueue jobs/s  run jobs/s\n");
    for r in rows {
        out.push_str(&format!(
            "{:<9} {:<9} {:>5} {:>8} {:>15.0} {:>11.0}\n",
            r.delivery, r.database, r.jobs, r.workers, r.enqueue_per_sec, r.run_per_sec
        ));
    }
    out
}

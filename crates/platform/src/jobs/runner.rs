//! The worker pool: claims jobs of the kinds it has handlers for, runs them with a
//! heartbeat, records the outcome, and stops gracefully with the server.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde_json::Value;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use super::metrics;
use super::model::{Job, Progress};
use super::queue::{Claim, FailOutcome, JobQueue};

/// Why an attempt ended without a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// Worth another attempt (after the backoff).
    Retry(String),
    /// Will fail the same way again: dead-letter now.
    Permanent(String),
    /// The job is no longer this worker's (cancelled or taken over): stop, write nothing.
    Abandoned,
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Retry(m) | JobError::Permanent(m) => f.write_str(m),
            JobError::Abandoned => f.write_str("abandoned"),
        }
    }
}

/// What a running job can do: report progress (which doubles as a cancellation check).
#[derive(Clone)]
pub struct JobContext {
    queue: JobQueue,
    id: Uuid,
    worker: String,
    lost: Arc<AtomicBool>,
}

impl JobContext {
    pub fn job_id(&self) -> Uuid {
        self.id
    }

    /// Records progress; `Err(Abandoned)` when the job was cancelled or taken over.
    pub async fn progress(&self, p: Progress) -> Result<(), JobError> {
        self.check()?;
        match self.queue.progress(self.id, &self.worker, &p).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.lost.store(true, Ordering::SeqCst);
                Err(JobError::Abandoned)
            }
            Err(e) => Err(JobError::Retry(format!("cannot record progress: {e}"))),
        }
    }

    /// `Err(Abandoned)` once the heartbeat found the job is no longer ours.
    pub fn check(&self) -> Result<(), JobError> {
        if self.lost.load(Ordering::SeqCst) {
            Err(JobError::Abandoned)
        } else {
            Ok(())
        }
    }

    /// The lease-owner fence of this attempt (for idempotent completion elsewhere).
    pub fn worker(&self) -> &str {
        &self.worker
    }
}

/// Runs the jobs of one kind.
#[async_trait]
pub trait JobHandler: Send + Sync + 'static {
    fn kind(&self) -> &'static str;

    /// One attempt. `Ok(result)` completes the job.
    async fn run(&self, job: &Job, ctx: &JobContext) -> Result<Option<Value>, JobError>;

    /// Called once when the job failed for good (dead-lettered), so the owner of its
    /// subject can record it.
    async fn dead_lettered(&self, _job: &Job, _reason: &str) {}
}

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// How long a claim holds without a heartbeat.
    pub lease: Duration,
    /// Idle polling interval (enqueues in this process wake the pool at once).
    pub poll: Duration,
    /// Identifies this process's attempts in the table.
    pub worker_id: String,
    /// This process is the only one working the table (see [`WorkerOptions::alone_on`]):
    /// jobs found running at start resume at once instead of after their lease.
    pub resume_orphans: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            concurrency: 4,
            // A crashed worker's job waits at most this long before another takes it over
            // (heartbeats every third of it, so two missed beats still hold the claim).
            lease: Duration::from_secs(15),
            poll: Duration::from_millis(500),
            worker_id: format!("worker-{}", Uuid::now_v7().simple()),
            resume_orphans: false,
        }
    }
}

impl WorkerOptions {
    /// Resumes orphaned jobs at start when `config` is the embedded database of a data dir
    /// this process holds locked (`serve`): no other process can be running its jobs.
    pub fn alone_on(mut self, config: &crate::PlatformConfig) -> Self {
        self.resume_orphans = config.database.url.is_none()
            && crate::data_dir_lock::DataDirLock::is_held(&config.data_dir);
        self
    }
}

/// A running pool. [`WorkerPool::stop`] stops claiming and waits for running jobs;
/// [`WorkerPool::kill`] drops them on the floor (as `kill -9` would).
pub struct WorkerPool {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    kill: Arc<AtomicBool>,
}

impl WorkerPool {
    pub fn start(
        queue: JobQueue,
        handlers: Vec<Arc<dyn JobHandler>>,
        options: WorkerOptions,
    ) -> WorkerPool {
        let (stop, stopped) = watch::channel(false);
        let kill = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(run_pool(queue, handlers, options, stopped, kill.clone()));
        WorkerPool { stop, task, kill }
    }

    /// Stops claiming, lets running jobs finish within `grace`; jobs still running after
    /// it keep their lease until it expires and are then taken over by another worker.
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(grace, &mut task).await.is_err() {
            self.kill.store(true, Ordering::SeqCst);
            task.abort();
            let _ = task.await;
        }
    }

    /// Abandons everything at once, writing nothing more (tests of worker loss).
    pub async fn kill(self) {
        self.kill.store(true, Ordering::SeqCst);
        self.task.abort();
        let _ = self.task.await;
    }
}

async fn run_pool(
    queue: JobQueue,
    handlers: Vec<Arc<dyn JobHandler>>,
    options: WorkerOptions,
    mut stopped: watch::Receiver<bool>,
    kill: Arc<AtomicBool>,
) {
    let by_kind: HashMap<&'static str, Arc<dyn JobHandler>> =
        handlers.iter().map(|h| (h.kind(), h.clone())).collect();
    let kinds: Vec<&'static str> = by_kind.keys().copied().collect();
    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut running: JoinSet<()> = JoinSet::new();
    let mut last_depth = Instant::now() - Duration::from_secs(60);
    let mut last_dispatch = Instant::now() - Duration::from_secs(60);
    if options.resume_orphans && queue.servicebus().is_none() {
        match queue.release_orphans(&options.worker_id).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(jobs = n, "resuming jobs the previous server left running"),
            Err(e) => {
                tracing::warn!(error = %e, "cannot release orphaned jobs; they resume after their lease")
            }
        }
    }
    loop {
        if *stopped.borrow() {
            break;
        }
        while running.try_join_next().is_some() {}
        if last_depth.elapsed() >= Duration::from_secs(5) {
            last_depth = Instant::now();
            sample_depth(&queue, &kinds).await;
        }
        // Service Bus: jobs enqueued in other transactions get their messages here.
        let woken = super::ENQUEUED.swap(false, std::sync::atomic::Ordering::SeqCst);
        if queue.servicebus().is_some() && (woken || last_dispatch.elapsed() >= options.poll) {
            last_dispatch = Instant::now();
            if let Err(e) = queue.dispatch().await {
                tracing::warn!(error = %e, "cannot send job messages");
            }
        }
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = stopped.changed() => continue,
        };
        let mut claimed = false;
        let mut failing = false;
        for kind in &kinds {
            match queue.claim(kind, &options.worker_id, options.lease).await {
                Ok(Some(Claim::Job(job))) => {
                    let Some(handler) = by_kind.get(kind).cloned() else {
                        continue;
                    };
                    let queue = queue.clone();
                    let options = options.clone();
                    let kill = kill.clone();
                    running.spawn(async move {
                        run_one(queue, handler, job, options, kill).await;
                        drop(permit);
                    });
                    claimed = true;
                    break;
                }
                Ok(Some(Claim::DeadLettered(job))) => {
                    if let Some(h) = by_kind.get(kind) {
                        let reason = job.last_error.clone().unwrap_or_default();
                        h.dead_lettered(&job, &reason).await;
                    }
                    claimed = true;
                    break;
                }
                Ok(None) => {}
                Err(e) => {
                    failing = true;
                    tracing::warn!(error = %e, kind, "cannot claim jobs");
                }
            }
        }
        // A broker claim already waited for messages; the table is polled.
        if !claimed && (queue.servicebus().is_none() || failing) {
            tokio::select! {
                _ = tokio::time::sleep(options.poll) => {}
                _ = super::WAKE.notified() => {}
                _ = stopped.changed() => {}
            }
        }
    }
    // Graceful stop: running jobs finish (the caller bounds this with its grace period).
    while running.join_next().await.is_some() {}
}

async fn sample_depth(queue: &JobQueue, kinds: &[&'static str]) {
    if let Ok(counts) = queue.queued_counts().await {
        for k in kinds {
            let n = counts
                .iter()
                .find(|(kind, _)| kind == k)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            metrics::depth(k, n);
        }
    }
}

/// Aborts the task when dropped, so a killed pool leaves no attempt running behind it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run_one(
    queue: JobQueue,
    handler: Arc<dyn JobHandler>,
    job: Job,
    options: WorkerOptions,
    kill: Arc<AtomicBool>,
) {
    let started = Instant::now();
    let lost = Arc::new(AtomicBool::new(false));
    let ctx = JobContext {
        queue: queue.clone(),
        id: job.id,
        worker: options.worker_id.clone(),
        lost: lost.clone(),
    };
    // Heartbeat: a third of the lease, so two missed beats still hold it.
    let _beat = {
        let queue = queue.clone();
        let lost = lost.clone();
        let worker = options.worker_id.clone();
        let lease = options.lease;
        let id = job.id;
        AbortOnDrop(tokio::spawn(async move {
            let every = (lease / 3).max(Duration::from_millis(100));
            loop {
                tokio::time::sleep(every).await;
                match queue.heartbeat(id, &worker, lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        lost.store(true, Ordering::SeqCst);
                        break;
                    }
                    Err(e) => tracing::warn!(error = %e, job = %id, "heartbeat failed"),
                }
            }
        }))
    };
    // The attempt runs in its own task so a panic is an error of this job only.
    let mut attempt = {
        let handler = handler.clone();
        let job = job.clone();
        let ctx = ctx.clone();
        AbortOnDrop(tokio::spawn(async move { handler.run(&job, &ctx).await }))
    };
    let outcome = match (&mut attempt.0).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(JobError::Retry("the job panicked".into())),
        Err(_) => Err(JobError::Abandoned),
    };
    drop(_beat);
    if kill.load(Ordering::SeqCst) {
        return;
    }
    let kind = job.kind.as_str();
    match outcome {
        Ok(result) => {
            match queue
                .complete(job.id, &options.worker_id, result.as_ref(), "Done.")
                .await
            {
                Ok(true) => metrics::ran(kind, "completed", started.elapsed()),
                Ok(false) => metrics::ran(kind, "abandoned", started.elapsed()),
                Err(e) => tracing::error!(error = %e, job = %job.id, "cannot record completion"),
            }
        }
        Err(JobError::Abandoned) => {
            queue.release(job.id, &options.worker_id).await;
            metrics::ran(kind, "abandoned", started.elapsed());
        }
        Err(e) => {
            let retryable = matches!(e, JobError::Retry(_));
            let reason = e.to_string();
            tracing::warn!(job = %job.id, kind, error = %reason, retryable, "job attempt failed");
            metrics::ran(kind, "failed", started.elapsed());
            match queue
                .fail(job.id, &options.worker_id, &reason, retryable)
                .await
            {
                Ok(FailOutcome::Dead) => handler.dead_lettered(&job, &reason).await,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, job = %job.id, "cannot record failure"),
            }
        }
    }
}

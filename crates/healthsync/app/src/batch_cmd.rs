//! `healthsync batch run [--date]` (run the daily nudge now, print the report) and
//! `healthsync batch bench --users N [--over-http]` (seed N users with goals in a fresh
//! store and time one run: the HS-BATCH target is 100,000 users ≤ 2 min).

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use chrono_tz::Tz;
use healthsync_intelligence::batch::repo::BatchRunRow;
use healthsync_intelligence::batch::run::BatchRunner;
use healthsync_intelligence::batch::schedule::time_of_day;
use healthsync_intelligence::repo::IntelligenceRepo;
use tripgen_platform::{Db, SharedClock, with_db};
use uuid::Uuid;

use crate::config::HealthSyncConfig;

fn runner(db: &Db, config: &HealthSyncConfig, clock: SharedClock) -> anyhow::Result<BatchRunner> {
    let tz: Tz = config
        .app
        .time_zone
        .parse()
        .map_err(|_| anyhow::anyhow!("invalid configuration `app.time_zone`"))?;
    Ok(BatchRunner {
        repo: IntelligenceRepo::new(db.clone()),
        source: Arc::new(crate::adapters::batch::LocalBatchSource {
            goals: healthsync_goal::repo::GoalRepo::new(db.clone()),
            users: healthsync_user::repo::UserRepo::new(db.clone()),
        }),
        clock,
        time_zone: tz,
        same_day_after: time_of_day(&config.batch.same_day_after)
            .ok_or_else(|| anyhow::anyhow!("invalid configuration `batch.same_day_after`"))?,
        owner: format!("cli-{}", Uuid::now_v7()),
    })
}

/// Parses `--date` (default: today in `app.time_zone`).
pub fn run_date(runner: &BatchRunner, date: Option<&str>) -> anyhow::Result<NaiveDate> {
    let today = runner
        .clock
        .now()
        .with_timezone(&runner.time_zone)
        .date_naive();
    match date {
        None => Ok(today),
        Some(d) => {
            let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("--date must be YYYY-MM-DD"))?;
            anyhow::ensure!(d <= today, "--date cannot be after today ({today})");
            anyhow::ensure!(
                chrono::Datelike::year(&d) >= 2000,
                "--date must be in 2000 or later"
            );
            Ok(d)
        }
    }
}

pub async fn run(config: &HealthSyncConfig, date: Option<&str>) -> anyhow::Result<BatchRunRow> {
    let db = crate::cli::open_migrated(config).await?;
    let r = runner(&db, config, Arc::new(tripgen_platform::SystemClock))?;
    let d = run_date(&r, date)?;
    let out = r.run(d, Uuid::now_v7()).await;
    db.close().await;
    Ok(out?)
}

/// `healthsync bench seed --users N`: adds N benchmark users to the configured store.
pub async fn seed(config: &HealthSyncConfig, users: u64) -> anyhow::Result<()> {
    let db = crate::cli::open_migrated(config).await?;
    let r = runner(&db, config, Arc::new(tripgen_platform::SystemClock))?;
    let today = r.clock.now().with_timezone(&r.time_zone).date_naive();
    let started = Instant::now();
    let out = crate::seed::seed(&db, users, today).await;
    println!(
        "{}",
        serde_json::json!({
            "users": users, "seconds": (started.elapsed().as_secs_f64() * 100.0).round() / 100.0,
            "database": db.backend(),
        })
    );
    db.close().await;
    out
}

/// Generates `users` in the configured (fresh) store, then times one run; `over_http`
/// reads goals and recipients the way the split `batch` target does, through the `user`
/// and `goal` targets' `/internal/v1` (started in this process on loopback ports, the
/// same database), in pages of 1,000 users.
pub async fn bench(config: &HealthSyncConfig, users: u64, over_http: bool) -> anyhow::Result<()> {
    let db = crate::cli::open_migrated(config).await?;
    let existing: i64 = with_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM goals")
        .fetch_one(pool)
        .await)?;
    anyhow::ensure!(
        existing == 0,
        "batch bench needs an empty store (use a fresh --data-dir or database)"
    );
    let mut r = runner(&db, config, Arc::new(tripgen_platform::SystemClock))?;
    let today = r.clock.now().with_timezone(&r.time_zone).date_naive();
    crate::seed::seed(&db, users, today).await?;
    let split = if over_http {
        let split = crate::bench_split::SplitSource::start(config).await?;
        r.source = split.source.clone();
        Some(split)
    } else {
        None
    };
    let started = Instant::now();
    let row = r.run(today, Uuid::now_v7()).await;
    let secs = started.elapsed().as_secs_f64();
    if let Some(split) = split {
        split.stop().await;
    }
    let row = row?;
    println!(
        "{}",
        serde_json::json!({
            "users": users, "seconds": (secs * 100.0).round() / 100.0,
            "database": db.backend(), "source": if over_http { "http" } else { "in-process" },
            "report": row,
        })
    );
    db.close().await;
    Ok(())
}

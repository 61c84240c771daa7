//! `healthsync batch run [--date]` (run the daily nudge now, print the report) and
//! `healthsync batch bench --users N` (generate N users with goals in a fresh store and
//! time one run: the HS-BATCH target is 100,000 users ≤ 2 min).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use healthsync_intelligence::batch::repo::BatchRunRow;
use healthsync_intelligence::batch::run::BatchRunner;
use healthsync_intelligence::batch::schedule::time_of_day;
use healthsync_intelligence::domain::catalogue::catalogue;
use healthsync_intelligence::repo::IntelligenceRepo;
use tripgen_platform::db::WritePool;
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

/// Inserts `users` active users, each with a 3-mission goal started 10 days ago and a
/// varied completion history over the last 7 days (about half fall behind).
async fn generate(db: &Db, users: u64, today: NaiveDate) -> anyhow::Result<()> {
    let missions: Vec<_> = catalogue().missions.iter().take(12).collect();
    anyhow::ensure!(missions.len() >= 3, "the mission catalogue is empty");
    let start = (today - Duration::days(10)).to_string();
    let chunk = 2_000u64;
    let mut done = 0u64;
    let started = Instant::now();
    while done < users {
        let n = chunk.min(users - done);
        with_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            for i in done..done + n {
                let user = Uuid::now_v7();
                let goal = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO users (id, oidc_issuer, oidc_subject, email_enc, email_verified, status, role, \
                     language, notifications_enabled, ai_consent, occupation_code, created_at, last_login_at) \
                     VALUES ($1, 'bench', $2, 'x', TRUE, 'active', 'user', $3, $4, FALSE, 'developer', 0, 0)",
                )
                .bind(user)
                .bind(format!("bench-{i}"))
                .bind(if i % 5 == 0 { "en" } else { "ko" })
                .bind(i % 10 != 0)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO goals (id, user_id, recommendation_id, status, start_date, created_at) \
                     VALUES ($1, $2, $3, 'active', $4, 0)",
                )
                .bind(goal)
                .bind(user)
                .bind(Uuid::nil())
                .bind(&start)
                .execute(&mut *tx)
                .await?;
                for p in 0..3usize {
                    let m = missions[(i as usize + p) % missions.len()];
                    sqlx::query(
                        "INSERT INTO goal_missions (goal_id, mission_id, position, title_ko, title_en, description_ko, \
                         description_en, category, difficulty, minutes, added_on) \
                         VALUES ($1, $2, $3, $4, $5, '', '', $6, $7, $8, $9)",
                    )
                    .bind(goal)
                    .bind(&m.id)
                    .bind(p as i64)
                    .bind(&m.title.ko)
                    .bind(&m.title.en)
                    .bind(&m.category)
                    .bind(&m.difficulty)
                    .bind(m.minutes)
                    .bind(&start)
                    .execute(&mut *tx)
                    .await?;
                    // Users keep up with a share of days that depends on them.
                    for back in 1..=7i64 {
                        let keep = (i as i64 * 7 + back * 3 + p as i64) % 10 < (i as i64 % 10);
                        if !keep {
                            continue;
                        }
                        let day = (today - Duration::days(back)).to_string();
                        sqlx::query(
                            "INSERT INTO mission_completions (user_id, mission_id, date, goal_id, completed_at, streak, points) \
                             VALUES ($1, $2, $3, $4, 0, 1, 10)",
                        )
                        .bind(user)
                        .bind(&m.id)
                        .bind(day)
                        .bind(goal)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            tx.commit().await
        })?;
        done += n;
        if done.is_multiple_of(20_000) || done == users {
            eprintln!(
                "generated {done}/{users} users ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// Generates `users` in the configured (fresh) store, then times one run.
pub async fn bench(config: &HealthSyncConfig, users: u64) -> anyhow::Result<()> {
    let db = crate::cli::open_migrated(config).await?;
    let existing: i64 = with_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM goals")
        .fetch_one(pool)
        .await)?;
    anyhow::ensure!(
        existing == 0,
        "batch bench needs an empty store (use a fresh --data-dir or database)"
    );
    let r = runner(&db, config, Arc::new(tripgen_platform::SystemClock))?;
    let today = r.clock.now().with_timezone(&r.time_zone).date_naive();
    generate(&db, users, today).await?;
    let started = Instant::now();
    let row = r.run(today, Uuid::now_v7()).await?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "users": users, "seconds": (secs * 100.0).round() / 100.0,
            "database": db.backend(), "report": row,
        })
    );
    db.close().await;
    Ok(())
}

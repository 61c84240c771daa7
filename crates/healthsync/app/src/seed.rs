//! `healthsync bench seed --users N`: N active users, each with a 3-mission goal started
//! 10 days ago and a varied 7-day completion history (about half fall behind), written
//! with multi-row INSERTs (1,000 users per transaction) so 100,000 users take seconds, not
//! minutes. Used by the batch and read benchmarks; every seeded user signs in with issuer
//! `bench` (never a real issuer), so a seeded store is for benchmarks only.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use healthsync_intelligence::domain::catalogue::catalogue;
use sqlx::QueryBuilder;
use tripgen_platform::db::WritePool;
use tripgen_platform::{Db, with_db};
use uuid::Uuid;

/// Users per transaction.
const CHUNK: u64 = 1_000;
/// Rows per statement (SQLite allows 32,766 bound values; the widest row binds 13).
const ROWS: usize = 2_000;

struct SeedUser {
    id: Uuid,
    goal: Uuid,
    subject: String,
    language: &'static str,
    notifications: bool,
}

struct SeedMission {
    goal: Uuid,
    mission: usize,
    position: i64,
}

struct SeedCompletion {
    user: Uuid,
    goal: Uuid,
    mission: usize,
    day: String,
}

/// Seeds `users` users (subjects `bench-<run>-<i>`, so seeding twice adds more).
pub async fn seed(db: &Db, users: u64, today: NaiveDate) -> anyhow::Result<()> {
    let missions: Vec<_> = catalogue().missions.iter().take(12).collect();
    anyhow::ensure!(missions.len() >= 3, "the mission catalogue is empty");
    let start = (today - Duration::days(10)).to_string();
    let run = Uuid::now_v7().simple().to_string();
    let run = run.get(..8).unwrap_or("bench");
    let mut done = 0u64;
    let started = Instant::now();
    while done < users {
        let n = CHUNK.min(users - done);
        let mut seeded = Vec::with_capacity(n as usize);
        let mut goal_missions = Vec::with_capacity(n as usize * 3);
        let mut completions = Vec::new();
        for i in done..done + n {
            let u = SeedUser {
                id: Uuid::now_v7(),
                goal: Uuid::now_v7(),
                subject: format!("bench-{run}-{i}"),
                language: if i % 5 == 0 { "en" } else { "ko" },
                notifications: i % 10 != 0,
            };
            for p in 0..3usize {
                let m = (i as usize + p) % missions.len();
                goal_missions.push(SeedMission {
                    goal: u.goal,
                    mission: m,
                    position: p as i64,
                });
                // Users keep up with a share of days that depends on them.
                for back in 1..=7i64 {
                    let keep = (i as i64 * 7 + back * 3 + p as i64) % 10 < (i as i64 % 10);
                    if keep {
                        completions.push(SeedCompletion {
                            user: u.id,
                            goal: u.goal,
                            mission: m,
                            day: (today - Duration::days(back)).to_string(),
                        });
                    }
                }
            }
            seeded.push(u);
        }
        with_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut q = QueryBuilder::new(
                "INSERT INTO users (id, oidc_issuer, oidc_subject, email_enc, email_verified, status, role, \
                 language, notifications_enabled, ai_consent, occupation_code, created_at, last_login_at) ",
            );
            q.push_values(&seeded, |mut b, u| {
                b.push_bind(u.id)
                    .push_bind("bench")
                    .push_bind(&u.subject)
                    .push_bind("x")
                    .push_bind(true)
                    .push_bind("active")
                    .push_bind("user")
                    .push_bind(u.language)
                    .push_bind(u.notifications)
                    .push_bind(false)
                    .push_bind("developer")
                    .push_bind(0i64)
                    .push_bind(0i64);
            });
            q.build().execute(&mut *tx).await?;
            let mut q = QueryBuilder::new(
                "INSERT INTO goals (id, user_id, recommendation_id, status, start_date, created_at) ",
            );
            q.push_values(&seeded, |mut b, u| {
                b.push_bind(u.goal)
                    .push_bind(u.id)
                    .push_bind(Uuid::nil())
                    .push_bind("active")
                    .push_bind(&start)
                    .push_bind(0i64);
            });
            q.build().execute(&mut *tx).await?;
            for rows in goal_missions.chunks(ROWS) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO goal_missions (goal_id, mission_id, position, title_ko, title_en, description_ko, \
                     description_en, category, difficulty, minutes, added_on) ",
                );
                q.push_values(rows, |mut b, r| {
                    let m = missions[r.mission];
                    b.push_bind(r.goal)
                        .push_bind(&m.id)
                        .push_bind(r.position)
                        .push_bind(&m.title.ko)
                        .push_bind(&m.title.en)
                        .push_bind("")
                        .push_bind("")
                        .push_bind(&m.category)
                        .push_bind(&m.difficulty)
                        .push_bind(m.minutes)
                        .push_bind(&start);
                });
                q.build().execute(&mut *tx).await?;
            }
            for rows in completions.chunks(ROWS) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO mission_completions (user_id, mission_id, date, goal_id, completed_at, streak, points) ",
                );
                q.push_values(rows, |mut b, r| {
                    b.push_bind(r.user)
                        .push_bind(&missions[r.mission].id)
                        .push_bind(&r.day)
                        .push_bind(r.goal)
                        .push_bind(0i64)
                        .push_bind(1i64)
                        .push_bind(10i64);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        done += n;
        if done.is_multiple_of(20_000) || done == users {
            eprintln!(
                "seeded {done}/{users} users ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

//! The split `batch` target's bulk reads over `/internal/v1`, page by page: for 2,500
//! seeded users (three pages of goals and of recipients) the HTTP source answers exactly
//! what the in-process source reads from the stores.

use chrono::Duration;
use healthsync::adapters::batch::LocalBatchSource;
use healthsync_intelligence::batch::ports::BatchSource;

use crate::common::{Backend, TestApp};
use crate::goals_support::kst;
use crate::on_both_backends;

on_both_backends!(http_pages_read_what_the_stores_hold);

async fn http_pages_read_what_the_stores_hold(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let now = kst(2027, 3, 10, 9, 0);
    app.clock.set(now);
    let today = (now + Duration::hours(9)).date_naive();
    healthsync::seed::seed(&app.platform.db, 2_500, today)
        .await
        .expect("seeded");
    let split = healthsync::bench_split::SplitSource::start(&app.config)
        .await
        .expect("user and goal targets start");
    let local = LocalBatchSource {
        goals: healthsync_goal::repo::GoalRepo::new(app.platform.db.clone()),
        users: healthsync_user::repo::UserRepo::new(app.platform.db.clone()),
    };
    let (from, to) = (today - Duration::days(3), today);
    let sorted = |mut v: Vec<healthsync_intelligence::batch::lagging::UserWindow>| {
        for w in &mut v {
            w.completions.sort();
        }
        v
    };
    let over_http = sorted(
        split
            .source
            .windows(from, to)
            .await
            .expect("windows over HTTP"),
    );
    let in_process = sorted(local.windows(from, to).await.expect("windows in process"));
    assert_eq!(over_http.len(), 2_500);
    assert_eq!(format!("{over_http:?}"), format!("{in_process:?}"));
    let completions: usize = over_http.iter().map(|w| w.completions.len()).sum();
    assert!(completions > 1_000, "{completions}");
    let r_http = split
        .source
        .recipients()
        .await
        .expect("recipients over HTTP");
    let r_local = local.recipients().await.expect("recipients in process");
    assert_eq!(r_http.len(), r_local.len());
    assert!(r_http.len() >= 2_500);
    for (id, r) in &r_local {
        let h = r_http.get(id).expect("every user over HTTP");
        assert_eq!(
            (
                h.active,
                h.notifications_enabled,
                &h.language,
                &h.occupation_code
            ),
            (
                r.active,
                r.notifications_enabled,
                &r.language,
                &r.occupation_code
            )
        );
    }
    split.stop().await;
    app.stop().await;
}

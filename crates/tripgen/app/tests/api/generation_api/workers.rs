//! A worker lost mid-job: its lease expires, another takes over, the job completes once.

use super::*;

on_both_backends!(killed_worker_is_replaced_and_completes_once);

async fn killed_worker_is_replaced_and_completes_once(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let clock = ManualClock::new(Utc::now());
    let app = Running::boot(&store, clock.clone(), false).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("genkill1").await;
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let r = app.post(&path, json!({}), &tok).await;
    let rid = accepted_id(&r.json().await.unwrap());
    // A worker claims the job and dies without a word (its lease stays in the table).
    let queue = JobQueue::new(app.platform.db.clone(), Arc::new(clock.clone()));
    let claimed = queue
        .claim(
            KIND_SCHEDULE_GENERATION,
            "worker-that-dies",
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert!(matches!(claimed, Some(Claim::Job(_))));
    app.stop().await;
    // A new process starts. On the embedded database `serve` holds the data dir locked,
    // so the new server knows no other process can be running the job: it resumes it at
    // once (issue 21), the clock standing still. PostgreSQL may be shared by other
    // processes: the job waits out its lease there.
    let serving = (backend == Backend::Sqlite).then(|| {
        tripgen_platform::data_dir_lock::DataDirLock::acquire(&store.config().platform().data_dir)
            .expect("data dir lock")
    });
    let app = Running::boot(&store, clock.clone(), true).await;
    let queue = JobQueue::new(app.platform.db.clone(), Arc::new(clock.clone()));
    if serving.is_none() {
        // It cannot take the job while the lease holds …
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let v: Value = app
            .get(&format!("{path}/{rid}"), &tok)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["status"], "running");
        assert_eq!(v["attempts"], 1);
        // … and finishes it once the lease has expired.
        clock.advance(chrono::Duration::seconds(31));
    }
    let done = app.wait(&tok, &trip, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 2);
    // The dead worker wakes up: its writes are refused, the trip sees one result.
    assert!(
        !queue
            .complete(
                uuid::Uuid::parse_str(&rid).unwrap(),
                "worker-that-dies",
                None,
                "late"
            )
            .await
            .unwrap()
    );
    let trips = app.contexts.trips.clone().unwrap();
    let late = trips
        .save_generation(
            uuid::Uuid::parse_str(&trip).unwrap(),
            &rid,
            trips
                .current_plans(uuid::Uuid::parse_str(&trip).unwrap())
                .await
                .unwrap(),
            true,
        )
        .await
        .unwrap();
    assert!(!late, "a second completion writes nothing");
    drop(serving);
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/1/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["versions"].as_array().unwrap().len(),
        1,
        "saved exactly once"
    );
    app.stop().await;
}

//! Generate, status, SSE with Last-Event-ID and day regeneration, start to finish.

use super::*;

on_both_backends!(generation_end_to_end);

async fn generation_end_to_end(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let app = Running::boot(&store, ManualClock::new(Utc::now()), true).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("genuser1").await;
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let t0 = Instant::now();
    let body = json!({ "startTime": "09:30", "specialRequests": "Deutsches Museum 꼭 가고 싶어요. 쇼핑은 빼고, 천천히." });
    let r = app
        .send(
            reqwest::Method::POST,
            &path,
            Some(body.clone()),
            &tok,
            &[("Idempotency-Key", "gen-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let a: Value = r.json().await.unwrap();
    let rid = accepted_id(&a);
    assert_eq!(a["existing"], false);
    // Same key: the same request, not a second job.
    let r = app
        .send(
            reqwest::Method::POST,
            &path,
            Some(body),
            &tok,
            &[("Idempotency-Key", "gen-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let b: Value = r.json().await.unwrap();
    assert_eq!(accepted_id(&b), rid);
    assert_eq!(b["existing"], true);

    let done = app.wait(&tok, &trip, &rid).await;
    eprintln!(
        "{backend:?}: generation 202 → completed in {:?}",
        t0.elapsed()
    );
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], 100);
    assert_eq!(done["result"]["saved"], true, "{done}");
    assert_eq!(done["result"]["days"], 5);
    assert_eq!(done["result"]["weather"], "unavailable");
    // Every wish is listed with what became of it (honoured, or explained).
    let understood = done["result"]["understood"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let wish = |kind: &str, target: &str| {
        understood
            .iter()
            .find(|w| w["kind"] == kind && w["target"] == target)
            .cloned()
    };
    let shopping = wish("category", "shopping").expect("shopping understood");
    assert_eq!(shopping["effect"], "avoid");
    assert_eq!(shopping["status"], "honoured", "{shopping}");
    assert_eq!(
        wish("pace", "slow").expect("pace understood")["status"],
        "honoured"
    );
    let museum = wish("place", "Deutsches Museum").expect("the museum understood");
    assert_eq!(museum["effect"], "include");
    assert!(
        museum["noteKo"].as_str().is_some_and(|n| !n.is_empty()),
        "{museum}"
    );
    for w in &understood {
        assert!(
            w["status"] == "honoured" || w["status"] == "explained",
            "{w}"
        );
    }

    // The schedule: every day, real places, weather-neutral notice, the must-visit.
    let s: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 5, "{s}");
    let mut seen = std::collections::HashSet::new();
    let mut all_ids = Vec::new();
    for d in days {
        let plan = if d["plan"].is_object() { &d["plan"] } else { d };
        let stops = plan["stops"].as_array().unwrap();
        for st in stops {
            let id = st["placeId"].as_str().unwrap().to_string();
            if st["kind"] == "journey" {
                // Day 3 goes from Munich to Porto (docs/journeys.md).
                assert!(id.starts_with("journey:"), "{id}");
                continue;
            }
            assert!(id.starts_with("osm:"), "{id}");
            assert!(seen.insert(id.clone()), "no place twice: {id}");
            all_ids.push(id);
            assert_ne!(st["category"], "shopping", "shopping was avoided");
        }
        assert!(
            plan["weatherNotes"]
                .to_string()
                .contains("Forecast unavailable"),
            "{plan}"
        );
    }
    assert!(seen.len() >= 10, "a real plan: {} stops", seen.len());
    let munich_days: usize = days[..2]
        .iter()
        .map(|d| {
            let plan = if d["plan"].is_object() { &d["plan"] } else { d };
            plan["stops"].as_array().unwrap().len()
        })
        .sum();
    assert!(munich_days > 0);
    // Legs inside the street graph carry their path along the streets, stored with the
    // day; the map draws exactly that path (issue 17).
    let plan0 = if days[0]["plan"].is_object() {
        &days[0]["plan"]
    } else {
        &days[0]
    };
    let legs = plan0["legs"].as_array().unwrap();
    let routed: Vec<(usize, &Value)> = legs
        .iter()
        .enumerate()
        .filter(|(_, l)| l["path"].as_array().is_some_and(|p| p.len() > 2))
        .collect();
    assert!(!routed.is_empty(), "street paths stored: {plan0}");
    let map: Value = app
        .get(&format!("/api/v1/trips/{trip}/route?day=1"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let leg_lines: Vec<&Value> = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "leg")
        .collect();
    for (i, leg) in &routed {
        let (start, end) = (&leg["path"][0], leg["path"].as_array().unwrap().last());
        assert_eq!(leg_lines[*i]["geometry"]["coordinates"][0], *start);
        assert_eq!(
            leg_lines[*i]["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .last(),
            end
        );
        assert_eq!(
            leg_lines[*i]["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .len(),
            leg["path"].as_array().unwrap().len(),
            "the map draws the stored path"
        );
    }
    let detail: Value = app
        .get(&format!("/api/v1/trips/{trip}"), &tok)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["schedule"]["generation"]["state"], "completed",
        "{}",
        detail["schedule"]
    );

    // SSE: the whole story, numbered, ending with the final state.
    let r = app.get(&format!("{path}/{rid}/events"), &tok).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let events = sse_events(&r.text().await.unwrap());
    assert!(events.len() >= 6, "{events:?}");
    assert!(events.windows(2).all(|w| w[0].0 < w[1].0), "ids increase");
    let steps: Vec<String> = events
        .iter()
        .filter_map(|(_, v)| v["step"].as_str().map(str::to_string))
        .collect();
    for s in ["analyse", "weather", "places", "optimise", "save"] {
        assert!(steps.iter().any(|x| x == s), "step {s} in {steps:?}");
    }
    assert_eq!(events.last().unwrap().1["status"], "completed");
    assert!(events.iter().any(|(_, v)| v["etaSeconds"].is_number()));
    // Resume after the third event: only the later ones.
    let third = events[2].0.to_string();
    let r = app
        .send(
            reqwest::Method::GET,
            &format!("{path}/{rid}/events"),
            None,
            &tok,
            &[("Last-Event-ID", &third)],
        )
        .await;
    let resumed = sse_events(&r.text().await.unwrap());
    assert_eq!(resumed.len(), events.len() - 3);
    assert_eq!(resumed[0].0, events[3].0);

    // Cancel of a finished request: 409; unknown request: 404.
    let r = app
        .send(
            reqwest::Method::DELETE,
            &format!("{path}/{rid}"),
            None,
            &tok,
            &[],
        )
        .await;
    problem(r, StatusCode::CONFLICT, "GENERATION_FINISHED").await;
    let r = app
        .get(&format!("{path}/{}", uuid::Uuid::now_v7()), &tok)
        .await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    let r = app.get(&format!("{path}/not-a-uuid"), &tok).await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    // Another user sees nothing.
    let other = app.user("genuser2").await;
    let r = app.get(&format!("{path}/{rid}"), &other).await;
    problem(r, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;

    // Regenerate day 2: only that day changes, other days' places are not reused.
    let before: Vec<Value> = days.to_vec();
    let regen = format!("/api/v1/trips/{trip}/schedules/days/2/regenerate");
    let r = app
        .post(&regen, json!({ "startTime": "10:00" }), &tok)
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid2 = accepted_id(&r.json().await.unwrap());
    let done = app.wait(&tok, &trip, &rid2).await;
    assert_eq!(done["status"], "completed", "{done}");
    let s: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let after = s["days"].as_array().unwrap();
    let plan = |d: &Value| {
        if d["plan"].is_object() {
            d["plan"].clone()
        } else {
            d.clone()
        }
    };
    for i in [0usize, 2, 3, 4] {
        assert_eq!(
            plan(&after[i])["stops"],
            plan(&before[i])["stops"],
            "day {} unchanged",
            i + 1
        );
    }
    let day2 = plan(&after[1]);
    let others: std::collections::HashSet<String> = [0usize, 2, 3, 4]
        .iter()
        .flat_map(|i| {
            plan(&after[*i])["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["placeId"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for st in day2["stops"].as_array().unwrap() {
        assert!(!others.contains(st["placeId"].as_str().unwrap()), "{st}");
    }
    assert_eq!(day2["start"]["time"], 600, "new start time 10:00");
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/2/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["versions"][0]["source"], "regenerated");

    // At most 5 regenerations of a day: four more, then 429.
    for _ in 0..4 {
        let r = app.post(&regen, json!({}), &tok).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let id = accepted_id(&r.json().await.unwrap());
        assert_eq!(app.wait(&tok, &trip, &id).await["status"], "completed");
    }
    let r = app.post(&regen, json!({}), &tok).await;
    let p = problem(r, StatusCode::TOO_MANY_REQUESTS, "REGENERATION_LIMIT").await;
    assert_eq!(p["extra"]["limit"], 5);
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/2/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["versions"].as_array().unwrap().len(),
        3,
        "last three kept"
    );
    // Another day still may.
    let r = app
        .post(
            &format!("/api/v1/trips/{trip}/schedules/days/3/regenerate"),
            json!({}),
            &tok,
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let id = accepted_id(&r.json().await.unwrap());
    app.wait(&tok, &trip, &id).await;

    // Metrics of the queue.
    let m = app.metrics().await;
    assert!(m.contains("tripgen_job_run_seconds"), "run-time histogram");
    assert!(m.contains("tripgen_job_wait_seconds"), "wait histogram");
    app.stop().await;
}

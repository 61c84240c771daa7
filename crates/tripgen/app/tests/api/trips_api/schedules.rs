//! Schedule versions, edits with rule warnings and the group's pace, the route as GeoJSON.

use super::*;

on_both_backends!(
    schedule_versions_and_restore,
    edits_recompute_and_report_rule_warnings,
    edits_follow_the_groups_walking_pace_and_taxi_rule,
    route_geojson,
);

async fn schedule_versions_and_restore(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("gina001").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    let empty = json_of(
        app.get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty["days"], json!([]));
    assert_eq!(empty["schedule"]["state"], "none");
    generate(&app, &id).await;
    let s = json_of(
        app.get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 4);
    assert_eq!(s["schedule"]["state"], "ready");
    let d1 = &days[0];
    assert_eq!(
        (d1["day"].as_i64(), d1["version"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (d1["date"].as_str(), d1["weekday"].as_str()),
        (Some("2026-06-01"), Some("mon"))
    );
    assert_eq!(
        (d1["city"].as_str(), d1["timeZone"].as_str()),
        (Some("Munich"), Some("Europe/Berlin"))
    );
    assert_eq!(d1["legs"].as_array().unwrap().len(), 4);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(stop_ids(&d2), [RESIDENZ, RESTAURANT]);
    problem(
        app.get(&format!("/api/v1/trips/{id}/schedules?day=5"), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    let p = problem(
        app.get(&format!("/api/v1/trips/{id}/schedules?day=0"), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "day", "INVALID_VALUE"));

    // Four edits of day 2 → versions 2..5; only the newest three are kept.
    let (res, hof) = (RESIDENZ, RESTAURANT);
    let v2 = json_of(
        edit(&app, &tok, &id, 2, &[hof, res], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v2["version"], 2);
    // The restaurant opens at 11:30 (its OSM hours): the group waits.
    assert_eq!(v2["stops"][0]["start"], 690);
    assert!(v2["stops"][0]["arrival"].as_i64().unwrap() < 690);
    for (order, version) in [(vec![res], 3), (vec![res, hof], 4), (vec![hof], 5)] {
        let v = json_of(
            edit(&app, &tok, &id, 2, &order, false).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(v["version"], version);
    }
    let vurl = format!("/api/v1/trips/{id}/schedules/days/2/versions");
    let vs = json_of(app.get(&vurl, Some(&tok)).await, StatusCode::OK).await;
    let kept: Vec<i64> = vs["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(kept, [5, 4, 3]);
    assert_eq!(vs["versions"][0]["current"], true);
    assert_eq!(vs["versions"][1]["current"], false);
    assert_eq!(vs["versions"][2]["stopCount"], 1);
    assert_eq!(vs["versions"][0]["source"], "edited");
    // Restoring v3 makes its plan current as v6.
    let r = json_of(
        app.post(&format!("{vurl}/3/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["version"], 6);
    assert_eq!(stop_ids(&r), [res]);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(
        (d2["version"].as_i64(), stop_ids(&d2)),
        (Some(6), vec![res.to_string()])
    );
    let vs = json_of(app.get(&vurl, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(vs["versions"][0]["source"], "restored");
    assert_eq!(vs["versions"].as_array().unwrap().len(), 3);
    problem(
        app.post(&format!("{vurl}/1/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "VERSION_NOT_FOUND",
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/trips/{id}/schedules/days/9/versions"),
            Some(&tok),
        )
        .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    // Other days are untouched.
    assert_eq!(day_of(&app, &tok, &id, 1).await["version"], 1);
    // A new generation saves every day as one new version.
    generate(&app, &id).await;
    assert_eq!(day_of(&app, &tok, &id, 1).await["version"], 2);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!((d2["version"].as_i64(), stop_ids(&d2).len()), (Some(7), 2));
    app.stop().await;
}

async fn edits_recompute_and_report_rule_warnings(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("hank001").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    generate(&app, &id).await;
    let (mar, frau, vikt) = (MARIENSAEULE, DOM, VIKTUALIENMARKT);
    // Reorder: times and legs follow the new order.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[vikt, mar, frau], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stop_ids(&d), [vikt, mar, frau]);
    let stops = d["stops"].as_array().unwrap();
    let legs = d["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 4);
    let n = |v: &Value| v.as_i64().unwrap();
    assert_eq!(
        n(&stops[0]["arrival"]),
        n(&d["start"]["time"]) + n(&legs[0]["minutes"])
    );
    for i in 1..3 {
        assert_eq!(
            n(&stops[i]["arrival"]),
            n(&stops[i - 1]["end"]) + n(&legs[i]["minutes"])
        );
        assert_eq!(n(&legs[i]["depart"]), n(&stops[i - 1]["end"]));
    }
    assert_eq!(
        n(&d["returnTime"]),
        n(&stops[2]["end"]) + n(&legs[3]["minutes"])
    );
    // Short legs are walked and count kcal; Viktualienmarkt → Mariensäule is ~250 m.
    assert_eq!(legs[1]["mode"], "walk");
    assert!(n(&legs[1]["kcal"]) > 0);
    assert!(n(&d["walkingMetres"]) > 0);
    assert!(d["warnings"].as_array().unwrap().is_empty());
    // Removal and insertion of a catalogue place.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[mar, OLYMPIAPARK], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stop_ids(&d), [mar, OLYMPIAPARK]);
    assert_eq!(d["stops"][1]["reason"]["code"], "ADDED_BY_USER");
    assert_eq!(d["stops"][1]["category"], "park");
    // The catalogue's visit time for a park (by kind and significance: docs/location.md).
    let minutes = n(&d["stops"][1]["end"]) - n(&d["stops"][1]["start"]);
    assert!((40..=45).contains(&minutes), "{minutes}");
    assert_eq!(d["legs"][1]["mode"], "transit");
    let version = n(&d["version"]);
    // Unknown ids and a missing list.
    let p = problem(
        edit(&app, &tok, &id, 1, &[mar, "osm:node:nowhere"], false).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "placeIds[1]", "PLACE_NOT_FOUND"));
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}/schedules/days/1"),
            json!({}),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "placeIds", "REQUIRED"));
    // The Jüdisches Museum is closed on Mondays: warnings, nothing saved.
    let pina = JUEDISCHES_MUSEUM;
    let p = problem(
        edit(&app, &tok, &id, 1, &[mar, pina], false).await,
        StatusCode::CONFLICT,
        "SCHEDULE_RULES_VIOLATED",
    )
    .await;
    assert_eq!(
        p["extra"]["day"]["stops"][1]["warnings"][0]["code"],
        "CLOSED_AT_THAT_TIME"
    );
    assert!(p["extra"]["day"]["stops"][0].get("warnings").is_none());
    assert_eq!(p["extra"]["violations"][0]["stopIndex"], 1);
    assert_eq!(p["extra"]["violations"][0]["placeId"], pina);
    let cur = day_of(&app, &tok, &id, 1).await;
    assert_eq!(
        (n(&cur["version"]), stop_ids(&cur)),
        (version, vec![mar.to_string(), OLYMPIAPARK.into()])
    );
    // force=true saves it with the warning on the stop.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[mar, pina], true).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(n(&d["version"]), version + 1);
    assert_eq!(d["stops"][1]["warnings"][0]["code"], "CLOSED_AT_THAT_TIME");
    let cur = day_of(&app, &tok, &id, 1).await;
    assert_eq!(
        cur["stops"][1]["warnings"][0]["code"],
        "CLOSED_AT_THAT_TIME"
    );
    assert_eq!(cur["warnings"][0]["placeId"], pina);
    // On Tuesday it is open 10:00–18:00: no warning.
    let d = json_of(
        edit(&app, &tok, &id, 2, &[RESIDENZ, RESTAURANT, pina], false).await,
        StatusCode::CONFLICT,
    )
    .await;
    // …but it is already on day 1: a place is visited once per trip.
    assert_eq!(d["extra"]["violations"][0]["rule"], "DUPLICATE_PLACE");
    let d = json_of(
        edit(
            &app,
            &tok,
            &id,
            2,
            &[RESIDENZ, RESTAURANT, OLYMPIAPARK],
            false,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(d["warnings"].as_array().unwrap().is_empty());
    // The departure day ends at check-out (11:00): a 90-minute visit from 09:30 overruns it.
    let p = problem(
        edit(&app, &tok, &id, 4, &[JAGDMUSEUM], false).await,
        StatusCode::CONFLICT,
        "SCHEDULE_RULES_VIOLATED",
    )
    .await;
    let rules: Vec<&str> = p["extra"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"DAY_OVERRUN"), "{rules:?}");
    assert!(rules.contains(&"DUPLICATE_PLACE"), "{rules:?}");
    let d = json_of(edit(&app, &tok, &id, 4, &[], false).await, StatusCode::OK).await;
    assert_eq!(n(&d["returnTime"]), 540);
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}/schedules/days/4?force=maybe"),
            json!({ "placeIds": [] }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "force", "INVALID_VALUE"));
    problem(
        edit(&app, &tok, &id, 5, &[], false).await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

/// An edited day is recomputed with the group's rules, as a generated one is: a `limited`
/// member walks 1.5× slower, and on public transport the group rides a taxi.
async fn edits_follow_the_groups_walking_pace_and_taxi_rule(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("pace001").await;
    let fit = munich_trip(&app, &tok, "Fit").await;
    let slow = munich_trip(&app, &tok, "Slow").await;
    json_of(
        app.put(
            &format!("/api/v1/trips/{slow}/basic-info"),
            json!({ "tripName": "Slow", "transportMode": "public",
                    "members": [member("Jonas", 36),
                                { "name": "할머니", "age": 82, "gender": "female",
                                  "healthStatus": "limited", "preferences": ["culture"] }] }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let order = [VIKTUALIENMARKT, MARIENSAEULE, OLYMPIAPARK];
    let mut days = Vec::new();
    for id in [&fit, &slow] {
        generate(&app, id).await;
        days.push(json_of(edit(&app, &tok, id, 1, &order, true).await, StatusCode::OK).await);
    }
    let (fit_day, slow_day) = (&days[0], &days[1]);
    let minutes = |d: &Value, i: usize| d["legs"][i]["minutes"].as_u64().unwrap();
    // Viktualienmarkt → Mariensäule is walked by the fit group. The slower group walks
    // 1.5× slower on step-free ways (issue 17): walked when that walk stays within the
    // walking limits (500 m, 20 min at its pace), else ridden by taxi.
    assert_eq!(fit_day["legs"][1]["mode"], "walk");
    let step_free: Value = app
        .get(
            &format!(
                "/api/v1/locations/routes?from={VIKTUALIENMARKT}&to={MARIENSAEULE}&mode=walk&stepFree=true"
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let free_minutes = (step_free["minutes"].as_u64().unwrap() as f64 * 1.5).ceil() as u64;
    assert!(free_minutes >= (minutes(fit_day, 1) as f64 * 1.5).ceil() as u64);
    if step_free["metres"].as_u64().unwrap() <= 500 && free_minutes <= 20 {
        assert_eq!(slow_day["legs"][1]["mode"], "walk");
        assert_eq!(minutes(slow_day, 1), free_minutes);
    } else {
        assert_eq!(slow_day["legs"][1]["mode"], "taxi", "{step_free}");
    }
    // The Olympiapark is out of walking range: transit for the fit group, a taxi otherwise.
    assert_eq!(fit_day["legs"][2]["mode"], "transit");
    assert_eq!(slow_day["legs"][2]["mode"], "taxi");
    app.stop().await;
}

async fn route_geojson(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("iris001").await;
    let id = munich_trip(&app, &tok, "Map").await;
    generate(&app, &id).await;
    let resp = app
        .get(&format!("/api/v1/trips/{id}/route"), Some(&tok))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/geo+json");
    let g: Value = resp.json().await.unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let stops: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["kind"] == "stop")
        .collect();
    let legs: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["kind"] == "leg")
        .collect();
    assert_eq!(stops.len(), 3 + 2 + 2);
    // Numbered per day, colour per day, coordinates [lon, lat].
    let day1: Vec<i64> = stops
        .iter()
        .filter(|f| f["properties"]["day"] == 1)
        .map(|f| f["properties"]["number"].as_i64().unwrap())
        .collect();
    assert_eq!(day1, [1, 2, 3]);
    let lon_lat = stops[0]["geometry"]["coordinates"].as_array().unwrap();
    assert!((lon_lat[0].as_f64().unwrap() - 11.5755).abs() < 0.001);
    assert!((lon_lat[1].as_f64().unwrap() - 48.1372).abs() < 0.001);
    assert_eq!(stops[0]["properties"]["name"], "Mariensäule");
    assert_eq!(stops[0]["properties"]["colorIndex"], 0);
    assert_eq!(stops[3]["properties"]["colorIndex"], 1);
    assert_eq!(legs.len(), 4 + 3 + 3 + 1);
    let walk = legs
        .iter()
        .find(|l| l["properties"]["mode"] == "walk")
        .unwrap();
    assert_eq!(walk["properties"]["dashed"], true);
    assert_eq!(walk["geometry"]["type"], "LineString");
    let transit = legs
        .iter()
        .find(|l| l["properties"]["mode"] == "transit")
        .unwrap();
    assert_eq!(transit["properties"]["dashed"], false);
    // One day only.
    let g: Value = app
        .get(&format!("/api/v1/trips/{id}/route?day=2"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        g["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["day"] == 2)
    );
    problem(
        app.get(&format!("/api/v1/trips/{id}/route?day=7"), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

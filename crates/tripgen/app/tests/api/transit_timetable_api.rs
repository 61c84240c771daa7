//! Public transport on an imported GTFS timetable (issue 17): the bundled Munich sample
//! feed is imported beside the Munich extract; a public-transport trip's ridden legs name
//! lines of the feed, and every ride's stops and minutes are a trip of that line in the
//! feed's own stop_times (read here from the zip, independently of the router), inside
//! the leg's planned minutes. A damaged feed is refused with a clear error and leaves the
//! stored timetable as it was.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use crate::common;

use common::*;
use serde_json::{Value, json};

on_both_backends!(trips_ride_the_lines_of_an_imported_timetable);

fn feed_path() -> std::path::PathBuf {
    osm_data("../gtfs/munich-sample.zip")
}

fn csv_rows(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Vec<HashMap<String, String>> {
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| header.iter().cloned().zip(l.split(',').map(str::to_string)).collect())
        .collect()
}

/// (line name, from stop name, departure minute, to stop name, arrival minute) of every
/// consecutive-or-not stop pair of every trip in the feed (the sample has no quoted commas).
fn feed_rides() -> (HashSet<String>, HashSet<(String, String, u32, String, u32)>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(feed_path()).unwrap()).unwrap();
    let lines: HashMap<String, String> = csv_rows(&mut zip, "routes.txt")
        .into_iter()
        .map(|r| (r["route_id"].clone(), r["route_short_name"].clone()))
        .collect();
    let stops: HashMap<String, String> = csv_rows(&mut zip, "stops.txt")
        .into_iter()
        .map(|r| (r["stop_id"].clone(), r["stop_name"].clone()))
        .collect();
    let trip_line: HashMap<String, String> = csv_rows(&mut zip, "trips.txt")
        .into_iter()
        .map(|r| (r["trip_id"].clone(), lines[&r["route_id"]].clone()))
        .collect();
    let minute = |t: &str| {
        let p: Vec<u32> = t.split(':').map(|x| x.parse().unwrap()).collect();
        p[0] * 60 + p[1] + u32::from(p[2] > 0)
    };
    let mut by_trip: HashMap<String, Vec<(String, u32, u32)>> = HashMap::new();
    for r in csv_rows(&mut zip, "stop_times.txt") {
        let arr = minute(&r["arrival_time"]);
        // Departures are whole minutes down (a rider must be there by then).
        let dep = {
            let p: Vec<u32> = r["departure_time"]
                .split(':')
                .map(|x| x.parse().unwrap())
                .collect();
            p[0] * 60 + p[1]
        };
        by_trip.entry(r["trip_id"].clone()).or_default().push((
            stops[&r["stop_id"]].clone(),
            arr,
            dep,
        ));
    }
    let mut rides = HashSet::new();
    for (trip, calls) in by_trip {
        for (i, a) in calls.iter().enumerate() {
            for b in &calls[i + 1..] {
                rides.insert((
                    trip_line[&trip].clone(),
                    a.0.clone(),
                    a.2,
                    b.0.clone(),
                    b.1,
                ));
            }
        }
    }
    (lines.into_values().collect(), rides)
}

async fn trips_ride_the_lines_of_an_imported_timetable(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let locations = app.contexts.locations.as_ref().unwrap();
    let hidden = tripgen_platform::progress::Progress::hidden();

    // A damaged feed: a clear error naming the file, nothing stored.
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.zip");
    let bytes = std::fs::read(feed_path()).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    let err = locations.import_gtfs(&damaged, &hidden).await.unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains("damaged.zip") && message.contains("zip"),
        "{message}"
    );
    assert!(locations.travel_model().feeds().is_empty());

    let report = locations.import_gtfs(&feed_path(), &hidden).await.unwrap();
    assert_eq!(report.city_name, "München", "{report:?}");
    assert_eq!(report.lines, 4);
    assert!(report.trips > 1_000, "{report:?}");
    // Re-importing replaces the feed's timetable (one feed, not two).
    locations.import_gtfs(&feed_path(), &hidden).await.unwrap();
    assert_eq!(locations.travel_model().feeds().len(), 1);

    let (tok, _) = app.user("rider17").await;
    let id = app
        .create_trip(
            &tok,
            json!({ "tripName": "Munich by U-Bahn", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture", "sightseeing"] },
                { "name": "Ben", "age": 38, "gender": "male", "healthStatus": "good", "preferences": ["shopping"] }
            ]}),
        )
        .await;
    // Tuesday 2027-06-01: the weekday service.
    app.set_destinations(
        &tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "München", "nights": 2, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    app.generate(&tok, &id, json!({ "startTime": "09:00" }))
        .await;
    let r = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
        .await;
    let s: Value = r.json().await.unwrap();
    let (lines, feed) = feed_rides();
    let mut named = 0;
    let mut ridden = 0;
    for day in s["days"].as_array().unwrap() {
        for leg in day["legs"].as_array().unwrap() {
            if leg["mode"] != "transit" {
                assert!(leg.get("line").is_none(), "{leg}");
                continue;
            }
            ridden += 1;
            let Some(line) = leg["line"].as_str() else {
                continue;
            };
            named += 1;
            let depart = leg["depart"].as_u64().unwrap() as u32;
            let end = depart + leg["minutes"].as_u64().unwrap() as u32;
            let rides = leg["rides"].as_array().unwrap();
            assert!(!rides.is_empty(), "{leg}");
            let mut at = depart;
            for ride in rides {
                let key = (
                    ride["line"].as_str().unwrap().to_string(),
                    ride["from"].as_str().unwrap().to_string(),
                    ride["departs"].as_u64().unwrap() as u32,
                    ride["to"].as_str().unwrap().to_string(),
                    ride["arrives"].as_u64().unwrap() as u32,
                );
                assert!(lines.contains(&key.0) && line.contains(&key.0), "{leg}");
                assert!(feed.contains(&key), "not a trip of the feed: {key:?} in {leg}");
                assert!(key.2 >= at && key.4 <= end, "outside the leg's minutes: {leg}");
                at = key.4;
            }
            // Drawn through the stops ridden, not a straight line.
            assert!(leg["path"].as_array().unwrap().len() > 2, "{leg}");
        }
    }
    // In the bundled 1.5 km centre most legs walk about as fast as they ride: a leg is
    // named only where the ride at its minute beats the minutes the plan gave it.
    eprintln!("{backend:?}: {named} of {ridden} public-transport legs ride a named line");
    assert!(ridden > 0, "a public-transport trip rides: {s}");

    // The journey the planner's model gives a ridden leg: Karlsplatz (Stachus) to the
    // Kammerspiele (1.2 km) at 10:00 — tram 19, minutes as in the feed.
    let model = locations.travel_model();
    let point = |lat, lon| tripgen_location::GeoPoint::new(lat, lon).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    let (from, to) = (point(48.13905, 11.56700), point(48.13830, 11.58180));
    let j = model
        .transit_journey(from, to, date, 600, false)
        .expect("a journey by the timetable");
    let walk = tripgen_location::TravelTimeModel::estimate(
        &*model,
        from,
        to,
        tripgen_location::TravelMode::Walk,
    );
    eprintln!("{backend:?}: {:?} {} min (walking {walk:?})", j.rides, j.minutes);
    assert!(j.minutes < walk.minutes, "riding beats walking: {j:?} {walk:?}");
    let mut at = 600;
    for r in &j.rides {
        let key = (r.line.clone(), r.from.clone(), r.departs, r.to.clone(), r.arrives);
        assert!(feed.contains(&key), "not a trip of the feed: {key:?}");
        assert!(r.departs >= at && r.arrives <= 600 + j.minutes, "{j:?}");
        at = r.arrives;
    }
    assert!(j.rides.iter().any(|r| r.line == "19"), "{j:?}");
    assert!(j.path.len() > 2);
    // A Sunday rides the weekend service; a date outside the feed has no journey.
    let sunday = chrono::NaiveDate::from_ymd_opt(2027, 6, 6).unwrap();
    assert!(model.transit_journey(from, to, sunday, 600, false).is_some());
    let outside = chrono::NaiveDate::from_ymd_opt(2031, 6, 3).unwrap();
    assert!(model.transit_journey(from, to, outside, 600, false).is_none());
}

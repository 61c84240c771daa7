//! Split mode as Kubernetes runs it: location, user, trip and ai targets and the gateway in
//! front, each its own app on an ephemeral port, sharing one store. Started one after the
//! other (each applies or checks the migrations); the location target imports `imports`.

use tripgen::config::{Config, Target};
use tripgen_platform::clock::ManualClock;

use super::{Store, TestApp};

pub struct SplitApps {
    pub location: TestApp,
    pub user: TestApp,
    pub trip: TestApp,
    pub ai: TestApp,
    pub gateway: TestApp,
}

impl SplitApps {
    pub async fn start(store: &Store, clock: &ManualClock, imports: &[&str]) -> SplitApps {
        let with = |t: Target, tweak: &dyn Fn(&mut Config)| {
            let mut c = store.config();
            c.target = t;
            tweak(&mut c);
            c
        };
        let location = TestApp::start(with(Target::Location, &|_| {}), clock.clone()).await;
        location.import(imports).await;
        let loc = location.base.clone();
        let user = TestApp::start(with(Target::User, &|_| {}), clock.clone()).await;
        let trip = TestApp::start(
            with(Target::Trip, &|c| {
                c.gateway.location_url = Some(loc.clone())
            }),
            clock.clone(),
        )
        .await;
        let ai = TestApp::start(
            with(Target::Ai, &|c| c.gateway.location_url = Some(loc.clone())),
            clock.clone(),
        )
        .await;
        let (user_url, trip_url, ai_url) = (user.base.clone(), trip.base.clone(), ai.base.clone());
        let gateway = TestApp::start(
            with(Target::Gateway, &|c| {
                c.gateway.user_url = Some(user_url.clone());
                c.gateway.trip_url = Some(trip_url.clone());
                c.gateway.location_url = Some(loc.clone());
                c.gateway.ai_url = Some(ai_url.clone());
            }),
            clock.clone(),
        )
        .await;
        SplitApps {
            location,
            user,
            trip,
            ai,
            gateway,
        }
    }

    pub async fn stop(self) {
        self.gateway.stop().await;
        self.ai.stop().await;
        self.trip.stop().await;
        self.user.stop().await;
        self.location.stop().await;
    }
}

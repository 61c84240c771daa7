//! The street router where the location context is not served in the process: the `ai`
//! target of split mode plans with the same routed times as in-process (`all`), built by
//! the same code from the same `road_graphs` rows of the shared catalogue database. (The
//! alternative, a matrix endpoint on the location target, would still leave the planner's
//! single-leg estimates to a request each.) Reloaded when the catalogue changed — another
//! process imported — checked at most every few seconds, before a plan fetches its places.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::model::{RoutedTravel, TransitConstants};
use super::router::Router;
use crate::store::PlaceStore;
use crate::travel::straight_line::StraightLineModel;

/// How often the catalogue version is asked (the place index uses the same period).
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Loads the stored street graphs and builds their routers (off the async threads).
pub async fn load_model(
    store: &PlaceStore,
    transit: TransitConstants,
) -> anyhow::Result<RoutedTravel> {
    let graphs = store.road_graphs().await?;
    Ok(tokio::task::spawn_blocking(move || {
        let routers = graphs
            .into_iter()
            .map(|(_, g)| Arc::new(Router::new(g)))
            .collect();
        RoutedTravel::new(routers, StraightLineModel::default(), transit)
    })
    .await?)
}

pub struct SharedRoads {
    store: PlaceStore,
    transit: TransitConstants,
    model: RwLock<Arc<RoutedTravel>>,
    /// When the version was last asked, and the version the model was loaded at.
    checked: tokio::sync::Mutex<Option<(Instant, Option<i64>)>>,
}

impl SharedRoads {
    pub fn new(store: PlaceStore, transit: TransitConstants) -> Self {
        SharedRoads {
            store,
            transit,
            model: RwLock::new(Arc::new(RoutedTravel::default())),
            checked: tokio::sync::Mutex::new(None),
        }
    }

    /// The catalogue database the graphs come from (the transport networks are read from
    /// it too).
    pub fn store(&self) -> &PlaceStore {
        &self.store
    }

    /// The current model (the straight line until the graphs are loaded).
    pub fn model(&self) -> Arc<RoutedTravel> {
        match self.model.read() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reloads the graphs when the catalogue changed since the last load. A failure keeps
    /// the model it had (and is retried at the next check).
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let mut checked = self.checked.lock().await;
        if checked.is_some_and(|(at, _)| at.elapsed() < CHECK_EVERY) {
            return Ok(());
        }
        let loaded = checked.and_then(|(_, v)| v);
        *checked = Some((Instant::now(), loaded));
        let version = self.store.version().await?;
        if loaded == Some(version) {
            return Ok(());
        }
        let model = Arc::new(load_model(&self.store, self.transit).await?);
        tracing::info!(
            graphs = model.routers().len(),
            version,
            "street router loaded"
        );
        match self.model.write() {
            Ok(mut m) => *m = model,
            Err(poisoned) => *poisoned.into_inner() = model,
        }
        *checked = Some((Instant::now(), Some(version)));
        Ok(())
    }
}

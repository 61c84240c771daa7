//! The `transport_networks` table: one dataset's stations, terminals and ferry routes, as
//! JSON (small: tens of rows per city), replaced on re-import.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::to_millis;
use tripgen_platform::with_db;

use super::{TransportNetwork, TransportNetworks};
use crate::store::PlaceStore;

impl PlaceStore {
    /// Stores (or replaces) the network of `dataset`.
    pub async fn save_transport_network(
        &self,
        dataset: &str,
        source: &str,
        network: &TransportNetwork,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let json = serde_json::to_string(network)?;
        const SQL: &str = "INSERT INTO transport_networks (dataset, source, hubs, ferries, \
             built_at, network) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (dataset) DO UPDATE SET source = excluded.source, \
             hubs = excluded.hubs, ferries = excluded.ferries, \
             built_at = excluded.built_at, network = excluded.network";
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        with_db!(self.db(), |pool| {
            sqlx::query(SQL)
                .bind(dataset)
                .bind(source)
                .bind(count(network.hubs.len()))
                .bind(count(network.ferries.len()))
                .bind(to_millis(now))
                .bind(&json)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Every stored network; an unreadable row is logged and left out (its journeys use
    /// the model's defaults until a re-import).
    pub async fn transport_networks(&self) -> anyhow::Result<TransportNetworks> {
        let rows: Vec<(String, String)> = with_db!(self.db(), |pool| {
            sqlx::query_as("SELECT dataset, network FROM transport_networks ORDER BY dataset")
                .fetch_all(pool)
                .await
        })?;
        Ok(TransportNetworks::new(
            rows.into_iter()
                .filter_map(|(dataset, json)| match serde_json::from_str(&json) {
                    Ok(n) => Some(n),
                    Err(e) => {
                        tracing::error!(%dataset, error = %e, "stored transport network unreadable; skipped");
                        None
                    }
                })
                .collect(),
        ))
    }
}

//! The `road_graphs` table: one encoded street graph per imported dataset.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::to_millis;
use tripgen_platform::with_db;

use super::codec;
use super::graph::RoadGraph;
use crate::store::PlaceStore;

impl PlaceStore {
    /// Stores (or replaces) the graph of `dataset`.
    pub async fn save_road_graph(
        &self,
        dataset: &str,
        source: &str,
        graph: &RoadGraph,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let bytes = codec::encode(graph)?;
        const SQL: &str = "INSERT INTO road_graphs (dataset, source, format, nodes, edges, \
             built_at, graph) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (dataset) DO UPDATE SET source = excluded.source, \
             format = excluded.format, nodes = excluded.nodes, edges = excluded.edges, \
             built_at = excluded.built_at, graph = excluded.graph";
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        with_db!(self.db(), |pool| {
            sqlx::query(SQL)
                .bind(dataset)
                .bind(source)
                .bind(i64::from(codec::FORMAT_VERSION))
                .bind(count(graph.node_count()))
                .bind(count(graph.edges.len()))
                .bind(to_millis(now))
                .bind(&bytes)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Every stored graph in the current format, by dataset name; unreadable rows are
    /// logged and left out (the straight line covers their area until a re-import).
    pub async fn road_graphs(&self) -> anyhow::Result<Vec<(String, RoadGraph)>> {
        let rows: Vec<(String, Vec<u8>)> = with_db!(self.db(), |pool| {
            sqlx::query_as(
                "SELECT dataset, graph FROM road_graphs WHERE format = $1 ORDER BY dataset",
            )
            .bind(i64::from(codec::FORMAT_VERSION))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(dataset, bytes)| match codec::decode(&bytes) {
                Ok(g) => Some((dataset, g)),
                Err(e) => {
                    tracing::error!(%dataset, error = %e, "stored road graph unreadable; skipped");
                    None
                }
            })
            .collect())
    }
}

//! Reading `normal_ranges` into a [`RangeTable`] (the latest version).

use tripgen_platform::{Db, with_db};

use crate::domain::{Group, RangeRow, RangeTable, Status};

type Row = (
    i64,
    String,
    i64,
    String,
    String,
    i64,
    Option<f64>,
    Option<f64>,
    String,
    String,
);

/// Every row of the latest version; `None` when the table is empty (not migrated).
pub async fn latest(db: &Db) -> anyhow::Result<Option<RangeTable>> {
    let sql = "SELECT version, item_code, sex, unit, band, part, min_value, max_value, item_group, source \
               FROM normal_ranges WHERE version = (SELECT MAX(version) FROM normal_ranges)";
    let rows: Vec<Row> = with_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
    let rows = rows
        .into_iter()
        .map(
            |(version, item_code, sex, unit, band, part, min, max, group, source)| {
                Ok(RangeRow {
                    version,
                    sex,
                    unit,
                    band: Status::parse(&band)
                        .ok_or_else(|| anyhow::anyhow!("normal_ranges: unknown band `{band}`"))?,
                    part,
                    min,
                    max,
                    group: Group::parse(&group)
                        .ok_or_else(|| anyhow::anyhow!("normal_ranges: unknown group `{group}`"))?,
                    source,
                    item_code,
                })
            },
        )
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(RangeTable::latest(rows))
}

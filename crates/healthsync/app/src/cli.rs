//! The one-shot commands: `migrate`, `health` (readiness probe).

use tripgen_platform::Db;

use crate::config::HealthSyncConfig;

/// Connects with the platform's connector and applies every migration.
pub async fn open_migrated(config: &HealthSyncConfig) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create data dir {}: {e}", config.data_dir.display())
    })?;
    let db = Db::connect(&config.platform_config()).await?;
    crate::store::migrate(&db).await?;
    Ok(db)
}

pub async fn migrate(config: &HealthSyncConfig) -> anyhow::Result<()> {
    let db = open_migrated(config).await?;
    println!("migrations applied ({})", db.backend());
    db.close().await;
    Ok(())
}

/// GETs the readiness probe; Ok when it answers 200 within `timeout_secs`.
pub async fn probe(
    config: &HealthSyncConfig,
    url: Option<String>,
    timeout_secs: u64,
) -> anyhow::Result<()> {
    let url = url.unwrap_or_else(|| format!("http://{}/health/ready", config.listen_addr()));
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .build()?;
    let resp = client
        .get(&url)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
    let status = resp.status();
    let body = resp.text().await.unwrap_or_default();
    println!("{body}");
    anyhow::ensure!(status.is_success(), "{url}: {status}");
    Ok(())
}

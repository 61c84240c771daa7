//! HealthSync's migrations: the platform's tables and each HealthSync context's.

use tripgen_platform::Db;
use tripgen_platform::db::platform_migrations;

/// Applies the platform's and HealthSync's contexts' migrations.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    db.migrate(&mut platform_migrations()).await?;
    db.migrate(&mut healthsync_user::migrations()).await?;
    db.migrate(&mut healthsync_health::migrations()).await?;
    db.migrate(&mut healthsync_goal::migrations()).await?;
    db.migrate(&mut healthsync_intelligence::migrations())
        .await?;
    Ok(())
}

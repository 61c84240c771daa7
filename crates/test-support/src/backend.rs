//! SQLite in a temp dir, or PostgreSQL in a schema of its own so tests share one server.

/// Where a test app keeps its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// For each `async fn name(backend: Backend)` in scope, generates the tests `name::sqlite`
/// and `name::postgres` (the latter says SKIPPED when PostgreSQL is not configured, and
/// fails in CI).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// A database URL whose `search_path` is a new schema `<prefix>_<uuid>` on the server
/// named by the first set variable of `url_vars`. `None` (after a loud SKIPPED line) when
/// none is set; in CI (`CI` set) a missing server is a failure, never a silent pass.
pub async fn fresh_postgres_schema(url_vars: &[&str], prefix: &str) -> Option<String> {
    let Some(url) = url_vars.iter().find_map(|v| std::env::var(v).ok()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} must be set in CI",
            url_vars.join(" or ")
        );
        eprintln!(
            "SKIPPED (PostgreSQL): set {} to run this test on PostgreSQL",
            url_vars.join(" or ")
        );
        return None;
    };
    let schema = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let pool = sqlx::PgPool::connect(&url)
        .await
        .expect("connect to test PostgreSQL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&pool)
        .await
        .expect("create schema");
    pool.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    Some(format!(
        "{url}{sep}options=-c%20search_path%3D{schema},public"
    ))
}

//! `healthsync`: one binary, many targets (see docs/healthsync/).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use healthsync::config::{HealthSyncConfig, Target};

#[derive(Parser)]
#[command(
    name = "healthsync",
    version,
    about = "HealthSync: health-checkup results turned into small daily habits",
    long_about = "HealthSync links national health-checkup results to a profile, judges every \
                  item against sex-specific ranges and turns them into daily missions.\n\n\
                  Configuration: defaults < TOML file (--config) < HEALTHSYNC_* environment \
                  variables (HEALTHSYNC_SECTION__KEY, e.g. HEALTHSYNC_DATABASE__URL) < flags."
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// TOML configuration file [env: HEALTHSYNC_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on [env: HEALTHSYNC_LISTEN] [default: 127.0.0.1:8090]
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
    /// Data directory: embedded database, uploaded files, generated keys
    /// [env: HEALTHSYNC_DATA_DIR] [default: ./healthsync-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (every context in one process by default)
    Serve {
        /// all | gateway | user | health | goal | intelligence | batch [env: HEALTHSYNC_TARGET]
        #[arg(long, value_name = "TARGET")]
        target: Option<Target>,
        /// Base URL of the `user` target (split mode: needed by gateway, health, intelligence,
        /// batch)
        /// [config: gateway.user_url, env: HEALTHSYNC_GATEWAY__USER_URL]
        #[arg(long, value_name = "URL")]
        user_url: Option<String>,
        /// Base URL of the `health` target (split mode: needed by gateway, user, intelligence)
        /// [config: gateway.health_url, env: HEALTHSYNC_GATEWAY__HEALTH_URL]
        #[arg(long, value_name = "URL")]
        health_url: Option<String>,
        /// Base URL of the `goal` target (split mode: needed by gateway, health, intelligence,
        /// batch) [config: gateway.goal_url, env: HEALTHSYNC_GATEWAY__GOAL_URL]
        #[arg(long, value_name = "URL")]
        goal_url: Option<String>,
        /// Base URL of the `intelligence` target (split mode: needed by gateway, health,
        /// goal) [config: gateway.intelligence_url, env: HEALTHSYNC_GATEWAY__INTELLIGENCE_URL]
        #[arg(long, value_name = "URL")]
        intelligence_url: Option<String>,
        /// DEVELOPMENT ONLY: a built-in sign-in provider at /dev-oidc that accepts any
        /// e-mail, instead of Google (embedded default, targets all/user)
        /// [config: auth.dev_issuer.enabled, env: HEALTHSYNC_AUTH__DEV_ISSUER__ENABLED]
        #[arg(long)]
        dev_issuer: bool,
    },
    /// Apply every context's database migrations and exit
    Migrate,
    /// Print the effective configuration (secrets redacted) and exit
    Config,
    /// Probe a running server's readiness (exit 0 when ready)
    Health {
        /// URL to probe [default: http://<listen>/health/ready]
        #[arg(long)]
        url: Option<String>,
        /// Seconds to wait for an answer
        #[arg(long, default_value_t = 3)]
        timeout: u64,
    },
    /// Import checkup data
    #[command(subcommand)]
    Import(ImportCommand),
    /// The daily nudge (spec §8.1)
    #[command(subcommand)]
    Batch(BatchCommand),
    /// Benchmark data (bench/healthsync_*.sh)
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Copy the embedded SQLite database (and its generated keys) to FILE while the
    /// server runs: one consistent snapshot, integrity-checked. PostgreSQL: pg_dump (docs)
    Backup {
        /// Destination file (must not exist unless --force)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Overwrite FILE
        #[arg(long)]
        force: bool,
    },
    /// Replace the embedded SQLite database with a backup (stop the server first: refused
    /// while the database is open; the replaced files are kept as *.before-restore-*)
    Restore {
        /// A file written by `healthsync backup`
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum BatchCommand {
    /// Run the daily nudge for a date now, under the lease (a rerun only fills gaps), and
    /// print the run report as JSON
    Run {
        /// Run date YYYY-MM-DD [default: today in app.time_zone]
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Benchmark: generate N users with goals and completions in an EMPTY store (a fresh
    /// --data-dir or database), then time one run
    Bench {
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        users: u64,
        /// Read goals and recipients like the split `batch` target: over HTTP from the
        /// `user` and `goal` targets (served in this process), 1,000 users a page
        #[arg(long)]
        over_http: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Add N active users with a 3-mission goal and a 7-day completion history to the
    /// configured store (batched INSERTs; benchmark data only: issuer `bench`)
    Seed {
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        users: u64,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import NHIS "건강검진정보" yearly CSV files (UTF-8 or CP949). Exit 1: header mismatch
    /// or I/O error; exit 2: more bad rows than --max-bad-rows (nothing written)
    Nhis {
        /// One or more CSV files; each is one all-or-nothing import
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Dataset name [default: nhis-<기준년도> of each row]
        #[arg(long, value_name = "NAME")]
        dataset: Option<String>,
        /// Bad rows tolerated (skipped and reported); more → nothing written, exit 2
        #[arg(long, value_name = "N", default_value_t = 0)]
        max_bad_rows: u64,
        /// Print each file's report as one JSON object per line
        #[arg(long)]
        json: bool,
    },
}

fn load_config(common: &Common) -> anyhow::Result<HealthSyncConfig> {
    let env: Vec<(String, String)> = std::env::vars().collect();
    let file = common.config.clone().or_else(|| {
        env.iter()
            .find(|(k, _)| k == "HEALTHSYNC_CONFIG")
            .map(|(_, v)| PathBuf::from(v))
    });
    let mut config = HealthSyncConfig::load(file.as_deref(), &env)?;
    if let Some(listen) = &common.listen {
        config.listen = listen.clone();
    }
    if let Some(dir) = &common.data_dir {
        config.data_dir = dir.clone();
    }
    config.validate()?;
    Ok(config)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match load_config(&cli.common) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(async move {
        match cli.command {
            Command::Config => {
                print!("{}", config.redacted_toml());
                0
            }
            Command::Migrate => report(healthsync::cli::migrate(&config).await),
            Command::Health { url, timeout } => {
                report(healthsync::cli::probe(&config, url, timeout).await)
            }
            Command::Serve {
                target,
                user_url,
                health_url,
                goal_url,
                intelligence_url,
                dev_issuer,
            } => {
                // Flags override the configuration's `gateway.*` and `auth.dev_issuer`.
                if let Some(t) = target {
                    config.target = t;
                }
                if user_url.is_some() {
                    config.gateway.user_url = user_url;
                }
                if health_url.is_some() {
                    config.gateway.health_url = health_url;
                }
                if goal_url.is_some() {
                    config.gateway.goal_url = goal_url;
                }
                if intelligence_url.is_some() {
                    config.gateway.intelligence_url = intelligence_url;
                }
                config.auth.dev_issuer.enabled |= dev_issuer;
                tripgen_platform::telemetry::init_logging(&config.log);
                let options = healthsync::topology::ServeOptions {
                    upstreams: healthsync::topology::Upstreams {
                        user: config.gateway.user_url.clone(),
                        health: config.gateway.health_url.clone(),
                        goal: config.gateway.goal_url.clone(),
                        intelligence: config.gateway.intelligence_url.clone(),
                    },
                    dev_issuer: config.auth.dev_issuer.enabled,
                };
                report(healthsync::server::serve(config, options).await)
            }
            Command::Batch(BatchCommand::Run { date }) => report(
                healthsync::batch_cmd::run(&config, date.as_deref())
                    .await
                    .and_then(|r| {
                        println!("{}", serde_json::to_string(&r)?);
                        Ok(())
                    }),
            ),
            Command::Batch(BatchCommand::Bench { users, over_http }) => {
                report(healthsync::batch_cmd::bench(&config, users, over_http).await)
            }
            Command::Bench(BenchCommand::Seed { users }) => {
                report(healthsync::batch_cmd::seed(&config, users).await)
            }
            Command::Backup { file, force } => report(
                healthsync::backup::backup(&config, &file, force)
                    .await
                    .map(|r| println!("{}", r.backup_summary())),
            ),
            Command::Restore { file } => report(
                healthsync::backup::restore(&config, &file)
                    .await
                    .map(|r| println!("{}", r.restore_summary())),
            ),
            Command::Import(ImportCommand::Nhis {
                files,
                dataset,
                max_bad_rows,
                json,
            }) => {
                let db = match healthsync::cli::open_migrated(&config).await {
                    Ok(db) => db,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return 1;
                    }
                };
                let args = healthsync::import_cmd::NhisArgs {
                    files,
                    dataset,
                    max_bad_rows,
                    json,
                };
                let code = healthsync::import_cmd::run(&db, args).await;
                db.close().await;
                code
            }
        }
    });
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn report(result: anyhow::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

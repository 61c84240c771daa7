//! `tripgen`: one binary, many targets (see docs/architecture.md).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use tripgen::config::Config;
use tripgen::config::Target;
use tripgen_platform::SystemClock;

#[derive(Parser)]
#[command(
    name = "tripgen",
    version,
    about = "TripGen: realistic hour-by-hour travel itineraries",
    long_about = "TripGen plans multi-city trips hour by hour: real places, open when visited, \
                  travel times that hold, meals and rests where the group needs them.\n\n\
                  Configuration: defaults < TOML file (--config) < TRIPGEN_* environment variables \
                  (TRIPGEN_SECTION__KEY, e.g. TRIPGEN_DATABASE__URL) < flags. \
                  Secrets may be given as files: TRIPGEN_AUTH__JWT_SECRET_FILE=/mnt/secrets/jwt.\n\n\
                  Map data © OpenStreetMap contributors, ODbL."
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// TOML configuration file [env: TRIPGEN_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on [env: TRIPGEN_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
    /// Data directory: embedded database, uploads, outbox, generated keys
    /// [env: TRIPGEN_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (all contexts in one process by default)
    Serve {
        /// Which part to run: all | gateway | user | trip | ai | location [env: TRIPGEN_TARGET]
        #[arg(long, value_name = "TARGET")]
        target: Option<Target>,
    },
    /// Apply every context's database migrations and exit
    Migrate,
    /// Print the effective configuration (secrets redacted) and exit
    Config,
    /// Probe a running server's readiness (exit 0 when ready): for container HEALTHCHECKs
    Health {
        /// URL to probe [default: http://<listen>/health/ready]
        #[arg(long)]
        url: Option<String>,
        /// Seconds to wait for an answer
        #[arg(long, default_value_t = 3)]
        timeout: u64,
    },
    /// Import data into the catalogue
    #[command(subcommand)]
    Import(ImportCommand),
    /// List the cities the place catalogue holds: places, last import, its source and time
    Cities {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
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
        /// A file written by `tripgen backup`
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Benchmarks of the planner
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import OpenStreetMap places (.osm.pbf, .geojson/.json FeatureCollections, folders
    /// of them, or http(s) URLs of such files, e.g. a Geofabrik extract) into the place
    /// catalogue. Downloads resume after a broken connection and are checked against the
    /// server's size and .md5; nothing is imported unless every download completed. Streams
    /// each file; the newer version of an OSM element wins; a second run changes nothing.
    /// Progress: a bar on a terminal, lines otherwise (TRIPGEN_PROGRESS=bar|lines|off).
    Osm {
        /// Files, folders or URLs
        #[arg(required = true, value_name = "FILE|URL")]
        files: Vec<String>,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        /// Import the readable blocks of a damaged .osm.pbf (each broken block is counted
        /// as skipped) instead of failing the file
        #[arg(long)]
        allow_partial: bool,
    },
    /// Import a public-transport timetable (GTFS .zip) for an imported city: checked
    /// (nothing is stored unless the whole feed reads), linked to the city its stops lie
    /// in, stored in the catalogue (replacing the feed's earlier import); public-transport
    /// legs there then ride its lines
    Gtfs {
        #[arg(value_name = "FILE.zip")]
        file: PathBuf,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Refine place significance with an external popularity table keyed by Wikidata id
    /// (`Q-id,value` lines: sitelinks, page views or an importance in 0..1); optional
    Significance {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Job-queue throughput: enqueue N jobs, run them with W workers, report jobs/s for
    /// the configured database, and through the AMQP broker with --amqp-url
    Queue {
        /// Jobs per run
        #[arg(long, default_value_t = 2000)]
        jobs: usize,
        /// Concurrent workers
        #[arg(long, default_value_t = 8)]
        workers: usize,
        /// Also run through this AMQP 1.0 broker (Service Bus backend)
        #[arg(long, value_name = "URL")]
        amqp_url: Option<String>,
        /// Address prefix of the broker's queues (RabbitMQ: /queue/)
        #[arg(long, default_value = "/queue/")]
        amqp_prefix: String,
    },
    /// Do plans visit what travellers come for? A 3-night culture & sightseeing trip per
    /// city of the realism yardstick, generated on a fresh catalogue of the OSM data:
    /// listed landmarks visited, share of visits that are listed, duplicates
    Realism {
        /// OSM files or folder imported into a temporary embedded catalogue
        #[arg(long, default_value = "data/osm")]
        osm: PathBuf,
        /// The yardstick: {"cities": {"Munich": ["Marienplatz", "Frauenkirche|Dom", …]}}
        #[arg(long, default_value = "data/eval/landmarks.json")]
        landmarks: PathBuf,
        /// Print one JSON array of per-city rows
        #[arg(long)]
        json: bool,
    },
    /// Are special requests honoured or explained? Every request of the suite planned as a
    /// 2-night trip to one city on a fresh catalogue of the OSM data: wishes honoured,
    /// explained with a day remark, silently dropped; and the suite's intent accuracy
    Requests {
        /// OSM files or folder imported into a temporary embedded catalogue
        #[arg(long, default_value = "data/osm/city-extracts-2020/munchen.osm.pbf")]
        osm: PathBuf,
        /// The suite: {"catalogue": [...], "cases": [{"text", "wishes": [...]}]}
        #[arg(long, default_value = "data/eval/requests.json")]
        suite: PathBuf,
        /// The city every request is planned in
        #[arg(long, default_value = "Munich")]
        city: String,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// The world gazetteer's targets on this build: load time of the shipped file and city
    /// lookup latency (p50/p99) over the whole gazetteer
    Gazetteer {
        /// Fresh parses of the shipped file
        #[arg(long, default_value_t = 7)]
        loads: usize,
        /// Rounds over the query set (names, Korean, alternate names and prefixes of
        /// every 17th city, and names nothing matches)
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Solve the standard TOPTW instances (Solomon, Cordeau) and compare with best-known
    /// scores; every solution is checked by a validator independent of the solver
    Toptw {
        /// Folder holding solomon/, cordeau/ and best_known.csv
        #[arg(default_value = "data/toptw")]
        dir: PathBuf,
        /// Print one JSON array of {instance, set, m, score, best, gapPct, ms, feasible, routes}
        #[arg(long)]
        json: bool,
        /// Random seed (results are deterministic for a seed and iteration limit)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Iteration limit per search thread (default: a time budget scaled with the size)
        #[arg(long)]
        iterations: Option<u64>,
        /// Time limit per instance (cap of the scaled budget), milliseconds
        #[arg(long, default_value_t = 3000)]
        time_limit_ms: u64,
        /// Search threads per instance
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Only instances whose name contains this text
        #[arg(long)]
        filter: Option<String>,
        /// Skip instances without a best-known value (r104, r108)
        #[arg(long)]
        known_only: bool,
        /// Run the long-horizon sets instead (generated instances and the files with a 3x
        /// horizon), with gaps against DIR/long_reference.csv
        #[arg(long)]
        long: bool,
    },
}

fn load_config(common: &Common, target: Option<Target>) -> anyhow::Result<Config> {
    let env: Vec<(String, String)> = std::env::vars().collect();
    let file = common
        .config
        .clone()
        .or_else(|| std::env::var_os("TRIPGEN_CONFIG").map(PathBuf::from));
    let mut config = Config::load(file.as_deref(), &env)?;
    if let Some(l) = &common.listen {
        config.listen = l.clone();
    }
    if let Some(d) = &common.data_dir {
        config.data_dir = d.clone();
    }
    if let Some(t) = target {
        config.target = t;
    }
    config.validate()?;
    Ok(config)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { target } => {
            let config = load_config(&cli.common, target)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            if config.jobs.backend == tripgen_platform::jobs::JobsBackend::Servicebus {
                tripgen_platform::jobs::bus::install(&config.jobs.servicebus)?;
            }
            let _ = tripgen_platform::telemetry::metrics_handle();
            let addr = config.listen_addr();
            let started = std::time::Instant::now();
            let _data_dir =
                tripgen_platform::data_dir_lock::DataDirLock::for_serving(&config.platform())?;
            let app = tripgen::app::build(config, Arc::new(SystemClock)).await?;
            tracing::info!(ms = started.elapsed().as_millis() as u64, "started");
            tripgen::server::run_until_signal(app, addr).await
        }
        Command::Migrate => {
            let mut config = load_config(&cli.common, None)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            config.database.migrate_on_start = false;
            let platform =
                tripgen_platform::Platform::build(config.platform(), Arc::new(SystemClock)).await?;
            tripgen::app::migrate(&platform).await?;
            println!("migrations applied ({})", platform.db.backend());
            Ok(())
        }
        Command::Import(ImportCommand::Osm {
            files,
            json,
            allow_partial,
        }) => {
            let config = load_config(&cli.common, None)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            let options = tripgen_location::ReadOptions { allow_partial };
            tripgen::catalogue_cli::import_osm(config, &files, options, json).await
        }
        Command::Import(ImportCommand::Gtfs { file, json }) => {
            let config = load_config(&cli.common, None)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            tripgen::catalogue_cli::import_gtfs(config, &file, json).await
        }
        Command::Cities { json } => {
            let config = load_config(&cli.common, None)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            tripgen::catalogue_cli::cities(config, json).await
        }
        Command::Import(ImportCommand::Significance { file, json }) => {
            let config = load_config(&cli.common, None)?;
            tripgen_platform::telemetry::init_logging(&config.log);
            let platform =
                tripgen_platform::Platform::build(config.platform(), Arc::new(SystemClock)).await?;
            tripgen::app::migrate(&platform).await?;
            let store = tripgen_location::PlaceStore::new(platform.db.clone());
            let r = tripgen_location::popularity::import_popularity(&store, &file).await?;
            platform.db.close().await;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{} items read ({} lines skipped); {} places refined; catalogue version {}",
                    r.rows, r.skipped_lines, r.places_updated, r.catalogue_version
                );
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Toptw {
            dir,
            json,
            seed,
            iterations,
            time_limit_ms,
            threads,
            filter,
            known_only,
            long,
        }) => {
            use tripgen_planner::bench;
            let mut opts = bench::BenchOptions {
                seed,
                time_limit: std::time::Duration::from_millis(time_limit_ms),
                threads: threads.max(1),
                filter,
                include_unknown: !known_only,
                ..bench::BenchOptions::default()
            };
            if let Some(i) = iterations {
                opts.max_iterations = i;
            }
            let progress = tripgen::cli_progress::toptw();
            let rows = if long {
                bench::long::run_long(&dir, &opts)
            } else {
                bench::run_toptw_with_progress(&dir, &opts, &mut |done, total, row| {
                    tripgen::cli_progress::toptw_step(&progress, done, total, row)
                })
            }
            .map_err(|e| {
                anyhow::anyhow!("{e} (the folder must hold solomon/, cordeau/ and best_known.csv)")
            })?;
            progress.finish("");
            if json {
                println!("{}", bench::render_json(&rows));
            } else {
                print!("{}", bench::render_table(&rows));
            }
            Ok(())
        }
        Command::Health { url, timeout } => {
            let url = match url {
                Some(u) => u,
                None => {
                    let config = load_config(&cli.common, None)?;
                    let mut addr = config.listen_addr();
                    // A server bound to every interface is probed on loopback.
                    if addr.ip().is_unspecified() {
                        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
                    }
                    format!("http://{addr}/health/ready")
                }
            };
            let client = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(timeout.max(1)))
                .build()?;
            let resp = client
                .get(&url)
                .send()
                .await
                .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
            if resp.status().is_success() {
                println!("ready ({url})");
                Ok(())
            } else {
                anyhow::bail!("{url} answered {}", resp.status())
            }
        }
        Command::Backup { file, force } => {
            let config = load_config(&cli.common, None)?;
            let r = tripgen::backup::backup(&config, &file, force).await?;
            println!("{}", r.backup_summary());
            Ok(())
        }
        Command::Restore { file } => {
            let config = load_config(&cli.common, None)?;
            let r = tripgen::backup::restore(&config, &file).await?;
            println!("{}", r.restore_summary());
            Ok(())
        }
        Command::Bench(BenchCommand::Queue {
            jobs,
            workers,
            amqp_url,
            amqp_prefix,
        }) => {
            let config = load_config(&cli.common, None)?;
            let rows =
                tripgen::bench_queue::run(config, jobs, workers, amqp_url, amqp_prefix).await?;
            print!("{}", tripgen::bench_queue::render(&rows));
            Ok(())
        }
        Command::Bench(BenchCommand::Realism {
            osm,
            landmarks,
            json,
        }) => {
            let config = load_config(&cli.common, None)?;
            let rows = tripgen::bench_realism::run(config, &osm, &landmarks).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                print!("{}", tripgen::bench_realism::render(&rows));
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Requests {
            osm,
            suite,
            city,
            json,
        }) => {
            let config = load_config(&cli.common, None)?;
            let report = tripgen::bench_requests::run(config, &osm, &suite, &city).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", tripgen::bench_requests::render(&report));
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Gazetteer {
            loads,
            rounds,
            json,
        }) => {
            let report = tripgen_location::gazetteer::bench::measure(loads, rounds)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", tripgen_location::gazetteer::bench::render(&report));
            }
            Ok(())
        }
        Command::Config => {
            let config = load_config(&cli.common, None)?;
            print!("{}", config.redacted_toml());
            Ok(())
        }
    }
}

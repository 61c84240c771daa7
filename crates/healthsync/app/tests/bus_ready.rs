//! `jobs.backend = servicebus` (production): `healthsync serve` installs the AMQP job bus,
//! and `/health/ready` reports the broker like the database (`checks.bus`). Runs against
//! the local AMQP 1.0 broker named by TRIPGEN_TEST_AMQP_URL (RabbitMQ's AMQP 1.0 plugin),
//! SKIPPED loudly without one. Its own test binary: the bus is installed once per process.
//! (A broker that does not answer makes readiness 503: the platform's `health` unit tests.)

use std::sync::Arc;

use healthsync::config::HealthSyncConfig;
use tripgen_platform::jobs::JobsBackend;

#[tokio::test]
async fn readiness_reports_the_service_bus() {
    let Ok(url) = std::env::var("TRIPGEN_TEST_AMQP_URL") else {
        assert!(
            std::env::var("TRIPGEN_TEST_REQUIRE_AMQP").as_deref() != Ok("1"),
            "TRIPGEN_TEST_REQUIRE_AMQP=1 but TRIPGEN_TEST_AMQP_URL is not set"
        );
        eprintln!(
            "SKIPPED (AMQP): set TRIPGEN_TEST_AMQP_URL (scripts/test-services.sh starts RabbitMQ) to check HealthSync's readiness against the Service Bus backend"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = HealthSyncConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        ..HealthSyncConfig::default()
    };
    config.health.import_sample = false;
    config.log.level = "warn".into();
    config.jobs.backend = JobsBackend::Servicebus;
    config.jobs.servicebus.url = Some(url);
    config.jobs.servicebus.address_prefix = format!("/queue/hs-{}-", uuid::Uuid::now_v7().simple());
    config.jobs.servicebus.receive_wait_ms = 300;
    config.validate().expect("a valid configuration");
    healthsync::server::install_job_bus(&config).expect("the bus installs");
    let app = healthsync::app::build(config, Arc::new(tripgen_platform::SystemClock))
        .await
        .expect("app builds");
    let server = healthsync::server::start(app, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("server starts");
    let resp = reqwest::get(format!("http://{}/health/ready", server.addr))
        .await
        .expect("probe");
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(body["checks"]["bus"]["status"], "up", "{body}");
    assert_eq!(body["checks"]["database"]["status"], "up", "{body}");
    server.shutdown().await.expect("stops");
}

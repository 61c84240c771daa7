//! `[jobs]`: which broker delivers jobs. The job's state (status, progress, events,
//! idempotency, cancellation) always lives in the database, so every replica can answer
//! for it; the backend only decides how a worker learns that a job is ready.

use serde::{Deserialize, Serialize};

/// `jobs.backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum JobsBackend {
    /// Workers claim rows of the `jobs` table (the embedded default).
    #[default]
    Database,
    /// Azure Service Bus (any AMQP 1.0 broker): a message per ready job, peek-lock,
    /// complete/abandon/dead-letter, scheduled retries, sessions per trip.
    Servicebus,
}

/// `[jobs]` — env `<PREFIX>JOBS__<KEY>` (`TRIPGEN_`, `HEALTHSYNC_`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    pub backend: JobsBackend,
    pub servicebus: ServiceBusConfig,
}

/// `[jobs.servicebus]` — env `<PREFIX>JOBS__SERVICEBUS__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceBusConfig {
    /// `amqps://<key-name>:<key>@<namespace>.servicebus.windows.net` (secret; also
    /// `<PREFIX>JOBS__SERVICEBUS__URL_FILE`). The shared-access key name and key are
    /// percent-encoded (`/` → `%2F`, `+` → `%2B`, `=` → `%3D`); they authenticate with
    /// SASL PLAIN. `amqp://user:pass@127.0.0.1:5672` reaches a local AMQP 1.0 broker.
    pub url: Option<String>,
    /// Put before each queue name (the job kind): empty for Service Bus; `/queue/` for
    /// RabbitMQ's AMQP 1.0 plugin; tests use a unique prefix per run.
    pub address_prefix: String,
    /// The queues require sessions (Service Bus `requires_session`): every message
    /// carries its trip as session id, and each receiver locks one session at a time,
    /// so one trip's jobs are handled in order, one after the other.
    pub sessions: bool,
    /// Receivers per queue when `sessions` is on (sessions handled at once).
    pub session_receivers: u32,
    /// Messages a receiver may hold beyond the ones being handled (link credit).
    pub prefetch: u32,
    /// How long one claim waits for a message, milliseconds (10–5000).
    pub receive_wait_ms: u64,
    /// A ready job whose message was lost (broker purge, TTL, a crash between commit
    /// and send) is sent again after this many seconds (≥ 10).
    pub redispatch_after_secs: u64,
}

impl Default for ServiceBusConfig {
    fn default() -> Self {
        ServiceBusConfig {
            url: None,
            address_prefix: String::new(),
            sessions: false,
            session_receivers: 4,
            prefetch: 8,
            receive_wait_ms: 200,
            redispatch_after_secs: 300,
        }
    }
}

impl JobsConfig {
    /// `(key, problem)` of the first invalid setting.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.backend != JobsBackend::Servicebus {
            return None;
        }
        let s = &self.servicebus;
        match s.url.as_deref() {
            None => {
                return Some((
                    "jobs.servicebus.url",
                    "required when jobs.backend = servicebus".into(),
                ));
            }
            Some(u) => {
                if let Err(e) = super::broker::parse_url(u) {
                    return Some(("jobs.servicebus.url", e));
                }
            }
        }
        if !(10..=5000).contains(&s.receive_wait_ms) {
            return Some((
                "jobs.servicebus.receive_wait_ms",
                "must be between 10 and 5000".into(),
            ));
        }
        if s.prefetch == 0 || s.session_receivers == 0 {
            return Some((
                "jobs.servicebus.prefetch",
                "prefetch and session_receivers must be ≥ 1".into(),
            ));
        }
        if s.redispatch_after_secs < 10 {
            return Some((
                "jobs.servicebus.redispatch_after_secs",
                "must be ≥ 10".into(),
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use crate::config::{ConfigError, Sources, load};

    /// A product's file with only the `[jobs]` table (what each product's config embeds).
    #[derive(Debug, Default, Serialize, Deserialize)]
    #[serde(default, deny_unknown_fields)]
    struct WithJobs {
        jobs: super::JobsConfig,
    }

    fn jobs(pairs: &[(&str, &str)]) -> Result<super::JobsConfig, ConfigError> {
        let env: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let c: WithJobs = load(&Sources {
            env_prefix: "TRIPGEN_",
            file: None,
            env: &env,
            secret_keys: &["jobs.servicebus.url"],
        })?;
        match c.jobs.problem() {
            Some((key, reason)) => Err(ConfigError::new(key, reason)),
            None => Ok(c.jobs),
        }
    }

    #[test]
    fn servicebus_backend_from_env_file_and_validated() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("sb");
        std::fs::write(
            &f,
            "amqps://tripgen-app:k%2By%3D@sb-x.servicebus.windows.net\n",
        )
        .unwrap();
        let c = jobs(&[
            ("TRIPGEN_JOBS__BACKEND", "servicebus"),
            ("TRIPGEN_JOBS__SERVICEBUS__SESSIONS", "true"),
            ("TRIPGEN_JOBS__SERVICEBUS__URL_FILE", f.to_str().unwrap()),
        ])
        .unwrap();
        assert_eq!(c.backend, super::JobsBackend::Servicebus);
        assert!(c.servicebus.sessions);
        assert_eq!(
            c.servicebus.url.as_deref(),
            Some("amqps://tripgen-app:k%2By%3D@sb-x.servicebus.windows.net")
        );

        let missing = jobs(&[("TRIPGEN_JOBS__BACKEND", "servicebus")]);
        assert_eq!(missing.unwrap_err().key, "jobs.servicebus.url");
        let bad = jobs(&[
            ("TRIPGEN_JOBS__BACKEND", "servicebus"),
            (
                "TRIPGEN_JOBS__SERVICEBUS__URL",
                "https://sb-x.servicebus.windows.net",
            ),
        ]);
        assert_eq!(bad.unwrap_err().key, "jobs.servicebus.url");
        let wait = jobs(&[
            ("TRIPGEN_JOBS__BACKEND", "servicebus"),
            ("TRIPGEN_JOBS__SERVICEBUS__URL", "amqp://127.0.0.1:5672"),
            ("TRIPGEN_JOBS__SERVICEBUS__RECEIVE_WAIT_MS", "0"),
        ]);
        assert_eq!(wait.unwrap_err().key, "jobs.servicebus.receive_wait_ms");
        assert!(jobs(&[("TRIPGEN_JOBS__BACKEND", "kafka")]).is_err());
    }

    #[test]
    fn shared_access_key_is_percent_decoded() {
        let e =
            crate::jobs::broker::parse_url("amqps://rule:a%2Fb%2Bc%3D@ns.servicebus.windows.net")
                .unwrap();
        assert_eq!(e.password.as_deref(), Some("a/b+c="));
        assert_eq!(e.port, 5671);
    }
}

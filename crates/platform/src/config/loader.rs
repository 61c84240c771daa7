//! The layered loader every product uses: defaults < optional TOML file < `<PREFIX>*`
//! environment variables (< command-line flags, applied by the binary). The environment
//! variable of key `a.b` is `<PREFIX>A__B`; secrets may come from files
//! (`<PREFIX>A__B_FILE`), which is how Key Vault CSI mounts hand them over.

use std::path::Path;

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A configuration that cannot be used, with the key at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration `{key}`: {reason}")]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// Where one product's configuration comes from.
pub struct Sources<'a> {
    /// `TRIPGEN_`, `HEALTHSYNC_` …
    pub env_prefix: &'a str,
    /// The TOML file given with `--config` (must exist when given).
    pub file: Option<&'a Path>,
    /// The environment (injectable for tests).
    pub env: &'a [(String, String)],
    /// Dotted keys whose value may also be given as a file path (`<PREFIX>KEY_FILE`).
    pub secret_keys: &'a [&'a str],
}

/// Variables under the prefix that are tooling, not configuration keys.
const NOT_CONFIG_KEYS: &[&str] = &["TEST_", "CONFIG", "DATA_ROOT", "BIN", "URL", "PROGRESS"];

/// The environment variable of a dotted key: `auth.jwt_secret` → `TRIPGEN_AUTH__JWT_SECRET`.
pub fn env_var(prefix: &str, key: &str) -> String {
    format!("{prefix}{}", key.replace('.', "__").to_ascii_uppercase())
}

/// Loads `T` from its defaults, the file and the environment. Validation of values is the
/// caller's (each context validates its own section).
pub fn load<T: Serialize + DeserializeOwned + Default>(s: &Sources) -> Result<T, ConfigError> {
    let mut figment = Figment::from(Serialized::defaults(T::default()));
    if let Some(path) = s.file {
        if !path.exists() {
            return Err(ConfigError::new(
                "config",
                format!("file {} does not exist", path.display()),
            ));
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    let pairs = s.env.iter().filter(|(k, _)| {
        k.strip_prefix(s.env_prefix).is_some_and(|rest| {
            !k.ends_with("_FILE") && !NOT_CONFIG_KEYS.iter().any(|p| rest.starts_with(p))
        })
    });
    figment = figment.merge(env_provider(s.env_prefix, pairs));
    for key in s.secret_keys {
        let var = format!("{}_FILE", env_var(s.env_prefix, key));
        if let Some((_, path)) = s.env.iter().find(|(k, _)| *k == var) {
            let value = std::fs::read_to_string(path).map_err(|e| {
                ConfigError::new(*key, format!("cannot read secret file {path} ({var}): {e}"))
            })?;
            figment = figment.merge((*key, value.trim().to_string()));
        }
    }
    figment.extract().map_err(|e| {
        let key = e.path.join(".");
        ConfigError::new(
            if key.is_empty() { "config".into() } else { key },
            e.kind.to_string(),
        )
    })
}

/// `scheme://user:password@host/db` → `scheme://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".into();
    };
    match rest.rsplit_once('@') {
        Some((cred, host)) => {
            let user = cred.split(':').next().unwrap_or("");
            if cred.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_string(),
    }
}

/// Hides a secret's value (kept as "set" for `config` output).
pub fn hide(v: &mut Option<String>) {
    if v.is_some() {
        *v = Some("***".into());
    }
}

fn env_provider<'a>(
    prefix: &str,
    pairs: impl Iterator<Item = &'a (String, String)>,
) -> Serialized<toml::Table> {
    // Figment's Env provider reads the process environment; we take an explicit list so
    // tests can inject variables. Build the nested table ourselves: PREFIX_A__B=v → a.b=v.
    let mut root = toml::Table::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix(prefix) else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
        insert_path(&mut root, &path, parse_env_value(v));
    }
    Serialized::defaults(root)
}

fn insert_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = table
                .entry(first.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(t) = entry {
                insert_path(t, rest, value);
            }
        }
    }
}

/// Environment values are strings; numbers, booleans and `[a, b]` lists are typed so that
/// `TRIPGEN_RATE_LIMIT__ENABLED=false` works like the TOML key.
fn parse_env_value(v: &str) -> toml::Value {
    let trimmed = v.trim();
    if let Ok(b) = trimmed.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = trimmed.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    if trimmed.starts_with('[')
        && let Ok(toml::Value::Array(a)) = format!("x = {trimmed}")
            .parse::<toml::Table>()
            .map(|mut t| t.remove("x").unwrap_or(toml::Value::Array(vec![])))
    {
        return toml::Value::Array(a);
    }
    toml::Value::String(v.to_string())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(default, deny_unknown_fields)]
    struct Demo {
        listen: String,
        secret: Option<String>,
        limits: Limits,
    }

    #[derive(Debug, Serialize, Deserialize, Default)]
    #[serde(default, deny_unknown_fields)]
    struct Limits {
        enabled: bool,
        per_minute: u32,
        origins: Vec<String>,
    }

    impl Default for Demo {
        fn default() -> Self {
            Demo {
                listen: "127.0.0.1:1".into(),
                secret: None,
                limits: Limits {
                    enabled: true,
                    per_minute: 10,
                    origins: vec![],
                },
            }
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn load_demo(file: Option<&Path>, pairs: &[(&str, &str)]) -> Result<Demo, ConfigError> {
        load(&Sources {
            env_prefix: "DEMO_",
            file,
            env: &env(pairs),
            secret_keys: &["secret"],
        })
    }

    #[test]
    fn env_overrides_file_overrides_defaults_under_the_products_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("d.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9\"\n[limits]\nper_minute = 20\n").unwrap();
        let d = load_demo(
            Some(&file),
            &[
                ("DEMO_LIMITS__PER_MINUTE", "45"),
                ("DEMO_LIMITS__ENABLED", "false"),
                ("DEMO_LIMITS__ORIGINS", "[\"https://a\", \"https://b\"]"),
                // Another product's variables and tooling variables are not ours.
                ("OTHER_LISTEN", "nowhere"),
                ("DEMO_TEST_PG_URL", "postgres://x"),
                ("DEMO_CONFIG", "/etc/demo.toml"),
            ],
        )
        .unwrap();
        assert_eq!(d.listen, "0.0.0.0:9");
        assert_eq!(d.limits.per_minute, 45);
        assert!(!d.limits.enabled);
        assert_eq!(d.limits.origins, ["https://a", "https://b"]);
    }

    #[test]
    fn secrets_from_files_and_errors_name_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s");
        std::fs::write(&f, "hush\n").unwrap();
        let d = load_demo(None, &[("DEMO_SECRET_FILE", f.to_str().unwrap())]).unwrap();
        assert_eq!(d.secret.as_deref(), Some("hush"));
        let e = load_demo(None, &[("DEMO_SECRET_FILE", "/nonexistent/s")]).unwrap_err();
        assert_eq!(e.key, "secret");
        let e = load_demo(None, &[("DEMO_LIMITS__PER_MINUTE", "many")]).unwrap_err();
        assert_eq!(e.key, "limits.per_minute");
        let e = load_demo(None, &[("DEMO_NOPE", "1")]).unwrap_err();
        assert!(e.reason.contains("nope"), "{e}");
        let e = load_demo(Some(Path::new("/nonexistent.toml")), &[]).unwrap_err();
        assert_eq!(e.key, "config");
    }

    #[test]
    fn urls_lose_their_passwords() {
        assert_eq!(
            redact_url("postgres://app:pw@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(redact_url("redis://cache:6379/"), "redis://cache:6379/");
        assert_eq!(redact_url("not a url"), "***");
        assert_eq!(
            env_var("TRIPGEN_", "auth.jwt_secret"),
            "TRIPGEN_AUTH__JWT_SECRET"
        );
    }
}

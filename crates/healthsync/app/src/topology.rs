//! Where the other targets of a split deployment answer (`serve --user-url …
//! --health-url …`): the gateway forwards the public API to them, and the contexts call
//! each other's `/internal/v1` there. Target `all` needs none of them.

use crate::config::Target;

/// What `serve`'s flags add to the configuration.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    pub upstreams: Upstreams,
    /// `--dev-issuer`: the built-in development OIDC provider at `/dev-oidc` (spec §6).
    pub dev_issuer: bool,
}

/// Base URLs (`http://host:port`) of the separately deployed targets.
#[derive(Debug, Clone, Default)]
pub struct Upstreams {
    pub user: Option<String>,
    pub health: Option<String>,
}

impl Upstreams {
    /// The URLs `target` cannot run without, as a clear error naming the flag.
    pub fn check(&self, target: Target) -> anyhow::Result<()> {
        let needs: &[(&str, &Option<String>)] = match target {
            Target::Gateway => &[("--user-url", &self.user), ("--health-url", &self.health)],
            // Profile changes drop the health context's link (HS-USER-020).
            Target::User => &[("--health-url", &self.health)],
            // Syncs judge by the user's profile facts.
            Target::Health => &[("--user-url", &self.user)],
            _ => &[],
        };
        let missing: Vec<&str> = needs
            .iter()
            .filter(|(_, url)| url.as_deref().is_none_or(|u| u.trim().is_empty()))
            .map(|(flag, _)| *flag)
            .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "`serve --target {}` needs {} (the base URL of that target, e.g. http://healthsync-user:8090)",
            target.as_str(),
            missing.join(" and ")
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_split_target_names_what_it_misses() {
        let none = Upstreams::default();
        assert!(none.check(Target::All).is_ok());
        let e = none.check(Target::Gateway).err().map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("--user-url and --health-url")),
            "{e:?}"
        );
        let e = none.check(Target::Health).err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("--user-url")),
            "{e:?}"
        );
        let both = Upstreams {
            user: Some("http://u:1".into()),
            health: Some("http://h:1".into()),
        };
        assert!(both.check(Target::Gateway).is_ok());
    }
}

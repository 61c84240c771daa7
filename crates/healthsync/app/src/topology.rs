//! Where the other targets of a split deployment answer (`serve --user-url …
//! --health-url … --goal-url … --intelligence-url …`): the gateway forwards the public API
//! to them, and the contexts call each other's `/internal/v1` there. Target `all` needs
//! none of them.

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
    pub goal: Option<String>,
    pub intelligence: Option<String>,
}

impl Upstreams {
    /// The URLs `target` cannot run without, as a clear error naming the flag.
    pub fn check(&self, target: Target) -> anyhow::Result<()> {
        let user = ("--user-url", &self.user);
        let health = ("--health-url", &self.health);
        let goal = ("--goal-url", &self.goal);
        let intelligence = ("--intelligence-url", &self.intelligence);
        // Exactly the calls each target makes (deploy/healthsync's NetworkPolicies match).
        let needs: &[(&str, &Option<String>)] = match target {
            Target::All => &[],
            Target::Gateway => &[user, health, goal, intelligence],
            // Profile changes drop the health context's link (HS-USER-020).
            Target::User => &[health],
            // Syncs judge by the user's profile facts; `user-deleted` is consumed here and
            // erases the goal and intelligence contexts' share too.
            Target::Health => &[user, goal, intelligence],
            // A goal is set from a recommendation; a reset asks for fresh ones.
            Target::Goal => &[intelligence],
            // Subject facts and checkups personalise; goal windows feed the encouragement.
            Target::Intelligence => &[user, health, goal],
            // The daily nudge reads goal windows and recipients in bulk.
            Target::Batch => &[user, goal],
        };
        let missing: Vec<&str> = needs
            .iter()
            .filter(|(_, url)| url.as_deref().is_none_or(|u| u.trim().is_empty()))
            .map(|(flag, _)| *flag)
            .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "`serve --target {}` needs {} (the base URL of each, e.g. http://healthsync-user:8090, or HEALTHSYNC_GATEWAY__<TARGET>_URL)",
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
                .is_some_and(|e| e
                    .contains("--user-url and --health-url and --goal-url and --intelligence-url")),
            "{e:?}"
        );
        let cases = [
            (Target::User, "needs --health-url ("),
            (
                Target::Health,
                "needs --user-url and --goal-url and --intelligence-url (",
            ),
            (Target::Goal, "needs --intelligence-url ("),
            (
                Target::Intelligence,
                "needs --user-url and --health-url and --goal-url (",
            ),
            (Target::Batch, "needs --user-url and --goal-url ("),
        ];
        for (target, says) in cases {
            let e = none.check(target).err().map(|e| e.to_string());
            assert!(e.as_deref().is_some_and(|e| e.contains(says)), "{e:?}");
        }
        let url = |p: u16| Some(format!("http://t:{p}"));
        let every = Upstreams {
            user: url(1),
            health: url(2),
            goal: url(3),
            intelligence: url(4),
        };
        for target in [
            Target::Gateway,
            Target::User,
            Target::Health,
            Target::Goal,
            Target::Intelligence,
            Target::Batch,
        ] {
            assert!(every.check(target).is_ok(), "{}", target.as_str());
        }
        let blank = Upstreams {
            goal: Some("  ".into()),
            ..every
        };
        assert!(blank.check(Target::Batch).is_err());
    }
}

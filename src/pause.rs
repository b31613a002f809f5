//! Pausing a team (`suspend`, `resume`): whether this cluster's controller
//! keeps a schedule's `spec.suspend`, told from what the cluster shows (the
//! controller Deployment's image, as Sympozium's Helm chart and `sympozium
//! install` run it), and which schedules a pause touches. Pure: the reads are
//! cluster/'s, the writes cmd/suspend.rs's.

use crate::escape::escape;
use crate::model::{Era, PersonaPack, schedule_name};

/// The first release whose Ensemble controller carries a schedule's suspend
/// over when it rewrites the schedule (ensemble_controller.go: "Carry it
/// over"); v0.8.x's PersonaPack controller and v0.9 to v0.10.43 write the
/// whole spec back, suspend false, on their next reconcile.
pub const KEEPS_SUSPEND_SINCE: Release = Release(0, 10, 44);

/// A Sympozium release, `vMAJOR.MINOR.PATCH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release(pub u32, pub u32, pub u32);

impl std::fmt::Display for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The release an image names by its tag (`…/controller:v0.10.46`, a
/// pre-release `-rc.1` counts as its release); None for a digest, `latest`
/// or anything else that names no release.
pub fn release_of_image(image: &str) -> Option<Release> {
    let last = image.rsplit('/').next()?;
    if last.contains('@') {
        return None;
    }
    let (_, tag) = last.split_once(':')?;
    let core = tag.strip_prefix('v').unwrap_or(tag);
    let core = core.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u32>().ok());
    let release = Release(parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(release)
}

/// A Sympozium controller Deployment as read: where it is and its image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controller {
    pub namespace: String,
    pub name: String,
    pub image: String,
}

/// What the cluster says about keeping `spec.suspend`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// Every controller found runs a release that keeps it.
    Kept(Release),
    /// The era's controller always writes it back (v0.8.x's PersonaPack).
    NeverKept,
    /// A controller that writes it back (the oldest found).
    Reverted { controller: Controller, release: Release },
    /// Nothing to tell by: why.
    Unknown(String),
}

/// Judge the controllers found (`Err`: why they could not be read). The
/// PersonaPack era always reverts; in the Ensemble era the oldest
/// controller decides, and an image naming no release decides nothing.
pub fn keeping(era: Era, found: Result<Vec<Controller>, String>) -> Keeping {
    if era == Era::PersonaPack {
        return Keeping::NeverKept;
    }
    let found = match found {
        Ok(found) => found,
        Err(why) => return Keeping::Unknown(why),
    };
    if found.is_empty() {
        return Keeping::Unknown(
            "no Deployment labelled app.kubernetes.io/part-of=sympozium,app.kubernetes.io/component=controller is visible"
                .into(),
        );
    }
    let mut oldest: Option<(Release, &Controller)> = None;
    for c in &found {
        let Some(r) = release_of_image(&c.image) else {
            return Keeping::Unknown(format!(
                "the image of deployment {}/{} ({}) names no release",
                escape(&c.namespace),
                escape(&c.name),
                escape(&c.image)
            ));
        };
        if oldest.is_none_or(|(o, _)| r < o) {
            oldest = Some((r, c));
        }
    }
    let (release, controller) = oldest.expect("found is not empty");
    if release >= KEEPS_SUSPEND_SINCE {
        Keeping::Kept(release)
    } else {
        Keeping::Reverted { controller: controller.clone(), release }
    }
}

/// What else pauses a team, and what it costs: said with every refusal.
fn alternatives(pack: &PersonaPack) -> String {
    let (name, ns) = (escape(&pack.meta.name), escape(&pack.meta.namespace));
    let memory = match pack.era {
        Era::PersonaPack => "its instances, schedules and memory ConfigMaps",
        Era::Ensemble => "its Agents, schedules, memory ConfigMaps and memory PVCs, and since v0.10.35 all of its runs",
    };
    format!(
        "what else stops it spending tokens: `kubectl personapack disable {name} -n {ns}` (the controller deletes {memory}), or `kubectl personapack disable {name} -n {ns} --persona P` (the same, for one {})",
        pack.era.member()
    )
}

/// The refusal when suspend would not stick; None when it does.
pub fn refusal(pack: &PersonaPack, keeping: &Keeping) -> Option<String> {
    let kind = pack.era.singular();
    let name = escape(&pack.meta.name);
    let why = match keeping {
        Keeping::Kept(_) => return None,
        Keeping::NeverKept => format!(
            "cannot suspend {kind} \"{name}\": Sympozium {}'s controller writes every schedule's spec back on its next reconcile, so spec.suspend would be reverted at once (Ensembles keep it since {KEEPS_SUSPEND_SINCE})",
            pack.era.releases()
        ),
        Keeping::Reverted { controller, release: r } => format!(
            "cannot suspend {kind} \"{name}\": the Sympozium controller here (deployment {}/{}, {}) is {r}, which writes every schedule's spec back on its next reconcile, so spec.suspend would be reverted at once; controllers keep it since {KEEPS_SUSPEND_SINCE}",
            escape(&controller.namespace),
            escape(&controller.name),
            escape(&controller.image)
        ),
        Keeping::Unknown(why) => format!(
            "cannot suspend {kind} \"{name}\": cannot tell whether this cluster's Sympozium controller keeps spec.suspend ({why}); before {KEEPS_SUSPEND_SINCE} it reverts it at once"
        ),
    };
    Some(format!("{why}; {}", alternatives(pack)))
}

/// One schedule a pause touches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub persona: String,
    pub schedule: String,
    /// Already as asked (suspended for suspend, running for resume).
    pub already: bool,
}

/// The schedules of `personas` (all when empty) that exist, with whether
/// each is already as asked; personas without one are named apart (no
/// schedule in the spec, excluded, a pipeline's successor, or not stamped yet).
pub fn targets(
    pack: &PersonaPack,
    personas: &[String],
    live: &[(String, bool)],
    suspend: bool,
) -> (Vec<Target>, Vec<String>) {
    let mut found = Vec::new();
    let mut without = Vec::new();
    for p in pack.spec.personas.iter().filter(|p| personas.is_empty() || personas.contains(&p.name)) {
        let schedule = schedule_name(&pack.meta.name, &p.name);
        match live.iter().find(|(n, _)| *n == schedule) {
            Some((_, suspended)) => {
                found.push(Target { persona: p.name.clone(), schedule, already: *suspended == suspend })
            }
            None => without.push(p.name.clone()),
        }
    }
    (found, without)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn controller(image: &str) -> Controller {
        Controller {
            namespace: "sympozium-system".into(),
            name: "sympozium-controller-manager".into(),
            image: image.into(),
        }
    }

    fn pack(era: Era) -> PersonaPack {
        let kind = era.kind();
        let field = era.members_field();
        PersonaPack::from_value(&json!({
            "apiVersion": "sympozium.ai/v1alpha1", "kind": kind,
            "metadata": {"name": "team", "namespace": "ns"},
            "spec": {"enabled": true, field: [
                {"name": "a", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}},
                {"name": "b", "systemPrompt": "x"},
                {"name": "c", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}}
            ]}
        }))
    }

    #[test]
    fn releases_come_from_image_tags() {
        assert_eq!(release_of_image("ghcr.io/sympozium-ai/sympozium/controller:v0.10.46"), Some(Release(0, 10, 46)));
        assert_eq!(release_of_image("registry:5000/controller:0.10.44"), Some(Release(0, 10, 44)));
        assert_eq!(release_of_image("controller:v0.10.44-rc.1"), Some(Release(0, 10, 44)));
        assert_eq!(release_of_image("controller:v1.2.3+build"), Some(Release(1, 2, 3)));
        for none in [
            "registry:5000/controller",
            "controller:latest",
            "controller:v0.10",
            "controller:v0.10.4.6",
            "controller:v0.x.1",
            "controller@sha256:abcd",
            "controller:v0.10.46@sha256:abcd",
            "",
        ] {
            assert_eq!(release_of_image(none), None, "{none}");
        }
        assert!(Release(0, 10, 44) > Release(0, 10, 43) && Release(0, 11, 0) > Release(0, 10, 99));
        assert_eq!(Release(0, 10, 46).to_string(), "v0.10.46");
    }

    #[test]
    fn the_oldest_controller_decides_and_v0_8_always_reverts() {
        let new = controller("c:v0.10.46");
        assert_eq!(keeping(Era::Ensemble, Ok(vec![new.clone()])), Keeping::Kept(Release(0, 10, 46)));
        assert_eq!(keeping(Era::Ensemble, Ok(vec![controller("c:v0.10.44")])), Keeping::Kept(Release(0, 10, 44)));
        let old = controller("c:v0.10.43");
        assert_eq!(
            keeping(Era::Ensemble, Ok(vec![new.clone(), old.clone()])),
            Keeping::Reverted { controller: old, release: Release(0, 10, 43) }
        );
        // Two of one old release: the first found is the one named.
        let other = Controller { namespace: "other".into(), ..controller("c:v0.10.40") };
        assert_eq!(
            keeping(Era::Ensemble, Ok(vec![controller("c:v0.10.40"), other])),
            Keeping::Reverted { controller: controller("c:v0.10.40"), release: Release(0, 10, 40) }
        );
        assert!(matches!(keeping(Era::Ensemble, Ok(vec![])), Keeping::Unknown(w) if w.contains("part-of=sympozium")));
        assert!(
            matches!(keeping(Era::Ensemble, Ok(vec![new.clone(), controller("c:latest")])), Keeping::Unknown(w) if w.contains("c:latest"))
        );
        assert_eq!(keeping(Era::Ensemble, Err("forbidden".into())), Keeping::Unknown("forbidden".into()));
        assert_eq!(keeping(Era::PersonaPack, Ok(vec![new])), Keeping::NeverKept);
    }

    #[test]
    fn refusals_say_why_and_what_else_pauses_the_team() {
        let ens = pack(Era::Ensemble);
        assert_eq!(refusal(&ens, &Keeping::Kept(Release(0, 10, 46))), None);
        let old = Keeping::Reverted { controller: controller("c:v0.10.40"), release: Release(0, 10, 40) };
        let text = refusal(&ens, &old).unwrap();
        assert!(text.starts_with("cannot suspend ensemble \"team\": the Sympozium controller here (deployment sympozium-system/sympozium-controller-manager, c:v0.10.40) is v0.10.40"), "{text}");
        assert!(text.contains("since v0.10.44") && text.contains("disable team -n ns --persona P"), "{text}");
        assert!(text.contains("memory PVCs"), "{text}");
        let hostile = keeping(Era::Ensemble, Ok(vec![controller("c:\u{1b}[2J")]));
        let text = refusal(&ens, &hostile).unwrap();
        assert!(
            text.contains("cannot tell") && text.contains("names no release") && !text.contains('\u{1b}'),
            "{text}"
        );
        let v08 = pack(Era::PersonaPack);
        let text = refusal(&v08, &keeping(Era::PersonaPack, Ok(vec![]))).unwrap();
        assert!(text.starts_with("cannot suspend personapack \"team\": Sympozium v0.8.x's controller"), "{text}");
        assert!(text.contains("instances, schedules and memory ConfigMaps") && text.contains("one persona"), "{text}");
    }

    #[test]
    fn targets_are_the_live_schedules_of_the_personas_asked() {
        let p = pack(Era::Ensemble);
        let live = vec![("team-a-schedule".to_string(), true), ("team-c-schedule".to_string(), false)];
        let (found, without) = targets(&p, &[], &live, true);
        assert_eq!(
            found,
            vec![
                Target { persona: "a".into(), schedule: "team-a-schedule".into(), already: true },
                Target { persona: "c".into(), schedule: "team-c-schedule".into(), already: false },
            ]
        );
        assert_eq!(without, vec!["b"]);
        let (found, without) = targets(&p, &["c".into()], &live, false);
        assert_eq!(found, vec![Target { persona: "c".into(), schedule: "team-c-schedule".into(), already: true }]);
        assert!(without.is_empty());
    }
}

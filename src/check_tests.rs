use serde_json::json;

use super::*;

fn meta(ns: &str, name: &str) -> Meta {
    Meta { namespace: ns.into(), name: name.into(), ..Default::default() }
}

fn pack(kind: &str, name: &str, spec: serde_json::Value, phase: Option<&str>) -> PersonaPack {
    let fin = if kind == "Ensemble" { "sympozium.ai/ensemble-finalizer" } else { "sympozium.ai/personapack-finalizer" };
    PersonaPack::from_value(&json!({
        "kind": kind,
        "metadata": {"name": name, "namespace": "ns", "finalizers": if phase.is_some() { json!([fin]) } else { json!([]) }},
        "spec": spec,
        "status": phase.map(|p| json!({"phase": p})).unwrap_or(json!({})),
    }))
}

fn controller(image: &str) -> Controller {
    Controller {
        namespace: "sympozium-system".into(),
        name: "sympozium-controller-manager".into(),
        image: image.into(),
    }
}

/// A healthy v0.10 cluster: one Ensemble, its Secret with the key, the controller.
fn healthy() -> Snapshot {
    let spec = json!({"enabled": true, "authRefs": [{"provider": "openai", "secret": "s"}],
        "agentConfigs": [{"name": "a", "skills": ["memory", "mcp-bridge"]}]});
    Snapshot {
        ensembles_served: true,
        packs: vec![pack("Ensemble", "team", spec, Some("Ready"))],
        controllers: Ok(vec![controller("ghcr.io/sympozium-ai/sympozium/controller:v0.10.46")]),
        secrets: BTreeMap::from([(("ns".into(), "s".into()), Some(vec!["OPENAI_API_KEY".into()]))]),
        our_secrets: vec![meta("ns", "s")],
        memory_pvcs: vec![(meta("ns", "team-a-memory-db"), "Bound".into())],
        skillpacks: BTreeSet::from([("sympozium-system".into(), "memory".into())]),
        ..Default::default()
    }
}

fn lines(s: &Snapshot) -> Vec<String> {
    findings(s).iter().map(|f| format!("{} {}", f.level.glyph(), f.message)).collect()
}

#[test]
fn a_healthy_cluster_is_all_ticks() {
    let s = healthy();
    assert_eq!(
        lines(&s),
        [
            "✔ Ensembles served (Sympozium v0.9 or later)",
            "✔ Sympozium v0.10.46 controller (deployment sympozium-system/sympozium-controller-manager)",
            "✔ 1 Ensemble reconciled by a controller",
        ]
    );
    assert_eq!(worst(&findings(&s)), Level::Ok);
}

#[test]
fn what_an_upgrade_leaves_behind_is_an_error_naming_migrate() {
    let mut s = healthy();
    s.packs_served = true;
    s.left_packs = vec![meta("a", "team"), Meta { deleting: true, ..meta("b", "old") }];
    s.left_instances = vec![(meta("a", "team-x"), true), (meta("c", "lone"), false)];
    let f = findings(&s);
    assert_eq!(worst(&f), Level::Error);
    let left = f.iter().find(|f| f.message.starts_with("2 PersonaPacks left")).unwrap();
    assert_eq!(left.message, "2 PersonaPacks left from Sympozium v0.8 that no controller reconciles: a/team, b/old");
    assert!(left.fix.as_deref().unwrap().starts_with("kubectl personapack migrate -A"));
    let stuck = f.iter().find(|f| f.message.contains("stuck Terminating")).unwrap();
    assert_eq!(
        stuck.message,
        "personapack b/old is stuck Terminating on sympozium.ai/personapack-finalizer (no controller removes it)"
    );
    assert_eq!(stuck.fix.as_deref(), Some("kubectl personapack migrate old -n b (releases it; its memory is kept)"));
    // Instances a pack still owns are migrate's; a standalone one is named.
    assert!(!f.iter().any(|f| f.message.contains("of a PersonaPack that is gone")), "{f:?}");
    assert!(f.iter().any(|f| f.level == Level::Warning && f.message.starts_with("sympoziuminstance c/lone")));
    // Once migrated: only the CRD remains, which is fine.
    s.left_packs.clear();
    s.left_instances.retain(|(_, owned)| !owned);
    let f = findings(&s);
    assert!(f.iter().any(|f| f.level == Level::Ok && f.message.starts_with("the PersonaPack CRD is still installed")));
    assert_eq!(worst(&f), Level::Warning);
    s.left_instances = vec![(meta("a", "team-x"), true)];
    assert!(
        findings(&s)
            .iter()
            .any(|f| f.level == Level::Error && f.message == "1 SympoziumInstance of a PersonaPack that is gone")
    );
}

#[test]
fn a_controller_of_the_other_era_or_none_is_named() {
    let mut s = healthy();
    s.controllers = Ok(vec![controller("x/controller:v0.8.28")]);
    let f = findings(&s);
    let c = f.iter().find(|f| f.message.contains("controller (deployment")).unwrap();
    assert_eq!(c.level, Level::Error);
    assert_eq!(
        c.message,
        "the Sympozium v0.8.28 controller (deployment sympozium-system/sympozium-controller-manager) does not reconcile Ensembles"
    );
    s.ensembles_served = false;
    s.packs_served = true;
    s.packs = vec![];
    assert!(findings(&s).iter().any(|f| f.level == Level::Ok && f.message.starts_with("Sympozium v0.8.28 controller")));
    s.controllers = Ok(vec![controller("x/controller:v0.10.46")]);
    assert_eq!(worst(&findings(&s)), Level::Error);
    s.controllers = Ok(vec![controller("x/controller:latest")]);
    assert!(findings(&s).iter().any(|f| f.message == "Sympozium controller (deployment sympozium-system/sympozium-controller-manager, image x/controller:latest)"));
    s.controllers = Ok(vec![]);
    assert_eq!(worst(&findings(&s)), Level::Warning);
    s.controllers = Err("forbidden".into());
    assert!(findings(&s).iter().any(|f| f.message == "the Sympozium controller cannot be seen (forbidden)"));
}

#[test]
fn a_pack_nothing_reconciled_or_held_deleting_is_named() {
    let mut s = healthy();
    s.packs.push(pack("Ensemble", "fresh", json!({"agentConfigs": []}), None));
    let f = findings(&s);
    assert!(
        f.iter().any(|f| f.level == Level::Error
            && f.message == "no controller has reconciled ns/fresh: no finalizer, no status")
    );
    assert!(!f.iter().any(|f| f.message.contains("reconciled by a controller")));
    let mut s = healthy();
    s.packs[0].meta.deleting = true;
    let f = findings(&s);
    assert!(f.iter().any(|f| f.level == Level::Warning
        && f.message == "ensemble ns/team is Terminating, held by sympozium.ai/ensemble-finalizer"));
}

#[test]
fn missing_references_of_enabled_packs_are_errors() {
    let mut s = healthy();
    let spec = json!({"enabled": true, "authRefs": [{"provider": "openai", "secret": "gone"}, {"provider": "anthropic", "secret": "s"}],
        "channelConfigs": {"slack": "slack-token"}, "policyRef": "strict", "modelRef": "llama", "agentConfigs": []});
    s.packs = vec![pack("Ensemble", "team", spec.clone(), Some("Ready"))];
    s.secrets.insert(("ns".into(), "gone".into()), None);
    s.secrets.insert(("ns".into(), "slack-token".into()), None);
    let msgs: Vec<String> = findings(&s).into_iter().filter(|f| f.level == Level::Error).map(|f| f.message).collect();
    assert_eq!(
        msgs,
        [
            "ensemble ns/team: its provider Secret gone does not exist",
            "ensemble ns/team: Secret s has no ANTHROPIC_API_KEY key",
            "ensemble ns/team: the slack channel's Secret slack-token does not exist",
            "ensemble ns/team: its SympoziumPolicy strict does not exist",
            "ensemble ns/team: its Model llama does not exist (its agents wait for it)",
        ]
    );
    s.policies.insert(("ns".into(), "strict".into()));
    s.models.insert(("ns".into(), "llama".into()));
    assert_eq!(findings(&s).iter().filter(|f| f.level == Level::Error).count(), 3);
    // A disabled pack needs none of them yet.
    let mut off = spec;
    off["enabled"] = json!(false);
    s.packs = vec![pack("Ensemble", "team", off, Some("Inactive"))];
    assert_eq!(worst(&findings(&s)), Level::Ok);
}

#[test]
fn our_unreferenced_secrets_and_unbound_memory_are_warnings() {
    let mut s = healthy();
    s.our_secrets.push(meta("ns", "left-over"));
    s.memory_pvcs.push((meta("ns", "team-b-memory-db"), String::new()));
    let f = findings(&s);
    let w: Vec<(&str, &str)> = f
        .iter()
        .filter(|f| f.level == Level::Warning)
        .map(|f| (f.message.as_str(), f.fix.as_deref().unwrap()))
        .collect();
    assert_eq!(
        w,
        [
            (
                "secret ns/left-over (written by kubectl-personapack) is referenced by no pack",
                "kubectl delete secret left-over -n ns"
            ),
            (
                "memory PVC ns/team-b-memory-db is Pending (its memory server cannot start)",
                "kubectl describe pvc team-b-memory-db -n ns (its events say why)"
            ),
        ]
    );
    assert_eq!(worst(&f), Level::Warning);
}

#[test]
fn no_api_at_all_is_one_error() {
    let f = findings(&Snapshot::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].level, Level::Error);
    assert!(f[0].message.starts_with("the cluster serves no Sympozium API"));
}

#[test]
fn glyphs_and_escaping() {
    assert_eq!([Level::Ok, Level::Warning, Level::Error].map(Level::glyph), ["✔", "!", "✗"]);
    let mut s = healthy();
    s.our_secrets.push(meta("ns", "evil\x1b[2J"));
    assert!(findings(&s).iter().all(|f| !f.message.contains('\x1b')));
    assert_eq!(worst(&[]), Level::Ok);
}

#[test]
fn skills_that_name_no_skillpack_here_or_in_sympozium_system_are_warned() {
    let mut s = healthy();
    let spec = json!({"enabled": true, "excludePersonas": ["b"], "authRefs": [{"provider": "openai", "secret": "s"}], "agentConfigs": [
        {"name": "a", "skills": ["memory", "k8s-ops", "local", "k8s-ops"]}, {"name": "b", "skills": ["only-b"]}]});
    s.packs = vec![pack("Ensemble", "team", spec, Some("Ready"))];
    s.skillpacks.insert(("ns".into(), "local".into()));
    s.skillpacks.insert(("elsewhere".into(), "k8s-ops".into()));
    let w: Vec<String> = findings(&s).into_iter().filter(|f| f.level == Level::Warning).map(|f| f.message).collect();
    assert_eq!(
        w,
        ["ensemble ns/team: no SkillPack k8s-ops in its namespace or sympozium-system (its agents run without it)"]
    );
    // Neither a disabled pack nor one being deleted runs agents to miss it.
    s.packs[0].meta.deleting = true;
    assert!(!findings(&s).iter().any(|f| f.message.contains("no SkillPack")));
    s.packs[0].meta.deleting = false;
    s.packs[0].spec.enabled = false;
    assert!(!findings(&s).iter().any(|f| f.message.contains("no SkillPack")));
    s.packs[0].spec.enabled = true;
    s.skillpacks.insert(("sympozium-system".into(), "k8s-ops".into()));
    assert_eq!(worst(&findings(&s)), Level::Ok);
}

#[test]
fn a_v0_9_0_controller_is_of_the_ensemble_era() {
    let mut s = healthy();
    s.controllers = Ok(vec![controller("x/controller:v0.9.0")]);
    assert_eq!(worst(&findings(&s)), Level::Ok);
    s.controllers = Ok(vec![controller("x/controller:v0.8.99")]);
    assert_eq!(worst(&findings(&s)), Level::Error);
}

#[test]
fn either_the_finalizer_or_a_phase_is_a_controllers_mark() {
    let with = |finalizers: serde_json::Value, status: serde_json::Value| {
        PersonaPack::from_value(
            &json!({"kind": "Ensemble", "metadata": {"name": "p", "namespace": "ns", "finalizers": finalizers},
            "spec": {"agentConfigs": []}, "status": status}),
        )
    };
    let silent = |p: PersonaPack| {
        let s = Snapshot { packs: vec![p], ..healthy() };
        findings(&s).iter().any(|f| f.message.starts_with("no controller has reconciled"))
    };
    assert!(!silent(with(json!(["sympozium.ai/ensemble-finalizer"]), json!({}))));
    assert!(!silent(with(json!([]), json!({"phase": "Pending"}))));
    assert!(silent(with(json!(["example.com/other"]), json!({}))));
}

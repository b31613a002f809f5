use serde_json::{Value, json};

use super::*;

fn pack() -> Value {
    json!({
        "apiVersion": "sympozium.ai/v1alpha1",
        "kind": "PersonaPack",
        "metadata": {
            "name": "team", "namespace": "ns", "uid": "pack-uid", "resourceVersion": "7",
            "labels": {"tier": "gold"},
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "owner": "ops"},
            "finalizers": ["sympozium.ai/personapack-finalizer", "example.com/keep"],
        },
        "spec": {
            "enabled": true, "description": "d", "category": "c", "version": "1",
            "authRefs": [{"provider": "openai", "secret": "team-openai-key"}],
            "excludePersonas": ["b"],
            "channelConfigs": {"slack": "team-slack"},
            "policyRef": "p", "baseURL": "http://x", "skillParams": {"s": {"k": "v"}},
            "taskOverride": "t", "channelAccessControl": {"slack": {"allowedSenders": ["u"]}},
            "agentSandbox": {"enabled": true}, "workflowType": "delegation",
            "relationships": [{"source": "a", "target": "b", "type": "delegation"}],
            "personas": [
                {"name": "a", "systemPrompt": "p", "skills": ["memory"], "schedule": {"type": "heartbeat", "interval": "1h", "task": "t"},
                 "memory": {"enabled": true, "seeds": ["s"]}, "model": "m", "displayName": "A", "toolPolicy": {"allow": ["x"]},
                 "channels": ["slack"], "webEndpoint": {"enabled": false}, "lifecycle": {"preRun": []}},
                {"name": "b", "systemPrompt": "q"},
            ],
        },
        "status": {"phase": "Ready"},
    })
}

#[test]
fn every_setting_is_carried_personas_become_agent_configs() {
    let c = to_ensemble(&pack());
    assert_eq!(c.dropped, Vec::<String>::new());
    let e = &c.ensemble;
    assert_eq!((e["apiVersion"].as_str(), e["kind"].as_str()), (Some("sympozium.ai/v1alpha1"), Some("Ensemble")));
    let mut want = pack()["spec"].clone();
    let personas = want.as_object_mut().unwrap().remove("personas").unwrap();
    want["agentConfigs"] = personas;
    assert_eq!(e["spec"], want);
    assert!(e.get("status").is_none(), "{e}");
    assert_eq!(e["metadata"]["name"], "team");
    assert_eq!(e["metadata"]["namespace"], "ns");
    assert_eq!(e["metadata"]["labels"], json!({"tier": "gold"}));
    assert_eq!(e["metadata"]["annotations"], json!({"owner": "ops", MIGRATED_FROM: "pack-uid"}));
    assert!(e["metadata"].get("uid").is_none() && e["metadata"].get("finalizers").is_none());
}

#[test]
fn a_manifest_without_uid_or_annotations_gets_none() {
    let c = to_ensemble(&json!({"kind": "PersonaPack", "metadata": {"name": "x"}, "spec": {}}));
    assert_eq!(c.ensemble["metadata"], json!({"name": "x"}));
    assert_eq!(c.ensemble["spec"], json!({"agentConfigs": []}));
}

#[test]
fn fields_without_a_place_are_named() {
    let mut p = pack();
    p["spec"]["futureField"] = json!(1);
    p["spec"]["personas"][1]["oddity"] = json!("x");
    p["spec"]["personas"].as_array_mut().unwrap().push(json!("not an object"));
    let c = to_ensemble(&p);
    assert_eq!(c.dropped, ["spec.futureField", "spec.personas[1].oddity", "spec.personas[2] (not an object)"]);
    assert!(c.ensemble["spec"].get("futureField").is_none());
    assert!(c.ensemble["spec"]["agentConfigs"][1].get("oddity").is_none());
    let found = Found { pack: &p, ensemble: None, objects: &[] };
    let why = plan(&found).unwrap_err();
    assert!(why.contains("spec.futureField, spec.personas[1].oddity"), "{why}");
}

fn obj(kind: ObjectKind, meta: Value) -> Object {
    Object { kind, meta }
}

fn owner(kind: &str, name: &str, uid: &str) -> Value {
    json!({"apiVersion": "sympozium.ai/v1alpha1", "kind": kind, "name": name, "uid": uid, "controller": true})
}

/// A pack's cluster as v0.8.28 left it, with objects that are not its.
fn cluster() -> Vec<Object> {
    vec![
        obj(
            ObjectKind::SympoziumInstance,
            json!({"name": "team-a", "uid": "inst-a", "resourceVersion": "3",
            "finalizers": ["sympozium.ai/finalizer"], "ownerReferences": [owner("PersonaPack", "team", "pack-uid")]}),
        ),
        obj(
            ObjectKind::SympoziumInstance,
            json!({"name": "other", "uid": "inst-o", "ownerReferences": [owner("PersonaPack", "x", "x-uid")]}),
        ),
        obj(
            ObjectKind::SympoziumSchedule,
            json!({"name": "team-a-schedule", "uid": "sched-a", "resourceVersion": "4",
            "ownerReferences": [owner("PersonaPack", "team", "pack-uid")]}),
        ),
        obj(ObjectKind::SympoziumSchedule, json!({"name": "mine", "uid": "sched-m"})),
        obj(
            ObjectKind::ConfigMap,
            json!({"name": "team-a-memory", "resourceVersion": "5",
            "labels": {"sympozium.ai/persona-pack": "team", "sympozium.ai/persona": "a", "sympozium.ai/memory": "true"}}),
        ),
        obj(ObjectKind::ConfigMap, json!({"name": "unrelated", "labels": {"sympozium.ai/persona-pack": "team"}})),
        obj(
            ObjectKind::PersistentVolumeClaim,
            json!({"name": "team-a-memory-db", "resourceVersion": "6",
            "ownerReferences": [owner("SympoziumInstance", "team-a", "inst-a"), {"kind": "Other", "name": "o", "uid": "keep-uid"}]}),
        ),
        obj(
            ObjectKind::PersistentVolumeClaim,
            json!({"name": "data", "ownerReferences": [owner("SympoziumInstance", "other", "inst-o")]}),
        ),
        obj(
            ObjectKind::Secret,
            json!({"name": "team-openai-key", "resourceVersion": "8",
            "labels": {"sympozium.ai/persona-pack": "team", "app.kubernetes.io/managed-by": "kubectl-personapack"}}),
        ),
        obj(
            ObjectKind::Secret,
            json!({"name": "team-slack", "resourceVersion": "9", "labels": {"sympozium.ai/persona-pack": "elsewhere"}}),
        ),
        obj(ObjectKind::Secret, json!({"name": "stray", "labels": {"sympozium.ai/persona-pack": "team"}})),
    ]
}

#[test]
fn memory_and_credentials_are_released_before_the_old_objects_go_and_the_pack_last() {
    let (p, objects) = (pack(), cluster());
    let steps = plan(&Found { pack: &p, ensemble: None, objects: &objects }).unwrap();
    let converted = to_ensemble(&p).ensemble;
    assert_eq!(
        steps,
        vec![
            Step::Keep {
                kind: ObjectKind::ConfigMap,
                name: "team-a-memory".into(),
                patch: json!([
                    {"op": "remove", "path": "/metadata/labels/sympozium.ai~1persona-pack"},
                    {"op": "add", "path": "/metadata/labels/sympozium.ai~1ensemble", "value": "team"},
                    {"op": "remove", "path": "/metadata/labels/sympozium.ai~1persona"},
                    {"op": "add", "path": "/metadata/labels/sympozium.ai~1agent-config", "value": "a"},
                ]),
                why: "relabelled for the Ensemble".into(),
            },
            Step::Keep {
                kind: ObjectKind::PersistentVolumeClaim,
                name: "team-a-memory-db".into(),
                patch: json!([
                    {"op": "test", "path": "/metadata/ownerReferences", "value": [owner("SympoziumInstance", "team-a", "inst-a"), {"kind": "Other", "name": "o", "uid": "keep-uid"}]},
                    {"op": "replace", "path": "/metadata/ownerReferences", "value": [{"kind": "Other", "name": "o", "uid": "keep-uid"}]},
                ]),
                why: "released from SympoziumInstance team-a".into(),
            },
            Step::Keep {
                kind: ObjectKind::Secret,
                name: "team-openai-key".into(),
                patch: json!([
                    {"op": "remove", "path": "/metadata/labels/sympozium.ai~1persona-pack"},
                    {"op": "add", "path": "/metadata/labels/sympozium.ai~1ensemble", "value": "team"},
                ]),
                why: "relabelled for the Ensemble".into(),
            },
            Step::Remove {
                kind: ObjectKind::SympoziumSchedule,
                name: "team-a-schedule".into(),
                uid: "sched-a".into(),
                patch: None,
                propagation: Propagation::Background,
            },
            Step::Remove {
                kind: ObjectKind::SympoziumInstance,
                name: "team-a".into(),
                uid: "inst-a".into(),
                patch: Some(json!([
                    {"op": "test", "path": "/metadata/finalizers", "value": ["sympozium.ai/finalizer"]},
                    {"op": "replace", "path": "/metadata/finalizers", "value": []},
                ])),
                propagation: Propagation::Foreground,
            },
            Step::Write { ensemble: converted },
            Step::Release {
                name: "team".into(),
                uid: "pack-uid".into(),
                patch: Some(json!([
                    {"op": "test", "path": "/metadata/finalizers", "value": ["sympozium.ai/personapack-finalizer", "example.com/keep"]},
                    {"op": "replace", "path": "/metadata/finalizers", "value": ["example.com/keep"]},
                ])),
            },
        ]
    );
}

#[test]
fn a_second_run_writes_nothing_twice_and_only_releases_the_pack() {
    let p = pack();
    let written = to_ensemble(&p).ensemble;
    let steps = plan(&Found { pack: &p, ensemble: Some(&written), objects: &[] }).unwrap();
    assert!(matches!(steps.as_slice(), [Step::Release { .. }]), "{steps:?}");
    // An Ensemble of the same spec written some other way (migrate -f, then kubectl apply) counts too.
    let mut applied = written.clone();
    applied["metadata"]["annotations"] = json!({});
    let steps = plan(&Found { pack: &p, ensemble: Some(&applied), objects: &[] }).unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    // Ours, edited since: left as it is.
    let mut edited = written;
    edited["spec"]["description"] = json!("changed");
    assert_eq!(plan(&Found { pack: &p, ensemble: Some(&edited), objects: &[] }).unwrap().len(), 1);
}

#[test]
fn someone_elses_ensemble_of_that_name_is_refused() {
    let p = pack();
    let theirs = json!({"metadata": {"name": "team"}, "spec": {"agentConfigs": []}});
    let why = plan(&Found { pack: &p, ensemble: Some(&theirs), objects: &cluster() }).unwrap_err();
    assert!(
        why.starts_with("ensemble \"team\" already exists and is not this pack's migration: nothing changed"),
        "{why}"
    );
}

#[test]
fn a_released_pack_is_deleted_without_a_patch_and_nothing_else_is_touched() {
    let mut p = pack();
    p["metadata"]["finalizers"] = json!(["other.io/x"]);
    let objects = vec![
        obj(ObjectKind::ConfigMap, json!({"name": "team-a-memory", "labels": {"sympozium.ai/ensemble": "team"}})),
        obj(ObjectKind::Secret, json!({"name": "team-openai-key"})),
    ];
    let steps = plan(&Found { pack: &p, ensemble: None, objects: &objects }).unwrap();
    assert!(matches!(&steps[..], [Step::Write { .. }, Step::Release { patch: None, .. }]), "{steps:?}");
}

#[test]
fn a_secret_the_pack_owns_is_released_even_unnamed() {
    let p = pack();
    let objects = vec![obj(
        ObjectKind::Secret,
        json!({"name": "owned", "resourceVersion": "1", "ownerReferences": [owner("PersonaPack", "team", "pack-uid")]}),
    )];
    let steps = plan(&Found { pack: &p, ensemble: None, objects: &objects }).unwrap();
    assert!(
        matches!(&steps[0], Step::Keep { name, why, .. } if name == "owned" && why == "released from PersonaPack team"),
        "{steps:?}"
    );
}

#[test]
fn words_for_kinds() {
    assert_eq!(ObjectKind::PersistentVolumeClaim.qualified(), "persistentvolumeclaim");
    assert_eq!(ObjectKind::SympoziumInstance.qualified(), "sympoziuminstance.sympozium.ai");
    assert_eq!(ObjectKind::SympoziumSchedule.qualified(), "sympoziumschedule.sympozium.ai");
    assert_eq!(ObjectKind::ConfigMap.qualified(), "configmap");
    assert_eq!(ObjectKind::Secret.qualified(), "secret");
}

#[test]
fn an_old_controller_still_running_holds_migrate_back() {
    let c = |name: &str, image: &str| Controller {
        namespace: "sympozium-system".into(),
        name: name.into(),
        image: image.into(),
    };
    assert_eq!(old_controller(&[c("new", "x/controller:v0.10.46"), c("odd", "x/controller:latest")]), None);
    assert_eq!(old_controller(&[]), None);
    let why = old_controller(&[
        c("new", "x/controller:v0.10.46"),
        c("b", "x/controller:v0.8.28"),
        c("a", "x/controller:v0.8.3"),
    ])
    .unwrap();
    assert!(why.starts_with("the Sympozium v0.8.3 controller (deployment sympozium-system/a) still runs"), "{why}");
    assert!(
        why.ends_with(
            "upgrade Sympozium to v0.9 or later first (its CRDs and controller), then migrate: nothing changed"
        ),
        "{why}"
    );
    assert!(old_controller(&[c("edge", "x/controller:v0.9.0")]).is_none());
}

#[test]
fn a_disabled_pack_beside_a_built_in_ensemble_is_only_released() {
    let mut p = pack();
    p["spec"]["enabled"] = json!(false);
    let builtin = json!({"metadata": {"name": "team"}, "spec": {"agentConfigs": [{"name": "other"}]}});
    let steps = plan(&Found { pack: &p, ensemble: Some(&builtin), objects: &[] }).unwrap();
    assert!(matches!(&steps[..], [Step::Release { .. }]), "{steps:?}");
}

#[test]
fn a_pack_its_user_deleted_is_released_not_carried_but_its_memory_is_kept() {
    let mut p = pack();
    p["metadata"]["deletionTimestamp"] = json!("2026-12-01T00:00:00Z");
    let objects = cluster();
    let steps = plan(&Found { pack: &p, ensemble: None, objects: &objects }).unwrap();
    assert!(!steps.iter().any(|s| matches!(s, Step::Write { .. })), "{steps:?}");
    assert!(steps.iter().any(|s| matches!(s, Step::Keep { name, .. } if name == "team-a-memory-db")));
    assert!(matches!(steps.last(), Some(Step::Release { .. })));
}

use super::*;

#[test]
fn merge_patch_is_rfc_7386() {
    let mut doc = serde_json::json!({"spec": {"enabled": false, "authRefs": [{"provider": "a"}], "baseURL": "x"}, "kind": "PersonaPack"});
    merge_patch(
        &mut doc,
        &serde_json::json!({"spec": {"enabled": true, "authRefs": null, "personas": [{"name": "p"}], "baseURL": "y"}}),
    );
    assert_eq!(
        doc,
        serde_json::json!({"spec": {"enabled": true, "personas": [{"name": "p"}], "baseURL": "y"}, "kind": "PersonaPack"})
    );
    merge_patch(&mut doc, &serde_json::json!({"spec": "gone"}));
    assert_eq!(doc["spec"], "gone");
}
use serde_json::json;

#[test]
fn reads_a_full_pack() {
    let v = json!({
        "metadata": {"name": "platform-team", "namespace": "sympozium-system", "creationTimestamp": "2026-11-28T10:00:00Z"},
        "spec": {
            "enabled": true, "category": "platform", "workflowType": "delegation",
            "relationships": [{"source": "a", "target": "b", "type": "delegation"}],
            "authRefs": [{"provider": "openai", "secret": "platform-team-openai-key"}],
            "baseURL": "http://x", "excludePersonas": ["b"],
            "skillParams": {"github-gitops": {"repo": "o/r"}},
            "personas": [
                {"name": "a", "systemPrompt": "p", "schedule": {"type": "sweep", "interval": "30m", "task": "t"},
                 "memory": {"enabled": true, "seeds": ["s1"]}},
                {"name": "b", "systemPrompt": "q"}
            ]
        },
        "status": {"phase": "Ready", "personaCount": 2, "installedCount": 1,
                   "installedPersonas": [{"name": "a", "instanceName": "platform-team-a"}]}
    });
    let p = PersonaPack::from_value(&v);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert!(p.spec.enabled);
    assert_eq!(p.spec.base_url.as_deref(), Some("http://x"));
    assert_eq!(p.spec.relationships[0].kind, "delegation");
    assert_eq!(p.spec.personas[0].schedule.as_ref().unwrap().timing(), "every 30m");
    assert_eq!(p.active_personas().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["a"]);
    assert_eq!(p.status.installed_personas[0].instance_name, "platform-team-a");
    assert_eq!(p.meta.created.unwrap().to_string(), "2026-11-28T10:00:00Z");
}

#[test]
fn absent_fields_mean_catalog_and_unreconciled() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": {"personas": []}}));
    assert!(!p.spec.enabled);
    assert_eq!(p.status.phase, None);
    assert_eq!(p.status.installed_count, 0);
    assert_eq!(p.persona_count(), 0);
}

#[test]
fn malformed_fields_are_dropped_with_their_path() {
    let v = json!({
        "metadata": {"name": "x"},
        "spec": {"enabled": "yes", "description": "kept",
                 "personas": [{"name": "a", "systemPrompt": "p", "skills": "not-a-list"}, {"name": "b", "systemPrompt": "q"}]},
        "status": {"installedCount": "three", "phase": "Ready"}
    });
    let p = PersonaPack::from_value(&v);
    assert_eq!(p.spec.description.as_deref(), Some("kept"));
    assert!(!p.spec.enabled);
    assert_eq!(p.spec.personas.len(), 2);
    assert!(p.spec.personas[0].skills.is_empty());
    assert_eq!(p.status.phase.as_deref(), Some("Ready"));
    let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, vec!["spec.enabled", "spec.personas[0].skills", "status.installedCount"]);
}

#[test]
fn unknown_fields_are_named() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": {
        "sharedMemory": {"enabled": true}, "personas": [{"name": "a", "systemPrompt": "p", "provider": "openai"}]}}));
    assert_eq!(p.unknown_fields(), vec!["spec.sharedMemory", "spec.personas[0].provider"]);
    assert!(p.warnings.is_empty(), "unknown is not malformed");
}

#[test]
fn an_ensemble_reads_into_the_same_model() {
    let p = PersonaPack::from_value(&json!({"kind": "Ensemble", "metadata": {"name": "x"}, "spec": {
        "modelRef": "m", "sharedMemory": {"enabled": true}, "personas": [],
        "agentConfigs": [{"name": "a", "systemPrompt": "p", "provider": "openai", "subagents": {}, "typo": 1}]},
        "status": {"personaCount": 1, "installedPersonas": [{"name": "a", "instanceName": "x-a"}]}}));
    assert_eq!(p.era, Era::Ensemble);
    assert_eq!(p.spec.personas.len(), 1, "agentConfigs are the personas");
    assert_eq!(p.spec.personas[0].name, "a");
    assert_eq!(p.status.installed_personas[0].instance_name, "x-a");
    // v0.10's own fields are known; v0.8's `personas` and a typo are not.
    assert_eq!(p.unknown_fields(), vec!["spec.personas", "spec.agentConfigs[0].typo"]);
    let labelled = BTreeMap::from([("sympozium.ai/ensemble".to_string(), "x".to_string())]);
    assert!(p.is_managed_secret("anything", &labelled));
    let s = Schedule::from_value(&json!({"spec": {"agentRef": "x-a", "schedule": "* * * * *", "task": "t"}}));
    assert_eq!(s.spec.instance_ref, "x-a");
    assert_eq!(Era::of_kind("PersonaPack"), Some(Era::PersonaPack));
    assert_eq!(Era::of_kind("Agent"), None);
    assert_eq!(Era::Ensemble.qualified(), "ensemble.sympozium.ai");
}

#[test]
fn an_ensembles_malformed_field_is_named_by_its_own_path() {
    let p = PersonaPack::from_value(&json!({"kind": "Ensemble", "metadata": {"name": "x"}, "spec": {
        "agentConfigs": [{"name": "a", "systemPrompt": "p", "skills": "not-a-list"}]}}));
    let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, vec!["spec.agentConfigs[0].skills"]);
    assert_eq!(p.spec.personas.len(), 1);
}

#[test]
fn a_spec_of_the_wrong_type_is_reported_not_fatal() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": "garbage"}));
    assert_eq!(p.spec, PackSpec::default());
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].path, "spec");
}

#[test]
fn managed_secrets_follow_the_controller_rule() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {"personas": []}}));
    let none = BTreeMap::new();
    assert!(p.is_managed_secret("team-openai-key", &none));
    assert!(p.is_managed_secret("team-credentials", &none));
    assert!(!p.is_managed_secret("my-openai-key", &none));
    let labelled = BTreeMap::from([(Era::PersonaPack.label_pack().to_string(), "team".to_string())]);
    assert!(p.is_managed_secret("anything", &labelled));
    let other = BTreeMap::from([(Era::PersonaPack.label_pack().to_string(), "other".to_string())]);
    assert!(!p.is_managed_secret("anything", &other));
    assert!(!p.is_managed_secret("team-openai", &none), "a -key suffix as well as the pack's prefix");
}

#[test]
fn each_era_names_its_finalizer_and_releases() {
    assert_eq!(Era::PersonaPack.finalizer(), "sympozium.ai/personapack-finalizer");
    assert_eq!(Era::Ensemble.finalizer(), "sympozium.ai/ensemble-finalizer");
    assert_eq!((Era::PersonaPack.releases(), Era::Ensemble.releases()), ("v0.8.x", "v0.9 or later"));
}

/// The guard that keeps names out of selectors and the Secret flag honest:
/// each rule of label values and DNS-1123 subdomains, at its boundary.
#[test]
fn label_values_and_object_names_follow_kubernetes_rules() {
    for ok in ["", "a", "A.b_c-9", &"x".repeat(63)] {
        assert!(is_label_value(ok), "{ok:?}");
    }
    for bad in [&"x".repeat(64), "-a", "a-", "_a", "a.", "a b", "a/b", "a,b=c", "é"] {
        assert!(!is_label_value(bad), "{bad:?}");
    }
    for ok in ["a", "team-1.example", "0", &"x".repeat(253)] {
        assert!(is_dns_subdomain(ok), "{ok:?}");
    }
    for bad in ["", &"x".repeat(254), "-a", "a-", ".a", "a.", "A", "a_b", "a b", "a/b"] {
        assert!(!is_dns_subdomain(bad), "{bad:?}");
    }
}

/// A malformed element of a list goes alone (the rest of the list stays);
/// a warning reads `path: problem`; a null deletionTimestamp is no deletion.
#[test]
fn a_malformed_list_element_is_dropped_alone() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"},
        "spec": {"excludePersonas": ["a", 5, "b"], "personas": [{"name": "a", "systemPrompt": "p"}]}}));
    assert_eq!(p.spec.exclude_personas, vec!["a", "b"]);
    assert_eq!(p.warnings.len(), 1);
    let shown = p.warnings[0].to_string();
    assert!(shown.starts_with("spec.excludePersonas[1]: invalid type"), "{shown}");
    assert!(!Meta::from_value(&json!({"metadata": {"deletionTimestamp": null}})).deleting);
    assert!(Meta::from_value(&json!({"metadata": {"deletionTimestamp": "2026-01-01T00:00:00Z"}})).deleting);
}

/// The pack's readings of its own spec: seeds, timing, secrets, counts.
#[test]
fn a_packs_accessors_read_its_spec() {
    let p = PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {
        "authRefs": [{"provider": "a", "secret": "k1"}, {"provider": "b", "secret": ""}, {"provider": "c", "secret": "k1"},
                     {"provider": "d", "secret": "k2"}],
        "channelConfigs": {"slack": "k2", "discord": "c1", "x": ""},
        "personas": [
            {"name": "a", "systemPrompt": "p", "memory": {"seeds": ["s1", "s2"]},
             "schedule": {"cron": "0 9 * * *", "interval": "5m"}},
            {"name": "b", "systemPrompt": "q", "memory": {"seeds": ["t"]}, "schedule": {"cron": "", "interval": ""}},
            {"name": "c", "systemPrompt": "r"}]},
        "status": {"personaCount": 7}}));
    assert_eq!(p.seeds("a"), ["s1", "s2"]);
    assert_eq!(p.seeds("b"), ["t"]);
    assert!(p.seeds("c").is_empty() && p.seeds("nobody").is_empty());
    assert_eq!(p.spec.personas[0].schedule.as_ref().unwrap().timing(), "cron 0 9 * * *");
    assert_eq!(p.spec.personas[1].schedule.as_ref().unwrap().timing(), "hourly (no cron or interval)");
    assert_eq!(p.spec.personas[1].schedule.as_ref().unwrap().kind(), "heartbeat");
    assert_eq!(p.auth_secrets(), ["k1", "k2"]);
    assert_eq!(p.referenced_secrets(), ["k1", "k2", "c1"]);
    assert_eq!(p.persona_count(), 7, "the controller's count wins");
    assert_eq!(p.model_ref(), "");
    let unset = PersonaPack::from_value(
        &json!({"metadata": {"name": "t"}, "spec": {"personas": [{"name": "a"}, {"name": "b"}]}}),
    );
    assert_eq!(unset.persona_count(), 2, "else the spec's");
}

/// v0.9+: the target of a sequential relationship is started by its
/// predecessor, not a schedule; v0.8 has no such rule.
#[test]
fn a_sequential_target_has_no_schedule_of_its_own_from_v0_9() {
    let spec = json!({"relationships": [{"source": "a", "target": "b", "type": "sequential"},
                                        {"source": "a", "target": "c", "type": "delegation"}],
        "agentConfigs": [{"name": "a", "schedule": {"task": "t"}}, {"name": "b", "schedule": {"task": "t"}},
                         {"name": "c", "schedule": {"task": "t"}}, {"name": "d"}]});
    let ens = PersonaPack::from_value(&json!({"kind": "Ensemble", "metadata": {"name": "e"}, "spec": spec}));
    let scheduled: Vec<bool> = ens.spec.personas.iter().map(|p| ens.is_scheduled(p)).collect();
    assert_eq!(scheduled, [true, false, true, false]);
    let mut old = spec.clone();
    old["personas"] = old["agentConfigs"].take();
    let pp = PersonaPack::from_value(&json!({"kind": "PersonaPack", "metadata": {"name": "e"}, "spec": old}));
    assert!(pp.is_scheduled(&pp.spec.personas[1]));
}

/// A Model as found: Ready is the one phase that stamps; else why not.
#[test]
fn a_models_state_says_what_the_pack_waits_for() {
    let found =
        ModelState::found("llama".into(), &json!({"status": {"phase": "Ready", "endpoint": "http://m:8000/v1"}}));
    assert_eq!(
        found,
        ModelState {
            name: "llama".into(),
            found: true,
            phase: Some("Ready".into()),
            endpoint: Some("http://m:8000/v1".into())
        }
    );
    assert!(found.is_ready() && found.waiting().is_none());
    let empty = ModelState::found("llama".into(), &json!({"status": {"phase": "", "endpoint": ""}}));
    assert_eq!((empty.phase.clone(), empty.endpoint.clone()), (None, None), "empty is unset");
    assert!(!empty.is_ready());
    assert_eq!(empty.waiting().as_deref(), Some("waiting for Model \"llama\" to be Ready (phase -)"));
    let pulling = ModelState::found("llama".into(), &json!({"status": {"phase": "Pulling"}}));
    assert_eq!(pulling.waiting().as_deref(), Some("waiting for Model \"llama\" to be Ready (phase Pulling)"));
    let absent = ModelState { name: "ns/llama".into(), found: false, phase: None, endpoint: None };
    assert_eq!(absent.waiting().as_deref(), Some("waiting for Model \"ns/llama\", which does not exist"));
}

/// The memory's form is read from the labels' values, not their presence.
#[test]
fn memory_forms_are_read_from_label_values() {
    let l = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
    assert_eq!(memory_form(&l("sympozium.ai/memory", "true")), MemoryForm::Seeded);
    assert_eq!(memory_form(&l("sympozium.ai/memory", "false")), MemoryForm::Other);
    assert_eq!(memory_form(&l("sympozium.ai/component", "memory")), MemoryForm::InstanceDefault);
    assert_eq!(memory_form(&l("sympozium.ai/component", "web")), MemoryForm::Other);
}

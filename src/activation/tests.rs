use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;
use crate::model::{Era, PersonaPack};

fn pack() -> PersonaPack {
    PersonaPack::from_value(&json!({
        "metadata": {"name": "team", "namespace": "ns"},
        "spec": {"excludePersonas": ["b"], "personas": [
            {"name": "a", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}},
            {"name": "b", "systemPrompt": "y"}]}
    }))
}

fn ensemble(extra: Value) -> PersonaPack {
    let mut v = json!({
        "kind": "Ensemble", "metadata": {"name": "team", "namespace": "ns"},
        "spec": {"authRefs": [{"provider": "openai", "secret": "team-openai-key"}], "baseURL": "http://old",
                 "agentConfigs": [{"name": "a", "systemPrompt": "x"}]}
    });
    crate::model::merge_patch(&mut v, &extra);
    PersonaPack::from_value(&v)
}

/// `--model-ref`: the v0.10 web API's way (modelRef set, baseURL and
/// authRefs gone); Ensembles only; not with a provider; a provider given
/// later replaces the Model; the patch speaks of agentConfigs.
#[test]
fn a_model_ref_replaces_key_and_endpoint_on_ensembles_only() {
    let req = EnableRequest { model_ref: Change::Set("local".into()), ..Default::default() };
    let plan = plan_enable(&ensemble(json!({})), &req).unwrap();
    assert_eq!(plan.patch["spec"]["modelRef"], "local");
    assert!(plan.patch["spec"]["authRefs"].is_null() && plan.patch["spec"].get("authRefs").is_some());
    assert!(plan.patch["spec"]["baseURL"].is_null() && plan.patch["spec"].get("baseURL").is_some());
    assert!(plan.warnings.is_empty(), "no 'no authRefs' warning with a Model: {:?}", plan.warnings);
    assert!(plan.summary.iter().any(|l| l.starts_with("enable ensemble team")), "{:?}", plan.summary);

    let e = plan_enable(&pack(), &req).unwrap_err();
    assert!(e.to_string().contains("--model-ref needs an Ensemble"), "{e}");
    let both = EnableRequest { provider: Some(Provider::Ollama), ..req.clone() };
    assert!(plan_enable(&ensemble(json!({})), &both).unwrap_err().to_string().contains("cannot go with --provider"));

    let with_model = ensemble(json!({"spec": {"modelRef": "local"}}));
    let switch = EnableRequest { provider: Some(Provider::Ollama), ..Default::default() };
    let plan = plan_enable(&with_model, &switch).unwrap();
    assert!(plan.patch["spec"]["modelRef"].is_null() && plan.patch["spec"].get("modelRef").is_some());
    let clear = EnableRequest { model_ref: Change::Remove, ..Default::default() };
    let plan = plan_enable(&with_model, &clear).unwrap();
    assert!(plan.patch["spec"].get("modelRef").is_some_and(Value::is_null));

    let m = EnableRequest { model: Some("m1".into()), ..Default::default() };
    let plan = plan_enable(&ensemble(json!({})), &m).unwrap();
    assert_eq!(plan.patch["spec"]["agentConfigs"][0]["model"], "m1");
    assert!(plan.patch["spec"].get("personas").is_none());
}

/// Each provider's names as Sympozium v0.8.28 uses them: the Secret key the
/// agent runner reads, the TUI's default model, the local endpoints.
#[test]
fn providers_name_what_upstream_names() {
    let table: Vec<_> = Provider::ALL
        .iter()
        .map(|p| (p.name(), p.key_field(), p.key_need(), p.default_model(), p.default_base_url()))
        .collect();
    assert_eq!(
        table,
        vec![
            ("openai", "OPENAI_API_KEY", KeyNeed::Required, Some("gpt-4o"), None),
            ("anthropic", "ANTHROPIC_API_KEY", KeyNeed::Required, Some("claude-sonnet-4-20250514"), None),
            ("azure-openai", "AZURE_OPENAI_API_KEY", KeyNeed::Required, None, None),
            ("ollama", "API_KEY", KeyNeed::None, Some("llama3"), Some("http://ollama.default.svc:11434/v1")),
            ("lm-studio", "API_KEY", KeyNeed::Optional, None, Some("http://localhost:1234/v1")),
            ("llama-server", "API_KEY", KeyNeed::Optional, None, Some("http://localhost:8080/v1")),
            (
                "bedrock",
                "AWS_SECRET_ACCESS_KEY",
                KeyNeed::Required,
                Some("anthropic.claude-sonnet-4-20250514-v1:0"),
                None
            ),
            ("custom", "API_KEY", KeyNeed::Optional, None, None),
        ]
    );
    assert_eq!(Provider::Anthropic.secret_name("team"), "team-anthropic-key");
}

#[test]
fn openai_with_a_key_writes_the_upstream_secret_and_authref() {
    let req = EnableRequest {
        provider: Some(Provider::Openai),
        credential: Some(Credential::api_key(Provider::Openai, "sk-test".into())),
        ..Default::default()
    };
    let plan = plan_enable(&pack(), &req).unwrap();
    let s = plan.secrets.first().unwrap();
    assert_eq!(s.name, "team-openai-key");
    assert_eq!(s.data.get("OPENAI_API_KEY"), Some("sk-test"));
    assert_eq!(s.labels[Era::PersonaPack.label_pack()], "team");
    assert_eq!(
        plan.patch,
        json!({"spec": {"enabled": true, "authRefs": [{"provider": "openai", "secret": "team-openai-key"}], "baseURL": null}})
    );
    assert!(!plan.guarded);
    assert!(!format!("{plan:?}").contains("sk-test"), "Debug must not leak the key");
    assert!(s.object(true).to_string().contains("<redacted>"));
    assert!(!s.object(true).to_string().contains("sk-test"));
}

#[test]
fn keyless_provider_gets_no_secret_and_no_authref() {
    let req = EnableRequest { provider: Some(Provider::Ollama), ..Default::default() };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert!(plan.secrets.is_empty());
    assert_eq!(
        plan.patch,
        json!({"spec": {"enabled": true, "authRefs": null, "baseURL": "http://ollama.default.svc:11434/v1"}})
    );
}

#[test]
fn a_key_is_required_for_cloud_providers() {
    let req = EnableRequest { provider: Some(Provider::Anthropic), ..Default::default() };
    let err = plan_enable(&pack(), &req).unwrap_err().to_string();
    assert!(err.contains("provider anthropic needs an API key"), "{err}");
}

#[test]
fn existing_secret_must_exist_and_is_referenced() {
    let req = EnableRequest { provider: Some(Provider::Openai), secret: Some("mine".into()), ..Default::default() };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert_eq!(plan.must_exist.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), vec!["mine"]);
    assert_eq!(plan.patch["spec"]["authRefs"], json!([{"provider": "openai", "secret": "mine"}]));
}

#[test]
fn no_provider_only_flips_enabled_and_warns() {
    let plan = plan_enable(&pack(), &EnableRequest::default()).unwrap();
    assert_eq!(plan.patch, json!({"spec": {"enabled": true}}));
    assert!(plan.warnings[0].contains("no authRefs"));

    // A Secret or a key alone, without a provider, is refused.
    for req in [
        EnableRequest { secret: Some("mine".into()), ..Default::default() },
        EnableRequest { credential: Some(Credential::api_key(Provider::Openai, "k".into())), ..Default::default() },
    ] {
        assert_eq!(plan_enable(&pack(), &req).unwrap_err().report(), "error: --secret and an API key need --provider");
    }
}

#[test]
fn model_sets_every_persona_and_is_guarded() {
    let req = EnableRequest { model: Some("gpt-4.1".into()), ..Default::default() };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert!(plan.guarded);
    let personas = plan.patch["spec"]["personas"].as_array().unwrap();
    assert_eq!(personas.len(), 2);
    assert!(personas.iter().all(|p| p["model"] == "gpt-4.1"));
    assert_eq!(personas[0]["schedule"]["interval"], "5m");
    assert!(!plan.patch.to_string().contains("null"), "no field is deleted by accident");
}

#[test]
fn include_and_exclude_edit_the_list_exactly() {
    let req = EnableRequest { include: vec!["b".into()], ..Default::default() };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert_eq!(plan.patch, json!({"spec": {"excludePersonas": null}}));
    assert!(plan.guarded);
    assert_eq!(
        plan_exclude(&pack(), &["a".into(), "b".into(), "a".into()]).unwrap(),
        json!({"spec": {"excludePersonas": ["b", "a"]}})
    );
    let err = plan_exclude(&pack(), &["zed".into()]).unwrap_err().report();
    assert_eq!(err, "error: personapack \"team\" has no persona \"zed\"; its personas are: a, b");

    // Re-including in a disabled pack says when the persona comes up; enabled, nothing to say.
    assert!(plan.warnings.iter().any(|w| w.contains("is disabled: the personas come up when it is enabled")));
    let mut enabled = pack();
    enabled.spec.enabled = true;
    assert!(plan_enable(&enabled, &req).unwrap().warnings.is_empty());
    // --exclude sets the list exactly, each name once.
    let req = EnableRequest { exclude: Some(vec!["b".into(), "a".into(), "b".into()]), ..Default::default() };
    assert_eq!(plan_enable(&pack(), &req).unwrap().patch["spec"]["excludePersonas"], json!(["b", "a"]));
}

#[test]
fn names_too_long_for_kubernetes_are_refused() {
    let mut p = pack();
    p.meta.name = "a".repeat(60);
    let err = plan_enable(&p, &EnableRequest::default()).unwrap_err().to_string();
    assert!(err.contains("not a valid DNS-1035 label of at most 63 characters"), "{err}");
    // Excluding the offending persona makes it acceptable.
    let req = EnableRequest { exclude: Some(vec!["a".into(), "b".into()]), ..Default::default() };
    assert!(plan_enable(&p, &req).is_ok());

    // `<pack>-<persona>-memory` of exactly 63 characters is fine, 64 is not.
    let named = |name: &str, persona: &str| {
        let mut p = pack();
        p.meta.name = name.into();
        p.spec.personas.truncate(1);
        p.spec.personas[0].name = persona.into();
        p.spec.exclude_personas.clear();
        plan_enable(&p, &EnableRequest::default()).is_ok()
    };
    assert!(named(&"a".repeat(54), "x"), "63 characters");
    assert!(!named(&"a".repeat(55), "x"), "64 characters");
    // Lower-case letters, digits and '-' only, starting with a letter.
    assert!(named("team-2", "lead-1"));
    assert!(!named("team", "Lead"), "upper case");
    assert!(!named("team", "le_ad"), "underscore");
    assert!(!named("2team", "lead"), "a digit first");
}

#[test]
fn skill_params_policy_channels_and_task() {
    let req = EnableRequest {
        skill_params: vec![("github-gitops".into(), "repo".into(), "o/r".into())],
        policy: Some("strict".into()),
        channel_secrets: vec![("slack".into(), "team-slack-secret".into())],
        task: Some("Ship it".into()),
        ..Default::default()
    };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert_eq!(
        plan.patch,
        json!({"spec": {"enabled": true, "taskOverride": "Ship it", "skillParams": {"github-gitops": {"repo": "o/r"}},
               "policyRef": "strict", "channelConfigs": {"slack": "team-slack-secret"}}})
    );
    assert_eq!(plan.must_exist.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), vec!["team-slack-secret"]);
}

#[test]
fn channels_bind_every_persona_and_tokens_go_in_upstreams_secrets() {
    let req = EnableRequest {
        channels: vec!["slack".into(), "whatsapp".into()],
        channel_tokens: vec![("slack".into(), Credential::one("SLACK_BOT_TOKEN", "xoxb".into()))],
        ..Default::default()
    };
    let plan = plan_enable(&pack(), &req).unwrap();
    let s = plan.secrets.first().unwrap();
    assert_eq!((s.name.as_str(), s.data.get("SLACK_BOT_TOKEN").unwrap()), ("team-slack-secret", "xoxb"));
    assert_eq!(s.labels[Era::PersonaPack.label_pack()], "team");
    assert_eq!(plan.patch["spec"]["channelConfigs"], json!({"slack": "team-slack-secret"}));
    for p in plan.patch["spec"]["personas"].as_array().unwrap() {
        assert_eq!(p["channels"], json!(["slack", "whatsapp"]));
    }
    assert!(plan.guarded, "the whole persona list is sent");
    // A token channel with neither token nor Secret is refused, naming the ways to give one.
    let req = EnableRequest { channels: vec!["telegram".into()], ..Default::default() };
    let err = plan_enable(&pack(), &req).unwrap_err().report();
    assert!(err.contains("channel telegram needs its bot token (TELEGRAM_BOT_TOKEN)"), "{err}");
    assert!(err.contains("--channel-token-env telegram=VAR") && !err.contains("api-key"), "{err}");
    // ... unless the pack already names a Secret for it.
    let mut p = pack();
    p.spec.channel_configs.insert("telegram".into(), "old".into());
    assert!(plan_enable(&p, &req).is_ok());
}

#[test]
fn channel_token_fields_and_refusals() {
    let field = |c: &str| channel_token_field("--channel-token-env", c);
    assert_eq!(
        (field("telegram").unwrap(), field("slack").unwrap(), field("discord").unwrap()),
        ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN")
    );
    assert_eq!(
        field("whatsapp").unwrap_err().report(),
        "error: --channel-token-env: channel whatsapp takes no token (it pairs by QR code)"
    );
    assert_eq!(
        field("irc").unwrap_err().report(),
        "error: --channel-token-env: unknown channel \"irc\" (channels: telegram, slack, discord, whatsapp)"
    );
    assert_eq!(channel_secret_name("team", "slack"), "team-slack-secret");
}

/// A credential never shows its values, not even in debug output.
#[test]
fn a_credential_debugs_without_its_values() {
    let c = Credential::aws("eu-west-1".into(), "AKIA".into(), "secret-value".into(), Some("session".into()));
    assert_eq!(format!("{c:?}"), "Credential(4 keys, redacted)");
}

#[test]
fn heartbeat_interval_clears_cron_and_cron_clears_interval() {
    let raw = json!({"metadata": {"name": "team", "namespace": "ns"}, "spec": {"personas": [
        {"name": "a", "schedule": {"type": "heartbeat", "cron": "0 9 * * *", "task": "t"}},
        {"name": "b", "schedule": {"type": "sweep", "interval": "5m", "task": "u"}},
        {"name": "c"}]}});
    let p = PersonaPack::from_value(&raw);
    let plan = plan_enable(&p, &EnableRequest { heartbeat: Some("6h".into()), ..Default::default() }).unwrap();
    let personas = plan.patch["spec"]["personas"].as_array().unwrap();
    assert_eq!(personas[0]["schedule"], json!({"type": "heartbeat", "interval": "6h", "task": "t"}));
    assert_eq!(personas[1]["schedule"], json!({"type": "sweep", "interval": "6h", "task": "u"}));
    assert!(personas[2].get("schedule").is_none(), "a persona without a schedule gets none");
    assert!(
        plan.summary.iter().any(|l| l == "set the heartbeat of 2 scheduled personas to interval 6h"),
        "{:?}",
        plan.summary
    );
    let plan =
        plan_enable(&p, &EnableRequest { heartbeat: Some("*/30 * * * *".into()), ..Default::default() }).unwrap();
    assert_eq!(
        plan.patch["spec"]["personas"][1]["schedule"],
        json!({"type": "sweep", "cron": "*/30 * * * *", "task": "u"})
    );
    for bad in ["45m", "* * *", "hourly"] {
        assert!(
            plan_enable(&p, &EnableRequest { heartbeat: Some(bad.into()), ..Default::default() }).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn agent_sandbox_persona_edits_and_the_github_token() {
    let req = EnableRequest {
        agent_sandbox: Change::Set("gvisor".into()),
        persona_edits: vec![PersonaEdit {
            name: "b".into(),
            system_prompt: Some("New.".into()),
            skills: Some(vec!["memory".into()]),
            ..Default::default()
        }],
        github_token: Some(Credential::one(GITHUB_TOKEN_KEY, "ghp".into())),
        ..Default::default()
    };
    let plan = plan_enable(&pack(), &req).unwrap();
    assert_eq!(plan.patch["spec"]["agentSandbox"], json!({"enabled": true, "runtimeClass": "gvisor"}));
    let personas = plan.patch["spec"]["personas"].as_array().unwrap();
    assert_eq!((personas[0]["systemPrompt"].as_str(), personas[1]["systemPrompt"].as_str()), (Some("x"), Some("New.")));
    assert_eq!(personas[1]["skills"], json!(["memory"]));
    let s = plan.secrets.first().unwrap();
    assert_eq!((s.name.as_str(), s.namespace.as_str()), ("github-gitops-token", "sympozium-system"));
    assert_eq!(s.data.get("GH_TOKEN"), Some("ghp"));
    assert!(!s.labels.contains_key(Era::PersonaPack.label_pack()), "shared by every pack: disable must not take it");
    assert_eq!(s.labels["sympozium.ai/skill"], "github-gitops");
    // Off clears it; an unknown persona is refused.
    let plan = plan_enable(&pack(), &EnableRequest { agent_sandbox: Change::Remove, ..Default::default() }).unwrap();
    assert_eq!(plan.patch["spec"]["agentSandbox"], Value::Null);
    let req = EnableRequest {
        persona_edits: vec![PersonaEdit { name: "zz".into(), ..Default::default() }],
        ..Default::default()
    };
    assert!(plan_enable(&pack(), &req).unwrap_err().report().contains("has no persona \"zz\""));
}

#[test]
fn a_secret_keeps_every_key_enable_did_not_write() {
    let req = EnableRequest {
        provider: Some(Provider::Openai),
        credential: Some(Credential::api_key(Provider::Openai, "sk-new".into())),
        ..Default::default()
    };
    let plan = plan_enable(&pack(), &req).unwrap();
    let s = plan.secrets.first().unwrap();
    let ours = s.labels.clone();
    let foreign = BTreeMap::from([("team".to_string(), "billing".to_string())]);
    let data = |pairs: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect()
    };
    assert_eq!(secret_change(s, None).0, Written::Created);
    let same = data(&[("OPENAI_API_KEY", "sk-new")]);
    assert_eq!(secret_change(s, Some((&same, &ours))).0, Written::Unchanged);
    // Ours, nothing stale, another key value: configured.
    let older = data(&[("OPENAI_API_KEY", "sk-old")]);
    assert_eq!(secret_change(s, Some((&older, &ours))).0, Written::Configured);
    assert_eq!(
        (Written::Created.word(), Written::Configured.word(), Written::Unchanged.word()),
        ("created", "configured", "unchanged")
    );
    // Ours: a stale key of enable's own goes, a key someone added stays.
    let mixed = data(&[("OPENAI_API_KEY", "sk-old"), ("AWS_SESSION_TOKEN", "t"), ("BILLING_DB_PASSWORD", "p")]);
    let (w, patch) = secret_change(s, Some((&mixed, &ours)));
    assert_eq!(w, Written::Configured);
    assert_eq!(patch["data"], json!({"AWS_SESSION_TOKEN": null}));
    assert_eq!(patch["stringData"], json!({"OPENAI_API_KEY": "sk-new"}));
    // Adopted (not ours): nothing is removed, ever.
    let (w, patch) = secret_change(s, Some((&mixed, &foreign)));
    assert_eq!(w, Written::Configured);
    assert_eq!(patch["data"], json!({}));
    let mut other = s.clone();
    other.labels.insert(Era::PersonaPack.label_pack().into(), "other".into());
    assert!(s.is_ours(&ours) && !other.is_ours(&ours) && !s.is_ours(&foreign));
}

#[test]
fn disable_impact_reads_like_a_sentence() {
    let i = DisableImpact {
        instances: 2,
        schedules: 1,
        memory: 2,
        secrets: vec!["team-openai-key".into()],
        clears_auth_refs: true,
    };
    assert_eq!(
        i.describe(Era::PersonaPack, "team"),
        "Disabling personapack \"team\" makes the Sympozium controller delete 2 SympoziumInstances, 1 SympoziumSchedule, 2 memory ConfigMaps, the credential Secret team-openai-key, and clear spec.authRefs."
    );
}

fn graphed() -> PersonaPack {
    PersonaPack::from_value(&json!({
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "Ensemble",
        "metadata": {"name": "team", "namespace": "ns", "resourceVersion": "7"},
        "spec": {"enabled": false, "workflowType": "delegation",
            "stimulus": {"name": "kick", "prompt": "Go."},
            "channelAccessControl": {"telegram": {"allowedChats": ["c"]}},
            "sharedMemory": {"enabled": false, "storageSize": "1Gi", "accessRules": [{"agentConfig": "a", "access": "read-only"}]},
            "relationships": [{"source": "kick", "target": "a", "type": "stimulus"}, {"source": "a", "target": "b", "type": "delegation"}],
            "agentConfigs": [
                {"name": "a", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}, "future": 1},
                {"name": "b", "systemPrompt": "y"}]}
    }))
}

#[test]
fn an_ensembles_own_settings_are_planned() {
    let edits = EnsembleEdits {
        relationships: Some(
            json!([{"source": "kick", "target": "b", "type": "stimulus"}, {"source": "b", "target": "a", "type": "delegation"}]),
        ),
        workflow_type: Some("delegation".into()),
        shared_memory: Some(true),
        shared_memory_size: Some("2Gi".into()),
        stimulus_prompt: Some("Now.".into()),
        stimulus_trigger: Some("manual".into()),
        first_tick: Some("afterInterval".into()),
        channel_access_control: Some(json!({"slack": {"allowedSenders": ["U1"]}})),
        ..Default::default()
    };
    let req = EnableRequest {
        ensemble: edits,
        persona_edits: vec![PersonaEdit {
            name: "b".into(),
            model: Some("m".into()),
            provider: Some("anthropic".into()),
            base_url: Some("http://u".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let plan = plan_enable(&graphed(), &req).unwrap();
    let spec = &plan.patch["spec"];
    assert_eq!(spec["relationships"][0]["target"], "b");
    assert_eq!(spec["workflowType"], "delegation");
    assert_eq!(spec["sharedMemory"], json!({"enabled": true, "storageSize": "2Gi"}), "merged: access rules kept");
    assert_eq!(spec["stimulus"], json!({"prompt": "Now.", "trigger": "manual"}), "merged: its name kept");
    let configs = spec["agentConfigs"].as_array().unwrap();
    assert_eq!(configs[0]["schedule"]["firstTick"], "afterInterval");
    assert_eq!(configs[0]["future"], 1, "fields the plugin does not model survive");
    assert!(configs[1].get("schedule").is_none(), "no schedule is made up");
    assert_eq!((configs[1]["model"].as_str(), configs[1]["provider"].as_str()), (Some("m"), Some("anthropic")));
    assert_eq!(configs[1]["baseURL"], "http://u");
    assert!(plan.guarded);
    assert_eq!(
        spec["channelAccessControl"],
        json!({"slack": {"allowedSenders": ["U1"]}, "telegram": null}),
        "exactly: telegram's rules go"
    );
    for line in [
        "set workflow type delegation",
        "turn shared memory on",
        "fire the stimulus only when triggered",
        "1 scheduled agent config: the first run one interval after it is made",
    ] {
        assert!(plan.summary.iter().any(|l| l.starts_with(line)), "{line} in {:?}", plan.summary);
    }
}

#[test]
fn an_ensembles_settings_are_refused_where_they_cannot_stand() {
    let with = |e: EnsembleEdits| EnableRequest { ensemble: e, ..Default::default() };
    // On a PersonaPack, naming the flags.
    let e = EnsembleEdits {
        workflow_type: Some("pipeline".into()),
        first_tick: Some("immediate".into()),
        ..Default::default()
    };
    let err = plan_enable(&pack(), &with(e)).unwrap_err().to_string();
    assert!(err.starts_with("--workflow-type, --first-tick need an Ensemble"), "{err}");
    let edit = PersonaEdit { name: "b".into(), provider: Some("openai".into()), ..Default::default() };
    let err = plan_enable(&pack(), &EnableRequest { persona_edits: vec![edit], ..Default::default() }).unwrap_err();
    assert!(
        err.to_string().contains("--persona-provider, --persona-base-url and --persona-subagents need an Ensemble"),
        "{err}"
    );
    // A graph the controller would not reconcile: cleared under a delegation workflow with a stimulus.
    let cleared = EnsembleEdits { relationships: Some(json!([])), ..Default::default() };
    let err = plan_enable(&graphed(), &with(cleared)).unwrap_err().to_string();
    assert!(err.contains("would not reconcile") && err.contains("requires at least one delegation"), "{err}");
    let unknown = EnsembleEdits {
        relationships: Some(json!([{"source": "a", "target": "zz", "type": "delegation"}])),
        ..Default::default()
    };
    let err = plan_enable(&graphed(), &with(unknown)).unwrap_err().to_string();
    assert!(err.contains("target \"zz\" is not an agent config"), "{err}");
    let bad_type = EnsembleEdits {
        relationships: Some(json!([{"source": "a", "target": "b", "type": "follows"}])),
        ..Default::default()
    };
    assert!(plan_enable(&graphed(), &with(bad_type)).unwrap_err().to_string().contains("is not one of delegation"));
    let acl = EnsembleEdits { channel_access_control: Some(json!({"slack": ["U1"]})), ..Default::default() };
    assert!(
        plan_enable(&graphed(), &with(acl))
            .unwrap_err()
            .to_string()
            .contains("--channel-access-control: expected a JSON object")
    );
    let not_list = EnsembleEdits { relationships: Some(json!({"a": 1})), ..Default::default() };
    assert!(plan_enable(&graphed(), &with(not_list)).unwrap_err().to_string().contains("expected a JSON list"));
    // A new stimulus needs its prompt.
    let mut bare = graphed();
    bare.raw["spec"].as_object_mut().unwrap().remove("stimulus");
    let trig = EnsembleEdits { stimulus_trigger: Some("manual".into()), ..Default::default() };
    assert!(
        plan_enable(&bare, &with(trig)).unwrap_err().to_string().contains("give its prompt with --stimulus-prompt")
    );
}

/// One setting alone is planned alone: the size without turning memory on
/// or off, the stimulus's name without a prompt; the stimulus's name is no
/// agent config for any other kind of edge.
#[test]
fn an_ensembles_settings_are_planned_one_at_a_time() {
    let with = |e: EnsembleEdits| EnableRequest { ensemble: e, ..Default::default() };
    let size = EnsembleEdits { shared_memory_size: Some("3Gi".into()), ..Default::default() };
    let plan = plan_enable(&graphed(), &with(size)).unwrap();
    assert_eq!(plan.patch["spec"]["sharedMemory"], json!({"storageSize": "3Gi"}));
    let name = EnsembleEdits { stimulus_name: Some("go".into()), ..Default::default() };
    let plan = plan_enable(&graphed(), &with(name)).unwrap_err().to_string();
    assert!(plan.contains("stimulus"), "renaming the stimulus leaves the relationship naming kick: {plan}");
    let renamed = EnsembleEdits {
        stimulus_name: Some("go".into()),
        relationships: Some(
            json!([{"source": "go", "target": "a", "type": "stimulus"}, {"source": "a", "target": "b", "type": "delegation"}]),
        ),
        ..Default::default()
    };
    let plan = plan_enable(&graphed(), &with(renamed)).unwrap();
    assert_eq!(plan.patch["spec"]["stimulus"], json!({"name": "go"}));
    let from_stimulus = EnsembleEdits {
        relationships: Some(
            json!([{"source": "kick", "target": "a", "type": "stimulus"}, {"source": "kick", "target": "b", "type": "delegation"}]),
        ),
        ..Default::default()
    };
    let err = plan_enable(&graphed(), &with(from_stimulus)).unwrap_err().to_string();
    assert!(err.contains("source \"kick\" is not an agent config"), "{err}");
    let immediate = EnsembleEdits { first_tick: Some("immediate".into()), ..Default::default() };
    let plan = plan_enable(&graphed(), &with(immediate)).unwrap();
    assert!(
        plan.summary.iter().any(|l| l == "1 scheduled agent config: the first run as soon as it is made"),
        "{:?}",
        plan.summary
    );
}

#[test]
fn a_flag_keeps_sets_or_removes() {
    assert_eq!(Change::from_flag(None, ""), Change::Keep);
    assert_eq!(Change::from_flag(Some(""), ""), Change::Remove);
    assert_eq!(Change::from_flag(Some("false"), "false"), Change::Remove);
    assert_eq!(Change::from_flag(Some("gvisor"), "false"), Change::Set("gvisor".to_string()));
}

#[test]
fn credentials_compare_by_keys_and_values_and_name_their_keys() {
    let a = Credential::one("token", "x".into());
    assert_eq!(a, Credential::one("token", "x".into()));
    assert_ne!(a, Credential::one("token", "y".into()));
    assert_ne!(a, Credential::one("key", "x".into()));
    assert_eq!(a.keys().collect::<Vec<_>>(), ["token"]);
}

#[test]
fn secret_roles_say_what_they_hold_and_how_to_keep_an_existing_one() {
    let key = SecretRole::ProviderKey("openai");
    let slack = SecretRole::ChannelToken("slack".into());
    assert_eq!(
        (key.purpose(), slack.purpose(), SecretRole::GithubToken.purpose()),
        ("the openai key".into(), "the slack bot token".into(), "the GitHub token".into())
    );
    assert_eq!(key.use_existing("k"), "Use it as it is with --secret k");
    assert_eq!(slack.use_existing("t"), "Use it as it is with --channel-secret slack=t");
    assert_eq!(SecretRole::GithubToken.use_existing("g"), "Leave it as it is (omit the GitHub token)");
}

/// Keys already there (no Model) are no reason to warn; any Ensemble-only
/// persona flag alone is refused on a PersonaPack.
#[test]
fn existing_keys_need_no_warning_and_each_ensemble_persona_flag_is_refused_alone() {
    let plan = plan_enable(&ensemble(json!({})), &EnableRequest::default()).unwrap();
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    for edit in [
        PersonaEdit { name: "a".into(), base_url: Some("http://u".into()), ..Default::default() },
        PersonaEdit { name: "a".into(), subagents: Some(json!({"maxDepth": 1})), ..Default::default() },
    ] {
        let err = plan_enable(&pack(), &EnableRequest { persona_edits: vec![edit], ..Default::default() }).unwrap_err();
        assert!(err.to_string().contains("need an Ensemble"), "{err}");
    }
}

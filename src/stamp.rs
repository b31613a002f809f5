//! What the Sympozium v0.8.28 controller stamps for a pack, computed offline,
//! and where live objects differ from it. Pure: no I/O.
//!
//! Semantics follow ../shared/docs/sympozium-personapack.md §3 (controller)
//! and §10 (v0.8.1's staggered intervals, v0.8.19's systemPrompt propagation):
//! names `<pack>-<persona>`, `-schedule`, `-memory`; labels; a controller
//! ownerReference on instances and schedules (none on memory ConfigMaps);
//! model default `gpt-4o`; skills minus `mcp-bridge`, with skillParams,
//! `memory` always, `web-endpoint` when asked; the team objective prefix.

use serde_json::{Map, Value, json};

mod ensemble;

use crate::model::{
    DEFAULT_MODEL, Era, GROUP, MEMORY_KEY, MemoryForm, Persona, PersonaPack, VERSION, instance_name, memory_form,
    memory_name, schedule_name, seeded_memory,
};

/// The controller's observability defaults (its SYMPOZIUM_DEFAULT_OTEL_* environment unset).
fn observability() -> Value {
    json!({
        "enabled": false,
        "otlpEndpoint": "sympozium-otel-collector.sympozium-system.svc:4317",
        "otlpProtocol": "grpc",
        "serviceName": "sympozium",
        "resourceAttributes": {"deployment.environment": "cluster", "k8s.cluster.name": "unknown"}
    })
}

/// The intervals v0.8.28 turns into a cron line (any other means hourly).
pub const KNOWN_INTERVALS: [&str; 18] = [
    "1m", "1min", "5m", "5min", "10m", "10min", "15m", "15min", "30m", "30min", "1h", "60m", "2h", "3h", "4h", "6h",
    "12h", "24h",
];

/// An interval the controller schedules as written (`1d` too), not as hourly.
pub fn is_known_interval(interval: &str) -> bool {
    let i = interval.trim().to_ascii_lowercase();
    KNOWN_INTERVALS.contains(&i.as_str()) || i == "1d"
}

/// Interval → cron as v0.8.28 writes it: staggered by `offset` minutes
/// (2 × the persona's index in spec.personas); unknown values mean hourly,
/// anything with a space is taken as cron already.
pub fn interval_to_cron(interval: &str, offset: usize) -> String {
    let every = |n: usize| format!("{}/{n} * * * *", offset % n);
    let hours = |h: &str| format!("{} {h} * * *", offset % 60);
    match interval.trim().to_ascii_lowercase().as_str() {
        "1m" | "1min" => "* * * * *".into(),
        "5m" | "5min" => every(5),
        "10m" | "10min" => every(10),
        "15m" | "15min" => every(15),
        "30m" | "30min" => every(30),
        "2h" => hours("*/2"),
        "3h" => hours("*/3"),
        "4h" => hours("*/4"),
        "6h" => hours("*/6"),
        "12h" => hours("*/12"),
        "24h" | "1d" => hours("0"),
        _ if interval.contains(' ') => interval.to_string(),
        // "1h", "60m", and anything unknown: hourly.
        _ => hours("*"),
    }
}

fn meta(pack: &PersonaPack, name: &str, persona: &str, owned: bool, extra_labels: &[(&str, &str)]) -> Value {
    let mut labels = Map::new();
    labels.insert(pack.era.label_pack().into(), json!(pack.meta.name));
    labels.insert(pack.era.label_member().into(), json!(persona));
    for (k, v) in extra_labels {
        labels.insert((*k).into(), json!(v));
    }
    let mut m = json!({"name": name, "namespace": pack.meta.namespace, "labels": labels});
    if owned {
        let uid = match pack.meta.uid.as_str() {
            "" => format!("<uid of the {}>", pack.era.kind()),
            uid => uid.to_string(),
        };
        m["ownerReferences"] = json!([{
            "apiVersion": format!("{GROUP}/{VERSION}"), "kind": pack.era.kind(), "name": pack.meta.name,
            "uid": uid, "controller": true, "blockOwnerDeletion": true
        }]);
    }
    m
}

/// Every object the controller creates for the pack when it is enabled, in
/// the order it creates them (per persona: instance, memory, schedule).
/// An Ensemble's `modelRef` is resolved against the Model's endpoint:
/// `model_endpoint` is that endpoint when the Model is Ready (else the
/// controller waits, and stamps nothing new).
pub fn render(pack: &PersonaPack, model_endpoint: Option<&str>) -> Vec<Value> {
    let raw_personas = pack.raw["spec"][pack.era.members_field()].as_array().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (index, p) in pack.spec.personas.iter().enumerate() {
        if pack.is_excluded(&p.name) {
            continue;
        }
        let raw = raw_personas.get(index).cloned().unwrap_or_default();
        match pack.era {
            Era::PersonaPack => out.push(build_instance(pack, p, &raw)),
            Era::Ensemble => out.push(ensemble::build_agent(pack, p, &raw, model_endpoint.unwrap_or(""))),
        }
        out.extend(memory_seeds(pack, p));
        if pack.is_scheduled(p) {
            out.extend(build_schedule(pack, p, &raw, index));
        }
    }
    out
}

/// The persona's SympoziumInstance (upstream `buildInstance`).
fn build_instance(pack: &PersonaPack, p: &Persona, raw: &Value) -> Value {
    let s = &pack.spec;
    let mut agent = json!({"model": p.model.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| DEFAULT_MODEL.into())});
    if let Some(url) = s.base_url.as_ref().filter(|u| !u.is_empty()) {
        agent["baseURL"] = json!(url);
    }
    if let Some(sb) = &s.agent_sandbox {
        agent["agentSandbox"] = sb.clone();
    }
    if let Some(lc) = raw.get("lifecycle").filter(|v| !v.is_null()) {
        agent["lifecycle"] = lc.clone();
    }
    let mut skills: Vec<Value> = Vec::new();
    for sk in p.skills.iter().filter(|sk| *sk != "mcp-bridge") {
        let mut r = json!({"skillPackRef": sk});
        if let Some(params) = s.skill_params.get(sk).filter(|m| !m.is_empty()) {
            r["params"] = json!(params);
        }
        skills.push(r);
    }
    if !p.skills.iter().any(|sk| sk == "memory") {
        skills.push(json!({"skillPackRef": "memory"}));
    }
    if let Some(we) = p.web_endpoint.as_ref().filter(|w| w.enabled) {
        let params = match we.hostname.as_deref().filter(|h| !h.is_empty()) {
            Some(h) => json!({"hostname": h}),
            None => json!({}),
        };
        skills.push(json!({"skillPackRef": "web-endpoint", "params": params}));
    }
    let channels: Vec<Value> = p
        .channels
        .iter()
        .map(|ch| {
            let secret = s.channel_configs.get(ch).filter(|x| !x.is_empty()).cloned().unwrap_or_default();
            let mut c = json!({"type": ch, "configRef": {"secret": secret}});
            if let Some(ac) = s.channel_access_control.get(ch) {
                c["accessControl"] = serde_json::to_value(ac).unwrap_or_default();
            }
            c
        })
        .collect();
    let mut spec = json!({
        "agents": {"default": agent},
        "memory": {"enabled": true, "maxSizeKB": 256, "systemPrompt": p.system_prompt},
        "observability": observability(),
        "skills": skills,
    });
    if !s.auth_refs.is_empty() {
        spec["authRefs"] = serde_json::to_value(&s.auth_refs).unwrap_or_default();
    }
    if !channels.is_empty() {
        spec["channels"] = json!(channels);
    }
    if let Some(policy) = s.policy_ref.as_ref().filter(|x| !x.is_empty()) {
        spec["policyRef"] = json!(policy);
    }
    json!({
        "apiVersion": format!("{GROUP}/{VERSION}"), "kind": "SympoziumInstance",
        "metadata": meta(pack, &instance_name(&pack.meta.name, &p.name), &p.name, true, &[]), "spec": spec,
    })
}

/// The persona's seeded memory ConfigMap, when it has seeds (upstream
/// `reconcileMemorySeeds`).
fn memory_seeds(pack: &PersonaPack, p: &Persona) -> Option<Value> {
    let seeds = p.memory.as_ref().map(|m| &m.seeds).filter(|s| !s.is_empty())?;
    Some(json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": meta(pack, &memory_name(&pack.meta.name, &p.name), &p.name, false, &[("sympozium.ai/memory", "true")]),
        "data": {"MEMORY.md": seeded_memory(seeds)},
    }))
}

/// The persona's SympoziumSchedule, when it has a schedule (upstream
/// `buildSchedule`): a cron wins, else the interval staggered by the
/// persona's index (v0.8.1).
fn build_schedule(pack: &PersonaPack, p: &Persona, raw: &Value, index: usize) -> Option<Value> {
    let sc = p.schedule.as_ref()?;
    let cron = match sc.cron.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => interval_to_cron(sc.interval.as_deref().unwrap_or(""), index * 2),
    };
    let mut spec = json!({"schedule": cron, "task": build_schedule_task(pack, &sc.task), "type": sc.kind(),
                          "concurrencyPolicy": "Forbid", "includeMemory": true});
    spec[pack.era.agent_ref()] = json!(instance_name(&pack.meta.name, &p.name));
    // v0.9+: when the first run happens.
    if let Some(tick) = raw["schedule"]["firstTick"].as_str().filter(|t| !t.is_empty() && pack.era == Era::Ensemble) {
        spec["firstTick"] = json!(tick);
    }
    Some(json!({
        "apiVersion": format!("{GROUP}/{VERSION}"), "kind": "SympoziumSchedule",
        "metadata": meta(pack, &schedule_name(&pack.meta.name, &p.name), &p.name, true, &[]),
        "spec": spec,
    }))
}

/// The schedule's task: the team objective first, when there is one
/// (upstream `buildScheduleTask`).
fn build_schedule_task(pack: &PersonaPack, task: &str) -> String {
    match pack.spec.task_override.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => format!("TEAM OBJECTIVE: {t}\n\nYOUR ROLE TASK: {task}"),
        None => task.to_string(),
    }
}

/// Whether the controller puts a drifted field back by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Fix {
    /// Re-enforced on every reconcile (model when set, authRefs, baseURL,
    /// channels, systemPrompt, the whole schedule spec).
    Controller,
    /// Set only at creation: the instance must be recreated.
    Recreate,
    /// The object is missing: the controller creates it on its next reconcile.
    Create,
    /// Present but not planned, for a persona excluded or a pack disabled:
    /// the controller deletes it.
    Remove,
    /// Present for a persona no longer in the spec: nothing ever removes it.
    Manual,
    /// A memory ConfigMap the SympoziumInstance controller created first: the
    /// persona's seeds were never written (`kubectl personapack seed` writes
    /// them while no agent has written memories).
    Seed,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub kind: String,
    pub name: String,
    pub persona: String,
    /// Dotted path of the field, e.g. `spec.skills`.
    pub path: String,
    pub live: Value,
    pub planned: Value,
    pub fix: Fix,
}

/// The tests' one pending drift: team-a's authRefs changed, fixed by `fix`.
#[cfg(test)]
impl Difference {
    pub fn sample(fix: Fix) -> Difference {
        Difference {
            kind: "SympoziumInstance".into(),
            name: "team-a".into(),
            persona: "a".into(),
            path: "spec.authRefs".into(),
            live: json!("old"),
            planned: json!("new"),
            fix,
        }
    }
}

/// Instance fields the controller re-enforces on existing instances (v0.8.28);
/// the rest, labels included, only a new instance gets.
fn instance_fix(path: &str, persona_sets_model: bool) -> Fix {
    match path {
        "spec.authRefs" | "spec.agents.default.baseURL" | "spec.memory.systemPrompt" | "spec.channels" => {
            Fix::Controller
        }
        "spec.agents.default.model" if persona_sets_model => Fix::Controller,
        _ => Fix::Recreate,
    }
}

/// Live objects the plan does not have: the controller's to remove when
/// their persona is in the spec, else the user's.
fn unplanned(pack: &PersonaPack, live: &[Value], plan: &[Value]) -> Vec<Difference> {
    let member_label = pack.era.label_member();
    let mut out = Vec::new();
    for obj in live {
        let (kind, name) =
            (obj["kind"].as_str().unwrap_or_default(), obj["metadata"]["name"].as_str().unwrap_or_default());
        // Memory outlives its persona's plan: the controller's cleanup removes it.
        if kind == "ConfigMap" {
            continue;
        }
        if plan.iter().any(|p| p["kind"].as_str() == Some(kind) && p["metadata"]["name"].as_str() == Some(name)) {
            continue;
        }
        let persona = obj["metadata"]["labels"][member_label].as_str().unwrap_or_default().to_string();
        let in_spec = pack.spec.personas.iter().any(|p| p.name == persona);
        out.push(Difference {
            kind: kind.to_string(),
            name: name.to_string(),
            persona,
            path: String::new(),
            live: json!("present"),
            planned: Value::Null,
            fix: if in_spec { Fix::Remove } else { Fix::Manual },
        });
    }
    out
}

/// The fields where a live object differs from its plan: (path, live, planned).
fn field_differences(pack: &PersonaPack, kind: &str, obj: &Value, planned: &Value) -> Vec<(String, Value, Value)> {
    let mut found = Vec::new();
    // The controller replaces a drifted schedule spec wholesale, so fields
    // only the live schedule has (suspend: true) are drift too; an
    // instance's other fields are the user's.
    // v0.9+ replaces an Agent's whole spec too.
    let whole = kind == "SympoziumSchedule" || pack.era == Era::Ensemble;
    let mut live_spec = obj["spec"].clone();
    if pack.era == Era::Ensemble && kind == "SympoziumSchedule" {
        // v0.9+ keeps a schedule's suspend (set by hand or by an agent).
        if let Some(m) = live_spec.as_object_mut() {
            m.remove("suspend");
        }
    }
    compare("spec", &live_spec, &planned["spec"], whole, &mut found);
    for (k, v) in planned["metadata"]["labels"].as_object().into_iter().flatten() {
        if obj["metadata"]["labels"].get(k) != Some(v) {
            found.push((
                format!("metadata.labels.{k}"),
                obj["metadata"]["labels"].get(k).cloned().unwrap_or(Value::Null),
                v.clone(),
            ));
        }
    }
    found
}

/// Compare live objects (by kind and name) with the plan, field by field.
/// Server-set metadata and status are ignored; absent and empty are equal.
/// `live` holds the pack's labelled instances and schedules, and the
/// metadata of its memory ConfigMaps (`kind: ConfigMap`).
pub fn diff(pack: &PersonaPack, live: &[Value], model_endpoint: Option<&str>) -> Vec<Difference> {
    let plan = if pack.spec.enabled { render(pack, model_endpoint) } else { Vec::new() };
    let member_label = pack.era.label_member();
    let mut out = unplanned(pack, live, &plan);
    let find = |kind: &str, name: &str| {
        live.iter().find(|o| o["kind"].as_str() == Some(kind) && o["metadata"]["name"].as_str() == Some(name))
    };
    for planned in plan {
        let kind = planned["kind"].as_str().unwrap_or_default().to_string();
        let name = planned["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let persona = planned["metadata"]["labels"][member_label].as_str().unwrap_or_default().to_string();
        if kind == "ConfigMap" {
            // Memory belongs to the agents once written: its content is never
            // compared, only whether the seeds were written at all.
            if let Some(d) = memory_difference(find(&kind, &name), &planned, &persona) {
                out.push(d);
            }
            continue;
        }
        let Some(obj) = find(&kind, &name) else {
            out.push(Difference {
                kind,
                name,
                persona,
                path: String::new(),
                live: Value::Null,
                planned: json!("present"),
                fix: Fix::Create,
            });
            continue;
        };
        let sets_model =
            pack.spec.personas.iter().any(|p| p.name == persona && p.model.as_deref().is_some_and(|m| !m.is_empty()));
        let found = field_differences(pack, &kind, obj, &planned);
        for (path, l, p) in found {
            let fix = match kind.as_str() {
                "SympoziumSchedule" => Fix::Controller,
                // v0.9+ rewrites an Agent's spec and merges its labels on every reconcile.
                _ if pack.era == Era::Ensemble => Fix::Controller,
                _ => instance_fix(&path, sets_model),
            };
            out.push(Difference {
                kind: kind.clone(),
                name: name.clone(),
                persona: persona.clone(),
                path,
                live: l,
                planned: p,
                fix,
            });
        }
    }
    out
}

/// A persona with seeds and its memory ConfigMap: missing (the controller
/// creates it), or created first by the SympoziumInstance controller, so the
/// seeds were never written (nothing upstream ever writes them).
fn memory_difference(live: Option<&Value>, planned: &Value, persona: &str) -> Option<Difference> {
    let labels = |v: &Value| serde_json::from_value(v["metadata"]["labels"].clone()).unwrap_or_default();
    let (path, live_value, fix) = match live {
        None => (String::new(), Value::Null, Fix::Create),
        Some(obj) if memory_form(&labels(obj)) == MemoryForm::InstanceDefault => (
            format!("data.{MEMORY_KEY}"),
            json!("the SympoziumInstance controller's initial memory, without the seeds"),
            Fix::Seed,
        ),
        Some(_) => return None,
    };
    Some(Difference {
        kind: "ConfigMap".into(),
        name: planned["metadata"]["name"].as_str().unwrap_or_default().to_string(),
        persona: persona.to_string(),
        path,
        live: live_value,
        planned: if fix == Fix::Create { json!("present") } else { planned["data"][MEMORY_KEY].clone() },
        fix,
    })
}

/// Planned vs live at `path`; recurse into objects so each difference names
/// its field; lists and scalars compare whole. Go's zero values (absent,
/// null, "", false, 0, empty list or map) are all equal, as the controller's
/// typed comparison sees them. With `whole`, keys only the live side has count.
fn compare(path: &str, live: &Value, planned: &Value, whole: bool, out: &mut Vec<(String, Value, Value)>) {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
    };
    match (live, planned) {
        (Value::Object(l), Value::Object(p)) => {
            for (k, pv) in p {
                compare(&format!("{path}.{k}"), l.get(k).unwrap_or(&Value::Null), pv, whole, out);
            }
            if whole {
                for (k, lv) in l.iter().filter(|(k, _)| !p.contains_key(*k)) {
                    compare(&format!("{path}.{k}"), lv, &Value::Null, whole, out);
                }
            }
        }
        (l, p) if empty(l) && empty(p) => {}
        (l, p) if l != p => out.push((path.to_string(), l.clone(), p.clone())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(extra: Value) -> PersonaPack {
        let mut v = json!({
            "metadata": {"name": "team", "namespace": "ns", "uid": "u-1"},
            "spec": {"enabled": true, "personas": [
                {"name": "lead", "systemPrompt": "Lead.", "skills": ["mcp-bridge", "k8s-ops"],
                 "schedule": {"type": "scheduled", "cron": "0 9 * * 1", "task": "Plan."},
                 "memory": {"enabled": true, "seeds": ["a", "b"]}},
                {"name": "dev", "systemPrompt": "Dev.", "model": "claude", "skills": ["github-gitops", "memory"],
                 "channels": ["slack"], "webEndpoint": {"enabled": true, "hostname": "dev.example"},
                 "schedule": {"type": "sweep", "interval": "5m", "task": "Code."}},
                {"name": "qa", "systemPrompt": "QA.", "schedule": {"type": "sweep", "interval": "3h", "task": "Test."}}
            ]}
        });
        if let (Some(spec), Some(more)) = (v["spec"].as_object_mut(), extra.as_object()) {
            for (k, x) in more {
                spec.insert(k.clone(), x.clone());
            }
        }
        PersonaPack::from_value(&v)
    }

    #[test]
    fn intervals_are_staggered_like_v0_8_28() {
        assert_eq!(interval_to_cron("5m", 0), "0/5 * * * *");
        assert_eq!(interval_to_cron("5m", 12), "2/5 * * * *");
        assert_eq!(interval_to_cron("15MIN", 4), "4/15 * * * *");
        assert_eq!(interval_to_cron("1h", 2), "2 * * * *");
        assert_eq!(interval_to_cron("3h", 4), "4 */3 * * *");
        assert_eq!(interval_to_cron("1d", 62), "2 0 * * *");
        assert_eq!(interval_to_cron("1m", 8), "* * * * *");
        assert_eq!(interval_to_cron("45m", 2), "2 * * * *", "unknown intervals are hourly");
        assert_eq!(interval_to_cron("*/7 * * * *", 2), "*/7 * * * *");
    }

    #[test]
    fn renders_what_the_controller_stamps() {
        let p = pack(json!({
            "authRefs": [{"provider": "openai", "secret": "team-openai-key"}], "baseURL": "http://llm/v1",
            "taskOverride": "Ship.", "channelConfigs": {"slack": "team-slack"}, "policyRef": "strict",
            "skillParams": {"github-gitops": {"repo": "o/r"}}, "excludePersonas": ["qa"]
        }));
        let objs = render(&p, None);
        let names: Vec<&str> = objs.iter().map(|o| o["metadata"]["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["team-lead", "team-lead-memory", "team-lead-schedule", "team-dev", "team-dev-schedule"]);
        insta::assert_snapshot!(crate::output::serialize(&json!(objs), crate::output::Format::Yaml).unwrap());
    }

    #[test]
    fn diff_names_each_field_and_who_fixes_it() {
        let p = pack(json!({"excludePersonas": ["qa"], "authRefs": [{"provider": "openai", "secret": "k"}]}));
        let mut live = render(&p, None);
        // Drift: skills edited (never propagated), authRefs changed (re-enforced),
        // a schedule suspended (reverted), the dev schedule missing.
        live[0]["spec"]["skills"] = json!([{"skillPackRef": "k8s-ops"}]);
        live[0]["spec"]["authRefs"] = json!([]);
        live[2]["spec"]["suspend"] = json!(true);
        live[2]["spec"]["schedule"] = json!("0 10 * * 1");
        live.retain(|o| o["metadata"]["name"] != "team-dev-schedule");
        // Server-set fields do not count.
        live[0]["metadata"]["uid"] = json!("x");
        live[0]["status"] = json!({"phase": "Running"});
        let d = diff(&p, &live, None);
        let got: Vec<(&str, &str, Fix)> = d.iter().map(|x| (x.name.as_str(), x.path.as_str(), x.fix)).collect();
        assert_eq!(
            got,
            [
                ("team-lead", "spec.authRefs", Fix::Controller),
                ("team-lead", "spec.skills", Fix::Recreate),
                ("team-lead-schedule", "spec.schedule", Fix::Controller),
                ("team-lead-schedule", "spec.suspend", Fix::Controller),
                ("team-dev-schedule", "", Fix::Create),
            ]
        );
        assert!(diff(&p, &render(&p, None), None).is_empty());
    }

    #[test]
    fn memory_without_its_seeds_is_a_difference_only_seed_fixes() {
        let p = pack(json!({"excludePersonas": ["qa"]}));
        let mut live = render(&p, None);
        // The SympoziumInstance controller won the race for team-lead-memory.
        live[1] = json!({"kind": "ConfigMap", "metadata": {"name": "team-lead-memory",
            "labels": {"sympozium.ai/instance": "team-lead", "sympozium.ai/component": "memory"}}});
        let d = diff(&p, &live, None);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].name.as_str(), d[0].path.as_str(), d[0].fix),
            ("team-lead-memory", "data.MEMORY.md", Fix::Seed)
        );
        assert_eq!(d[0].planned, json!("# Memory\n\n- a\n- b\n"));
        // Seeded memory an agent has since rewritten is the agents' business.
        live[1] = json!({"kind": "ConfigMap", "metadata": {"name": "team-lead-memory",
            "labels": {"sympozium.ai/persona-pack": "team", "sympozium.ai/memory": "true"}}});
        assert!(diff(&p, &live, None).is_empty());
        // No memory at all yet: the controller creates it.
        live.remove(1);
        let d = diff(&p, &live, None);
        assert_eq!((d[0].name.as_str(), d[0].fix), ("team-lead-memory", Fix::Create));
    }

    /// Every interval the controller knows, staggered by the offset.
    #[test]
    fn each_known_interval_has_its_own_cron() {
        let want = [
            ("1min", "* * * * *"),
            ("5min", "2/5 * * * *"),
            ("10m", "7/10 * * * *"),
            ("10min", "7/10 * * * *"),
            ("15m", "7/15 * * * *"),
            ("30m", "7/30 * * * *"),
            ("30min", "7/30 * * * *"),
            ("60m", "7 * * * *"),
            ("1h", "7 * * * *"),
            (" 2H ", "7 */2 * * *"),
            ("4h", "7 */4 * * *"),
            ("6h", "7 */6 * * *"),
            ("12h", "7 */12 * * *"),
            ("24h", "7 0 * * *"),
        ];
        for (interval, cron) in want {
            assert_eq!(interval_to_cron(interval, 7), cron, "{interval:?}");
            assert!(is_known_interval(interval), "{interval:?}");
        }
        assert_eq!(interval_to_cron("2h", 61), "1 */2 * * *");
        assert!(!is_known_interval("45m"));
    }

    /// Only the persona's model makes the instance's model the controller's to re-enforce.
    #[test]
    fn the_model_is_re_enforced_only_when_the_persona_sets_it() {
        assert_eq!(instance_fix("spec.agents.default.model", true), Fix::Controller);
        assert_eq!(instance_fix("spec.agents.default.model", false), Fix::Recreate);
        assert_eq!(instance_fix("spec.channels", false), Fix::Controller);
    }

    /// A persona's lifecycle goes into its instance (not a null one); a
    /// firstTick only in the Ensemble era.
    #[test]
    fn lifecycle_and_first_tick_are_carried_where_the_era_has_them() {
        let lead = |lifecycle: Value| {
            let p = PersonaPack::from_value(
                &json!({"metadata": {"name": "team", "namespace": "ns"}, "spec": {"enabled": true,
                "personas": [{"name": "lead", "systemPrompt": "x", "lifecycle": lifecycle,
                              "schedule": {"type": "heartbeat", "interval": "1h", "firstTick": "2026-01-01T00:00:00Z"}}]}}),
            );
            render(&p, None)
        };
        let objs = lead(json!({"postRun": [{"name": "x"}]}));
        let instance = objs.iter().find(|o| o["kind"] == "SympoziumInstance").unwrap();
        assert_eq!(instance["spec"]["agents"]["default"]["lifecycle"], json!({"postRun": [{"name": "x"}]}));
        let schedule = objs.iter().find(|o| o["kind"] == "SympoziumSchedule").unwrap();
        assert!(schedule["spec"].get("firstTick").is_none(), "v0.8 has no firstTick");
        let objs = lead(Value::Null);
        let instance = objs.iter().find(|o| o["kind"] == "SympoziumInstance").unwrap();
        assert!(instance["spec"]["agents"]["default"].get("lifecycle").is_none());
    }

    /// Live objects the plan lacks: the controller removes those of a persona
    /// in the spec (excluded), the user those of one gone from it; memory stays.
    #[test]
    fn unplanned_objects_are_the_controllers_or_the_users_to_remove() {
        let p = pack(json!({"excludePersonas": ["qa"]}));
        let mut live = render(&p, None);
        let labelled = |kind: &str, name: &str, persona: &str| json!({"kind": kind, "metadata": {"name": name, "labels": {"sympozium.ai/persona": persona}}, "spec": {}});
        live.push(labelled("SympoziumInstance", "team-qa", "qa"));
        live.push(labelled("SympoziumInstance", "team-gone", "gone"));
        live.push(labelled("ConfigMap", "team-gone-memory", "gone"));
        let d = diff(&p, &live, None);
        let got: Vec<(&str, &str, Fix)> = d.iter().map(|x| (x.kind.as_str(), x.name.as_str(), x.fix)).collect();
        assert_eq!(
            got,
            [("SympoziumInstance", "team-qa", Fix::Remove), ("SympoziumInstance", "team-gone", Fix::Manual)]
        );
        assert_eq!(d[0].persona, "qa");
        assert_eq!(d[0].live, json!("present"));
    }

    /// A v0.8 schedule is compared whole (a field only the live one has is
    /// drift), an instance only by the plan's fields.
    #[test]
    fn schedules_are_compared_whole_and_instances_by_the_plans_fields() {
        let p = pack(json!({"excludePersonas": ["qa", "dev"]}));
        let mut live = render(&p, None);
        for o in &mut live {
            o["spec"]["extra"] = json!("by hand");
        }
        let d = diff(&p, &live, None);
        let got: Vec<(&str, &str)> = d.iter().map(|x| (x.name.as_str(), x.path.as_str())).collect();
        assert_eq!(got, [("team-lead-schedule", "spec.extra")]);
    }

    /// Go's zero values equal absence, on either side; anything else differs.
    #[test]
    fn zero_values_are_absent_and_the_rest_differs() {
        let mut found = Vec::new();
        let live = json!({"n": 0, "b": false, "s": "", "l": [], "m": {}, "z": null, "one": 1, "t": "x"});
        compare("spec", &live, &json!({"n": null, "s": null}), true, &mut found);
        let paths: Vec<&str> = found.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(paths, ["spec.one", "spec.t"]);
        found.clear();
        compare("spec", &json!({}), &json!({"n": 0.0, "b": false, "x": 2.5}), false, &mut found);
        assert_eq!(found, [("spec.x".to_string(), Value::Null, json!(2.5))]);
    }

    /// An instance's model is re-enforced only for a persona that names one
    /// (dev); another's is the instance's own (lead); its labels only a new
    /// instance gets.
    #[test]
    fn an_instances_model_is_the_controllers_only_when_the_persona_sets_it() {
        let p = pack(json!({"excludePersonas": ["qa"]}));
        let mut live = render(&p, None);
        for o in live.iter_mut().filter(|o| o["kind"] == "SympoziumInstance") {
            o["spec"]["agents"]["default"]["model"] = json!("other");
            o["metadata"]["labels"]["sympozium.ai/persona"] = json!("renamed");
        }
        let d = diff(&p, &live, None);
        let got: Vec<(&str, &str, Fix)> = d.iter().map(|x| (x.name.as_str(), x.path.as_str(), x.fix)).collect();
        assert_eq!(
            got,
            [
                ("team-lead", "spec.agents.default.model", Fix::Recreate),
                ("team-lead", "metadata.labels.sympozium.ai/persona", Fix::Recreate),
                ("team-dev", "spec.agents.default.model", Fix::Controller),
                ("team-dev", "metadata.labels.sympozium.ai/persona", Fix::Recreate),
            ]
        );
    }
}

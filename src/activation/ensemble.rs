//! `enable`'s steps for what only an Ensemble has (Sympozium v0.10.46's
//! `patchEnsemble` sets them; `firstTick` is the schedules' own): the
//! relationships and workflow type, shared memory, the stimulus, and each
//! schedule's first tick. Refused on a PersonaPack, naming the flag.

use serde_json::{Value, json};

use super::draft::Draft;
use super::*;
use crate::error::{Error, Result};
use crate::model::Era;

/// What an Ensemble's enable may set besides v0.8's settings; None leaves it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnsembleEdits {
    /// `spec.relationships` exactly (`[]` clears), as `--relationships` gave it.
    pub relationships: Option<Value>,
    /// `autonomous`, `pipeline` or `delegation`.
    pub workflow_type: Option<String>,
    /// `sharedMemory.enabled`.
    pub shared_memory: Option<bool>,
    pub shared_memory_size: Option<String>,
    pub stimulus_prompt: Option<String>,
    pub stimulus_name: Option<String>,
    /// `onReady` or `manual`.
    pub stimulus_trigger: Option<String>,
    /// Every schedule's `firstTick`: `immediate` or `afterInterval`.
    pub first_tick: Option<String>,
    /// `channelAccessControl` exactly: channel type to its senders and chats (`{}` clears).
    pub channel_access_control: Option<Value>,
}

impl EnsembleEdits {
    /// The flags given, by name (for the PersonaPack refusal).
    fn flags(&self) -> Vec<&'static str> {
        let given = [
            (self.relationships.is_some(), "--relationships"),
            (self.workflow_type.is_some(), "--workflow-type"),
            (self.shared_memory.is_some(), "--shared-memory"),
            (self.shared_memory_size.is_some(), "--shared-memory-size"),
            (self.stimulus_prompt.is_some(), "--stimulus-prompt"),
            (self.stimulus_name.is_some(), "--stimulus-name"),
            (self.stimulus_trigger.is_some(), "--stimulus-trigger"),
            (self.first_tick.is_some(), "--first-tick"),
            (self.channel_access_control.is_some(), "--channel-access-control"),
        ];
        given.into_iter().filter(|(on, _)| *on).map(|(_, f)| f).collect()
    }
}

/// The relationship types the CRD accepts.
const RELATIONSHIP_TYPES: [&str; 4] = ["delegation", "sequential", "supervision", "stimulus"];

/// Every step of an Ensemble's own settings.
pub(super) fn plan_ensemble(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let e = &req.ensemble;
    let flags = e.flags();
    if flags.is_empty() {
        return Ok(());
    }
    if d.pack.era != Era::Ensemble {
        return Err(Error::usage(format!(
            "{} need an Ensemble (Sympozium v0.9 or later): personapack \"{}\" has no such field",
            flags.join(", "),
            crate::escape::escape(&d.pack.meta.name)
        )));
    }
    plan_relationships(d, e)?;
    if let Some(w) = &e.workflow_type {
        d.set("workflowType", json!(w), format!("set workflow type {w}"));
    }
    plan_shared_memory(d, e);
    plan_stimulus(d, e)?;
    plan_first_tick(d, e);
    plan_access_control(d, e)?;
    check_graph(d)
}

/// The relationship graph as the controller will judge it once the patch
/// lands (its `validateRelationshipGraph`): refused here, before writing, in
/// its words, rather than an Ensemble the controller will not reconcile.
fn check_graph(d: &Draft) -> Result<()> {
    let raw = &d.pack.raw["spec"];
    let relationships = match d.spec.get("relationships") {
        Some(v) => v.as_array().cloned().unwrap_or_default(),
        None => raw["relationships"].as_array().cloned().unwrap_or_default(),
    };
    let mut stimulus = raw["stimulus"].clone();
    if let Some(Value::Object(m)) = d.spec.get("stimulus") {
        if !stimulus.is_object() {
            stimulus = json!({});
        }
        for (k, v) in m {
            stimulus[k] = v.clone();
        }
    }
    let workflow = d.spec.get("workflowType").unwrap_or(&raw["workflowType"]).as_str().unwrap_or_default();
    let names: Vec<&str> = d.pack.spec.personas.iter().map(|p| p.name.as_str()).collect();
    graph_problem(&names, &relationships, &stimulus, workflow).map_or(Ok(()), |why| {
        Err(Error::usage(format!(
            "ensemble \"{}\": the controller would not reconcile this relationship graph: {why} (nothing was changed)",
            crate::escape::escape(&d.pack.meta.name)
        )))
    })
}

/// What v0.10.46's controller finds wrong with a graph, None when nothing.
pub fn graph_problem(names: &[&str], relationships: &[Value], stimulus: &Value, workflow: &str) -> Option<String> {
    let has = |t: &str| relationships.iter().any(|r| r["type"] == t);
    let needs = match workflow {
        "pipeline" => Some("sequential"),
        "delegation" => Some("delegation"),
        _ => None,
    };
    if let Some(t) = needs.filter(|t| !has(t)) {
        return Some(format!("workflowType \"{workflow}\" requires at least one {t} relationship edge"));
    }
    let edges: Vec<&Value> = relationships.iter().filter(|r| r["type"] == "stimulus").collect();
    match (edges.len(), stimulus.is_object()) {
        (n, _) if n > 1 => return Some(format!("at most one stimulus relationship is allowed, found {n}")),
        (1, false) => return Some("a stimulus relationship is defined but no stimulus".into()),
        (0, true) => return Some("a stimulus is configured but no stimulus relationship names its target".into()),
        _ => {}
    }
    if let Some(edge) = edges.first() {
        if stimulus["prompt"].as_str().unwrap_or_default().trim().is_empty() {
            return Some("the stimulus prompt must not be empty".into());
        }
        if edge["source"] != stimulus["name"] {
            return Some(format!(
                "the stimulus relationship's source {} must be the stimulus's name {}",
                edge["source"], stimulus["name"]
            ));
        }
    }
    cycle(names, relationships).map(|c| format!("cycle in the relationship graph: {}", c.join(" -> ")))
}

/// A cycle of sequential or delegation edges, as the path that closes it.
fn cycle(names: &[&str], relationships: &[Value]) -> Option<Vec<String>> {
    let next = |n: &str| -> Vec<String> {
        relationships
            .iter()
            .filter(|r| (r["type"] == "sequential" || r["type"] == "delegation") && r["source"] == n)
            .filter_map(|r| r["target"].as_str().map(String::from))
            .collect()
    };
    fn visit(
        n: &str,
        next: &dyn Fn(&str) -> Vec<String>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.iter().any(|d| d == n) {
            return None;
        }
        path.push(n.to_string());
        for m in next(n) {
            if let Some(c) = visit(&m, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(n.to_string());
        None
    }
    let mut done = Vec::new();
    names.iter().find_map(|n| visit(n, &next, &mut Vec::new(), &mut done))
}

/// The relationships exactly as given: each an object naming a source, a
/// target (agent configs, or the stimulus as a source) and a known type.
fn plan_relationships(d: &mut Draft, e: &EnsembleEdits) -> Result<()> {
    let Some(list) = &e.relationships else { return Ok(()) };
    let Some(items) = list.as_array() else {
        return Err(Error::usage("--relationships: expected a JSON list of {source, target, type}"));
    };
    let names: Vec<&str> = d.pack.spec.personas.iter().map(|p| p.name.as_str()).collect();
    let stimulus =
        e.stimulus_name.clone().or_else(|| d.pack.raw["spec"]["stimulus"]["name"].as_str().map(String::from));
    for (i, r) in items.iter().enumerate() {
        let field = |k: &str| r[k].as_str().unwrap_or_default();
        let kind = field("type");
        if !RELATIONSHIP_TYPES.contains(&kind) {
            return Err(Error::usage(format!(
                "--relationships[{i}]: type {kind:?} is not one of {}",
                RELATIONSHIP_TYPES.join(", ")
            )));
        }
        let known = |n: &str| names.contains(&n) || (kind == "stimulus" && stimulus.as_deref() == Some(n));
        for end in ["source", "target"] {
            if !known(field(end)) {
                return Err(Error::usage(format!(
                    "--relationships[{i}]: {end} {:?} is not an agent config of ensemble \"{}\" ({})",
                    field(end),
                    crate::escape::escape(&d.pack.meta.name),
                    names.join(", ")
                )));
            }
        }
    }
    let line = if items.is_empty() {
        "clear the relationships".to_string()
    } else {
        let edges: Vec<String> = items
            .iter()
            .map(|r| {
                format!(
                    "{} -{}-> {}",
                    r["source"].as_str().unwrap_or_default(),
                    r["type"].as_str().unwrap_or_default(),
                    r["target"].as_str().unwrap_or_default()
                )
            })
            .collect();
        format!("set relationships: {}", edges.join(", "))
    };
    let value = if items.is_empty() { Value::Null } else { list.clone() };
    d.set("relationships", value, line);
    Ok(())
}

/// Shared memory: enabled and its size, merged into what is there (access
/// rules and membrane kept).
fn plan_shared_memory(d: &mut Draft, e: &EnsembleEdits) {
    if e.shared_memory.is_none() && e.shared_memory_size.is_none() {
        return;
    }
    let mut m = serde_json::Map::new();
    if let Some(on) = e.shared_memory {
        m.insert("enabled".into(), json!(on));
        d.say(if on { "turn shared memory on" } else { "turn shared memory off" });
    }
    if let Some(size) = &e.shared_memory_size {
        m.insert("storageSize".into(), json!(size));
        d.say(format!("set the shared memory's size to {size}"));
    }
    d.spec.insert("sharedMemory".into(), Value::Object(m));
}

/// The stimulus: its prompt, name and trigger, merged into what is there; a
/// new one needs a prompt (the CRD requires name and prompt).
fn plan_stimulus(d: &mut Draft, e: &EnsembleEdits) -> Result<()> {
    if e.stimulus_prompt.is_none() && e.stimulus_name.is_none() && e.stimulus_trigger.is_none() {
        return Ok(());
    }
    let current = &d.pack.raw["spec"]["stimulus"];
    if !current.is_object() && e.stimulus_prompt.is_none() {
        return Err(Error::usage(format!(
            "ensemble \"{}\" has no stimulus yet: give its prompt with --stimulus-prompt",
            crate::escape::escape(&d.pack.meta.name)
        )));
    }
    let mut m = serde_json::Map::new();
    if let Some(p) = &e.stimulus_prompt {
        m.insert("prompt".into(), json!(p));
        d.say(format!("set the stimulus prompt ({} characters)", p.chars().count()));
    }
    match (&e.stimulus_name, current["name"].as_str()) {
        (Some(n), _) => {
            m.insert("name".into(), json!(n));
            d.say(format!("name the stimulus {n}"));
        }
        (None, None) => {
            m.insert("name".into(), json!("stimulus"));
        }
        (None, Some(_)) => {}
    }
    if let Some(t) = &e.stimulus_trigger {
        m.insert("trigger".into(), json!(t));
        d.say(match t.as_str() {
            "manual" => "fire the stimulus only when triggered (kubectl personapack run PACK --stimulus)".to_string(),
            _ => "fire the stimulus once every agent is ready".to_string(),
        });
    }
    d.spec.insert("stimulus".into(), Value::Object(m));
    Ok(())
}

/// Who may talk to the agents on each channel: the map exactly as given (a
/// channel left out loses its rules, as the web API replaces the map).
fn plan_access_control(d: &mut Draft, e: &EnsembleEdits) -> Result<()> {
    let Some(given) = &e.channel_access_control else { return Ok(()) };
    let Some(map) = given.as_object().filter(|m| m.values().all(Value::is_object)) else {
        return Err(Error::usage(
            "--channel-access-control: expected a JSON object of channel type to {allowedSenders, deniedSenders, allowedChats, denyMessage}",
        ));
    };
    let mut patch = map.clone();
    for old in d.pack.raw["spec"]["channelAccessControl"].as_object().into_iter().flatten().map(|(k, _)| k) {
        if !map.contains_key(old) {
            patch.insert(old.clone(), Value::Null);
        }
    }
    let line = if map.is_empty() {
        "clear the channels' access control".to_string()
    } else {
        format!("set who may reach the agents on {}", map.keys().cloned().collect::<Vec<_>>().join(", "))
    };
    d.set("channelAccessControl", if map.is_empty() { Value::Null } else { Value::Object(patch) }, line);
    d.plan.guarded = true;
    Ok(())
}

/// Every scheduled agent config's first tick.
fn plan_first_tick(d: &mut Draft, e: &EnsembleEdits) {
    let Some(tick) = &e.first_tick else { return };
    let mut changed = 0;
    for p in d.personas().iter_mut() {
        if let Some(sc) = p.get_mut("schedule").and_then(Value::as_object_mut) {
            sc.insert("firstTick".into(), json!(tick));
            changed += 1;
        }
    }
    let when = if tick == "afterInterval" { "one interval after it is made" } else { "as soon as it is made" };
    d.say(format!("{}: the first run {when}", count(changed, "scheduled agent config", "scheduled agent configs")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(source: &str, target: &str, kind: &str) -> Value {
        json!({"source": source, "target": target, "type": kind})
    }

    #[test]
    fn the_graph_is_judged_as_the_controller_judges_it() {
        let names = ["a", "b", "c"];
        let stim = json!({"name": "kick", "prompt": "Go."});
        let ok = vec![edge("kick", "a", "stimulus"), edge("a", "b", "delegation"), edge("b", "c", "sequential")];
        assert_eq!(graph_problem(&names, &ok, &stim, "delegation"), None);
        assert_eq!(graph_problem(&names, &ok, &stim, "pipeline"), None);
        assert_eq!(graph_problem(&names, &[], &Value::Null, "autonomous"), None);
        let p = |rels: &[Value], stim: &Value, wf: &str| graph_problem(&names, rels, stim, wf).unwrap_or_default();
        assert!(p(&[], &Value::Null, "delegation").contains("requires at least one delegation"));
        assert!(p(&[edge("a", "b", "delegation")], &Value::Null, "pipeline").contains("at least one sequential"));
        assert!(p(&[], &stim, "").contains("no stimulus relationship"));
        assert!(p(&[edge("kick", "a", "stimulus")], &Value::Null, "").contains("no stimulus"));
        assert!(p(&[edge("kick", "a", "stimulus"), edge("kick", "b", "stimulus")], &stim, "").contains("at most one"));
        assert!(p(&[edge("go", "a", "stimulus")], &stim, "").contains("must be the stimulus's name"));
        assert!(p(&[edge("kick", "a", "stimulus")], &json!({"name": "kick", "prompt": " "}), "").contains("prompt"));
        let looped = [edge("a", "b", "sequential"), edge("b", "c", "delegation"), edge("c", "b", "sequential")];
        assert_eq!(p(&looped, &Value::Null, ""), "cycle in the relationship graph: b -> c -> b");
        // A cycle past a node already explored is still found.
        let later = [edge("b", "c", "sequential"), edge("c", "b", "delegation")];
        assert_eq!(cycle(&names, &later), Some(vec!["b".to_string(), "c".into(), "b".into()]));
        // Supervision edges drive nothing: no cycle.
        assert_eq!(
            graph_problem(&names, &[edge("a", "b", "supervision"), edge("b", "a", "supervision")], &Value::Null, ""),
            None
        );
    }
}

//! `kubectl personapack describe PACK`: the pack at a glance, kubectl-describe style.

use std::fmt::Write as _;
use std::process::ExitCode;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Event;

use super::{Ctx, warn_unreadable};
use crate::color::Palette;
use crate::error::Result;
use crate::escape::escape;
use crate::model::{DEFAULT_MODEL, Era, PersonaPack, SecretRef};
use crate::output::{self, Cell, emit};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # A pack's settings, personas, tasks, status and events
  kubectl personapack describe platform-team -n sympozium-system")]
pub struct Args {
    /// The PersonaPack to describe
    pub pack: String,
}

/// Whether an authRef's Secret is there (only metadata is ever read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretState {
    Exists,
    Missing,
    /// The user may not read it; existence unknown.
    Unknown(String),
}

/// Events as describe shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLine {
    pub kind: String,
    pub reason: String,
    pub age: String,
    pub from: String,
    pub message: String,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    let conn = ctx.conn.connect().await?;
    // The pack and its events at once (events are found by the pack's name
    // and kind); then the Secrets its authRefs name, all at once.
    let (raw, events) =
        futures::join!(conn.get_pack(&conn.namespace, &args.pack), conn.pack_events(&conn.namespace, &args.pack));
    let pack = raw?;
    warn_unreadable(pack.era.singular(), &pack.meta.namespace, &pack.meta.name, &pack.warnings);

    let states = futures::future::join_all(
        pack.spec.auth_refs.iter().map(|r| conn.secret_meta(&pack.meta.namespace, &r.secret)),
    )
    .await;
    let mut auth = Vec::new();
    for (r, state) in pack.spec.auth_refs.iter().zip(states) {
        let state = match state {
            Ok(Some(_)) => SecretState::Exists,
            Ok(None) => SecretState::Missing,
            Err(e) if e.is_forbidden() => SecretState::Unknown("forbidden".into()),
            Err(e) => return Err(e),
        };
        auth.push((r.clone(), state));
    }
    let now = Timestamp::now();
    // Like kubectl describe, a refusal to list events is not a failure.
    let events = match events {
        Ok(evs) => Ok(evs.iter().map(|e| event_line(e, now)).collect()),
        Err(e) if e.is_forbidden() => Err("forbidden".to_string()),
        Err(e) => return Err(e),
    };
    emit(&render(&pack, &auth, &events, now, ctx.palette))?;
    Ok(ExitCode::SUCCESS)
}

fn event_line(e: &Event, now: Timestamp) -> EventLine {
    let when = e.last_timestamp.as_ref().map(|t| t.0).or(e.event_time.as_ref().map(|t| t.0));
    EventLine {
        kind: e.type_.clone().unwrap_or_default(),
        reason: e.reason.clone().unwrap_or_default(),
        age: output::age(when, now),
        from: e.source.as_ref().and_then(|s| s.component.clone()).or(e.reporting_component.clone()).unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
    }
}

/// The describe text, from fetched facts only (snapshot-tested).
pub fn render(
    pack: &PersonaPack,
    auth: &[(SecretRef, SecretState)],
    events: &std::result::Result<Vec<EventLine>, String>,
    now: Timestamp,
    palette: Palette,
) -> String {
    let mut out = String::new();
    settings(&mut out, pack, now);
    auth_section(&mut out, pack, auth, palette);
    lists(&mut out, pack);
    personas_section(&mut out, pack, palette);
    notes(&mut out, pack, palette);
    status_section(&mut out, pack, palette);
    events_section(&mut out, events, palette);
    out
}

/// Name, metadata and the pack-wide settings, one `Field:` a line.
fn settings(out: &mut String, pack: &PersonaPack, now: Timestamp) {
    let s = &pack.spec;
    let mut field = |k: &str, v: &str| {
        let key = if k.is_empty() { String::new() } else { format!("{k}:") };
        indented(out, &format!("{key:<16}"), &" ".repeat(16), v);
    };
    let or_none = |v: Option<&String>| v.filter(|x| !x.is_empty()).cloned().unwrap_or_else(|| "<none>".into());
    field("Name", &pack.meta.name);
    field("Namespace", &pack.meta.namespace);
    // As kubectl describe: one label, one annotation per line; the
    // last-applied copy of the object is not shown.
    let labels: Vec<String> = pack.meta.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let annotations: Vec<String> = pack
        .meta
        .annotations
        .iter()
        .filter(|(k, _)| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    for (name, lines) in [("Labels", labels), ("Annotations", annotations)] {
        let mut lines = lines.into_iter();
        field(name, &lines.next().unwrap_or_else(|| "<none>".into()));
        for line in lines {
            field("", &line);
        }
    }
    field("Description", &or_none(s.description.as_ref()));
    field("Category", &or_none(s.category.as_ref()));
    field("Version", &or_none(s.version.as_ref()));
    field("Workflow", &or_none(s.workflow_type.as_ref()));
    field("Enabled", &s.enabled.to_string());
    field("Age", &output::age(pack.meta.created, now));
    field("Policy", &or_none(s.policy_ref.as_ref()));
    field("Base URL", &or_none(s.base_url.as_ref()));
    field("Agent Sandbox", &agent_sandbox(s.agent_sandbox.as_ref()));
    field("Team Objective", &or_none(s.task_override.as_ref()));
    if pack.era == Era::Ensemble {
        ensemble_settings(&mut field, &pack.raw["spec"]);
    }
}

/// v0.9+'s pack-wide settings: the Model, shared memory, the stimulus,
/// provider headers (their names: values may be credentials).
fn ensemble_settings(field: &mut impl FnMut(&str, &str), spec: &serde_json::Value) {
    let text = |v: &serde_json::Value| v.as_str().filter(|x| !x.is_empty()).map(String::from);
    field("Model Ref", &text(&spec["modelRef"]).unwrap_or_else(|| "<none>".into()));
    let shared = &spec["sharedMemory"];
    let shared = match shared["enabled"].as_bool() {
        Some(true) => format!("enabled, {}", text(&shared["storageSize"]).unwrap_or_else(|| "default size".into())),
        _ => "<none>".into(),
    };
    field("Shared Memory", &shared);
    let stimulus = &spec["stimulus"];
    let stimulus = match text(&stimulus["name"]) {
        Some(name) => {
            let when = match stimulus["trigger"].as_str() {
                Some("manual") => "manual: fires only when triggered (kubectl personapack run PACK --stimulus)",
                _ => "fires once every agent is ready",
            };
            format!("{name} ({when}): {}", text(&stimulus["prompt"]).unwrap_or_default())
        }
        None => "<none>".into(),
    };
    field("Stimulus", &stimulus);
    let mut headers: Vec<String> =
        spec["providerHeaders"].as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
    if let Some(secret) = text(&spec["providerHeadersSecretRef"]) {
        headers.push(format!("(Secret {secret})"));
    }
    field("Headers", &if headers.is_empty() { "<none>".into() } else { headers.join(", ") });
}

/// Each authRefs entry and whether its Secret exists (its data never read).
fn auth_section(out: &mut String, pack: &PersonaPack, auth: &[(SecretRef, SecretState)], palette: Palette) {
    let s = &pack.spec;
    out.push_str("Auth:\n");
    if auth.is_empty() {
        out.push_str("  <none>");
        if s.enabled {
            out.push_str(&palette.warn(" (agents have no API key; fine only for keyless local providers)"));
        }
        out.push('\n');
    }
    for (r, state) in auth {
        let state = match state {
            SecretState::Exists => palette.good("exists"),
            SecretState::Missing => palette.bad("missing"),
            SecretState::Unknown(why) => palette.warn(&format!("unknown: {why}")),
        };
        let _ = writeln!(
            out,
            "  {:<14}Secret {} ({state})",
            escape(r.provider.as_deref().unwrap_or("-")),
            escape(&r.secret)
        );
    }
}

/// `Title:` then one item a line, or `Title: <none>`.
/// Cluster text that may span lines: its first line after `first`, each
/// further line after `rest`. Newlines are the text's own; every other
/// control character is escaped.
fn indented(out: &mut String, first: &str, rest: &str, text: &str) {
    let mut lines = text.lines();
    let _ = writeln!(out, "{first}{}", escape(lines.next().unwrap_or_default()));
    for line in lines {
        let _ = writeln!(out, "{rest}{}", escape(line));
    }
}

fn list(title: &str, items: Vec<String>, out: &mut String) {
    if items.is_empty() {
        let _ = writeln!(out, "{:<16}<none>", format!("{title}:"));
    } else {
        let _ = writeln!(out, "{title}:");
        for i in items {
            indented(out, "  ", "    ", &i);
        }
    }
}

/// Channels, skill parameters, relationships.
fn lists(out: &mut String, pack: &PersonaPack) {
    let s = &pack.spec;
    list("Channels", s.channel_configs.iter().map(|(t, sec)| format!("{t}: Secret {sec}")).collect(), out);
    list(
        "Skill Params",
        s.skill_params
            .iter()
            .flat_map(|(skill, params)| params.iter().map(move |(k, v)| format!("{skill}.{k}={v}")))
            .collect(),
        out,
    );
    if !s.relationships.is_empty() {
        list(
            "Relationships",
            s.relationships.iter().map(|r| format!("{} -> {} ({})", r.source, r.target, r.kind)).collect(),
            out,
        );
    }
}

/// The personas' table, then their scheduled tasks.
fn personas_section(out: &mut String, pack: &PersonaPack, palette: Palette) {
    let s = &pack.spec;
    let members = pack.raw["spec"][pack.era.members_field()].as_array().cloned().unwrap_or_default();
    out.push_str(if pack.era == Era::Ensemble { "Agent Configs:\n" } else { "Personas:\n" });
    if s.personas.is_empty() {
        out.push_str("  <none>\n");
    } else {
        let rows: Vec<Vec<Cell>> = s
            .personas
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut model = match p.model.as_deref().filter(|m| !m.is_empty()) {
                    Some(m) => m.to_string(),
                    None => format!("{DEFAULT_MODEL} (default)"),
                };
                // v0.9+: an agent config may pin its own provider.
                if let Some(provider) = members.get(i).and_then(|m| m["provider"].as_str()).filter(|x| !x.is_empty()) {
                    model = format!("{model} ({provider})");
                }
                let schedule = p
                    .schedule
                    .as_ref()
                    .map(|sc| format!("{} {}", sc.kind(), sc.timing()))
                    .unwrap_or_else(|| "-".into());
                let seeds = p.memory.as_ref().map(|m| m.seeds.len()).unwrap_or(0);
                let excluded = if pack.is_excluded(&p.name) { Cell::dim("yes") } else { Cell::plain("no") };
                vec![
                    Cell::plain(&p.name),
                    Cell::plain(p.display_name.as_deref().unwrap_or("-")),
                    Cell::plain(model),
                    Cell::plain(if p.skills.is_empty() { "-".into() } else { p.skills.join(",") }),
                    Cell::plain(schedule),
                    Cell::plain(if p.channels.is_empty() { "-".into() } else { p.channels.join(",") }),
                    Cell::plain(seeds.to_string()),
                    excluded,
                ]
            })
            .collect();
        let table = output::table(
            &["NAME", "DISPLAY NAME", "MODEL", "SKILLS", "SCHEDULE", "CHANNELS", "SEEDS", "EXCLUDED"],
            &rows,
            true,
            palette,
        );
        for line in table.lines() {
            let _ = writeln!(out, "  {line}");
        }
        let tasks: Vec<String> = s
            .personas
            .iter()
            .filter_map(|p| p.schedule.as_ref().map(|sc| format!("{}: {}", p.name, sc.task)))
            .collect();
        list("Tasks", tasks, out);
        if pack.era == Era::Ensemble {
            list("Agent Config Settings", agent_config_settings(&members), out);
        }
    }
}

/// v0.9+'s per-agent-config settings, one line each for those that have any:
/// provider, base URL, tool policy, subagents, run timeout, MCP servers and
/// environment variable names (values may be credentials).
fn agent_config_settings(members: &[serde_json::Value]) -> Vec<String> {
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(String::from)).collect()
    };
    let mut out = Vec::new();
    for m in members {
        let mut parts = Vec::new();
        for (key, label) in [("provider", "provider"), ("baseURL", "base URL"), ("runTimeout", "run timeout")] {
            if let Some(v) = m[key].as_str().filter(|v| !v.is_empty()) {
                parts.push(format!("{label} {v}"));
            }
        }
        if m["schedule"]["firstTick"] == "afterInterval" {
            parts.push("first run one interval after its schedule is made".into());
        }
        let (allow, deny) = (strings(&m["toolPolicy"]["allow"]), strings(&m["toolPolicy"]["deny"]));
        if !allow.is_empty() {
            parts.push(format!("tools allowed {}", allow.join(",")));
        }
        if !deny.is_empty() {
            parts.push(format!("tools denied {}", deny.join(",")));
        }
        if let Some(sub) = m["subagents"].as_object() {
            let limits: Vec<String> = ["maxDepth", "maxConcurrent", "maxChildrenPerAgent"]
                .iter()
                .filter_map(|k| sub.get(*k).and_then(|v| v.as_i64()).map(|n| format!("{k} {n}")))
                .collect();
            parts.push(if limits.is_empty() {
                "subagents".into()
            } else {
                format!("subagents ({})", limits.join(", "))
            });
        }
        let servers: Vec<String> = m["mcpServers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["name"].as_str().map(String::from))
            .collect();
        if !servers.is_empty() {
            parts.push(format!("MCP servers {}", servers.join(",")));
        }
        let env: Vec<String> = m["env"].as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
        if !env.is_empty() {
            parts.push(format!("env {}", env.join(",")));
        }
        if !parts.is_empty() {
            out.push(format!("{}: {}", m["name"].as_str().unwrap_or_default(), parts.join("; ")));
        }
    }
    out
}

/// Exclusions that name no persona; fields v0.8 does not have.
fn notes(out: &mut String, pack: &PersonaPack, palette: Palette) {
    let s = &pack.spec;
    let unknown: Vec<&String> =
        s.exclude_personas.iter().filter(|e| !s.personas.iter().any(|p| &&p.name == e)).collect();
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            palette.warn(&format!(
                "Note: excludePersonas names no persona of this pack: {}",
                unknown.iter().map(|u| escape(u)).collect::<Vec<_>>().join(", ")
            ))
        );
    }

    // A newer Sympozium's fields, or a typo a permissive CRD kept: the v0.8
    // controller ignores them, so say they do nothing.
    let extra = pack.unknown_fields();
    if !extra.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            palette.warn(&format!(
                "Note: Sympozium {} has no such field, its controller ignores it: {}",
                pack.era.modelled_release(),
                extra.iter().map(|f| escape(f)).collect::<Vec<_>>().join(", ")
            ))
        );
    }
}

/// What the controller reports.
fn status_section(out: &mut String, pack: &PersonaPack, palette: Palette) {
    out.push_str("Status:\n");
    let st = &pack.status;
    let _ = writeln!(
        out,
        "  {:<20}{}",
        "Phase:",
        palette.phase(&escape(st.phase.as_deref().unwrap_or("<none> (not reconciled)")))
    );
    let _ = writeln!(out, "  {:<20}{}", "Personas:", pack.persona_count());
    let _ = writeln!(out, "  {:<20}{}", "Installed:", st.installed_count);
    if !st.installed_personas.is_empty() {
        out.push_str("  Installed Personas:\n");
        for ip in &st.installed_personas {
            let sched = ip.schedule_name.as_deref().map(|s| format!(", schedule {}", escape(s))).unwrap_or_default();
            let _ = writeln!(out, "    {}: instance {}{sched}", escape(&ip.name), escape(&ip.instance_name));
        }
    }
}

/// The pack's events, as kubectl describe lists them.
fn events_section(out: &mut String, events: &std::result::Result<Vec<EventLine>, String>, palette: Palette) {
    match events {
        Err(why) => {
            let _ = writeln!(out, "Events:         <unable to list: {why}>");
        }
        Ok(evs) if evs.is_empty() => out.push_str("Events:         <none>\n"),
        Ok(evs) => {
            out.push_str("Events:\n");
            let rows: Vec<Vec<Cell>> = evs
                .iter()
                .map(|e| {
                    vec![
                        Cell::plain(&e.kind),
                        Cell::plain(&e.reason),
                        Cell::plain(&e.age),
                        Cell::plain(&e.from),
                        Cell::plain(&e.message),
                    ]
                })
                .collect();
            for line in output::table(&["TYPE", "REASON", "AGE", "FROM", "MESSAGE"], &rows, true, palette).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
}

/// `spec.agentSandbox` in a word: off, or on with its runtime class.
fn agent_sandbox(sandbox: Option<&serde_json::Value>) -> String {
    match sandbox {
        Some(sb) if sb["enabled"] == true => match sb["runtimeClass"].as_str().filter(|c| !c.is_empty()) {
            Some(class) => format!("enabled (runtime class {class})"),
            None => "enabled".into(),
        },
        Some(_) => "disabled".into(),
        None => "<none>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::fixtures::{catalog_pack, now, platform_team};

    #[test]
    fn enabled_pack() {
        let p = platform_team();
        let auth = vec![(p.spec.auth_refs[0].clone(), SecretState::Exists)];
        let events = Ok(vec![EventLine {
            kind: "Normal".into(),
            reason: "Enabled".into(),
            age: "5m".into(),
            from: "kubectl-personapack".into(),
            message: "enabled by admin".into(),
        }]);
        insta::assert_snapshot!(render(&p, &auth, &events, now(), Palette::plain()));
    }

    #[test]
    fn multi_line_text_is_indented_lines_and_other_controls_stay_escaped() {
        let mut raw = platform_team().raw;
        raw["spec"]["personas"][0]["schedule"]["task"] = serde_json::json!("Check pods.\nThen nodes \u{1b}[2J.\r\n");
        raw["spec"]["description"] = serde_json::json!("Two\nlines");
        let text = render(&PersonaPack::from_value(&raw), &[], &Ok(vec![]), now(), Palette::plain());
        let name = raw["spec"]["personas"][0]["name"].as_str().unwrap().to_string();
        assert!(text.contains(&format!("  {name}: Check pods.\n    Then nodes \\u{{1b}}[2J.\n")), "{text}");
        assert!(text.contains("Description:    Two\n                lines\n"), "{text}");
        assert!(!text.contains("\\n") && !text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn relationships_policy_and_fields_v08_does_not_have() {
        let mut raw = platform_team().raw;
        raw["spec"]["policyRef"] = serde_json::json!("strict");
        raw["spec"]["relationships"] =
            serde_json::json!([{"source": "sre-watchdog", "target": "security-guardian", "type": "delegation"}]);
        raw["spec"]["sharedMemory"] = serde_json::json!({"enabled": true});
        raw["metadata"]["labels"] = serde_json::json!({"a": "1", "team": "platform"});
        raw["metadata"]["annotations"] =
            serde_json::json!({"note": "hand-tuned", "kubectl.kubernetes.io/last-applied-configuration": "{...}"});
        raw["spec"]["personas"][0]["provider"] = serde_json::json!("\u{1b}[2J");
        raw["spec"]["agentSandbox"] = serde_json::json!({"enabled": true, "runtimeClass": "gvisor"});
        let p = crate::model::PersonaPack::from_value(&raw);
        let text = render(&p, &[], &Ok(vec![]), now(), Palette::plain());
        for line in [
            "Labels:         a=1\n                team=platform\nAnnotations:    note: hand-tuned\nDescription:",
            "Policy:         strict",
            "Agent Sandbox:  enabled (runtime class gvisor)",
            "Relationships:\n  sre-watchdog -> security-guardian (delegation)",
            "Note: Sympozium v0.8.x has no such field, its controller ignores it: spec.sharedMemory, spec.personas[0].provider",
            "Events:         <none>",
        ] {
            assert!(text.contains(line), "{line:?} in\n{text}");
        }
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn catalog_pack_without_status_or_events_access() {
        let events = Err("forbidden".to_string());
        insta::assert_snapshot!(render(&catalog_pack(), &[], &events, now(), Palette::plain()));
    }
}

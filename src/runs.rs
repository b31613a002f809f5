//! A team's runs (AgentRuns), pure: who started each one (its trigger), the
//! compact row `runs` keeps of it, the totals line, and the health `status`
//! judges from them. The cluster reads runs straight into `RunRow` (skipping
//! tasks, prompts and results: most of a run's bytes), so thousands of runs
//! cost a few hundred bytes each.
//!
//! Sympozium labels a run only with `sympozium.ai/instance` (the Agent or
//! SympoziumInstance it ran as); who started it is told by its other labels
//! and its name, as each creator writes them (v0.8.28 and v0.10.46).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The label every run carries: the instance (Agent) it ran as.
pub const LABEL_INSTANCE: &str = "sympozium.ai/instance";
/// The label `kubectl personapack run` adds to the runs it starts (the web
/// API's own runs carry none, so the two can be told apart).
pub const LABEL_STARTED_BY: &str = crate::names::MANAGED_BY_LABEL;

/// Who started a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Trigger {
    /// A SympoziumSchedule tick (`sympozium.ai/schedule`), with its type (heartbeat, sweep, scheduled).
    Schedule { schedule: String, kind: String },
    /// An Ensemble's stimulus (v0.10: `sympozium.ai/stimulus`): on readiness (the controller), or triggered
    /// (`manual`: the web API; `kubectl`: this plugin).
    Stimulus { by: String },
    /// A message on a channel (`sympozium.ai/source: channel`).
    Channel { channel: String },
    /// Sympozium's OpenAI-compatible web proxy (`sympozium.ai/source: web-proxy`).
    WebProxy,
    /// The successor of a run in a `sequential` relationship (v0.10).
    Sequential { from: String },
    /// A delegation edge followed by the controller (v0.10).
    Delegation { from: String },
    /// A sub-agent spawned by another run.
    Subagent { parent: String },
    /// The long-running server of a `web-endpoint` skill.
    WebEndpoint,
    /// Sympozium's TUI (`<instance>-run-<unix seconds>`).
    Tui,
    /// Sympozium's web API (its web UI's New Run: `<instance>-<random>`).
    WebApi,
    /// `kubectl personapack run`.
    Plugin,
    /// Anything else (a run created by hand).
    Other,
}

impl Trigger {
    /// The TRIGGER column's word.
    pub fn word(&self) -> String {
        match self {
            Trigger::Schedule { kind, .. } if !kind.is_empty() => format!("schedule/{kind}"),
            Trigger::Schedule { .. } => "schedule".into(),
            Trigger::Stimulus { by } if by.is_empty() || by == "readiness" => "stimulus".into(),
            Trigger::Stimulus { by } => format!("stimulus/{by}"),
            Trigger::Channel { channel } if !channel.is_empty() => format!("channel/{channel}"),
            Trigger::Channel { .. } => "channel".into(),
            Trigger::WebProxy => "web-proxy".into(),
            Trigger::Sequential { .. } => "sequential".into(),
            Trigger::Delegation { .. } => "delegation".into(),
            Trigger::Subagent { .. } => "subagent".into(),
            Trigger::WebEndpoint => "web-endpoint".into(),
            Trigger::Tui => "tui".into(),
            Trigger::WebApi => "web-api".into(),
            Trigger::Plugin => "kubectl".into(),
            Trigger::Other => "manual".into(),
        }
    }
}

/// Who started a run named `name` as `instance`, from its labels, whether
/// it has a parent run (`spec.parent`) and its mode (`spec.mode`).
pub fn trigger(
    labels: &BTreeMap<String, String>,
    name: &str,
    instance: &str,
    parent: Option<&str>,
    mode: &str,
) -> Trigger {
    let label = |k: &str| labels.get(k).map(String::as_str).unwrap_or_default();
    if !label("sympozium.ai/schedule").is_empty() {
        return Trigger::Schedule {
            schedule: label("sympozium.ai/schedule").into(),
            kind: label("sympozium.ai/type").into(),
        };
    }
    if label("sympozium.ai/stimulus") == "true" {
        let by = if label(LABEL_STARTED_BY) == crate::names::FIELD_MANAGER {
            "kubectl"
        } else {
            label("sympozium.ai/trigger-source")
        };
        return Trigger::Stimulus { by: by.into() };
    }
    match label("sympozium.ai/source") {
        "channel" => return Trigger::Channel { channel: label("sympozium.ai/source-channel").into() },
        "web-proxy" => return Trigger::WebProxy,
        _ => {}
    }
    if !label("sympozium.ai/sequential-from").is_empty() {
        return Trigger::Sequential { from: label("sympozium.ai/sequential-from").into() };
    }
    if !label("sympozium.ai/delegation-from").is_empty() {
        return Trigger::Delegation { from: label("sympozium.ai/delegation-from").into() };
    }
    // v0.10's spawner labels the parent; v0.8.28's names the child `sub-<parent>-<depth>`.
    if let Some(p) = parent.filter(|p| !p.is_empty()).or(labels.get("sympozium.ai/parent-run").map(String::as_str)) {
        return Trigger::Subagent { parent: p.into() };
    }
    if mode == "server" || name == format!("{instance}-web-endpoint") {
        return Trigger::WebEndpoint;
    }
    if label(LABEL_STARTED_BY) == crate::names::FIELD_MANAGER {
        return Trigger::Plugin;
    }
    let Some(rest) = name.strip_prefix(instance).and_then(|r| r.strip_prefix('-')) else {
        return Trigger::Other;
    };
    if rest.strip_prefix("run-").is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())) {
        return Trigger::Tui;
    }
    // generateName "<instance>-": the API server appends five characters.
    if rest.len() == 5 && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Trigger::WebApi;
    }
    Trigger::Other
}

/// Token usage as the controller records it (`status.tokenUsage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Tokens {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
    pub tool_calls: u64,
    pub duration_ms: u64,
}

impl Tokens {
    /// Total tokens (the controller's own sum, else input + output).
    pub fn total(&self) -> u64 {
        if self.total_tokens > 0 { self.total_tokens } else { self.input_tokens + self.output_tokens }
    }
}

/// v0.10.43+'s estimate (`status.costEstimate`), in micro-units of its currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Cost {
    pub amount_micro: i64,
    pub currency: String,
}

/// One run, as `runs` lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunRow {
    pub name: String,
    pub persona: String,
    pub instance: String,
    pub trigger: Option<Trigger>,
    pub phase: String,
    pub created: Option<Timestamp>,
    pub started: Option<Timestamp>,
    pub completed: Option<Timestamp>,
    pub tokens: Option<Tokens>,
    pub cost: Option<Cost>,
    pub error: String,
}

impl RunRow {
    /// Wall time from start to completion (or to `now` while it runs).
    pub fn duration(&self, now: Timestamp) -> Option<i64> {
        let start = self.started?;
        let end = self.completed.unwrap_or(now);
        Some((end.as_second() - start.as_second()).max(0))
    }
    /// The phase, `Pending` before the controller wrote one.
    pub fn phase_word(&self) -> &str {
        if self.phase.is_empty() { "Pending" } else { &self.phase }
    }
    pub fn failed(&self) -> bool {
        self.phase == "Failed"
    }
    pub fn finished(&self) -> bool {
        is_finished(&self.phase)
    }
}

/// A phase the controller never leaves.
pub fn is_finished(phase: &str) -> bool {
    matches!(phase, "Succeeded" | "Failed" | "Skipped")
}

/// Newest first (by creation, then name: a schedule's `-10` after its `-9`).
pub fn sort_newest_first(rows: &mut [RunRow]) {
    rows.sort_by(|a, b| {
        b.created
            .cmp(&a.created)
            .then_with(|| natural(&b.name).cmp(&natural(&a.name)))
            .then_with(|| b.name.cmp(&a.name))
    });
}

/// A name's trailing number, for ordering `x-9` before `x-10`.
fn natural(name: &str) -> (String, u64) {
    let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (head, tail) = name.split_at(name.len() - digits);
    (head.to_string(), tail.parse().unwrap_or(0))
}

/// What the last line of `runs` adds up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub runs: usize,
    pub failed: usize,
    pub running: usize,
    pub tokens: u64,
    /// Micro-units per currency (one in practice: USD).
    pub cost: BTreeMap<String, i64>,
}

pub fn totals(rows: &[RunRow]) -> Totals {
    let mut t = Totals { runs: rows.len(), ..Totals::default() };
    for r in rows {
        t.failed += usize::from(r.failed());
        t.running += usize::from(!r.finished());
        t.tokens += r.tokens.map(|k| k.total()).unwrap_or(0);
        if let Some(c) = &r.cost {
            *t.cost.entry(if c.currency.is_empty() { "USD".into() } else { c.currency.clone() }).or_default() +=
                c.amount_micro;
        }
    }
    t
}

/// `$0.0123` from micro-units: four decimals below a dollar, two above.
pub fn money(micro: i64, currency: &str) -> String {
    let sign = if micro < 0 { "-" } else { "" };
    let m = micro.unsigned_abs();
    let symbol = if currency.is_empty() || currency == "USD" { "$".to_string() } else { format!("{currency} ") };
    if m >= 1_000_000 {
        let cents = (m + 5_000) / 10_000;
        format!("{sign}{symbol}{}.{:02}", cents / 100, cents % 100)
    } else {
        let tenth_mills = (m + 50) / 100;
        format!("{sign}{symbol}{}.{:04}", tenth_mills / 10_000, tenth_mills % 10_000)
    }
}

/// `1.2k`, `3.4M`: token counts in a column.
pub fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

impl Totals {
    /// `12 runs, 2 failed, 1 running, 45.2k tokens, $0.1234`.
    pub fn line(&self) -> String {
        let mut parts = vec![format!("{} run{}", self.runs, if self.runs == 1 { "" } else { "s" })];
        parts.push(format!("{} failed", self.failed));
        if self.running > 0 {
            parts.push(format!("{} running", self.running));
        }
        parts.push(format!("{} tokens", count(self.tokens)));
        for (currency, micro) in &self.cost {
            parts.push(format!("{} estimated", money(*micro, currency)));
        }
        parts.join(", ")
    }
}

/// A persona's run health, from its runs newest first: the last run's
/// phase, how many finished runs failed in a row, the newest error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunHealth {
    pub last_phase: Option<String>,
    pub last_created: Option<Timestamp>,
    pub failures_in_a_row: usize,
    pub last_error: Option<String>,
}

pub fn health(newest_first: &[&RunRow]) -> RunHealth {
    let finished: Vec<&&RunRow> = newest_first.iter().filter(|r| r.finished()).collect();
    let failures_in_a_row = finished.iter().take_while(|r| r.failed()).count();
    RunHealth {
        last_phase: newest_first.first().map(|r| r.phase_word().to_string()),
        last_created: newest_first.first().and_then(|r| r.created),
        failures_in_a_row,
        last_error: finished.iter().find(|r| r.failed()).map(|r| r.error.clone()).filter(|e| !e.is_empty()),
    }
}

/// The AgentRun Sympozium's web API creates for `POST /api/v1/runs` (v0.8.28
/// and v0.10.46 `createRun`, agentId `primary`), from the instance (Agent)
/// it runs as; only non-empty fields are written, as Go's omitempty does.
/// The one difference, deliberate: the plugin's label on it (`LABEL_STARTED_BY`),
/// so `runs` can say who started it. Refused as the web API refuses: an
/// instance with neither a key nor a base URL.
pub fn web_api_run(
    era: crate::model::Era,
    instance: &serde_json::Value,
    task: &str,
    session_key: &str,
) -> Result<serde_json::Value, String> {
    use serde_json::{Map, Value, json};
    let name = instance["metadata"]["name"].as_str().unwrap_or_default();
    let spec = &instance["spec"];
    let default = &spec["agents"]["default"];
    let str_of = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let auth = &spec["authRefs"][0];
    let secret = str_of(&auth["secret"]);
    let base_url = str_of(&default["baseURL"]);
    let mut provider = match str_of(&auth["provider"]) {
        p if !p.is_empty() => p,
        _ => "openai".to_string(),
    };
    let keyless = spec["authRefs"].as_array().is_none_or(|a| a.is_empty());
    if keyless && !base_url.is_empty() {
        provider = if base_url.contains("ollama") || base_url.contains(":11434") {
            "ollama"
        } else if base_url.contains("lm-studio") || base_url.contains(":1234") {
            "lm-studio"
        } else if base_url.contains("llama-server") {
            "llama-server"
        } else {
            "custom"
        }
        .into();
    }
    if secret.is_empty() && base_url.is_empty() {
        return Err(format!("instance \"{name}\" has no API key configured (authRefs is empty)"));
    }
    let mut model = Map::new();
    put(&mut model, "provider", &json!(provider));
    put(&mut model, "model", &default["model"]);
    put(&mut model, "baseURL", &json!(base_url));
    put(&mut model, "authSecretRef", &json!(secret));
    if era == crate::model::Era::Ensemble {
        put(&mut model, "providerHeaders", &default["providerHeaders"]);
        put(&mut model, "providerHeadersSecretRef", &default["providerHeadersSecretRef"]);
    }
    put(&mut model, "nodeSelector", &default["nodeSelector"]);
    let mut run_spec = Map::new();
    put(&mut run_spec, era.agent_ref(), &json!(name));
    put(&mut run_spec, "agentId", &json!("primary"));
    put(&mut run_spec, "sessionKey", &json!(session_key));
    put(&mut run_spec, "task", &json!(task));
    run_spec.insert("model".into(), Value::Object(model));
    put(&mut run_spec, "skills", &spec["skills"]);
    put(&mut run_spec, "imagePullSecrets", &spec["imagePullSecrets"]);
    put(&mut run_spec, "lifecycle", &default["lifecycle"]);
    if era == crate::model::Era::Ensemble {
        put(&mut run_spec, "env", &default["env"]);
        if let Some(t) = default["runTimeout"].as_str().and_then(go_duration) {
            run_spec.insert("timeout".into(), json!(t));
        }
    }
    Ok(json!({
        "apiVersion": format!("{}/{}", crate::model::GROUP, crate::model::VERSION),
        "kind": "AgentRun",
        "metadata": {
            "generateName": format!("{name}-"),
            "labels": {LABEL_INSTANCE: name, LABEL_STARTED_BY: crate::names::FIELD_MANAGER},
        },
        "spec": run_spec,
    }))
}

/// Insert `v` under `k` unless Go's omitempty would leave it out (null, "",
/// an empty list or object): the runs the web API writes, field for field.
pub fn put(m: &mut serde_json::Map<String, serde_json::Value>, k: &str, v: &serde_json::Value) {
    let empty = v.is_null()
        || v.as_str() == Some("")
        || v.as_object().is_some_and(|o| o.is_empty())
        || v.as_array().is_some_and(|a| a.is_empty());
    if !empty {
        m.insert(k.into(), v.clone());
    }
}

/// A Go duration (`10m`, `1h30m`) as `metav1.Duration` writes it back
/// (`10m0s`, `1h30m0s`); None when Go would not parse it or it is not positive.
pub fn go_duration(text: &str) -> Option<String> {
    // Go's ParseDuration wants a unit on every number.
    if text.trim().bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d = crate::error::parse_duration(text).ok()?;
    let secs = d.as_secs();
    if secs == 0 || d.subsec_nanos() != 0 {
        return None;
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    Some(match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn total_tokens_are_the_controllers_sum_else_input_and_output() {
        let t = Tokens { input_tokens: 1200, output_tokens: 300, ..Tokens::default() };
        assert_eq!(t.total(), 1500);
        assert_eq!(Tokens { total_tokens: 1800, ..t }.total(), 1800);
    }

    #[test]
    fn a_runs_duration_is_start_to_end_or_to_now() {
        let at = |s: i64| Some(Timestamp::from_second(s).unwrap());
        let r = RunRow { started: at(100), completed: at(160), ..RunRow::default() };
        assert_eq!(r.duration(Timestamp::from_second(999).unwrap()), Some(60));
        let running = RunRow { completed: None, ..r.clone() };
        assert_eq!(running.duration(Timestamp::from_second(130).unwrap()), Some(30));
        assert_eq!(RunRow::default().duration(Timestamp::from_second(130).unwrap()), None);
    }

    #[test]
    fn each_creator_is_told_apart() {
        let i = "team-sre";
        let t = |l: &[(&str, &str)], name: &str| trigger(&labels(l), name, i, None, "").word();
        assert_eq!(
            t(&[("sympozium.ai/schedule", "team-sre-schedule"), ("sympozium.ai/type", "sweep")], "team-sre-schedule-3"),
            "schedule/sweep"
        );
        assert_eq!(t(&[("sympozium.ai/schedule", "s")], "s-1"), "schedule");
        assert_eq!(t(&[("sympozium.ai/stimulus", "true")], "team-sre-stimulus-123"), "stimulus");
        let stimulus = |source: &str| {
            t(&[("sympozium.ai/stimulus", "true"), ("sympozium.ai/trigger-source", source)], "team-sre-stimulus-1")
        };
        assert_eq!((stimulus("readiness"), stimulus("manual")), ("stimulus".into(), "stimulus/manual".into()));
        let ours = [
            ("sympozium.ai/stimulus", "true"),
            ("sympozium.ai/trigger-source", "manual"),
            (LABEL_STARTED_BY, "kubectl-personapack"),
        ];
        assert_eq!(t(&ours, "team-sre-stimulus-2"), "stimulus/kubectl");
        assert_eq!(
            t(&[("sympozium.ai/source", "channel"), ("sympozium.ai/source-channel", "slack")], "team-sre-ch-abc12"),
            "channel/slack"
        );
        assert_eq!(t(&[("sympozium.ai/source", "channel")], "team-sre-ch-abc12"), "channel");
        assert_eq!(t(&[("sympozium.ai/source", "web-proxy")], "team-sre-web-x1y2z"), "web-proxy");
        assert_eq!(t(&[("sympozium.ai/sequential-from", "a-1")], "x"), "sequential");
        assert_eq!(t(&[("sympozium.ai/delegation-from", "a-1")], "x"), "delegation");
        assert_eq!(t(&[("sympozium.ai/parent-run", "a-1")], "x"), "subagent");
        assert_eq!(trigger(&labels(&[]), "sub-a-1-2", i, Some("a-1"), "").word(), "subagent");
        assert_eq!(t(&[], "team-sre-web-endpoint"), "web-endpoint");
        assert_eq!(trigger(&labels(&[]), "anything", i, None, "server").word(), "web-endpoint");
        assert_eq!(t(&[], "team-sre-run-1764600000"), "tui");
        assert_eq!(t(&[], "team-sre-run-"), "manual");
        assert_eq!(t(&[], "team-sre-k8x2q"), "web-api");
        assert_eq!(t(&[], "team-sre-K8X2Q"), "manual");
        assert_eq!(t(&[], "team-sre-k8x2"), "manual");
        assert_eq!(t(&[(LABEL_STARTED_BY, "kubectl-personapack")], "team-sre-k8x2q"), "kubectl");
        assert_eq!(t(&[(LABEL_STARTED_BY, "helm")], "team-sre-k8x2q"), "web-api");
        assert_eq!(t(&[], "other-run-1"), "manual");
    }

    fn row(name: &str, phase: &str, created: i64, tokens: u64) -> RunRow {
        RunRow {
            name: name.into(),
            phase: phase.into(),
            created: Some(Timestamp::from_second(created).unwrap()),
            tokens: (tokens > 0).then_some(Tokens { input_tokens: tokens, ..Tokens::default() }),
            ..RunRow::default()
        }
    }

    #[test]
    fn newest_first_orders_numbers_as_numbers() {
        let mut rows =
            vec![row("s-9", "Succeeded", 100, 0), row("s-10", "Succeeded", 100, 0), row("s-8", "Failed", 50, 0)];
        sort_newest_first(&mut rows);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["s-10", "s-9", "s-8"]);
    }

    #[test]
    fn totals_add_up_what_is_shown() {
        let mut a = row("a", "Succeeded", 1, 1200);
        a.cost = Some(Cost { amount_micro: 1500, currency: "USD".into() });
        let mut b = row("b", "Failed", 2, 0);
        b.error = "boom".into();
        let mut c = row("c", "Running", 3, 300);
        c.tokens = Some(Tokens { total_tokens: 350, input_tokens: 300, ..Tokens::default() });
        c.cost = Some(Cost { amount_micro: 2_000_000, currency: String::new() });
        let t = totals(&[a, b, c]);
        assert_eq!((t.runs, t.failed, t.running, t.tokens), (3, 1, 1, 1550));
        assert_eq!(t.line(), "3 runs, 1 failed, 1 running, 1.6k tokens, $2.00 estimated");
        assert_eq!(totals(&[row("x", "Succeeded", 1, 5)]).line(), "1 run, 0 failed, 5 tokens");
    }

    #[test]
    fn money_and_counts_read_as_people_write_them() {
        assert_eq!(money(0, "USD"), "$0.0000");
        assert_eq!(money(1234, "USD"), "$0.0012");
        assert_eq!(money(999_949, ""), "$0.9999");
        assert_eq!(money(1_234_567, "USD"), "$1.23");
        assert_eq!(money(-1500, "EUR"), "-EUR 0.0015");
        assert_eq!(
            (count(999), count(1_000), count(45_250), count(3_400_000)),
            ("999".into(), "1.0k".into(), "45.2k".into(), "3.4M".into())
        );
    }

    #[test]
    fn health_counts_failures_in_a_row_among_finished_runs() {
        let mut f1 = row("r3", "Failed", 3, 0);
        f1.error = "model said no".into();
        let f2 = row("r2", "Failed", 2, 0);
        let ok = row("r1", "Succeeded", 1, 0);
        let running = row("r4", "Running", 4, 0);
        let rows = [&running, &f1, &f2, &ok];
        let h = health(&rows);
        assert_eq!(h.last_phase.as_deref(), Some("Running"));
        assert_eq!(h.failures_in_a_row, 2);
        assert_eq!(h.last_error.as_deref(), Some("model said no"));
        assert_eq!(health(&[&ok]).failures_in_a_row, 0);
        assert_eq!(health(&[]), RunHealth::default());
    }

    #[test]
    fn a_run_is_built_as_the_web_api_builds_it() {
        use crate::model::Era;
        let inst = serde_json::json!({"metadata": {"name": "team-sre"}, "spec": {
            "authRefs": [{"provider": "anthropic", "secret": "team-key"}],
            "skills": [{"skillPackRef": "memory"}],
            "agents": {"default": {"model": "claude-sonnet", "baseURL": "", "runTimeout": "15m", "env": [{"name": "A", "value": "b"}]}}}});
        let v8 = web_api_run(Era::PersonaPack, &inst, "Check it.", "session-1").unwrap();
        assert_eq!(v8["metadata"]["generateName"], "team-sre-");
        assert_eq!(v8["metadata"]["labels"][LABEL_INSTANCE], "team-sre");
        assert_eq!(v8["spec"]["instanceRef"], "team-sre");
        assert_eq!(
            v8["spec"]["model"],
            serde_json::json!({"provider": "anthropic", "model": "claude-sonnet", "authSecretRef": "team-key"})
        );
        assert_eq!((v8["spec"]["agentId"].as_str(), v8["spec"]["task"].as_str()), (Some("primary"), Some("Check it.")));
        assert!(v8["spec"].get("timeout").is_none() && v8["spec"].get("env").is_none());
        let v10 = web_api_run(Era::Ensemble, &inst, "Check it.", "s").unwrap();
        assert_eq!(
            (v10["spec"]["agentRef"].as_str(), v10["spec"]["timeout"].as_str()),
            (Some("team-sre"), Some("15m0s"))
        );
        assert_eq!(v10["spec"]["env"][0]["name"], "A");
        let local = serde_json::json!({"metadata": {"name": "x"}, "spec": {"agents": {"default": {"baseURL": "http://ollama:11434/v1"}}}});
        assert_eq!(web_api_run(Era::PersonaPack, &local, "t", "s").unwrap()["spec"]["model"]["provider"], "ollama");
        let lm = serde_json::json!({"metadata": {"name": "x"}, "spec": {"agents": {"default": {"baseURL": "http://h:1234/v1"}}}});
        assert_eq!(web_api_run(Era::PersonaPack, &lm, "t", "s").unwrap()["spec"]["model"]["provider"], "lm-studio");
        let custom = serde_json::json!({"metadata": {"name": "x"}, "spec": {"agents": {"default": {"baseURL": "http://llama-server/v1"}}}});
        assert_eq!(
            web_api_run(Era::PersonaPack, &custom, "t", "s").unwrap()["spec"]["model"]["provider"],
            "llama-server"
        );
        let other =
            serde_json::json!({"metadata": {"name": "x"}, "spec": {"agents": {"default": {"baseURL": "http://h/v1"}}}});
        assert_eq!(web_api_run(Era::PersonaPack, &other, "t", "s").unwrap()["spec"]["model"]["provider"], "custom");
        let bare = serde_json::json!({"metadata": {"name": "x"}, "spec": {"authRefs": [{"secret": "k"}]}});
        assert_eq!(web_api_run(Era::PersonaPack, &bare, "t", "s").unwrap()["spec"]["model"]["provider"], "openai");
        let by_name = serde_json::json!({"metadata": {"name": "x"}, "spec": {"agents": {"default": {"baseURL": "http://ollama/v1"}}}});
        assert_eq!(web_api_run(Era::PersonaPack, &by_name, "t", "s").unwrap()["spec"]["model"]["provider"], "ollama");
        // A key names the provider, whatever the base URL looks like.
        let keyed = serde_json::json!({"metadata": {"name": "x"}, "spec": {"authRefs": [{"provider": "anthropic", "secret": "k"}],
            "agents": {"default": {"baseURL": "http://h:1234/v1", "providerHeaders": {"X-A": "1"}}}}});
        let run = web_api_run(Era::PersonaPack, &keyed, "t", "s").unwrap();
        assert_eq!(run["spec"]["model"]["provider"], "anthropic");
        assert!(run["spec"]["model"].get("providerHeaders").is_none(), "v0.8 has no provider headers");
        let run = web_api_run(Era::Ensemble, &keyed, "t", "s").unwrap();
        assert_eq!(run["spec"]["model"]["providerHeaders"], serde_json::json!({"X-A": "1"}));
        let none = serde_json::json!({"metadata": {"name": "x"}, "spec": {}});
        assert_eq!(
            web_api_run(Era::PersonaPack, &none, "t", "s").unwrap_err(),
            "instance \"x\" has no API key configured (authRefs is empty)"
        );
    }

    #[test]
    fn go_durations_read_back_as_go_writes_them() {
        assert_eq!(go_duration("10m").as_deref(), Some("10m0s"));
        assert_eq!(go_duration("90s").as_deref(), Some("1m30s"));
        assert_eq!(go_duration("2h").as_deref(), Some("2h0m0s"));
        assert_eq!(go_duration("45s").as_deref(), Some("45s"));
        assert_eq!(go_duration("0s"), None);
        assert_eq!(go_duration("soon"), None);
        assert_eq!(go_duration("600"), None);
    }

    #[test]
    fn a_running_runs_duration_counts_to_now() {
        let mut r = row("r", "Running", 0, 0);
        r.started = Some(Timestamp::from_second(10).unwrap());
        assert_eq!(r.duration(Timestamp::from_second(70).unwrap()), Some(60));
        r.completed = Some(Timestamp::from_second(40).unwrap());
        assert_eq!(r.duration(Timestamp::from_second(70).unwrap()), Some(30));
        assert_eq!(RunRow::default().duration(Timestamp::from_second(1).unwrap()), None);
    }
}

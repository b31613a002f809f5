//! Pure judgement of a pack's live state: given the pack and the objects found
//! in its namespace, what is there per persona, what is missing, what is
//! orphaned, and one overall verdict. No I/O: `cmd/status.rs` fetches.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{self, Era, Instance, Meta, PersonaPack, Schedule, instance_name, memory_name, schedule_name};

/// Everything found in the pack's namespace that belongs to it.
#[derive(Clone, Debug, Default)]
pub struct Observed {
    /// SympoziumInstances labelled `sympozium.ai/persona-pack=<pack>`.
    pub instances: Vec<Instance>,
    /// SympoziumSchedules labelled `sympozium.ai/persona-pack=<pack>`.
    pub schedules: Vec<Schedule>,
    /// Memory ConfigMaps (`<pack>-<persona>-memory`) found, by name, with
    /// which controller created each.
    pub memory: BTreeMap<String, model::MemoryForm>,
    /// Secrets kubectl-personapack wrote for this pack (by name).
    pub our_secrets: Vec<String>,
    /// The Model an Ensemble's modelRef names (None without one).
    pub model: Option<model::ModelState>,
    /// The pack's runs, newest first (None: they could not be read).
    pub runs: Option<Vec<crate::runs::RunRow>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Enabled, the controller says Ready and every active persona's objects exist.
    Ready,
    /// Enabled and on its way (the controller has not caught up yet).
    Progressing,
    /// Enabled, but objects are missing or failing although the controller said Ready.
    Degraded,
    /// Enabled and installed, but a persona's latest finished run failed.
    Failing,
    /// The controller reports Error.
    Error,
    /// Disabled, and the controller is still removing the team.
    Disabling,
    /// Disabled and clean: a catalog entry.
    Inactive,
    /// No controller has ever written status (phase empty).
    NotReconciled,
    /// The pack is being deleted.
    Terminating,
}

impl Verdict {
    /// `status`'s exit code (docs/commands.md, `status`): 0 healthy (Ready, or
    /// Inactive when disabled), 2 not there yet, 3 unhealthy; 1 stays
    /// kubectl's for a status that could not be read.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Ready | Verdict::Inactive => 0,
            Verdict::Progressing | Verdict::Disabling | Verdict::NotReconciled | Verdict::Terminating => 2,
            Verdict::Degraded | Verdict::Failing | Verdict::Error => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready",
            Verdict::Progressing => "Progressing",
            Verdict::Degraded => "Degraded",
            Verdict::Failing => "Failing",
            Verdict::Error => "Error",
            Verdict::Disabling => "Disabling",
            Verdict::Inactive => "Inactive",
            Verdict::NotReconciled => "NotReconciled",
            Verdict::Terminating => "Terminating",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectState {
    pub name: String,
    pub exists: bool,
    /// The object's `status.phase`, when it exists and has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleState {
    pub name: String,
    pub exists: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// `spec.suspend`: paused (`suspend`), whatever the phase says yet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
    /// The cron the controller actually wrote (never recomputed here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_run_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_runs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonaState {
    pub name: String,
    pub excluded: bool,
    pub instance: ObjectState,
    /// None when the persona has no schedule in the spec and none exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleState>,
    pub memory: ObjectState,
    /// Which controller created the memory ConfigMap, when it exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_form: Option<model::MemoryForm>,
    /// How many seeds the persona has, and whether they were never written
    /// because the SympoziumInstance controller created the memory first.
    pub seeds: usize,
    pub seeds_not_applied: bool,
    /// Listed in `status.installedPersonas`.
    pub reported_installed: bool,
    /// How its runs went (None: runs could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<crate::runs::RunHealth>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Orphan {
    pub kind: String,
    pub name: String,
    /// The persona it was stamped for, no longer in `spec.personas`.
    pub persona: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// PersonaPack or Ensemble: the words messages use.
    #[serde(skip)]
    pub era: Era,
    pub name: String,
    pub namespace: String,
    pub enabled: bool,
    pub phase: Option<String>,
    pub verdict: Verdict,
    pub reason: String,
    /// Some controller has seen the pack (it has a phase or the finalizer).
    pub controller_seen: bool,
    pub personas: Vec<PersonaState>,
    pub orphans: Vec<Orphan>,
    /// Secrets kubectl-personapack wrote for this pack that `spec.authRefs` no
    /// longer names (left by a provider switch): nothing upstream deletes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unused_secrets: Vec<String>,
    /// Fields of live objects that differ from what the controller would stamp.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<crate::stamp::Difference>,
    /// The Model an Ensemble's modelRef names, as found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<model::ModelState>,
}

impl Report {
    /// Drift the controller puts back on its next reconcile: work it has not done yet.
    pub fn pending(&self) -> Vec<&crate::stamp::Difference> {
        self.drift.iter().filter(|d| d.fix == crate::stamp::Fix::Controller).collect()
    }

    /// How many active personas have their instance (for progress lines).
    pub fn installed(&self) -> (usize, usize) {
        let active: Vec<&PersonaState> = self.personas.iter().filter(|p| !p.excluded).collect();
        (active.iter().filter(|p| p.instance.exists).count(), active.len())
    }
}

/// The persona an object was stamped for: its label, else its name.
fn persona_of(era: Era, meta: &Meta, pack: &str, suffix: &str) -> String {
    if let Some(p) = meta.labels.get(era.label_member()) {
        return p.clone();
    }
    let stem = meta.name.strip_suffix(suffix).unwrap_or(&meta.name);
    stem.strip_prefix(&format!("{pack}-")).unwrap_or(stem).to_string()
}

/// One persona as the cluster shows it: its instance, schedule, memory and runs.
fn persona_state(pack: &PersonaPack, p: &model::Persona, seen: &Observed) -> PersonaState {
    let name = &pack.meta.name;
    let iname = instance_name(name, &p.name);
    let runs = seen
        .runs
        .as_ref()
        .map(|runs| crate::runs::health(&runs.iter().filter(|r| r.instance == iname).collect::<Vec<_>>()));
    let inst = seen.instances.iter().find(|i| i.meta.name == iname);
    let sname = schedule_name(name, &p.name);
    let sched = seen.schedules.iter().find(|s| s.meta.name == sname);
    let schedule = (pack.is_scheduled(p) || sched.is_some()).then(|| ScheduleState {
        name: sname.clone(),
        exists: sched.is_some(),
        phase: sched.and_then(|s| s.status.phase.clone()),
        suspended: sched.is_some_and(|s| s.spec.suspend),
        schedule: sched.map(|s| s.spec.schedule.clone()).filter(|s| !s.is_empty()),
        last_run_time: sched.and_then(|s| s.status.last_run_time.clone()),
        next_run_time: sched.and_then(|s| s.status.next_run_time.clone()),
        total_runs: sched.and_then(|s| s.status.total_runs),
        last_run_name: sched.and_then(|s| s.status.last_run_name.clone()),
    });
    let mname = memory_name(name, &p.name);
    let memory_form = seen.memory.get(&mname).copied();
    let seeds = p.memory.as_ref().map_or(0, |m| m.seeds.len());
    PersonaState {
        name: p.name.clone(),
        excluded: pack.is_excluded(&p.name),
        instance: ObjectState { name: iname, exists: inst.is_some(), phase: inst.and_then(|i| i.status.phase.clone()) },
        schedule,
        memory: ObjectState { exists: memory_form.is_some(), name: mname, phase: None },
        memory_form,
        seeds,
        seeds_not_applied: seeds > 0 && memory_form == Some(model::MemoryForm::InstanceDefault),
        reported_installed: pack.status.installed_personas.iter().any(|ip| ip.name == p.name),
        runs,
    }
}

/// Instances and schedules labelled for the pack whose persona left its spec.
fn orphans(pack: &PersonaPack, seen: &Observed) -> Vec<Orphan> {
    let name = &pack.meta.name;
    let spec_names: BTreeSet<&str> = pack.spec.personas.iter().map(|p| p.name.as_str()).collect();
    let mut orphans: Vec<Orphan> = Vec::new();
    for i in &seen.instances {
        let persona = persona_of(pack.era, &i.meta, name, "");
        if !spec_names.contains(persona.as_str()) {
            orphans.push(Orphan { kind: pack.era.agent_kind().0.into(), name: i.meta.name.clone(), persona });
        }
    }
    for s in &seen.schedules {
        let persona = persona_of(pack.era, &s.meta, name, "-schedule");
        if !spec_names.contains(persona.as_str()) {
            orphans.push(Orphan { kind: "SympoziumSchedule".into(), name: s.meta.name.clone(), persona });
        }
    }
    orphans
}

pub fn assess(pack: &PersonaPack, seen: &Observed) -> Report {
    let name = &pack.meta.name;
    let personas: Vec<PersonaState> = pack.spec.personas.iter().map(|p| persona_state(pack, p, seen)).collect();

    let orphans = orphans(pack, seen);

    let referenced = pack.referenced_secrets();
    let unused_secrets =
        seen.our_secrets.iter().filter(|s| !referenced.contains(&s.as_str())).cloned().collect::<Vec<_>>();
    let (mut verdict, mut reason) = judge(pack, seen, &personas, &orphans);
    if verdict == Verdict::Ready
        && let Some(failing) = failing_runs(&personas)
    {
        (verdict, reason) = (Verdict::Failing, failing);
    }
    Report {
        era: pack.era,
        name: name.clone(),
        namespace: pack.meta.namespace.clone(),
        enabled: pack.spec.enabled,
        phase: pack.status.phase.clone(),
        verdict,
        reason,
        controller_seen: pack.status.phase.is_some() || pack.meta.finalizers.iter().any(|f| f == pack.era.finalizer()),
        personas,
        orphans,
        unused_secrets,
        drift: Vec::new(),
        model: seen.model.clone(),
    }
}

fn judge(pack: &PersonaPack, seen: &Observed, personas: &[PersonaState], orphans: &[Orphan]) -> (Verdict, String) {
    let phase = pack.status.phase.as_deref();
    // The era's words: v0.8's personas and instances, v0.9+'s agent configs and agents.
    let member = pack.era.member();
    let agent = pack.era.agent();
    if pack.meta.deleting {
        return (
            Verdict::Terminating,
            "the pack is being deleted; its finalizer needs the Sympozium controller".into(),
        );
    }

    if !pack.spec.enabled {
        return judge_disabled(pack, seen, orphans);
    }

    let mut problems: Vec<String> = Vec::new();
    for p in personas.iter().filter(|p| !p.excluded) {
        if !p.instance.exists {
            problems.push(format!("{agent} {} missing", p.instance.name));
        } else if p.instance.phase.as_deref() == Some("Error") {
            problems.push(format!("{agent} {} is in Error", p.instance.name));
        }
        if let Some(s) = &p.schedule {
            if !s.exists {
                problems.push(format!("schedule {} missing", s.name));
            } else if s.phase.as_deref() == Some("Error") {
                problems.push(format!("schedule {} is in Error", s.name));
            }
        }
    }
    let leftovers: Vec<&str> = personas
        .iter()
        .filter(|p| p.excluded && (p.instance.exists || p.schedule.as_ref().is_some_and(|s| s.exists)))
        .map(|p| p.name.as_str())
        .collect();
    let active = personas.iter().filter(|p| !p.excluded).count() as i64;

    match phase {
        None => (Verdict::NotReconciled, not_reconciled()),
        Some("Error") => {
            let detail = if problems.is_empty() { String::new() } else { format!(": {}", problems.join(", ")) };
            (Verdict::Error, format!("the controller reports Error (a {member} failed to reconcile){detail}"))
        }
        Some("Ready") if problems.is_empty() && leftovers.is_empty() && pack.status.installed_count == active => {
            (Verdict::Ready, format!("{active}/{active} {member}s installed"))
        }
        Some("Ready") if !problems.is_empty() => (Verdict::Degraded, problems.join(", ")),
        // v0.9+: with a modelRef, the controller stamps nothing until the Model is Ready.
        _ if seen.model.as_ref().and_then(|m| m.waiting()).is_some() => {
            (Verdict::Progressing, seen.model.as_ref().and_then(|m| m.waiting()).unwrap_or_default())
        }
        _ => {
            let mut why = vec![format!(
                "{} of {active} {member}s installed",
                active as usize - personas.iter().filter(|p| !p.excluded && !p.instance.exists).count()
            )];
            if !leftovers.is_empty() {
                why.push(format!("excluded {member}(s) still being removed: {}", leftovers.join(", ")));
            }
            (Verdict::Progressing, format!("waiting for the controller: {}", why.join("; ")))
        }
    }
}

/// A disabled pack: Inactive once the controller removed the team.
fn judge_disabled(pack: &PersonaPack, seen: &Observed, orphans: &[Orphan]) -> (Verdict, String) {
    let (member, field) = (pack.era.member(), pack.era.members_field());
    let agent = pack.era.agent();
    let phase = pack.status.phase.as_deref();
    let remaining = seen.instances.len() + seen.schedules.len();
    if !orphans.is_empty() {
        return (
            Verdict::Disabling,
            format!(
                "disable can never finish: the controller only cleans up {member}s in the spec and requeues forever while {} exists; delete it by hand",
                orphan_note(orphans, member, field)
            ),
        );
    }
    if remaining > 0 {
        return (
            Verdict::Disabling,
            format!("the controller is removing the team: {remaining} {agent}(s)/schedule(s) left"),
        );
    }
    match phase {
        None => (Verdict::NotReconciled, not_reconciled()),
        Some("Inactive") => (Verdict::Inactive, "disabled: a catalog entry, no agents".into()),
        Some(p) => (
            Verdict::Disabling,
            format!("everything is removed; waiting for the controller to replace phase {p} with Inactive"),
        ),
    }
}

/// The orphans in words, with why each is one.
fn orphan_note(orphans: &[Orphan], member: &str, field: &str) -> String {
    orphans
        .iter()
        .map(|o| format!("{} {} ({member} {:?} is no longer in spec.{field})", o.kind, o.name, o.persona))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The active personas whose latest finished run failed, in words: who, how
/// many in a row, the newest error (cut short: `runs` shows it whole).
fn failing_runs(personas: &[PersonaState]) -> Option<String> {
    let failing: Vec<String> = personas
        .iter()
        .filter(|p| !p.excluded)
        .filter_map(|p| {
            let h = p.runs.as_ref().filter(|h| h.failures_in_a_row > 0)?;
            let n = h.failures_in_a_row;
            let error = h.last_error.as_deref().map(|e| format!(": {}", shorten(e, 120))).unwrap_or_default();
            Some(format!("{}: last {n} run{} failed{error}", p.name, if n == 1 { "" } else { "s" }))
        })
        .collect();
    (!failing.is_empty()).then(|| failing.join("; "))
}

/// At most `max` characters, on one line.
fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    format!("{}...", one_line.chars().take(max.saturating_sub(3)).collect::<String>())
}

fn not_reconciled() -> String {
    "no controller has reconciled this pack (status.phase is empty): is the Sympozium controller running?".into()
}

/// Of the ConfigMaps that may be a pack's memory (`cluster::Stamped`), the
/// ones named for a persona in its spec.
pub fn pack_memory(pack: &PersonaPack, candidates: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    let wanted: Vec<String> = pack.spec.personas.iter().map(|p| model::memory_name(&pack.meta.name, &p.name)).collect();
    candidates
        .into_iter()
        .filter(|m| m["metadata"]["name"].as_str().is_some_and(|n| wanted.iter().any(|w| w == n)))
        .collect()
}

/// (reached, failed-with-reason) for --wait: Ready when enabled, Inactive when
/// disabled; an Error phase or an orphan that blocks disabling ends it early.
pub fn goal(report: &Report) -> (bool, Option<String>) {
    match report.verdict {
        // Ready once the controller has also applied the spec as it stands:
        // a change it re-enforces (a new provider's key, a model) still pending
        // means it has not caught up with the write being waited for.
        // Failing runs are the team's work going wrong, not its set-up: a wait
        // for the controller ends as for Ready (say, after a key is replaced).
        Verdict::Ready | Verdict::Failing if report.enabled => (report.pending().is_empty(), None),
        Verdict::Inactive if !report.enabled => (true, None),
        Verdict::Error => (false, Some(report.reason.clone())),
        Verdict::Disabling if !report.orphans.is_empty() => (false, Some(report.reason.clone())),
        _ => (false, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pack(enabled: bool, phase: Option<&str>, installed: i64) -> PersonaPack {
        PersonaPack::from_value(&json!({
            "metadata": {"name": "team", "namespace": "ns"},
            "spec": {"enabled": enabled, "excludePersonas": ["c"], "personas": [
                {"name": "a", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}},
                {"name": "b", "systemPrompt": "x"},
                {"name": "c", "systemPrompt": "x"}]},
            "status": {"phase": phase, "installedCount": installed, "installedPersonas": [{"name": "a"}]}
        }))
    }

    fn instance(name: &str, persona: &str, phase: Option<&str>) -> Instance {
        Instance::from_value(&json!({
            "metadata": {"name": name, "labels": {"sympozium.ai/persona-pack": "team", "sympozium.ai/persona": persona}},
            "status": {"phase": phase}
        }))
    }

    fn schedule(name: &str, persona: &str) -> Schedule {
        Schedule::from_value(&json!({
            "metadata": {"name": name, "labels": {"sympozium.ai/persona-pack": "team", "sympozium.ai/persona": persona}},
            "spec": {"instanceRef": "team-a", "schedule": "0/5 * * * *", "task": "t", "type": "sweep"},
            "status": {"phase": "Active", "totalRuns": 3}
        }))
    }

    fn full() -> Observed {
        Observed {
            instances: vec![instance("team-a", "a", Some("Running")), instance("team-b", "b", Some("Serving"))],
            schedules: vec![schedule("team-a-schedule", "a")],
            memory: BTreeMap::from([("team-a-memory".to_string(), model::MemoryForm::Seeded)]),
            our_secrets: Vec::new(),
            model: None,
            runs: None,
        }
    }

    #[test]
    fn ready_when_everything_is_there() {
        let r = assess(&pack(true, Some("Ready"), 2), &full());
        assert_eq!(r.verdict, Verdict::Ready, "{}", r.reason);
        assert_eq!(r.installed(), (2, 2));
        assert!(r.personas[2].excluded);
        assert_eq!(r.personas[0].schedule.as_ref().unwrap().schedule.as_deref(), Some("0/5 * * * *"));
        assert!(r.personas[1].schedule.is_none());
        assert!(r.personas[0].memory.exists && !r.personas[1].memory.exists);
        let reported: Vec<bool> = r.personas.iter().map(|p| p.reported_installed).collect();
        assert_eq!(reported, [true, false, false], "as status.installedPersonas names them");
    }

    /// Seeds the instance controller's empty memory shadows (it got there
    /// first) are reported; no seeds, or the pack's seeded form, are not.
    #[test]
    fn seeds_are_not_applied_only_where_the_instance_default_memory_won() {
        let seeded = |seeds: serde_json::Value| {
            PersonaPack::from_value(&json!({
                "metadata": {"name": "team", "namespace": "ns"},
                "spec": {"enabled": true, "personas": [
                    {"name": "a", "systemPrompt": "x", "memory": {"seeds": seeds}}]}
            }))
        };
        let with = |form| Observed { memory: BTreeMap::from([("team-a-memory".to_string(), form)]), ..full() };
        let state = |seeds, form| assess(&seeded(seeds), &with(form)).personas[0].clone();
        let lost = state(json!(["remember"]), model::MemoryForm::InstanceDefault);
        assert!(lost.seeds_not_applied);
        assert_eq!(lost.seeds, 1);
        assert!(!state(json!([]), model::MemoryForm::InstanceDefault).seeds_not_applied);
        assert!(!state(json!(["remember"]), model::MemoryForm::Seeded).seeds_not_applied);
        assert!(!state(json!(["remember"]), model::MemoryForm::Other).seeds_not_applied);
    }

    /// The controller's mark is its phase or its own finalizer, nothing else.
    #[test]
    fn a_controller_was_seen_by_its_phase_or_its_finalizer() {
        let with = |phase: Option<&str>, finalizers: serde_json::Value| {
            let p = PersonaPack::from_value(&json!({
                "metadata": {"name": "team", "namespace": "ns", "finalizers": finalizers},
                "spec": {"enabled": true, "personas": [{"name": "a", "systemPrompt": "x"}]},
                "status": {"phase": phase}
            }));
            assess(&p, &Observed::default()).controller_seen
        };
        assert!(with(Some("Pending"), json!([])));
        assert!(with(None, json!(["sympozium.ai/personapack-finalizer"])));
        assert!(!with(None, json!(["example.com/other"])));
        assert!(!with(None, json!([])));
    }

    /// An excluded persona's instance or schedule still there keeps a Ready
    /// pack Progressing (not Degraded: nothing is missing).
    #[test]
    fn an_excluded_personas_leftover_instance_keeps_the_pack_progressing() {
        let mut seen = full();
        seen.instances.push(instance("team-c", "c", Some("Running")));
        let r = assess(&pack(true, Some("Ready"), 2), &seen);
        assert_eq!(r.verdict, Verdict::Progressing, "{}", r.reason);
        assert!(r.reason.contains("still being removed: c"), "{}", r.reason);
    }

    /// A Model not Ready is why nothing is stamped (v0.9+), before the count.
    #[test]
    fn a_model_not_ready_is_what_the_pack_waits_for() {
        let seen = Observed {
            model: Some(model::ModelState { name: "llama".into(), found: false, phase: None, endpoint: None }),
            ..Observed::default()
        };
        let r = assess(&pack(true, Some("Pending"), 0), &seen);
        assert_eq!(r.verdict, Verdict::Progressing);
        assert_eq!(r.reason, "waiting for Model \"llama\", which does not exist");
    }

    /// A disabled pack counts what is left of its team: instances and schedules.
    #[test]
    fn a_disabling_pack_counts_its_instances_and_schedules() {
        let r = assess(&pack(false, Some("Ready"), 0), &full());
        assert_eq!(r.verdict, Verdict::Disabling);
        assert!(r.reason.ends_with(": 3 instance(s)/schedule(s) left"), "{}", r.reason);
        let gone = assess(&pack(false, Some("Inactive"), 0), &Observed::default());
        assert_eq!(gone.verdict, Verdict::Inactive);
    }

    /// Only the ConfigMaps named for a persona in the spec are the pack's memory.
    #[test]
    fn pack_memory_keeps_the_configmaps_named_for_its_personas() {
        let cm = |name: &str| json!({"metadata": {"name": name}});
        let kept = pack_memory(
            &pack(true, None, 0),
            vec![cm("team-a-memory"), cm("team-x-memory"), cm("team-c-memory"), json!({})],
        );
        assert_eq!(kept, vec![cm("team-a-memory"), cm("team-c-memory")]);
    }

    /// `--wait`'s goal: Ready with nothing the controller still has to put
    /// back; Inactive; or a failure that waiting cannot mend.
    #[test]
    fn the_goal_waits_for_the_controller_to_apply_the_spec() {
        use crate::stamp::{Difference, Fix};
        let mut r = assess(&pack(true, Some("Ready"), 2), &full());
        assert_eq!(goal(&r), (true, None));
        let d = Difference::sample;
        r.drift = vec![d(Fix::Recreate)];
        assert_eq!(goal(&r), (true, None), "drift nothing upstream mends is not waited for");
        r.drift.push(d(Fix::Controller));
        assert_eq!(goal(&r), (false, None), "the controller has not applied the new spec yet");
        assert_eq!(r.pending().len(), 1);

        let off = assess(&pack(false, Some("Inactive"), 0), &Observed::default());
        assert_eq!(goal(&off), (true, None));
        let mut enabled_inactive = assess(&pack(true, Some("Inactive"), 0), &Observed::default());
        enabled_inactive.verdict = Verdict::Inactive;
        assert_eq!(goal(&enabled_inactive), (false, None), "an enabled pack is not done at Inactive");
        let err = assess(&pack(true, Some("Error"), 0), &full());
        assert!(!goal(&err).0);
        assert!(goal(&err).1.unwrap().contains("the controller reports Error"));
        let mut orphaned = full();
        orphaned.instances.push(instance("team-gone", "gone", None));
        let stuck = assess(&pack(false, Some("Ready"), 0), &orphaned);
        assert!(goal(&stuck).1.unwrap().contains("disable can never finish"));
        let progressing = assess(&pack(true, Some("Inactive"), 0), &Observed::default());
        assert_eq!(goal(&progressing), (false, None));
    }

    fn run(name: &str, instance: &str, phase: &str, at: i64, error: &str) -> crate::runs::RunRow {
        crate::runs::RunRow {
            name: name.into(),
            instance: instance.into(),
            phase: phase.into(),
            created: Some(jiff::Timestamp::from_second(at).unwrap()),
            error: error.into(),
            ..Default::default()
        }
    }

    #[test]
    fn failing_when_a_personas_latest_finished_runs_failed() {
        let mut seen = full();
        seen.runs = Some(vec![
            run("a-3", "team-a", "Running", 3, ""),
            run("a-2", "team-a", "Failed", 2, "provider said\n401"),
            run("a-1", "team-a", "Failed", 1, "older"),
            run("b-1", "team-b", "Succeeded", 1, ""),
            run("c-1", "team-c", "Failed", 1, "excluded: not counted"),
        ]);
        let r = assess(&pack(true, Some("Ready"), 2), &seen);
        assert_eq!(r.verdict, Verdict::Failing);
        assert_eq!(r.reason, "a: last 2 runs failed: provider said 401");
        assert_eq!(r.verdict.exit_code(), 3);
        assert_eq!(goal(&r), (true, None), "a wait for the controller still ends");
        let a = &r.personas[0];
        assert_eq!(a.runs.as_ref().unwrap().last_phase.as_deref(), Some("Running"));
        // One success after the failures: healthy again.
        seen.runs.as_mut().unwrap().insert(0, run("a-4", "team-a", "Succeeded", 4, ""));
        let r = assess(&pack(true, Some("Ready"), 2), &seen);
        assert_eq!(r.verdict, Verdict::Ready, "{}", r.reason);
        // Only a Ready team is judged by its runs: a Degraded one stays Degraded.
        seen.runs.as_mut().unwrap().insert(0, run("a-5", "team-a", "Failed", 5, "x"));
        seen.instances.remove(1);
        assert_eq!(assess(&pack(true, Some("Ready"), 2), &seen).verdict, Verdict::Degraded);
        let long = "y".repeat(300);
        seen.runs = Some(vec![run("b-9", "team-b", "Failed", 9, &long)]);
        seen.instances = full().instances;
        let r = assess(&pack(true, Some("Ready"), 2), &seen);
        assert_eq!(r.reason, format!("b: last 1 run failed: {}...", "y".repeat(117)));
    }

    #[test]
    fn exit_codes_follow_the_verdict() {
        use Verdict::*;
        let codes: Vec<u8> =
            [Ready, Inactive, Progressing, Disabling, NotReconciled, Terminating, Degraded, Failing, Error]
                .iter()
                .map(|v| v.exit_code())
                .collect();
        assert_eq!(codes, [0, 0, 2, 2, 2, 2, 3, 3, 3]);
    }

    #[test]
    fn degraded_when_an_instance_vanished() {
        let mut seen = full();
        seen.instances.remove(1);
        let r = assess(&pack(true, Some("Ready"), 2), &seen);
        assert_eq!(r.verdict, Verdict::Degraded);
        assert_eq!(r.reason, "instance team-b missing");
    }

    #[test]
    fn not_reconciled_without_a_phase() {
        let r = assess(&pack(true, None, 0), &Observed::default());
        assert_eq!(r.verdict, Verdict::NotReconciled);
        assert!(r.reason.contains("Sympozium controller running"));
    }

    #[test]
    fn progressing_before_the_controller_catches_up() {
        let r = assess(&pack(true, Some("Inactive"), 0), &Observed::default());
        assert_eq!(r.verdict, Verdict::Progressing);
        assert_eq!(r.reason, "waiting for the controller: 0 of 2 personas installed");
    }

    #[test]
    fn error_phase_wins() {
        let r = assess(&pack(true, Some("Error"), 1), &full());
        assert_eq!(r.verdict, Verdict::Error);
    }

    #[test]
    fn orphans_explain_a_disable_that_never_finishes() {
        let mut seen = full();
        seen.instances.push(instance("team-gone", "gone", Some("Running")));
        let r = assess(&pack(false, Some("Ready"), 2), &seen);
        assert_eq!(r.verdict, Verdict::Disabling);
        assert_eq!(
            r.orphans,
            vec![Orphan { kind: "SympoziumInstance".into(), name: "team-gone".into(), persona: "gone".into() }]
        );
        assert!(r.reason.contains("team-gone"), "{}", r.reason);
    }

    #[test]
    fn inactive_when_disabled_and_clean() {
        let r = assess(&pack(false, Some("Inactive"), 0), &Observed::default());
        assert_eq!(r.verdict, Verdict::Inactive);
        let r = assess(&pack(false, Some("Ready"), 0), &Observed::default());
        assert_eq!(r.verdict, Verdict::Disabling);
    }
}

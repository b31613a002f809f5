//! Following a pack: its live report (the pack and everything stamped for
//! it, read at once) and waiting for its goal. Shared by `status` (`--watch`,
//! `--wait`), `enable --wait` and `disable --wait`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::analysis::{self, Observed, Report};
use crate::cluster::Connection;
use crate::color::Palette;
use crate::error::{Error, Result, humantime};
use crate::escape::escape;
use crate::model::{Instance, Meta, Schedule, memory_form};
use crate::output::{emit, warn_unreadable};
use crate::stamp::Fix;

/// How often `--wait` looks again while the API server is out of reach.
pub const POLL: Duration = Duration::from_secs(1);

/// The kinds a pack's live report is made of besides the pack itself: what
/// `status --watch` and `--wait` watch for changes.
pub fn stamped_kinds(conn: &Connection) -> Vec<kube::core::ApiResource> {
    use k8s_openapi::api::core::v1::{ConfigMap, Secret};
    vec![
        conn.resource(crate::cluster::Kind::Instance),
        conn.resource(crate::cluster::Kind::Schedule),
        kube::core::ApiResource::erase::<ConfigMap>(&()),
        kube::core::ApiResource::erase::<Secret>(&()),
    ]
}

/// How long a pack may show no sign of any controller before waiting stops:
/// every pack the Sympozium controller has seen carries its finalizer.
const NO_CONTROLLER_GRACE: Duration = Duration::from_secs(15);

/// Block until the pack reaches its goal (Ready when enabled, Inactive when
/// disabled), with a progress line on a terminal; fail on Error, on an orphan
/// that blocks a disable, when no controller shows up, or at `limit`.
/// Shared by `status --wait`, `enable --wait` and `disable --wait`.
pub async fn wait_for(conn: &Connection, namespace: &str, name: &str, limit: Duration, palette: Palette) -> Result<()> {
    let start = Instant::now();
    // Look again when something changed (watches: nothing is asked of the
    // server meanwhile), or when a deadline comes.
    let mut changes = conn.pack_changes(namespace, name, &stamped_kinds(conn));
    let progress = std::io::stderr().is_terminal();
    let clear = || {
        if progress {
            eprint!("\r\x1b[K");
        }
    };
    let mut last_line = String::new();
    let show = |line: &str, last_line: &mut String| {
        if progress {
            eprint!("\r\x1b[K{}", escape(line));
        } else if line != last_line {
            eprintln!("{}", escape(line));
        }
        *last_line = line.to_string();
    };
    loop {
        // The API server restarting (or out of reach for a while) is
        // ridden out: say so, and look again until the time is up.
        let report = match report(conn, namespace, name).await {
            Ok(r) => r,
            Err(e) if e.is_transient() && start.elapsed() < limit => {
                show(&format!("waiting for the API server: {}", e.report()), &mut last_line);
                tokio::time::sleep(POLL).await;
                continue;
            }
            Err(e) => {
                clear();
                return Err(e);
            }
        };
        match look(&report, start.elapsed(), limit) {
            Look::Done => {
                clear();
                let verdict = palette.phase(report.verdict.as_str());
                emit(&format!("{}/{} {verdict}\n", report.era.qualified(), escape(&report.name)))?;
                return Ok(());
            }
            Look::Failed(e) => {
                clear();
                return Err(e);
            }
            Look::Waiting(line, timed_out) => {
                show(&line, &mut last_line);
                if let Some(e) = timed_out {
                    clear();
                    return Err(e);
                }
            }
        }
        let grace = NO_CONTROLLER_GRACE.min(limit);
        let grace_left = if report.controller_seen { limit } else { grace.saturating_sub(start.elapsed()) };
        let wake = grace_left.min(limit.saturating_sub(start.elapsed()));
        let woken = crate::interrupt::unless_interrupted(async {
            tokio::select! {
                _ = changes.next() => {}
                _ = tokio::time::sleep(wake) => {}
            }
        });
        if let Err(e) = woken.await {
            // Ctrl-C: what was written stays written; the wait just ends.
            clear();
            return Err(e);
        }
    }
}

/// Where a wait stands after one look at the pack.
enum Look {
    Done,
    Failed(Error),
    /// Not yet: the progress line, and the error if the time is up.
    Waiting(String, Option<Error>),
}

/// Judge one report `elapsed` into a wait of `limit`.
fn look(report: &Report, elapsed: Duration, limit: Duration) -> Look {
    let (singular, name) = (report.era.singular(), escape(&report.name));
    let (done, failed) = analysis::goal(report);
    if done {
        return Look::Done;
    }
    if let Some(why) = failed {
        return Look::Failed(Error::WaitFailed(format!("{singular} \"{name}\": {why}")));
    }
    let grace = NO_CONTROLLER_GRACE.min(limit);
    if !report.controller_seen && elapsed >= grace {
        return Look::Failed(Error::WaitFailed(format!(
            "nothing has reconciled {singular} \"{name}\" within {}: it has no status and no {} finalizer; is the Sympozium controller ({}) running?",
            humantime(grace),
            report.era.finalizer(),
            report.era.releases()
        )));
    }
    let (have, want) = report.installed();
    let pending = report.pending();
    let reason = match pending.first() {
        Some(d) if report.verdict == analysis::Verdict::Ready => format!(
            "the controller has yet to apply the spec to {} object(s), e.g. {}/{} {}",
            pending.len(),
            d.kind,
            d.name,
            d.path
        ),
        _ => report.reason.clone(),
    };
    let verdict = if pending.is_empty() { report.verdict.as_str() } else { "Progressing" };
    let line = format!("{verdict} {have}/{want} {}s installed: {reason}", report.era.member());
    let timed_out = (elapsed >= limit).then(|| {
        Error::WaitFailed(format!(
            "timed out after {} waiting for {singular} \"{name}\" to be {}: {reason}",
            humantime(limit),
            if report.enabled { "Ready" } else { "Inactive" },
        ))
    });
    Look::Waiting(line, timed_out)
}

/// What a `--wait` still waits on of the live objects' differences from the
/// plan: fields of objects that exist (a missing one is counted already),
/// not seeds (the controller never rewrites memory). None for a disabled pack:
/// orphans and leftovers are the analysis's.
fn drift(
    pack: &crate::model::PersonaPack,
    live: &[serde_json::Value],
    endpoint: Option<&str>,
) -> Vec<crate::stamp::Difference> {
    if !pack.spec.enabled {
        return Vec::new();
    }
    crate::stamp::diff(pack, live, endpoint).into_iter().filter(|d| !d.path.is_empty() && d.fix != Fix::Seed).collect()
}

/// Fetch the pack and everything stamped for it; requests run concurrently.
pub async fn report(conn: &Connection, namespace: &str, name: &str) -> Result<Report> {
    // The team's runs with the rest, in the same round (a user who may not
    // list runs still gets the rest of the report).
    let (stamped, runs) =
        futures::join!(conn.stamped(namespace, name, true), conn.runs(namespace, name, crate::runs::LABEL_INSTANCE));
    let stamped = stamped?;
    let runs = runs.ok().map(|(mut rows, _)| {
        crate::runs::sort_newest_first(&mut rows);
        rows
    });
    let pack = stamped.pack;
    warn_unreadable(pack.era.singular(), &pack.meta.namespace, &pack.meta.name, &pack.warnings);
    // Memory ConfigMaps come from the pack controller or the instance
    // controller: metadata only (the memory itself is not ours to read).
    let memory = analysis::pack_memory(&pack, stamped.memory);
    let (instances, schedules, secrets) = (stamped.instances, stamped.schedules, stamped.our_secrets);
    // Drift is only meaningful for a pack that should be stamped; orphans and
    // leftovers are reported by the analysis already.
    let live: Vec<serde_json::Value> = instances.iter().chain(schedules.iter()).chain(memory.iter()).cloned().collect();
    let model_ref = if pack.era == crate::model::Era::Ensemble { pack.model_ref() } else { "" };
    let model = conn.model_state(&pack.meta.namespace, model_ref).await?;
    let endpoint = model.as_ref().filter(|m| m.is_ready()).and_then(|m| m.endpoint.clone());
    let drift = drift(&pack, &live, endpoint.as_deref());
    let instances: Vec<Instance> = instances.iter().map(Instance::from_value).collect();
    let schedules: Vec<Schedule> = schedules.iter().map(Schedule::from_value).collect();
    // Named as kubectl names the kind: sympoziuminstance, or v0.10's agent.
    let agent_kind = pack.era.agent_kind().0.to_lowercase();
    for i in &instances {
        warn_unreadable(&agent_kind, namespace, &i.meta.name, &i.warnings);
    }
    for s in &schedules {
        warn_unreadable("sympoziumschedule", namespace, &s.meta.name, &s.warnings);
    }
    let seen = Observed {
        instances,
        schedules,
        memory: memory
            .iter()
            .map(|m| {
                let meta = Meta::from_value(m);
                let form = memory_form(&meta.labels);
                (meta.name, form)
            })
            .collect(),
        our_secrets: secrets.into_iter().map(|m| m.name).collect(),
        model,
        runs,
    };
    let mut report = analysis::assess(&pack, &seen);
    report.drift = drift;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Verdict, assess};
    use crate::model::PersonaPack;
    use serde_json::json;

    fn pack(enabled: bool, phase: Option<&str>, finalizers: serde_json::Value) -> PersonaPack {
        PersonaPack::from_value(&json!({
            "metadata": {"name": "team", "namespace": "ns", "finalizers": finalizers},
            "spec": {"enabled": enabled, "personas": [{"name": "a", "systemPrompt": "be brief", "memory": {"seeds": ["s"]},
                "schedule": {"type": "sweep", "interval": "5m", "task": "t"}}]},
            "status": {"phase": phase, "installedCount": 1}
        }))
    }

    fn waiting(look: Look) -> (String, Option<String>) {
        match look {
            Look::Waiting(line, timed_out) => (line, timed_out.map(|e| e.to_string())),
            Look::Done => panic!("done"),
            Look::Failed(e) => panic!("failed: {e}"),
        }
    }

    fn failed(look: Look) -> String {
        match look {
            Look::Failed(e) => e.to_string(),
            _ => panic!("not failed"),
        }
    }

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn a_pack_nothing_reconciles_fails_after_the_grace_only() {
        let unseen = assess(&pack(true, None, json!([])), &Observed::default());
        let (line, timed_out) = waiting(look(&unseen, Duration::from_secs(14), MIN));
        assert_eq!(line, format!("NotReconciled 0/1 personas installed: {}", unseen.reason));
        assert!(timed_out.is_none());
        let e = failed(look(&unseen, NO_CONTROLLER_GRACE, MIN));
        assert!(e.contains("nothing has reconciled personapack \"team\" within 15s"), "{e}");
        // A wait shorter than the grace ends at the wait.
        assert!(failed(look(&unseen, Duration::from_secs(5), Duration::from_secs(5))).contains("within 5s"));
        let seen = assess(&pack(true, None, json!(["sympozium.ai/personapack-finalizer"])), &Observed::default());
        waiting(look(&seen, Duration::from_secs(20), MIN));
    }

    #[test]
    fn the_goal_ends_the_wait_and_an_error_fails_it() {
        let off = assess(&pack(false, Some("Inactive"), json!([])), &Observed::default());
        assert!(matches!(look(&off, Duration::ZERO, MIN), Look::Done));
        let error = assess(&pack(true, Some("Error"), json!([])), &Observed::default());
        let e = failed(look(&error, Duration::ZERO, MIN));
        assert!(e.contains("personapack \"team\": the controller reports Error"), "{e}");
    }

    #[test]
    fn the_wait_times_out_at_its_limit_with_the_reason() {
        let r = assess(&pack(true, Some("Pending"), json!([])), &Observed::default());
        let (_, early) = waiting(look(&r, MIN - Duration::from_secs(1), MIN));
        assert!(early.is_none());
        let (_, late) = waiting(look(&r, MIN, MIN));
        let late = late.expect("timed out");
        assert!(
            late.contains(
                "timed out after 1m waiting for personapack \"team\" to be Ready: waiting for the controller"
            ),
            "{late}"
        );
    }

    /// A Ready pack with the spec not yet applied is Progressing, and says
    /// what is pending; any other verdict keeps its own reason.
    #[test]
    fn pending_drift_is_named_only_for_a_ready_pack() {
        let d = crate::stamp::Difference::sample(Fix::Controller);
        let inst = crate::model::Instance::from_value(
            &json!({"metadata": {"name": "team-a"}, "status": {"phase": "Running"}}),
        );
        let sched = crate::model::Schedule::from_value(&json!({"metadata": {"name": "team-a-schedule"}, "status": {"phase": "Active"}}));
        let seen = Observed { instances: vec![inst], schedules: vec![sched], ..Observed::default() };
        let mut ready = assess(&pack(true, Some("Ready"), json!([])), &seen);
        assert_eq!(ready.verdict, Verdict::Ready, "{}", ready.reason);
        ready.drift = vec![d.clone()];
        let (line, _) = waiting(look(&ready, Duration::ZERO, MIN));
        assert_eq!(
            line,
            "Progressing 1/1 personas installed: the controller has yet to apply the spec to 1 object(s), e.g. SympoziumInstance/team-a spec.authRefs"
        );
        let mut pending = assess(&pack(true, Some("Pending"), json!([])), &Observed::default());
        pending.drift = vec![d];
        let (line, _) = waiting(look(&pending, Duration::ZERO, MIN));
        assert_eq!(line, format!("Progressing 0/1 personas installed: {}", pending.reason));
    }

    /// Of the differences, a wait waits on changed fields only: not a
    /// missing object, not seeds, nothing of a disabled pack.
    #[test]
    fn drift_is_changed_fields_of_existing_objects() {
        let on = pack(true, Some("Ready"), json!([]));
        let mut live = crate::stamp::render(&on, None);
        assert!(drift(&on, &live, None).is_empty(), "{:?}", drift(&on, &live, None));
        // The instance controller's memory (the seeds lost) and a missing schedule.
        for object in &mut live {
            if object["kind"] == "ConfigMap" {
                object["metadata"]["labels"] = json!({"sympozium.ai/component": "memory"});
            }
        }
        live.retain(|o| o["kind"] != "SympoziumSchedule");
        let all = crate::stamp::diff(&on, &live, None);
        assert!(all.iter().any(|d| d.fix == Fix::Seed) && all.iter().any(|d| d.path.is_empty()), "{all:?}");
        assert!(drift(&on, &live, None).is_empty(), "{:?}", drift(&on, &live, None));
        let instance = live.iter_mut().find(|o| o["kind"] == "SympoziumInstance").unwrap();
        instance["spec"]["memory"]["systemPrompt"] = json!("be long");
        let changed = drift(&on, &live, None);
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0].fix, Fix::Controller);
        assert!(drift(&pack(false, Some("Ready"), json!([])), &live, None).is_empty());
    }
}

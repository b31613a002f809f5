//! Following a pack: judging one look at its live report while a `--wait`
//! waits for its goal (Ready when enabled, Inactive when disabled), and what
//! of the live objects' drift it still waits on. Pure: the loop that looks
//! is `cmd/wait.rs`, the report is read by `cluster/report.rs`.

use std::time::Duration;

use crate::analysis::{self, Report};
use crate::error::{Error, humantime};
use crate::escape::escape;
use crate::stamp::Fix;

/// How long a pack may show no sign of any controller before waiting stops:
/// every pack the Sympozium controller has seen carries its finalizer.
const NO_CONTROLLER_GRACE: Duration = Duration::from_secs(15);

/// Where a wait stands after one look at the pack.
pub enum Look {
    Done,
    Failed(Error),
    /// Not yet: the progress line, and the error if the time is up.
    Waiting(String, Option<Error>),
}

/// Judge one report `elapsed` into a wait of `limit`.
pub fn look(report: &Report, elapsed: Duration, limit: Duration) -> Look {
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

/// How long a wait may sleep before it must look again without a change:
/// until the time is up, or, while no controller has shown itself, until
/// its grace ends (the look then fails the wait).
pub fn wake_after(report: &Report, elapsed: Duration, limit: Duration) -> Duration {
    let grace = NO_CONTROLLER_GRACE.min(limit);
    let grace_left = if report.controller_seen { limit } else { grace.saturating_sub(elapsed) };
    grace_left.min(limit.saturating_sub(elapsed))
}

/// What a `--wait` still waits on of the live objects' differences from the
/// plan: fields of objects that exist (a missing one is counted already),
/// not seeds (the controller never rewrites memory). None for a disabled pack:
/// orphans and leftovers are the analysis's.
pub fn drift(
    pack: &crate::model::PersonaPack,
    live: &[serde_json::Value],
    endpoint: Option<&str>,
) -> Vec<crate::stamp::Difference> {
    if !pack.spec.enabled {
        return Vec::new();
    }
    crate::stamp::diff(pack, live, endpoint).into_iter().filter(|d| !d.path.is_empty() && d.fix != Fix::Seed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Observed, Verdict, assess};
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

    /// A wait sleeps until its time is up; while no controller has shown
    /// itself, only until the grace ends, and never past the time.
    #[test]
    fn a_wait_wakes_at_the_grace_or_the_limit() {
        let secs = Duration::from_secs;
        let seen =
            assess(&pack(true, Some("Pending"), json!(["sympozium.ai/personapack-finalizer"])), &Observed::default());
        assert!(seen.controller_seen);
        assert_eq!(wake_after(&seen, secs(20), MIN), secs(40));
        assert_eq!(wake_after(&seen, secs(70), MIN), Duration::ZERO);
        let unseen = assess(&pack(true, None, json!([])), &Observed::default());
        assert_eq!(wake_after(&unseen, secs(5), MIN), secs(10));
        assert_eq!(wake_after(&unseen, secs(20), MIN), Duration::ZERO);
        // A wait shorter than the grace: its own end comes first.
        assert_eq!(wake_after(&unseen, secs(2), secs(5)), secs(3));
        assert_eq!(wake_after(&unseen, secs(2), secs(8)), secs(6));
    }

    /// A Ready pack with the spec not yet applied is Progressing, and says
    /// what is pending; any other verdict keeps its own reason.
    #[test]
    fn pending_drift_is_named_only_for_a_ready_pack() {
        let d = crate::stamp::Difference::sample(Fix::Controller);
        let inst = crate::model::Instance::from_value(
            &json!({"metadata": {"name": "team-a"}, "status": {"phase": "Running"}}),
        );
        let sched = crate::model::Schedule::from_value(
            &json!({"metadata": {"name": "team-a-schedule"}, "status": {"phase": "Active"}}),
        );
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

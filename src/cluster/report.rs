//! A pack's live report: the pack and everything stamped for it read in one
//! round, judged by the analysis; and the watches that tell `status --watch`
//! and `--wait` when to read it again.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::core::ApiResource;

use super::watch::Changes;
use super::{Connection, Kind};
use crate::analysis::{self, Observed, Report};
use crate::error::Result;
use crate::model::{Instance, Meta, Schedule, memory_form};
use crate::output::warn_unreadable;

impl Connection {
    /// Fetch the pack and everything stamped for it; requests run concurrently.
    pub async fn report(&self, namespace: &str, name: &str) -> Result<Report> {
        // The team's runs with the rest, in the same round (a user who may not
        // list runs still gets the rest of the report).
        let (stamped, runs) = futures::join!(
            self.stamped(namespace, name, true),
            self.runs(namespace, name, crate::runs::LABEL_INSTANCE)
        );
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
        let live: Vec<serde_json::Value> =
            instances.iter().chain(schedules.iter()).chain(memory.iter()).cloned().collect();
        let model_ref = if pack.era == crate::model::Era::Ensemble { pack.model_ref() } else { "" };
        let model = self.model_state(&pack.meta.namespace, model_ref).await?;
        let endpoint = model.as_ref().filter(|m| m.is_ready()).and_then(|m| m.endpoint.clone());
        let drift = crate::follow::drift(&pack, &live, endpoint.as_deref());
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

    /// Changes to what the report is made of: the pack, its instances and
    /// schedules, memory ConfigMaps and Secrets.
    pub fn report_changes(&self, namespace: &str, name: &str) -> Changes {
        let kinds = [
            self.resource(Kind::Instance),
            self.resource(Kind::Schedule),
            ApiResource::erase::<ConfigMap>(&()),
            ApiResource::erase::<Secret>(&()),
        ];
        self.pack_changes(namespace, name, &kinds)
    }
}

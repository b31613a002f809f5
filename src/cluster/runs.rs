//! A team's runs (AgentRuns) and their pods: listed straight into compact
//! rows (a run's task, prompt and result, most of its bytes, are skipped by
//! the parser, never built), read whole one at a time, created as
//! Sympozium's web API creates them, and the agent container's log streamed.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams, PostParams};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use super::lists::Page;
use super::{Connection, FIELD_MANAGER, Kind, encode};
use crate::error::{Error, Result};
use crate::model::{GROUP, VERSION};
use crate::runs::{Cost, RunRow, Tokens, trigger};

/// A field that reads as its default when it is missing, null or malformed:
/// one odd run never hides the others.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(d: D) -> std::result::Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

#[derive(Default, Deserialize)]
struct RunList {
    #[serde(default, deserialize_with = "lenient")]
    metadata: ListMeta,
    #[serde(default)]
    items: Vec<RunItem>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListMeta {
    #[serde(rename = "continue", default)]
    next: Option<String>,
    #[serde(default)]
    resource_version: Option<String>,
}

#[derive(Default, Deserialize)]
struct RunItem {
    #[serde(default)]
    metadata: ItemMeta,
    #[serde(default)]
    spec: ItemSpec,
    #[serde(default)]
    status: ItemStatus,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemMeta {
    #[serde(default, deserialize_with = "lenient")]
    name: String,
    #[serde(default, deserialize_with = "lenient")]
    creation_timestamp: Option<jiff::Timestamp>,
    #[serde(default, deserialize_with = "lenient")]
    labels: BTreeMap<String, String>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemSpec {
    /// v0.8's name of the instance; v0.10's is `agentRef`.
    #[serde(default, deserialize_with = "lenient")]
    instance_ref: String,
    #[serde(default, deserialize_with = "lenient")]
    agent_ref: String,
    #[serde(default, deserialize_with = "lenient")]
    mode: String,
    #[serde(default, deserialize_with = "lenient")]
    parent: Option<ParentRef>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ParentRef {
    #[serde(default)]
    run_name: String,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemStatus {
    #[serde(default, deserialize_with = "lenient")]
    phase: String,
    #[serde(default, deserialize_with = "lenient")]
    started_at: Option<jiff::Timestamp>,
    #[serde(default, deserialize_with = "lenient")]
    completed_at: Option<jiff::Timestamp>,
    #[serde(default, deserialize_with = "lenient")]
    error: String,
    #[serde(default, deserialize_with = "lenient")]
    token_usage: Option<Tokens>,
    #[serde(default, deserialize_with = "lenient")]
    cost_estimate: Option<Cost>,
}

impl RunItem {
    /// The row of a run of `pack` (persona: the instance name less `<pack>-`).
    fn row(self, pack: &str) -> RunRow {
        let instance = self.metadata.labels.get(crate::runs::LABEL_INSTANCE).cloned().unwrap_or_else(|| {
            if self.spec.agent_ref.is_empty() { self.spec.instance_ref.clone() } else { self.spec.agent_ref.clone() }
        });
        let persona = instance.strip_prefix(pack).and_then(|p| p.strip_prefix('-')).unwrap_or(&instance).to_string();
        let parent = self.spec.parent.as_ref().map(|p| p.run_name.as_str());
        let trigger = trigger(&self.metadata.labels, &self.metadata.name, &instance, parent, &self.spec.mode);
        RunRow {
            trigger: Some(trigger),
            name: self.metadata.name,
            persona,
            instance,
            phase: self.status.phase,
            created: self.metadata.creation_timestamp,
            started: self.status.started_at,
            completed: self.status.completed_at,
            tokens: self.status.token_usage,
            cost: self.status.cost_estimate,
            error: self.status.error,
        }
    }
}

/// Runs per page: a team of ten agents' kept history (Sympozium keeps 50 runs
/// per agent) in one request, so `runs` is one round for most teams; each page
/// is read into rows (a few hundred bytes a run) before the next is asked for,
/// so memory holds one page of objects however many runs there are (2,500 a
/// page held 16 MiB more at 5,000 runs).
const RUN_PAGE: u32 = 500;

/// The row of one run read whole (persona: its instance name).
pub fn run_row(run: &Value) -> RunRow {
    serde_json::from_value::<RunItem>(run.clone()).unwrap_or_default().row("")
}

impl Connection {
    /// The runs in `namespace` matching `selector` (every page), as rows of
    /// `pack`; and the list's resourceVersion.
    pub async fn runs(&self, namespace: &str, pack: &str, selector: &str) -> Result<(Vec<RunRow>, String)> {
        let path = format!("/apis/{GROUP}/{VERSION}/namespaces/{}/agentruns", encode(namespace));
        let mut rows = Vec::new();
        let query = format!("&labelSelector={}", encode(selector));
        let listed = self.raw_pages(&path, &query, "application/json", RUN_PAGE, None, |url, text| {
            let page: RunList = serde_json::from_str(text).map_err(|e| Error::usage(format!("reading {url}: {e}")))?;
            rows.extend(page.items.into_iter().map(|i| i.row(pack)));
            Ok(Page::after(page.metadata.next, page.metadata.resource_version))
        });
        let version = listed.await?.unwrap_or_default();
        Ok((rows, version))
    }

    /// One run whole, None if there is none of that name.
    pub async fn run_object(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        self.get_object(&self.resource(Kind::Run), namespace, name).await
    }

    /// Create a run (`generateName` as the web API does); the object as stored.
    pub async fn create_run(&self, namespace: &str, run: &Value) -> Result<Value> {
        let api: Api<kube::api::DynamicObject> =
            Api::namespaced_with(self.client.clone(), namespace, &self.resource(Kind::Run));
        let obj: kube::api::DynamicObject =
            serde_json::from_value(run.clone()).map_err(|e| Error::usage(format!("building the AgentRun: {e}")))?;
        let params = PostParams { dry_run: false, field_manager: Some(FIELD_MANAGER.into()) };
        let created = self.call(api.create(&params, &obj)).await?;
        Ok(super::with_type(created, &self.resource(Kind::Run)))
    }

    /// The run once `done` holds for it, looked at again whenever a watch of
    /// runs reports a change (no polling); NotFound if it is gone. Shared by
    /// `run --wait` and `logs -f` (which stop it on Ctrl-C).
    pub async fn until_run(&self, namespace: &str, name: &str, done: impl Fn(&Value) -> bool) -> Result<Value> {
        let mut changes = self.pack_changes(namespace, name, &[self.resource(Kind::Run)]);
        loop {
            let run = self
                .run_object(namespace, name)
                .await?
                .ok_or_else(|| Error::not_found("agentruns.sympozium.ai", name))?;
            if done(&run) {
                return Ok(run);
            }
            changes.next().await;
        }
    }

    /// A pod, None if it is gone.
    pub async fn pod(&self, namespace: &str, name: &str) -> Result<Option<Pod>> {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        self.call(api.get_opt(name)).await
    }

    /// The `container` log of a pod as a stream of bytes (`follow`: until the
    /// server ends it); `tail` lines, or all.
    pub async fn log_stream(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        follow: bool,
        tail: Option<i64>,
    ) -> Result<impl futures::AsyncBufRead + use<>> {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let params = LogParams { container: Some(container.into()), follow, tail_lines: tail, ..LogParams::default() };
        self.call(api.log_stream(pod, &params)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_list_reads_into_rows_skipping_what_it_does_not_print() {
        let text = r#"{"kind":"AgentRunList","metadata":{"resourceVersion":"9","continue":""},
          "items":[
            {"metadata":{"name":"team-sre-schedule-2","creationTimestamp":"2026-12-01T10:00:00Z",
                         "labels":{"sympozium.ai/instance":"team-sre","sympozium.ai/schedule":"team-sre-schedule","sympozium.ai/type":"sweep"},
                         "managedFields":[{"manager":"x"}]},
             "spec":{"instanceRef":"team-sre","task":"a long task","systemPrompt":"…"},
             "status":{"phase":"Succeeded","result":"a very long result","startedAt":"2026-12-01T10:00:01Z",
                       "completedAt":"2026-12-01T10:00:31Z","tokenUsage":{"inputTokens":10,"outputTokens":5,"totalTokens":15,"toolCalls":1,"durationMs":900},
                       "costEstimate":{"amountMicro":42,"currency":"USD","source":"defaultTable"}}},
            {"metadata":{"name":"team-sre-x1y2z","creationTimestamp":7,"labels":{"sympozium.ai/instance":"team-sre"}},
             "spec":{"agentRef":"team-sre"},
             "status":{"phase":"Failed","error":"boom","tokenUsage":"not an object"}}]}"#;
        let list: RunList = serde_json::from_str(text).unwrap();
        assert_eq!(list.metadata.resource_version.as_deref(), Some("9"));
        let rows: Vec<RunRow> = list.items.into_iter().map(|i| i.row("team")).collect();
        assert_eq!(rows[0].persona, "sre");
        assert_eq!(rows[0].trigger.as_ref().unwrap().word(), "schedule/sweep");
        assert_eq!(rows[0].tokens.unwrap().total(), 15);
        assert_eq!(rows[0].cost.as_ref().unwrap().amount_micro, 42);
        assert_eq!(rows[0].duration(jiff::Timestamp::now()), Some(30));
        // A malformed field is its default; the run is still listed.
        assert_eq!((rows[1].phase.as_str(), rows[1].error.as_str()), ("Failed", "boom"));
        assert_eq!((rows[1].created, rows[1].tokens), (None, None));
        assert_eq!(rows[1].trigger.as_ref().unwrap().word(), "web-api");
    }
}

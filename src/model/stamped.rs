//! What the controllers stamp per persona (instance or Agent, schedule) and
//! the Model (v0.9+) an Ensemble runs on, as far as the plugin reads them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceStatus {
    /// `Running`, `Serving` or `Error`.
    pub phase: Option<String>,
    pub active_agent_pods: Option<i64>,
    pub total_agent_runs: Option<i64>,
}

/// The Model an Ensemble's `modelRef` names (v0.9+), as the controller finds it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelState {
    /// The modelRef as written (`name` or `namespace/name`).
    pub name: String,
    pub found: bool,
    pub phase: Option<String>,
    pub endpoint: Option<String>,
}

impl ModelState {
    /// A Model object as found, under the name an Ensemble's modelRef gives it.
    pub fn found(name: String, model: &Value) -> ModelState {
        let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(String::from);
        ModelState {
            name,
            found: true,
            phase: text(&model["status"]["phase"]),
            endpoint: text(&model["status"]["endpoint"]),
        }
    }

    /// The controller stamps only once the Model is Ready (and then uses its endpoint).
    pub fn is_ready(&self) -> bool {
        self.phase.as_deref() == Some("Ready")
    }
    /// Why nothing is stamped yet, when the Model is not Ready.
    pub fn waiting(&self) -> Option<String> {
        match (self.found, self.phase.as_deref()) {
            (false, _) => Some(format!("waiting for Model {:?}, which does not exist", self.name)),
            (true, Some("Ready")) => None,
            (true, phase) => {
                Some(format!("waiting for Model {:?} to be Ready (phase {})", self.name, phase.unwrap_or("-")))
            }
        }
    }
}

/// A SympoziumInstance, as far as the plugin reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Instance {
    pub meta: Meta,
    pub model: Option<String>,
    pub status: InstanceStatus,
    pub warnings: Vec<Warning>,
}

impl Instance {
    pub fn from_value(v: &Value) -> Instance {
        let mut warnings = Vec::new();
        let status = lenient(&v["status"], "status", &mut warnings);
        let model = v["spec"]["agents"]["default"]["model"].as_str().map(str::to_string);
        Instance { meta: Meta::from_value(v), model, status, warnings }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduleSpec {
    /// An Ensemble's schedule names its Agent in `agentRef`.
    #[serde(alias = "agentRef")]
    pub instance_ref: String,
    pub schedule: String,
    pub task: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub suspend: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduleStatus {
    /// `Active`, `Suspended` or `Error`.
    pub phase: Option<String>,
    pub last_run_time: Option<String>,
    pub next_run_time: Option<String>,
    pub last_run_name: Option<String>,
    pub total_runs: Option<i64>,
}

/// A SympoziumSchedule, as far as the plugin reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schedule {
    pub meta: Meta,
    pub spec: ScheduleSpec,
    pub status: ScheduleStatus,
    pub warnings: Vec<Warning>,
}

impl Schedule {
    pub fn from_value(v: &Value) -> Schedule {
        let mut warnings = Vec::new();
        let spec = lenient(&v["spec"], "spec", &mut warnings);
        let status = lenient(&v["status"], "status", &mut warnings);
        Schedule { meta: Meta::from_value(v), spec, status, warnings }
    }
}

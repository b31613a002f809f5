//! A persona's memory ConfigMap: which controller's form it is in, and the
//! seeded text the pack controller writes.

use std::collections::BTreeMap;

use serde::Serialize;

/// Two v0.8.28 controllers race to create `<pack>-<persona>-memory`, and
/// neither overwrites the other's: which one won decides whether a persona's
/// seeds were ever written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MemoryForm {
    /// The PersonaPack controller's (`sympozium.ai/memory=true`): the seeds, no owner.
    Seeded,
    /// The SympoziumInstance controller's (`sympozium.ai/component=memory`,
    /// owned by the instance): `INSTANCE_MEMORY` and no seeds.
    InstanceDefault,
    /// Neither controller's labels (made by hand or by something else).
    Other,
}

/// What the SympoziumInstance controller writes into a memory ConfigMap it
/// creates; while the data is exactly this, no agent has written memories.
pub const INSTANCE_MEMORY: &str = "# Agent Memory\n\nNo memories recorded yet.\n";

/// The key both controllers write memory under.
pub const MEMORY_KEY: &str = "MEMORY.md";

pub fn memory_form(labels: &BTreeMap<String, String>) -> MemoryForm {
    if labels.get("sympozium.ai/memory").is_some_and(|v| v == "true") {
        MemoryForm::Seeded
    } else if labels.get("sympozium.ai/component").is_some_and(|v| v == "memory") {
        MemoryForm::InstanceDefault
    } else {
        MemoryForm::Other
    }
}

/// The memory document the PersonaPack controller seeds (`reconcileMemorySeeds`).
pub fn seeded_memory(seeds: &[String]) -> String {
    let mut md = String::from("# Memory\n\n");
    for seed in seeds {
        md.push_str(&format!("- {seed}\n"));
    }
    md
}
